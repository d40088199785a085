import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The bytes of an input, read whole: a regular file, a pipe, a process
/// substitution (`<(zcat t.csv.gz)`, which the shell passes as a
/// `/dev/fd/N` path), or standard input, named `-`.
///
/// Why not `FileManager.contents(atPath:)`: on Linux it refuses pipes and
/// character devices ("cannot be read"), so `cat t.csv | synthctl score
/// --table -` and process substitution failed. `read(2)` until the end of
/// the stream works for every kind of file. A non-seekable stream is read
/// into memory like any file, which is what the readers that need random
/// access (Parquet's footer, `.npy` headers) want anyway.
///
/// Standard input can be read once per process; the command line refuses
/// a run that names `-` for two inputs.
public enum InputFile {
    /// The name that means standard input.
    public static let standardInput = "-"

    /// Why an input could not be read; each reader words its own message.
    public enum Failure: Error, Equatable {
        case missing
        case directory
        /// `open` or `read` failed; the C library's reason.
        case unreadable(String)
    }

    /// Every byte of `path` (standard input for `-`).
    /// Throws ``Failure``.
    public static func read(_ path: String) throws -> [UInt8] {
        let fd: Int32
        if path == standardInput {
            fd = STDIN_FILENO
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw errno == ENOENT || errno == ENOTDIR ? Failure.missing : Failure.unreadable(FileErrorReason.describe(errno: errno))
            }
        }
        defer { if fd != STDIN_FILENO { close(fd) } }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw Failure.unreadable(FileErrorReason.describe(errno: errno)) }
        if status.st_mode & S_IFMT == S_IFDIR { throw Failure.directory }
        // A regular file's size is known; a pipe's is not (st_size 0).
        let regular = status.st_mode & S_IFMT == S_IFREG
        if regular { try checkBudget(Int(status.st_size), path) }
        // The buffer doubles when full; a regular file fits at once (one
        // byte more, to see the end of the file without growing).
        var bytes = [UInt8](repeating: 0, count: regular ? Int(status.st_size) + 1 : 1 << 16)
        var count = 0
        while true {
            if count == bytes.count {
                try checkBudget(2 * bytes.count, path)
                bytes.append(contentsOf: repeatElement(0, count: bytes.count))
            }
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw errno == EISDIR ? Failure.directory : Failure.unreadable(FileErrorReason.describe(errno: errno))
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// Refuses to hold `bytes` of an input above the process's ``MemoryBudget``.
    static func checkBudget(_ bytes: Int, _ path: String) throws {
        var estimate = MemoryEstimate()
        estimate.add("the file's bytes", bytes)
        try MemoryBudget.current.check(estimate, subject: path)
    }

    /// The usual wording: `no such file`, `expected a readable file, found
    /// a directory`, `expected a readable file, found one that cannot be
    /// read (Permission denied)`.
    public static func message(_ path: String, _ failure: Failure) -> String {
        switch failure {
        case .missing: "\(path): no such file"
        case .directory: "\(path): expected a readable file, found a directory"
        case .unreadable(let reason): "\(path): expected a readable file, found one that cannot be read (\(reason))"
        }
    }

    /// ``read(_:)`` with the usual wording of ``message(_:_:)`` as a
    /// ``SynthError``.
    public static func contents(_ path: String) throws -> [UInt8] {
        do { return try read(path) } catch let failure as Failure { throw SynthError(message(path, failure)) }
    }
}
