import Foundation
import SynthctlCore

/// Long-form answers (`item,worker,label`) read from CSV or TSV bytes in
/// pieces, on several threads, for ``AnswerReader``: the same ids, in the
/// same first-seen order, and the same line numbers as reading the file
/// record by record, whatever the thread count or the piece size.
///
/// Why: on a file of millions of answers the record-by-record reader spent
/// most of `score`'s time (0.2 s of 0.35 s for 500,000 answers on a 2-vCPU
/// AVX2 EPYC). Here each piece is split at a line end outside quotes,
/// scanned by ``_UnsafeAnswerChunkScanner`` into its own interners, and the
/// pieces are merged in file order: piece k's new values, in its own
/// first-seen order, are looked up in the file's interners after those of
/// pieces 0 ..< k, which is exactly the order a single pass meets them in.
///
/// A split point comes from counting quotes (an even count before it: not
/// inside a quoted field), a guess that a stray quote inside an unquoted
/// field can fool. It is checked: a piece is merged only if the piece
/// before it stopped exactly where it starts; otherwise the rest of the
/// file is split again from where the last good piece stopped.
///
/// This reader never throws and never decides a message: anything the
/// record-by-record reader would refuse or say (``_UnsafeAnswerChunkScanner``)
/// makes it return nil, and that reader reads the file instead.
struct AnswerCSVChunks {
    /// Per answer kept, in file order: item, worker and label ids (no
    /// worker ids for a gold file).
    var items = [Int32](), workers = [Int32](), labels = [Int32]()
    var itemIDs = ValueInterner(), workerIDs = ValueInterner(), labelValues = ValueInterner()
    /// The 1-based file line each label value first appeared on.
    var labelLines = [Int]()
    /// The header's names (pandas' names for empty ones) and the item,
    /// worker and label columns' indices in it.
    var header = [String](), columns = [Int]()
    /// Answers left out: missing labels (with `dropMissing`), and −1 (no label).
    var dropped = 0, noLabel = 0

    /// The largest piece a thread reads at a time: bounds the memory of the
    /// pieces waiting to be merged (their answers and interners).
    static let maximumPieceBytes = 8 << 20
    /// The smallest piece worth a thread of its own.
    static let minimumPieceBytes = 256 << 10

    /// The answers of CSV `file`, or nil when the record-by-record reader
    /// must read it (see the type). `wanted` are the item, worker and label
    /// columns' accepted names and roles; `pieceBytes` fixes the piece size
    /// (tests), otherwise it is the file's body shared among `threads`,
    /// within ``minimumPieceBytes`` … ``maximumPieceBytes``. With two
    /// wanted columns, `file` is a gold file: item and label, no worker. `progress`
    /// hears of the bytes merged (``ReadProgress``).
    static func read(_ file: UnsafeBufferPointer<UInt8>, path: String, delimiter: UInt8, wanted: [([String], String)],
                     noLabel: Bool, dropMissing: Bool, threads: Int, pieceBytes: Int? = nil,
                     progress: WorkProgress = .silent) -> AnswerCSVChunks? {
        precondition(wanted.count == 3 || wanted.count == 2, "item, worker and label columns, or item and label")
        guard let (bodyStart, headerLineEnds) = _UnsafeAnswerChunkScanner.headerEnd(file, delimiter: delimiter) else { return nil }
        var read = AnswerCSVChunks()
        // The header as the record-by-record scanner reads it (BOM, trimming, pandas' names); any error: that reader says it.
        guard let names = try? _UnsafeCSVScanner.scan(UnsafeBufferPointer(rebasing: file[0..<bodyStart]), path: path, delimiter: delimiter, { _ in }),
              let columns = try? wanted.map({ try CSVTable.column($0.0, role: $0.1, header: names, path: path) }) else { return nil }
        read.header = names
        read.columns = columns
        let n = file.count
        // Rounds of `threads` pieces of equal size, each at most maximumPieceBytes: every thread has its share in each round.
        let threads = max(1, threads)
        let rounds = (n - bodyStart + threads * maximumPieceBytes - 1) / (threads * maximumPieceBytes)
        let size = pieceBytes ?? min(maximumPieceBytes, max(minimumPieceBytes, (n - bodyStart + threads * rounds - 1) / max(1, threads * rounds)))
        let layout = _UnsafeAnswerChunkScanner.Layout(width: names.count, item: columns[0], worker: columns.count == 3 ? columns[1] : -1,
                                                      label: columns[columns.count - 1],
                                                      delimiter: delimiter, noLabel: noLabel, dropMissing: dropMissing,
                                                      directLimit: 1 << 20)
        var reading = ReadProgress(progress, path: path, bytes: n)
        var position = bodyStart, lineEnds = headerLineEnds
        while position < n {
            let starts = splitPoints(file, from: position, pieces: max(1, threads), size: max(1, size))
            var pieces = [AnswerChunk?](repeating: nil, count: starts.count)
            pieces.withUnsafeMutableBufferPointer { pieces in
                Parallel.forEach(starts.count, threads: threads) { k in
                    let end = k + 1 < starts.count ? starts[k + 1] : min(n, starts[k] + size)
                    pieces[k] = _UnsafeAnswerChunkScanner.scan(file, from: starts[k], to: end, layout: layout)
                }
            }
            // The pieces that start where the one before stopped began at a record: their answers are the file's.
            var good = [AnswerChunk]()
            for (k, piece) in pieces.enumerated() {
                guard let piece, starts[k] == position else { break }
                guard piece.clean else { return nil }
                good.append(piece)
                position = piece.stop
            }
            guard read.merge(good, firstLine: 1 + lineEnds, threads: threads) else { return nil }
            lineEnds += good.reduce(0) { $0 + $1.lineEnds }
            reading.advance(toByte: position)
        }
        reading.finish()
        // No answer at all: the record-by-record reader's message says why.
        return read.items.isEmpty ? nil : read
    }

