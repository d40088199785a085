import SynthctlCore

/// A spec field that nothing reads: most often a typo (`informatve`), which
/// would otherwise be a setting silently ignored (``SpecObject/finish()``).
///
/// Rendered as `source: path: unknown field (known here: a, b, c)`, e.g.
/// `spec.json: generator.informatve: unknown field (known here: classes,
/// features, informative, type)`: the fields the same object does read,
/// sorted, so the user sees the spelling that was meant.
public struct UnknownFieldError: SynthctlError, Equatable {
    /// The spec file as the user named it, or where the spec came from.
    public var source: String
    /// The unknown field's dotted key path: `generator.informatve`.
    public var path: String
    /// The fields the object does read, in the order shown.
    public var known: [String]

    public init(source: String, path: String, known: [String]) {
        self.source = source
        self.path = path
        self.known = known
    }

    public var description: String {
        "\(source): \(path): unknown field (known here: \(known.joined(separator: ", ")))"
    }
}
