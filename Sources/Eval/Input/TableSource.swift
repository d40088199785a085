import Foundation
import Synth
import SynthctlCore

/// One table, whatever file it came from, seen cell by cell: each cell as
/// its file typed it (``TableCell``), and where a row is, for messages:
/// "line 12" in a text file (the physical line, as an editor shows it), and
/// "row 11" in Parquet, counting data rows from 0 as pandas' default index,
/// NumPy and every other "row" in synthctl's messages and reports do.
///
/// A Parquet table's columns are decoded only when ``load(columns:)`` asks
/// for them (every reader asks for the columns it uses before reading a
/// cell), so that a column a run does not use never blocks it.
struct TableSource {
    let header: [String]
    let rows: Int
    /// What reading left out of the file, in words, for the report's notes
    /// (an empty last column from trailing delimiters).
    let notes: [String]
    /// Columns that hold pandas' index by the file's own account (a
    /// Parquet footer's pandas metadata: a named index such as `id`).
    let indexColumns: [String]
    private var cellAt: (Int, Int) -> TableCell
    private let where_: (Int) -> String
    private let parquet: ParquetFile?

    func cell(_ row: Int, _ column: Int) -> TableCell { cellAt(row, column) }
    func location(_ row: Int) -> String { where_(row) }

    /// CSV (or TSV), JSON Lines or Parquet, decided by ``TableFormat/of(_:bytes:explicit:)``.
    /// `path` may be `-` (standard input) or a pipe: the bytes are read
    /// whole first, which Parquet's footer needs anyway.
    init(_ path: String, format explicit: TableFormat? = nil) throws {
        // Text (CSV, TSV, JSON Lines) is refused at its first block holding a NUL byte.
        let bytes = try Self.contents(path, format: explicit)
        try self.init(path, bytes: bytes, format: TableFormat.of(path, bytes: bytes, explicit: explicit))
    }

    /// The bytes of a table file. A NumPy `.npy` file is refused as such
    /// (it holds NUL bytes, and would otherwise be refused as text holding
    /// one at "line 1"); text is refused at its first block holding a NUL byte.
    static func contents(_ path: String, format explicit: TableFormat?) throws -> [UInt8] {
        let bytes = try InputFile.contents(path, isText: {
            !$0.starts(with: npyMagic) && TableFormat.of(path, bytes: $0, explicit: explicit) != .parquet
        })
        if bytes.starts(with: npyMagic) {
            throw SynthError("\(path): expected a table (CSV, TSV, JSON Lines or Parquet), found a NumPy .npy array (a features .npy needs its labels .npy)")
        }
        return bytes
    }

    /// The first bytes of every `.npy` file: 0x93 and `NUMPY`.
    static let npyMagic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// A table from its bytes, read as `format`.
    init(_ path: String, bytes: [UInt8], format: TableFormat) throws {
        var notes = [String]()
        switch format {
        case .parquet:
            let file = try ParquetFile(bytes: bytes, path: path)
            header = file.columnNames
            rows = file.rows
            indexColumns = file.pandasIndexColumns
            cellAt = { _, c in preconditionFailure("Parquet column \(c) read before load(columns:)") }
            where_ = { "row \($0)" }
            parquet = file
        case .jsonl:
            let (h, records, lines) = try LabeledFeatures.tableRecords(path, bytes: bytes)
            header = h
            rows = records.count
            indexColumns = []
            cellAt = { TableCell(records[$0][$1]) }
            where_ = { "line \(lines[$0])" }
            parquet = nil
        case let text:  // .csv, .tsv
            let t = try CSVTable(bytes: bytes, path: path, delimiter: text.fieldDelimiter)
            header = t.header
            rows = t.rowCount
            indexColumns = []
            cellAt = { .text(t[$0, $1]) }
            where_ = { "line \(t.lines[$0])" }
            parquet = nil
            if t.droppedEmptyLastColumn {
                notes.append("an unnamed last column with no values (a delimiter at the end of every line) was left out")
            }
        }
        self.notes = notes
        if let c = header.firstIndex(where: { $0.utf8.contains(0) }) {
            throw SynthError("\(path): column \(c + 1): expected a column name, found a NUL byte in \"\(header[c].replacingOccurrences(of: "\0", with: "\\0"))\"")
        }
    }

    /// Why column `c` cannot be read (a Parquet logical type not decoded
    /// yet, a nested field), as a whole message; nil when it can.
    func unsupported(_ c: Int) -> String? { parquet?.unsupported(c) }

    /// Makes `columns` readable: a Parquet file's are checked against the
    /// memory budget and decoded (a column that cannot be read is refused
    /// here); other formats hold every cell already. Must come before the
    /// first ``cell(_:_:)``.
    mutating func load(columns: [Int]) throws {
        guard let parquet else { return }
        let wanted = Array(Set(columns)).sorted()
        try parquet.checkBudget(columns: wanted, budget: .current)
        var decoded = [ParquetTable.Column?](repeating: nil, count: header.count)
        for c in wanted { decoded[c] = try parquet.decode(c) }
        let loaded = decoded
        cellAt = { r, c in
            guard let column = loaded[c] else { preconditionFailure("Parquet column \(c) read before load(columns:)") }
            return column.cell(r)
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