    /// Where the pieces of one round start: `from`, then after the first
    /// line end at or past each further `size` bytes that has an even
    /// number of quotes before it (counted from `from`), up to `pieces`.
    private static func splitPoints(_ file: UnsafeBufferPointer<UInt8>, from: Int, pieces: Int, size: Int) -> [Int] {
        let n = file.count, quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
        var starts = [from]
        var i = from, quotes = 0
        while starts.count < pieces {
            let target = starts.last! + size
            guard target < n else { break }
            // Counted over a whole span at once, so that the loop vectorizes.
            quotes &+= UnsafeBufferPointer(rebasing: file[i..<target]).reduce(0) { $0 &+ ($1 == quote ? 1 : 0) }
            i = target
            // On to a line end outside quotes.
            while i < n, file[i] != newline || quotes & 1 == 1 {
                quotes &+= file[i] == quote ? 1 : 0
                i += 1
            }
            guard i + 1 < n else { break }
            i += 1
            starts.append(i)
        }
        return starts
    }

    /// Adds pieces' answers after those read so far, in order: each
    /// piece's values looked up (or added, in its first-seen order) in the
    /// file's interners, one piece after another; then every piece's ids
    /// renumbered into the file's on `threads` threads. The file's first
    /// piece brings its interners as they are (its first-seen order is the
    /// file's). `firstLine` is the first piece's first line in the file.
    /// False past Int32.max answers (the record-by-record reader refuses those).
    private mutating func merge(_ pieces: [AnswerChunk], firstLine: Int, threads: Int) -> Bool {
        guard items.count + pieces.reduce(0, { $0 + $1.items.count }) < Int(Int32.max) else { return false }
        var itemMaps = [[Int32]?](), workerMaps = [[Int32]?](), labelMaps = [[Int32]?]()
        var line = firstLine
        for piece in pieces {
            if itemIDs.count == 0 && workerIDs.count == 0 && labelValues.count == 0 {
                // Nothing before it: its ids are the file's.
                (itemIDs, workerIDs, labelValues) = (piece.itemIDs, piece.workerIDs, piece.labelValues)
                labelLines = piece.labelLines.map { line + $0 }
                itemMaps.append(nil)
                workerMaps.append(nil)
                labelMaps.append(nil)
            } else {
                itemMaps.append(Self.ids(of: piece.itemIDs, in: &itemIDs))
                workerMaps.append(Self.ids(of: piece.workerIDs, in: &workerIDs))
                let before = labelValues.count
                let labelMap = Self.ids(of: piece.labelValues, in: &labelValues)
                for (local, global) in labelMap.enumerated() where Int(global) >= before && Int(global) == labelLines.count {
                    labelLines.append(line + piece.labelLines[local])
                }
                labelMaps.append(labelMap)
            }
            line += piece.lineEnds
            dropped += piece.dropped
            noLabel += piece.noLabel
        }
        Self.append(pieces.map(\.items), through: itemMaps, to: &items, threads: threads)
        Self.append(pieces.map(\.workers), through: workerMaps, to: &workers, threads: threads)
        Self.append(pieces.map(\.labels), through: labelMaps, to: &labels, threads: threads)
        return true
    }

    /// Appends each piece's local ids to `column` through its map (nil:
    /// the ids are the file's already), the pieces written side by side on
    /// `threads` threads into one array allocated once.
    private static func append(_ pieces: [[Int32]], through maps: [[Int32]?], to column: inout [Int32], threads: Int) {
        let old = column.count
        var offsets = [old]
        for piece in pieces { offsets.append(offsets.last! + piece.count) }
        let total = offsets.last!
        guard total > old else { return }
        if old == 0, pieces.count == 1, maps[0] == nil {
            column = pieces[0]
            return
        }
        column = column.withUnsafeBufferPointer { before in
            [Int32](unsafeUninitializedCapacity: total) { out, count in
                let out = out.baseAddress!
                if old > 0 { out.initialize(from: before.baseAddress!, count: old) }
                Parallel.forEach(pieces.count, threads: threads) { k in
                    pieces[k].withUnsafeBufferPointer { local in
                        guard let source = local.baseAddress else { return }
                        let destination = out + offsets[k]
                        guard let map = maps[k] else {
                            destination.initialize(from: source, count: local.count)
                            return
                        }
                        map.withUnsafeBufferPointer { map in
                            for j in 0..<local.count { (destination + j).initialize(to: map[Int(source[j])]) }
                        }
                    }
                }
                count = total
            }
        }
    }

    /// The file-wide id of each of `local`'s values, in `local`'s id order.
    private static func ids(of local: ValueInterner, in global: inout ValueInterner) -> [Int32] {
        local.keyBytes.withUnsafeBufferPointer { bytes in
            (0..<local.count).map { v in
                global.id(of: UnsafeBufferPointer(rebasing: bytes[local.keyStart[v]..<local.keyStart[v + 1]]))!
            }
        }
    }
}
