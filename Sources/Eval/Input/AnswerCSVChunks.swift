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
        let size = pieceBytes ?? min(maximumPieceBytes, max(minimumPieceBytes, (n - bodyStart + threads - 1) / max(1, threads)))
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
            for (k, piece) in pieces.enumerated() {
                // A piece that starts where the one before stopped began at a record: its answers are the file's.
                guard let piece, starts[k] == position else { break }
                guard piece.clean, read.merge(piece, firstLine: 1 + lineEnds) else { return nil }
                lineEnds += piece.lineEnds
                position = piece.stop
                reading.advance(toByte: position)
            }
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
            while i < target {
                quotes &+= file[i] == quote ? 1 : 0
                i += 1
            }
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

    /// Adds a piece's answers after those read so far, its values looked up
    /// (or added, in its first-seen order) in the file's interners;
    /// `firstLine` is the piece's first line in the file. False past
    /// Int32.max answers (the record-by-record reader refuses those).
    private mutating func merge(_ piece: AnswerChunk, firstLine: Int) -> Bool {
        guard items.count + piece.items.count < Int(Int32.max) else { return false }
        let itemMap = Self.ids(of: piece.itemIDs, in: &itemIDs)
        let workerMap = Self.ids(of: piece.workerIDs, in: &workerIDs)
        let before = labelValues.count
        let labelMap = Self.ids(of: piece.labelValues, in: &labelValues)
        for (local, global) in labelMap.enumerated() where Int(global) >= before && Int(global) == labelLines.count {
            labelLines.append(firstLine + piece.labelLines[local])
        }
        items.append(contentsOf: piece.items.lazy.map { itemMap[Int($0)] })
        workers.append(contentsOf: piece.workers.lazy.map { workerMap[Int($0)] })
        labels.append(contentsOf: piece.labels.lazy.map { labelMap[Int($0)] })
        dropped += piece.dropped
        noLabel += piece.noLabel
        return true
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
