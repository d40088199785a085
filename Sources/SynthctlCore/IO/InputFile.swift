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
///
/// Two things stop a read early, so that `--table /dev/zero` or a spec
/// piped from `yes` cannot grow until the machine runs out of memory:
/// - **NUL bytes in text.** A text input (a CSV or JSON Lines table, a
///   spec, a model, answers, gold labels) never holds a NUL byte; each
///   block is checked as it arrives, so binary data or `/dev/zero` is
///   refused at its first block, naming the line.
/// - **The memory budget.** A regular file's size is checked before it is
///   read. A stream's size is unknown: before its buffer grows (doubling),
///   the bytes it will then hold — the old buffer and the new one, alive
///   together while the bytes are copied, 3 × what was read — are checked
///   against ``MemoryBudget/current``, so the read stops, with one line,
///   before its peak passes the limit rather than after.
public enum InputFile {
    /// The name that means standard input.
    public static let standardInput = "-"

    /// Why an input could not be read; each reader words its own message.
    public enum Failure: Error, Equatable {
        case missing
        case directory
        /// `open` or `read` failed; the C library's reason.
        case unreadable(String)
        /// A text input holds a NUL byte on this 1-based line.
        case nul(line: Int)
    }

    /// Every byte of `path` (standard input for `-`), unchecked (`.npy`,
    /// Parquet). Throws ``Failure`` or ``MemoryLimitExceeded``.
    public static func read(_ path: String) throws -> [UInt8] {
        try read(path, isText: { _ in false })
    }

    /// Every byte of the text input `path`: refused at the first block
    /// that holds a NUL byte.
    public static func readText(_ path: String) throws -> [UInt8] {
        try read(path, isText: { _ in true })
    }

    /// Every byte of `path`; `isText` decides from the first bytes (at
    /// least 4, unless the input is shorter) whether it is text, which is
    /// then refused at the first block that holds a NUL byte (a table may
    /// be Parquet, binary, or CSV and JSON Lines, text).
    /// Throws ``Failure`` or ``MemoryLimitExceeded``.
    public static func read(_ path: String, isText: ([UInt8]) -> Bool) throws -> [UInt8] {
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
        // A regular file's size is known; a pipe's or a device's is not (st_size 0).
        let regular = status.st_mode & S_IFMT == S_IFREG
        if regular { try checkBudget(Int(status.st_size), path, stream: false) }
        // The buffer doubles when full; a regular file fits at once (one
        // byte more, to see the end of the file without growing).
        var bytes = [UInt8](repeating: 0, count: regular ? Int(status.st_size) + 1 : 1 << 16)
        var count = 0
        /// nil until the first bytes decide; then whether NUL bytes are refused.
        var text: Bool? = nil
        while true {
            if count == bytes.count {
                try checkBudget(3 * bytes.count, path, stream: true)
                bytes.append(contentsOf: repeatElement(0, count: bytes.count))
            }
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw errno == EISDIR ? Failure.directory : Failure.unreadable(FileErrorReason.describe(errno: errno))
            }
            if text == nil && (count + n >= 4 || n == 0) { text = isText(Array(bytes[..<(count + n)])) }
            if text == true, let nul = firstNUL(in: bytes, from: count, to: count + n) {
                throw Failure.nul(line: line(of: nul, in: bytes))
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// The index of the first 0 in `bytes[from..<to]`.
    static func firstNUL(in bytes: [UInt8], from: Int, to: Int) -> Int? {
        guard from < to else { return nil }
        return bytes.withUnsafeBytes { raw in
            memchr(raw.baseAddress! + from, 0, to - from).map { raw.baseAddress!.distance(to: UnsafeRawPointer($0)) }
        }
    }

    /// The 1-based line of byte `index`: lines end at `\n`, `\r\n` or a lone
    /// `\r`, as the table readers count them.
    static func line(of index: Int, in bytes: [UInt8]) -> Int {
        var line = 1
        for i in 0..<index where bytes[i] == UInt8(ascii: "\n") || (bytes[i] == UInt8(ascii: "\r") && bytes[i + 1] != UInt8(ascii: "\n")) {
            line += 1
        }
        return line
    }

    /// Refuses to hold `bytes` of an input above the process's ``MemoryBudget``.
    static func checkBudget(_ bytes: Int, _ path: String, stream: Bool) throws {
        var estimate = MemoryEstimate()
        if stream {
            estimate.add("a stream of unknown length, read whole (\(MemoryBudget.describe(bytes / 3)) so far, held three times over while its buffer doubles)", bytes)
        } else {
            estimate.add("the file's bytes", bytes)
        }
        try MemoryBudget.current.check(estimate, subject: path)
    }

    /// The usual wording: `no such file`, `expected a readable file, found
    /// a directory`, `expected a readable file, found one that cannot be
    /// read (Permission denied)`, `line 3: expected text, found a NUL byte`.
    public static func message(_ path: String, _ failure: Failure) -> String {
        switch failure {
        case .missing: "\(path): no such file"
        case .directory: "\(path): expected a readable file, found a directory"
        case .unreadable(let reason): "\(path): expected a readable file, found one that cannot be read (\(reason))"
        case .nul(let line): "\(path): line \(line): expected text, found a NUL byte"
        }
    }

    /// ``read(_:)`` with the usual wording of ``message(_:_:)`` as a
    /// ``SynthError``.
    public static func contents(_ path: String) throws -> [UInt8] {
        try contents(path, isText: { _ in false })
    }

    /// ``readText(_:)`` with the usual wording of ``message(_:_:)``.
    public static func textContents(_ path: String) throws -> [UInt8] {
        try contents(path, isText: { _ in true })
    }

    /// ``read(_:isText:)`` with the usual wording of ``message(_:_:)``.
    public static func contents(_ path: String, isText: ([UInt8]) -> Bool) throws -> [UInt8] {
        do { return try read(path, isText: isText) } catch let failure as Failure { throw SynthError(message(path, failure)) }
    }
}
