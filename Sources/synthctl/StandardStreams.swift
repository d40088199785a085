// Glibc alone (not through Foundation), @preconcurrency: its `stdout` is a
// C global that Swift 6 otherwise refuses to touch.
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Synth
import SynthctlCore

/// The process's standard streams and file size limit, made safe before any
/// work, and the summary's delivery checked at the end.
///
/// Why each step:
/// - **SIGXFSZ ignored.** Under a file size limit (`ulimit -f`) the kernel
///   kills a process whose write passes the limit with SIGXFSZ (exit 153,
///   no message), leaving `<out>.synthctl-partial-<pid>` and its lock behind.
///   Ignored, the write fails with EFBIG instead, and every writer reports
///   it in one line ("file too large"), removes its temporary file and
///   exits with 2. (Set after the `exec` of ``selectBLASKernels()``,
///   which writes nothing, so that the process that runs sees its
///   descriptors as the shell left them.)
/// - **SIGPIPE ignored.** `synthctl gen --out - | head -c 100` was killed
///   by SIGPIPE once `head` exited (exit 141, which `set -o pipefail`
///   reports as a failure). Ignored, the write fails with EPIPE instead: a
///   reader that stopped early has what it wanted, so writers to standard
///   output stop there without an error (``RunFiles/write(bytes:to:)``,
///   ``ReaderGoneError`` for streamed rows), and so does the summary
///   (``finishOutput(what:)``).
/// - **Closed descriptors 0, 1, 2 occupied.** `synthctl … >&-` starts with
///   descriptor 1 closed; the next `open` (a lock file, a report, a
///   dataset file) would get it, and the summary would be printed into
///   that file. Each closed standard descriptor is pointed at `/dev/null`
///   opened so that its use fails (standard input write-only, standard
///   output read-only): reading `-` and printing the summary then fail
///   with "bad file descriptor", which is reported, rather than reading
///   nothing or writing nowhere.
/// - **The summary flushed and checked at exit** (``finishOutput()``):
///   `print` buffers, and a summary that `> /dev/full` or a closed
///   descriptor refused was lost with exit 0. A non-terminal standard
///   output gets a 1 MiB buffer, larger than any summary, so that the
///   failing write happens at the final flush, whose `errno` says why.
/// - **Messages to standard error by `write(2)`**, ignoring failure
///   (``writeError(_:)``): Foundation's `FileHandle.write(_:)` traps
///   (exit 132) when standard error is `/dev/full`.
enum StandardStreams {
    /// Whether descriptor 1 was closed when the process started.
    nonisolated(unsafe) private static var outputWasClosed = false

    static func prepare() {
        signal(SIGXFSZ, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        for (fd, flags) in [(STDIN_FILENO, O_WRONLY), (STDOUT_FILENO, O_RDONLY), (STDERR_FILENO, O_WRONLY)] {
            guard fcntl(fd, F_GETFD) == -1, errno == EBADF else { continue }
            // The lowest free descriptor is `fd` itself: the lower ones are open.
            let opened = open("/dev/null", flags)
            if opened >= 0 && opened != fd {
                dup2(opened, fd)
                close(opened)
            }
            if fd == STDOUT_FILENO { outputWasClosed = true }
        }
        if isatty(STDOUT_FILENO) == 0 { setvbuf(stdout, nil, _IOFBF, 1 << 20) }
    }

    /// Flushes what `print` buffered for standard output. Returns the
    /// one-line message when some of it could not be written, nil when
    /// all of it was, or when its reader closed the pipe (EPIPE: `| head -1`
    /// read what it wanted). `what` names the text in the message.
    static func finishOutput(what: String = "the summary") -> String? {
        errno = 0
        let flushed = fflush(stdout) == 0
        let reason = errno
        guard !flushed || ferror(stdout) != 0, reason != EPIPE else { return nil }
        let why = outputWasClosed ? "standard output is closed"
            : reason != 0 ? FileErrorReason.describe(errno: reason) : "a write failed"
        return "standard output: cannot write \(what) (\(why))"
    }

    /// Writes `text` to standard error; a failure is ignored (there is
    /// nowhere left to report it).
    static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var done = 0
            while done < bytes.count {
                let n = write(STDERR_FILENO, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                done += n
            }
        }
    }
}
