import SynthctlCore

/// A dataset that cannot be written as a table (CSV, JSON Lines) because of
/// its column or class names: an empty name, a name with a NUL byte, or two
/// columns (or two classes' label cells) with the same name. The directory
/// form (npy) has no column names, so the same dataset may still be written
/// there.
///
/// Rendered as `output: place: expected E, found F`, or `output: expected
/// E, found F` when the problem has no single place (two names that clash):
///
///     out.csv: feature 2: expected a column name, found an empty one
///     out.csv: class 1: expected a class name without NUL bytes, found "a\u{0}b"
public struct TableColumnError: SynthctlError, Equatable {
    /// The table output as the user named it.
    public var output: String
    /// The column or class the name belongs to (`feature 2`, `the label
    /// column`, `class 1`), or nil for a clash between two.
    public var place: String?
    /// What the name must be, in words.
    public var expected: String
    /// What it is instead.
    public var found: String

    public init(output: String, place: String? = nil, expected: String, found: String) {
        self.output = output
        self.place = place
        self.expected = expected
        self.found = found
    }

    public var description: String {
        "\(output): " + (place.map { "\($0): " } ?? "") + "expected \(expected), found \(found)"
    }
}
