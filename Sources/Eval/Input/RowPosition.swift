import SynthctlCore

/// Where a table's row is, as messages name it: the physical line of a
/// text file (CSV, TSV, JSON Lines), counted from 1 as an editor shows it,
/// or a Parquet row, counting data rows from 0 as pandas' default index
/// and NumPy do. Rendered `line 12` or `row 11`.
enum RowPosition: Equatable, CustomStringConvertible {
    case line(Int)
    case row(Int)

    var description: String {
        switch self {
        case .line(let n): "line \(n)"
        case .row(let n): "row \(n)"
        }
    }
}

extension InputError {
    /// A value of `file` refused at `position`, in the column named
    /// `column` when given: `file: line 12, column "price": expected E, found F`.
    init(file: String, at position: RowPosition, column: String? = nil, expected: String, found: String) {
        switch position {
        case .line(let n): self.init(file: file, line: n, columnName: column.map { .named($0) }, expected: expected, found: found)
        case .row(let n): self.init(file: file, row: n, columnName: column.map { .named($0) }, expected: expected, found: found)
        }
    }
}
