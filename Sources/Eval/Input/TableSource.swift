import Foundation
import Synth

/// One table, whatever file it came from, seen cell by cell: each cell as
/// its file typed it (``TableCell``), and where a row is, for messages
/// ("line 12" in a text file, "row 11" in Parquet).
struct TableSource {
    let header: [String]
    let rows: Int
    private let cellAt: (Int, Int) -> TableCell
    private let where_: (Int) -> String

    func cell(_ row: Int, _ column: Int) -> TableCell { cellAt(row, column) }
    func location(_ row: Int) -> String { where_(row) }

    /// CSV, JSON Lines or Parquet, decided by ``TableFormat/of(_:bytes:explicit:)``.
    /// `path` may be `-` (standard input) or a pipe: the bytes are read
    /// whole first, which Parquet's footer needs anyway.
    init(_ path: String, format explicit: TableFormat? = nil) throws {
        // Text (CSV, JSON Lines) is refused at its first block holding a NUL byte.
        let bytes = try InputFile.contents(path, isText: { TableFormat.of(path, bytes: $0, explicit: explicit) != .parquet })
        switch TableFormat.of(path, bytes: bytes, explicit: explicit) {
        case .parquet:
            let t = try ParquetTable(bytes: bytes, path: path)
            header = t.columns.map(\.name)
            rows = t.rows
            cellAt = { t.columns[$1].cell($0) }
            where_ = { "row \($0 + 1)" }
        case .jsonl:
            let (h, records, lines) = try LabeledFeatures.tableRecords(path, bytes: bytes)
            header = h
            rows = records.count
            cellAt = { TableCell(records[$0][$1]) }
            where_ = { "line \(lines[$0])" }
        case .csv:
            let t = try CSVTable(bytes: bytes, path: path)
            header = t.header
            rows = t.rowCount
            cellAt = { .text(t[$0, $1]) }
            where_ = { "line \(t.lines[$0])" }
        }
        if let c = header.firstIndex(where: { $0.utf8.contains(0) }) {
            throw SynthError("\(path): column \(c + 1): expected a column name, found a NUL byte in \"\(header[c].replacingOccurrences(of: "\0", with: "\\0"))\"")
        }
    }
}

extension ParquetTable.Column {
    /// Row `row` as a cell: null where the column has no value.
    func cell(_ row: Int) -> TableCell {
        guard present[row] else { return .null }
        switch values {
        case .booleans(let v): return .boolean(v[row])
        case .integers(let v): return .integer(v[row])
        case .floats(let v): return .real(v[row])
        case .strings(let v): return .text(v[row])
        }
    }
}
