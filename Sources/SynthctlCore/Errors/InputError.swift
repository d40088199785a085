/// An input file that synthctl cannot use: where in it (line, row and
/// column, or a named field), what was expected there and what was found.
///
/// Rendered as one line, each part present only when set:
///
///     file: line L: field: expected E, found F
///     file: row R, column C: expected E, found F
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
    /// A column of the data (shown only with a row).
    public var column: Int?
    /// A named field or part of the file (`shape`, `manifest.format_version`).
    public var field: String?
    /// What synthctl reads there, in words ("a NumPy .npy file").
    public var expected: String
    /// What it found instead, in words or as quoted text ("other bytes").
    public var found: String

    public init(file: String, line: Int? = nil, row: Int? = nil, column: Int? = nil, field: String? = nil,
                expected: String, found: String) {
        self.file = file
        self.line = line
        self.row = row
        self.column = column
        self.field = field
        self.expected = expected
        self.found = found
    }

    public var description: String {
        var parts = [file]
        if let line { parts.append("line \(line)") }
        if let row { parts.append(column.map { "row \(row), column \($0)" } ?? "row \(row)") }
        if let field { parts.append(field) }
        parts.append("expected \(expected), found \(found)")
        return parts.joined(separator: ": ")
    }
}
