/// An output synthctl refuses to write: a path that is not a usable name,
/// an existing file it was not asked to replace, a link or device it never
/// replaces, a directory that is not a synthctl dataset, an output that is
/// one of the run's inputs, an output another run is writing.
///
/// ``description`` is the library's line, which names no flag. The command
/// line renders the cases whose remedy is a flag (``Problem/exists``,
/// ``Problem/notReplaceable(_:)``, ``Problem/notADataset(found:)``) with
/// that flag instead.
public struct OutputError: SynthctlError, Equatable {
    public enum Problem: Equatable, Sendable {
        /// `path: expected E, found F`, then `; note` if any.
        case refused(expected: String, found: String, note: String? = nil)
        /// The output exists and the run was not asked to replace it.
        case exists
        /// The path is a link, a device, a FIFO or a socket (`kind`, in
        /// words): written through, it would change something else.
        case notReplaceable(String)
        /// The run was asked to replace a directory that is not a synthctl
        /// dataset holding nothing else; `found` says what it is.
        case notADataset(found: String)
        /// A name the run creates for itself (a temporary name) is taken by
        /// something this run did not create.
        case occupied
        /// The lock file beside the output (`lock`) is not a synthctl lock
        /// (`found`: "empty", "a directory", …); `advice` says what to do.
        case foreignLockFile(lock: String, found: String, advice: String)
    }

    /// The output as the user named it, with its option when one was given
    /// (`--issues out.csv`).
    public var path: String
    public var problem: Problem

    public init(path: String, _ problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// What the path is expected to be, for the cases that say it.
    static let newNameOrFile = "a new name or a regular file to write"

    public var description: String {
        switch problem {
        case let .refused(expected, found, note):
            "\(path): expected \(expected), found \(found)" + (note.map { "; \($0)" } ?? "")
        case .exists:
            "\(path): already exists"
        case .notReplaceable(let kind):
            "\(path): expected \(Self.newNameOrFile), found \(kind); synthctl never replaces links, devices or FIFOs"
        case .notADataset(let found):
            "\(path): expected a synthctl dataset directory to replace, found \(found); only a directory that synthctl wrote and that holds nothing else is replaced"
        case .occupied:
            "\(path): exists and was not created by this run; remove it or choose another output"
        case let .foreignLockFile(lock, found, advice):
            "\(path): cannot lock the output: \(lock) exists and is \(found), not a synthctl lock file; synthctl leaves it alone (\(advice))"
        }
    }
}
