/// A size over a limit synthctl or the system sets: a name longer than the
/// file system takes, a header longer than a reader accepts.
///
/// Rendered as `subject: expected what of at most limit, found found`,
/// followed by ` (why)` when the limit needs explaining. A run over the
/// memory budget is a ``MemoryLimitExceeded``, whose estimate has terms.
public struct ResourceLimitError: SynthctlError, Equatable {
    /// Whose size it is: a path, or an option's name and value.
    public var subject: String
    /// What is limited, with its article: "a name", "a .npy header".
    public var what: String
    /// The limit with its unit: "255 bytes".
    public var limit: String
    /// The size found, as the reader counts it: "300", "a length of 70000".
    public var found: String
    /// Where the limit comes from, when it is not obvious.
    public var why: String?

    public init(subject: String, what: String, limit: String, found: String, why: String? = nil) {
        self.subject = subject
        self.what = what
        self.limit = limit
        self.found = found
        self.why = why
    }

    public var description: String {
        "\(subject): expected \(what) of at most \(limit), found \(found)" + (why.map { " (\($0))" } ?? "")
    }
}
