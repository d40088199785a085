#if canImport(Glibc)
import Glibc
#endif
import SynthctlCore

/// One string column of a JSON Lines file read on all cores, for an
/// embedder that needs that column only.
///
/// Why: ``JSONLinesParser`` reads a file on one thread, every column of
/// every row, and the hashing embedder hashes on every core: on 200,000
/// texts of 20–60 words, reading was about a third of the run, with one
/// core idle.
///
/// The common file is read here: a regular file (not compressed, not
/// standard input or a pipe, which give their bytes once), every line
/// blank or a flat object (``_UnsafeJSONLinesScanner``'s fast case) with
/// the first object's keys in the same order, none of them escaped, and
/// the column a string on every row. The file is read in pieces of whole
/// lines; each piece is cut at line ends into one part per thread, the
/// parts scanned side by side, and their texts joined in file order, so
/// the texts are the same for any thread count and piece size.
///
/// Anything else — a line the scanner leaves to the exact path, a row
/// with other keys, a value that is not a string, no row at all, a line
/// longer than a piece, a read that fails — gives nil, and the caller
/// reads the file with the exact reader (``TableSource``), which says what
/// is wrong. This reader never words an error: the texts it gives are the
/// ones the exact reader gives (a differential test holds them together), or none.
enum JSONLinesTextColumn {
    /// The texts of column `column` of the JSON Lines file at `path`, back
    /// to back in `bytes` with each one's range in `ranges`, or nil when
    /// the exact reader must read the file (see the type's documentation).
    /// `format` is the command line's, as ``TableSource`` takes it.
    /// Memory: the texts, and a buffer of `pieceBytes` (16 MiB by default).
    static func read(_ path: String, column: String, format: TableFormat?, threads: Int,
                     pieceBytes: Int = 16 << 20) -> (bytes: [UInt8], ranges: [Range<Int>])? {
        guard path != InputFile.standardInput, !ParquetPartDirectory.holds(path) else { return nil }
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
              let input = try? ChunkedInput(path, decompressing: true), let size = input.fileSize,
              TableFormat.of(path, bytes: input.first, explicit: format) == .jsonl,
              !input.first.starts(with: TableSource.npyMagic) else { return nil }
        /// The first object's keys, in order, and which one is the column.
        var keys: [[UInt8]] = [], c = -1
        // The texts are never longer than the file (escapes only shorten them): reserved, not touched.
        var bytes = [UInt8](), ranges = [Range<Int>]()
        bytes.reserveCapacity(size)
        // Not zeroed: reads fill it, and only filled bytes are looked at (a small
        // file's reads never touch most of its pages; zeroing 16 MiB took 8 ms).
        let capacity = max(pieceBytes, 16)
        var buffer = [UInt8](unsafeUninitializedCapacity: capacity) { _, count in count = capacity }
        var filled = 0, atEnd = false, firstPiece = true
        while !atEnd || filled > 0 {
            while filled < buffer.count, !atEnd {
                guard let got = try? input.read(into: &buffer, at: filled) else { return nil }
                if got == 0 { atEnd = true } else { filled += got }
            }
            // Whole lines: up to the last \n (a \r\n stays whole), or the end of the file.
            var whole = filled
            if !atEnd {
                guard let k = buffer[..<filled].lastIndex(of: 10) else { return nil }
                whole = k + 1
            }
            var start = 0
            if firstPiece {
                firstPiece = false
                if whole >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
            }
            let parts: [Part]? = buffer.withUnsafeBufferPointer { all in
                let piece = UnsafeBufferPointer(rebasing: all[..<whole])
                if keys.isEmpty {
                    guard let (found, index) = firstKeys(piece, from: start, column: column) else { return nil }
                    (keys, c) = (found, index)
                }
                let cuts = lineCuts(piece, from: start, parts: max(1, threads))
                var parts = [Part?](repeating: nil, count: cuts.count - 1)
                parts.withUnsafeMutableBufferPointer { parts in
                    Parallel.forEach(parts.count, threads: max(1, threads)) { p in
                        parts[p] = scan(piece, cuts[p]..<cuts[p + 1], keys: keys, column: c)
                    }
                }
                return parts.contains { $0 == nil } ? nil : parts.map { $0! }
            }
            guard let parts else { return nil }
            for part in parts {
                let offset = bytes.count
                bytes.append(contentsOf: part.bytes)
                ranges.append(contentsOf: part.ranges.lazy.map { ($0.lowerBound + offset)..<($0.upperBound + offset) })
            }
            buffer.withUnsafeMutableBufferPointer { b in
                _ = UnsafeMutableBufferPointer(rebasing: b[..<(filled - whole)]).update(fromContentsOf: UnsafeBufferPointer(rebasing: b[whole..<filled]))
            }
            filled -= whole
        }
        return ranges.isEmpty ? nil : (bytes, ranges)
    }

