import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synth
import SynthctlCore

/// The files a run reads and writes, checked before any work is done, so
/// that a run that would clobber something fails at once rather than after
/// minutes of computing:
///
/// - at most one input is `-` (standard input can be read once) and at most
///   one output is `-` (two reports cannot share standard output);
/// - every output's name has the form of its kind
///   (``OutputTarget/validatedPath(_:option:as:)``: not empty, a file name
///   for a file; a dataset directory's trailing slash is dropped);
/// - no two outputs are the same file;
/// - every output follows ``OutputTarget``'s rules (`--force` to replace a
///   regular file or a dataset directory; never a symbolic link, device or
///   FIFO) and is not one of the run's inputs, compared by device and inode
///   and by resolved path, so `./a.csv`, `a.csv` and a hard link to it are
///   the same file;
/// - every file output is locked for the whole run (``OutputLock``): a
///   second run writing the same file fails at once, naming the first.
///
/// When an output is `-`, standard output carries that output alone:
/// whatever the command prints for people goes to standard error instead
/// (``reserveStandardOutput()``).
struct RunFiles {
    let force: Bool
    /// Where `-` output goes: the original standard output, once reserved.
    let standardOutput: Int32?
    private let locks: [OutputLock]

    /// `inputs` and `outputs` are (option, path) pairs; nil paths are
    /// options not given. An output's `kind` is what may be replaced there.
    init(inputs: [(String, String?)], outputs: [(String, String?, OutputTarget.Expected)], force: Bool) throws {
        self.force = force
        let given = inputs.compactMap { name, path in path.map { (name: name, path: $0) } }
        // Each output's name first: an empty path or a file name ending in /
        // fails now, not after the run.
        let written = try outputs.compactMap { name, path, kind in
            try path.map { (name: name, path: try OutputTarget.validatedPath($0, option: name, as: kind), kind: kind) }
        }
        let stdin = given.filter { $0.path == InputFile.standardInput }
        if stdin.count > 1 {
            throw ArgumentError(argument: stdin.map(\.name).joined(separator: " and "), expected: "at most one input from standard input (-)", found: "\(stdin.count)")
        }
        let stdout = written.filter { $0.path == InputFile.standardInput }
        if stdout.count > 1 {
            throw ArgumentError(argument: stdout.map(\.name).joined(separator: " and "), expected: "at most one output to standard output (-)", found: "\(stdout.count)")
        }
        for (i, output) in written.enumerated() {
            // The input and duplicate checks first: --force would not help there.
            try OutputTarget.checkNotAnInput(output.path, named: output.name, inputs: given)
            guard output.path != InputFile.standardInput else { continue }
            if let earlier = written[..<i].first(where: {
                $0.path != InputFile.standardInput && OutputTarget.isSameFile($0.path, output.path)
            }) {
                throw OutputError(path: "\(output.name) \(output.path)",
                                  .refused(expected: "a file of its own", found: "the same file as \(earlier.name) \(earlier.path)"))
            }
            try OutputTarget.check(output.path, as: output.kind, replace: force)
        }
        var locks = [OutputLock]()
        for output in written where output.path != InputFile.standardInput {
            locks.append(try OutputLock.acquire(output.path))
        }
        self.locks = locks
        standardOutput = stdout.isEmpty ? nil : Self.reserveStandardOutput()
    }

    /// Writes a report or model: `-` to standard output, otherwise by
    /// ``AtomicFile`` (temporary name, then renamed into place).
    func write(_ text: String, to path: String) throws {
        try write(bytes: Array(text.utf8), to: path)
    }

    /// ``write(_:to:)`` for bytes: a Parquet table, a model's tensors, a JSON report already in bytes.
    /// To standard output, a reader that closes the pipe early (`| head`)
    /// ends the writing, not the run: later outputs and gates still count.
    func write(bytes: [UInt8], to path: String) throws {
        guard path == InputFile.standardInput else {
            return try AtomicFile.write(bytes: bytes, to: path, replace: force)
        }
        // What print buffered for people (now bound for standard error)
        // goes out first, in the order it was said.
        fflush(nil)
        let fd = standardOutput ?? STDOUT_FILENO
        var written = 0
        try bytes.withUnsafeBytes { bytes in
            while written < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 && errno == EINTR { continue }
                // A reader that stopped early (`| head`) has what it wanted: not an error.
                if n < 0 && errno == EPIPE { return }
                guard n > 0 else {
                    throw FileAccessError(path: "-", problem: "write failed after \(written) bytes", reason: FileErrorReason.describe(errno: errno))
                }
                written += n
            }
        }
    }

    /// Makes standard output the data channel: returns a descriptor for the
    /// original standard output and points descriptor 1 at standard error,
    /// so that `print` and anything else meant for people lands there
    /// instead of inside the data.
    static func reserveStandardOutput() -> Int32 {
        fflush(nil)  // every stdio stream: what print buffered goes out before the switch
        let data = dup(STDOUT_FILENO)
        guard data >= 0 else { return STDOUT_FILENO }
        _ = fcntl(data, F_SETFD, FD_CLOEXEC)
        dup2(STDERR_FILENO, STDOUT_FILENO)
        return data
    }
}
