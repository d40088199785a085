import Synth
import SynthctlCore

/// Apache Parquet, binary and typed: rows are located as "row 11" (counting
/// data rows from 0), and a column is decoded only when a reader asks for it
/// (``TableSource/load(columns:)``), within the memory budget, so a column a
/// run does not use never blocks it.
enum ParquetReader: TableReader {
    static let format = TableFormat.parquet
    static let displayName = "Parquet"
    static let extensions = ["parquet", "pq"]
    static var isText: Bool { false }

    /// The file starts with the magic `PAR1`.
    static func recognizes(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array("PAR1".utf8)) }

    static func source(_ path: String, bytes: [UInt8]) throws -> TableSource {
        let file = try ParquetFile(bytes: bytes, path: path)
        var source = TableSource(
            header: file.columnNames, rows: file.rows, indexColumns: file.pandasIndexColumns,
            cell: { _, c in preconditionFailure("Parquet column \(c) read before load(columns:)") },
            location: { .row($0) },
            unsupported: { file.unsupported($0) },
            decode: { wanted, progress in
                try file.checkBudget(columns: wanted, budget: .current)
                var decoded = [ParquetTable.Column?](repeating: nil, count: file.columnNames.count)
                // One report per column chunk: row groups × columns decoded.
                var reading = ReadProgress(progress, path: path, units: wanted.count * file.meta.rowGroups.count)
                for c in wanted { decoded[c] = try file.decode(c, progress: &reading) }
                reading.finish()
                return TableSource.DecodedColumns(parquet: decoded,
                                                  notes: wanted.compactMap { c in file.meta.columns[c].annotation.unit.map { "column \"\(file.columnNames[c])\": \($0)" } })
            },
            declaredType: { file.meta.columns[$0].columnType })
        source.declaredClassNames = { DeclaredClassNames.parquet(file.meta, column: $0) }
        source.declaredUTC = { if case .timestamp(_, true) = file.meta.columns[$0].annotation { true } else { false } }
        source.writtenBySynthctl = file.meta.keyValues["synthctl.format_version"] != nil
        source.declaredOrder = { try file.declaredOrder(ofColumn: $0) }
        source.cellsTypedByFile = true
        return source
    }
}

extension TableSource.DecodedColumns {
    /// The cells of Parquet columns decoded on demand (one file's, or a
    /// directory of parts' joined), at their column index (nil: not asked
    /// for); `notes` as the run should say them (time units).
    init(parquet loaded: [ParquetTable.Column?], notes: [String]) {
        self.init(cell: { r, c in
                      guard c < loaded.count, let column = loaded[c] else { preconditionFailure("Parquet column \(c) read before load(columns:)") }
                      return column.cell(r)
                  },
                  width: { c in c < loaded.count ? loaded[c]?.width ?? 1 : 1 },
                  element: { r, c, k in loaded[c]!.cell(r, element: k) },
                  notes: notes)
    }
}

extension ParquetTable.Column {
    /// Row `row` as a cell: null where the column has no value.
    func cell(_ row: Int) -> TableCell {
        guard present[row] else { return .null }
        switch values {
        case .booleans(let v): return .boolean(v[row])
        case .integers(let v): return .integer(v[row])
        case .unsignedIntegers(let v): return Int64(exactly: v[row]).map(TableCell.integer) ?? .text(String(v[row]))
        case .floats(let v): return .real(v[row])
        case .strings(let v): return .text(v[row])
        case .vectors(let width, _, _): return .nested("a list of \(width) numbers")
        case .fixedBytes(let width, _): return .nested("\(width) bytes")
        }
    }

    /// A list column's width (an embedding's dimension); 1 for any other.
    var width: Int {
        if case .vectors(let width, _, _) = values { return width }
        return 1
    }

    /// Element `k` of a list column's row `row`: null where the list or the element is.
    func cell(_ row: Int, element k: Int) -> TableCell {
        guard present[row], case .vectors(let width, let v, let p) = values, p[row * width + k] else { return .null }
        return .real(v[row * width + k])
    }
}
