/// An input file that synthctl cannot use: where in it (line, row and
/// column, or a named field), what was expected there and what was found.
///
/// Rendered as one line, each part present only when set:
///
///     file: line L: field: expected E, found F
///     file: row R, column C: expected E, found F
///     file: line L, column C: expected E, found F
///     file: line L, column "name": expected E, found F
///     file: column "name": expected E, found F
///
/// Rows, columns and lines are printed as given (the reader decides whether
/// they count from 0, as for a NumPy array, or from 1, as for a text line).
public struct InputError: SynthctlError, Equatable {
    /// The file as the user named it (`-` for standard input).
    public var file: String
    /// A text line, counted from 1.
    public var line: Int?
    /// A row of the data.
    public var row: Int?
    /// A column of the data, or a character's column within a text line
    /// (shown only with a row or a line).
    public var column: Int?
    /// A column of a table named in words rather than counted: by its
    /// header, or by its place in a record the header does not name. Shown
    /// after the line or row, or alone.
    public var columnName: ColumnName?
    /// A named field or part of the file (`shape`, `manifest.format_version`).
    public var field: String?
    /// What synthctl reads there, in words ("a NumPy .npy file").
    public var expected: String
    /// What it found instead, in words or as quoted text ("other bytes").
    public var found: String

    /// A table's column as a message names it.
    public enum ColumnName: Equatable, Sendable, CustomStringConvertible {
        /// By its header's name: `column "price"`.
        case named(String)
        /// By its place (from 1) in a record, beyond the header's names: `field 4`.
        case field(Int)
        /// By its place (from 1) in the header line itself: `the header, field 4`.
        case headerField(Int)

        public var description: String {
            switch self {
            case .named(let name): "column \"\(name)\""
            case .field(let n): "field \(n)"
            case .headerField(let n): "the header, field \(n)"
            }
        }
    }

    public init(file: String, line: Int? = nil, row: Int? = nil, column: Int? = nil, columnName: ColumnName? = nil,
                field: String? = nil, expected: String, found: String) {
        self.file = file
        self.line = line
        self.row = row
        self.column = column
        self.columnName = columnName
        self.field = field
        self.expected = expected
        self.found = found
    }

    public var description: String {
        var parts = [file]
        if let line {
            // A column with a line and no row is a character's column in that line.
            parts.append(column.flatMap { row == nil ? "line \(line), column \($0)" : nil } ?? "line \(line)")
        }
        if let row { parts.append(column.map { "row \(row), column \($0)" } ?? "row \(row)") }
        if let columnName {
            // After a line or row it joins it (`line 3, column "x"`); alone it is a part of its own.
            if line != nil || row != nil { parts[parts.count - 1] += ", \(columnName)" } else { parts.append("\(columnName)") }
        }
        if let field { parts.append(field) }
        parts.append("expected \(expected), found \(found)")
        return parts.joined(separator: ": ")
    }
}
