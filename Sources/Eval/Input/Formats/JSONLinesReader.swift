import Synth
import SynthctlCore

/// JSON Lines: one flat JSON object per line, whose keys (in the first
/// line's order) are the columns; a column of lists of numbers (an
/// embedding, as `datasets` and Polars write list columns) is a block of
/// numbers as wide as its lists, as a Parquet list column is; see ``JSONLinesParser/table(_:bytes:chunkBytes:)``
/// for what is refused.
enum JSONLinesReader: TableReader {
    static let format = TableFormat.jsonl
    static let displayName = "JSON Lines"
    static let extensions = ["jsonl", "ndjson"]

    /// The first character that is not white space (after a UTF-8
    /// byte-order mark) opens an object.
    static func recognizes(_ bytes: [UInt8]) -> Bool {
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        return i < bytes.count && bytes[i] == UInt8(ascii: "{")
    }

    static func source(_ path: String, bytes: [UInt8]) throws -> TableSource {
        source(path, try JSONLinesParser.table(path, bytes: bytes))
    }

    /// The table read from `input` in pieces, never holding the file whole
    /// (``JSONLinesParser/table(_:chunkBytes:read:)``). `progress` hears of
    /// each 8 MiB handed to the parser (``ReadProgress``; nothing when the
    /// input's size is unknown: a stream, compressed data).
    static func source(_ path: String, input: ChunkedInput, chunkBytes: Int = JSONLinesParser.defaultChunkBytes,
                       progress: WorkProgress = .silent) throws -> TableSource {
        // The input's bytes pass through a piece of at most 1 MiB.
        var piece = [UInt8](repeating: 0, count: min(chunkBytes, 1 << 20))
        var reading = ReadProgress(progress, path: path, bytes: input.fileSize)
        var served = 0
        let table = try JSONLinesParser.table(path, chunkBytes: chunkBytes, fileSize: input.fileSize) { buffer in
            let n = try input.read(into: &piece, at: max(0, piece.count - buffer.count))
            let start = max(0, piece.count - buffer.count)
            piece.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + start, byteCount: n) }
            served += n
            reading.advance(toByte: served)
            return n
        }
        reading.finish()
        return source(path, table)
    }

    private static func source(_ path: String, _ table: JSONLinesParser.Table) -> TableSource {
        var source = TableSource(header: table.header, rows: table.lines.count, cell: { table.columns[$1][$0] },
                                 location: { .line(table.lines[$0]) }, unsupported: { table.listProblem($0, path: path) },
                                 width: { table.columns[$0].listWidth ?? 1 }, element: { r, c, k in table.columns[c].element(r, k) })
        source.cellsTypedByFile = true
        return source
    }
}
