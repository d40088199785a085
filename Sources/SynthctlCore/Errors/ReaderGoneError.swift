/// The reader of a pipe synthctl was writing to closed it (`EPIPE`):
/// `synthctl gen --out - | head -c 100` once `head` has its bytes.
///
/// Why a type of its own: a reader that stops early has what it asked for,
/// so this is not a failed write but the end of the work. A writer to
/// standard output throws it to stop at once (rather than generate rows
/// nobody reads), and the command line ends the run quietly with exit 0,
/// as `yes | head` ends; every other write failure stays an error. The
/// kernel's SIGPIPE, which would kill the process (exit 141) before any
/// of this, is ignored at start (`StandardStreams.prepare()`).
public struct ReaderGoneError: SynthctlError, Equatable {
    /// The output as the user named it (`-`).
    public var path: String
    /// Bytes the reader was sent before it went.
    public var bytesWritten: Int

    public init(path: String, bytesWritten: Int) {
        self.path = path
        self.bytesWritten = bytesWritten
    }

    public var description: String { "\(path): the reader closed the pipe after \(bytesWritten) bytes" }
}
