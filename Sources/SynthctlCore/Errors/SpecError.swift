/// A generation spec (or a fitted model's file) with a field synthctl
/// cannot use: the spec's source, the field's path inside it, what was
/// expected and what was found.
///
/// Rendered as `source: path: expected E, found F`, e.g.
/// `spec.json: generator.classes: expected an integer ≥ 2, found 1`. The
/// path is the dotted key path from the top (`top level` for the document
/// itself), so the user finds the field without reading code.
public struct SpecError: SynthctlError, Equatable {
    /// The spec file as the user named it, or where the spec came from.
    public var source: String
    /// The dotted key path: `generator.classes`, `noise.matrix`.
    public var path: String
    /// What the field must hold, in words.
    public var expected: String
    /// What it holds, shortened for one line (`nothing` when absent).
    public var found: String

    public init(source: String, path: String, expected: String, found: String) {
        self.source = source
        self.path = path
        self.expected = expected
        self.found = found
    }

    public var description: String {
        "\(source): \(path.isEmpty ? "top level" : path): expected \(expected), found \(found)"
    }
}
