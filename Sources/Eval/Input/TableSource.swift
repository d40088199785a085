import Synth

/// One table, whatever file it came from, seen cell by cell: the text of a
/// cell (for labels), its number (for features), and where a row is, for
/// messages ("line 12" in a text file, "row 11" in Parquet).
struct TableSource {
    let header: [String]
    let rows: Int
    private let textCell: (Int, Int) -> String?
    private let numberCell: (Int, Int) -> Double?
    private let where_: (Int) -> String

    func text(_ row: Int, _ column: Int) -> String? { textCell(row, column) }
    func number(_ row: Int, _ column: Int) -> Double? { numberCell(row, column) }
    func location(_ row: Int) -> String { where_(row) }

    /// CSV, JSON Lines or Parquet, decided by ``TableFormat/of(_:bytes:explicit:)``.
    /// `path` may be `-` (standard input) or a pipe: the bytes are read
    /// whole first, which Parquet's footer needs anyway.
    init(_ path: String, format explicit: TableFormat? = nil) throws {
        let bytes = try InputFile.contents(path)
        switch TableFormat.of(path, bytes: bytes, explicit: explicit) {
        case .parquet:
            let t = try ParquetTable(bytes: bytes, path: path)
            header = t.columns.map(\.name)
            rows = t.rows
            textCell = { t.columns[$1].text($0) }
            numberCell = { t.columns[$1].number($0) }
            where_ = { "row \($0 + 1)" }
        case let format:
            let (h, records, lines) = try LabeledFeatures.tableRecords(path, bytes: bytes, format: format)
            header = h
            rows = records.count
            textCell = { records[$0][$1] }
            numberCell = { Double(records[$0][$1]) }
            where_ = { "line \(lines[$0])" }
        }
    }
}