    /// One part's texts, back to back, and their ranges in `bytes`.
    private struct Part {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
    }

    /// The keys of the first object at or after `start` (blank lines
    /// before it skipped), as bytes, and the index of `column` among them;
    /// nil when a line before it is not blank, a key is escaped, not UTF-8
    /// or given twice, or the column is not one of them. Every other row
    /// must hold the same bytes, so these checks cover the file.
    private static func firstKeys(_ piece: UnsafeBufferPointer<UInt8>, from start: Int, column: String) -> ([[UInt8]], Int)? {
        var scanner = _UnsafeJSONLinesScanner(piece)
        var fields = [_UnsafeJSONLinesScanner.Field]()
        var i = start
        while i < piece.count {
            let end: Int
            switch scanner.scanLine(from: i, into: &fields) {
            case .blank(let e): end = e
            case .object:
                // Keys as the exact reader takes them: valid UTF-8 (the scanner checks values, not
                // keys), distinct and matched as Strings (canonically equivalent spellings, `é` and
                // `e` + U+0301, are one key there: given twice).
                guard fields.allSatisfy({ !$0.keyEscaped }) else { return nil }
                var names = [String]()
                for f in fields {
                    guard let name = scanner.keyText(f) else { return nil }
                    names.append(name)
                }
                guard Set(names).count == names.count, let c = names.firstIndex(of: column) else { return nil }
                return (fields.map { Array(piece[$0.key]) }, c)
            case .other:
                end = scanner.lineEnd(from: i)
                guard isBlank(piece, i..<end) else { return nil }
            }
            guard end < piece.count else { return nil }
            i = next(after: end, in: piece)
        }
        return nil
    }

    /// `parts` + 1 offsets from `start` to the piece's end, each after a
    /// \n (or the piece's end): parts of about equal size, each whole lines.
    private static func lineCuts(_ piece: UnsafeBufferPointer<UInt8>, from start: Int, parts: Int) -> [Int] {
        var cuts = [start]
        for p in 1..<parts {
            var k = max(cuts.last!, start + (piece.count - start) * p / parts)
            while k < piece.count, k > start, piece[k - 1] != 10 { k += 1 }
            if k > cuts.last!, k < piece.count { cuts.append(k) }
        }
        cuts.append(piece.count)
        return cuts
    }

    /// The texts of the lines in `range` of `piece`, or nil at the first line
    /// this reader leaves to the exact one.
    private static func scan(_ piece: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, keys: [[UInt8]], column c: Int) -> Part? {
        var scanner = _UnsafeJSONLinesScanner(piece, stringsInPlace: true)
        var fields = [_UnsafeJSONLinesScanner.Field]()
        var part = Part()
        var i = range.lowerBound
        while i < range.upperBound {
            let end: Int
            switch scanner.scanLine(from: i, into: &fields) {
            case .blank(let e): end = e
            case .object(let e):
                end = e
                guard fields.count == keys.count else { return nil }
                for (k, f) in fields.enumerated() {
                    guard !f.keyEscaped, f.key.count == keys[k].count,
                          keys[k].withUnsafeBufferPointer({ memcmp(piece.baseAddress! + f.key.lowerBound, $0.baseAddress!, $0.count) == 0 })
                    else { return nil }
                }
                guard case .text(let text) = fields[c].value else { return nil }
                let from = part.bytes.count
                if let raw = fields[c].raw { part.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: piece[raw])) } else { part.bytes.append(contentsOf: text.utf8) }
                part.ranges.append(from..<part.bytes.count)
            case .other:
                end = scanner.lineEnd(from: i)
                guard isBlank(piece, i..<end) else { return nil }
            }
            guard end < range.upperBound else { break }
            i = next(after: end, in: piece)
        }
        return part
    }

    /// Whether `range` of `piece` holds only spaces and tabs (a blank line, skipped).
    private static func isBlank(_ piece: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        range.allSatisfy { piece[$0] == 0x20 || piece[$0] == 0x09 }
    }

    /// Where the line after the line end at `end` starts (a \r\n is one line end).
    private static func next(after end: Int, in piece: UnsafeBufferPointer<UInt8>) -> Int {
        end + (piece[end] == 13 && end + 1 < piece.count && piece[end + 1] == 10 ? 2 : 1)
    }
}
