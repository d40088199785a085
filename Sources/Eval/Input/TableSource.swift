import Foundation
import Synth

/// One table, whatever file it came from, seen cell by cell: each cell as
/// its file typed it (``TableCell``), and where a row is, for messages:
/// "line 12" in a text file (the physical line, as an editor shows it), and
/// "row 11" in Parquet, counting data rows from 0 as pandas' default index,
/// NumPy and every other "row" in synthctl's messages and reports do.
struct TableSource {
    let header: [String]
    let rows: Int
    /// What reading left out of the file, in words, for the report's notes
    /// (an empty last column from trailing delimiters).
    let notes: [String]
    private let cellAt: (Int, Int) -> TableCell
    private let where_: (Int) -> String

    func cell(_ row: Int, _ column: Int) -> TableCell { cellAt(row, column) }
    func location(_ row: Int) -> String { where_(row) }

    /// CSV (or TSV), JSON Lines or Parquet, decided by ``TableFormat/of(_:bytes:explicit:)``.
    /// `path` may be `-` (standard input) or a pipe: the bytes are read
    /// whole first, which Parquet's footer needs anyway.
    init(_ path: String, format explicit: TableFormat? = nil) throws {
        // Text (CSV, TSV, JSON Lines) is refused at its first block holding a NUL byte.
        let bytes = try InputFile.contents(path, isText: { TableFormat.of(path, bytes: $0, explicit: explicit) != .parquet })
        try self.init(path, bytes: bytes, format: TableFormat.of(path, bytes: bytes, explicit: explicit))
    }

    /// A table from its bytes, read as `format`.
    init(_ path: String, bytes: [UInt8], format: TableFormat) throws {
        var notes = [String]()
        switch format {
        case .parquet:
            let t = try ParquetTable(bytes: bytes, path: path)
            header = t.columns.map(\.name)
            rows = t.rows
            cellAt = { t.columns[$1].cell($0) }
            where_ = { "row \($0)" }
        case .jsonl:
            let (h, records, lines) = try LabeledFeatures.tableRecords(path, bytes: bytes)
            header = h
            rows = records.count
            cellAt = { TableCell(records[$0][$1]) }
            where_ = { "line \(lines[$0])" }
        case let text:  // .csv, .tsv
            let t = try CSVTable(bytes: bytes, path: path, delimiter: text.fieldDelimiter)
            header = t.header
            rows = t.rowCount
            cellAt = { .text(t[$0, $1]) }
            where_ = { "line \(t.lines[$0])" }
            if t.droppedEmptyLastColumn {
                notes.append("an unnamed last column with no values (a delimiter at the end of every line) was left out")
            }
        }
        self.notes = notes
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
