/// A file the system would not let synthctl read or write: the path, what
/// could not be done, and the system's reason in plain words (from
/// ``FileErrorReason``), if it gave one.
///
/// Rendered as `path: problem (reason)`, e.g. `out.csv: cannot write the
/// output (no space left on device)`, or `path: problem` without a reason.
public struct FileAccessError: SynthctlError, Equatable {
    /// The file as the user named it.
    public var path: String
    /// What failed: "cannot read the file", "cannot write the output",
    /// "could not flush to disk".
    public var problem: String
    /// Why, in words: "permission denied", "no such file".
    public var reason: String?

    public init(path: String, problem: String, reason: String? = nil) {
        self.path = path
        self.problem = problem
        self.reason = reason
    }

    public var description: String {
        "\(path): \(problem)" + (reason.map { " (\($0))" } ?? "")
    }
}
