import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on an output path, held while a run writes it, so that
/// a second run writing the same output fails at once, naming the first,
/// instead of both running and the later one silently replacing the other.
///
/// The lock is `flock(2)` on `<target>.synthctl-lock` beside the target, a
/// name no other tool uses. (It was `<target>.lock`, which took over — and
/// truncated, then removed — `yarn.lock` for `--out yarn`, a `package.lock`
/// beside `--json package`, and even the run's own input `data.lock`.)
///
/// - The file is created with `O_EXCL`: a run never opens for writing,
///   truncates or removes a file it did not create. It holds `<pid>
///   synthctl\n` — the PID of the run that holds the lock, for the second
///   run's message, and the word that marks it as synthctl's.
/// - When the name is taken, the file is another run's lock: one that is
///   held (a run in progress) is reported with its PID; one that nobody
///   holds, in exactly synthctl's form, whose PID is gone (what `kill -9`
///   leaves; the kernel drops an flock when its process ends) is removed
///   (``removeIfStale(_:)``) and the name created again; anything else —
///   not synthctl's form, a live PID, a link, a directory — is refused
///   with one line and left alone.
/// - The run removes its lock file at the end, while still holding the
///   lock, and only when the path still names the file it created.
///
/// Locks are counted per process: acquiring a target this process already
/// holds (the command line locks every output of a run up front, and
/// ``DatasetWriter`` locks its own) succeeds and needs one more
/// ``release()``.
public final class OutputLock: @unchecked Sendable {
    public let target: String
    let path: String
    private var released = false

    /// What is appended to a target's path to name its lock file.
    public static let suffix = ".synthctl-lock"

    /// The lock file of `target`: `<target>.synthctl-lock`.
    public static func path(for target: String) -> String { "\(target)\(suffix)" }

    private init(target: String, path: String) {
        self.target = target
        self.path = path
    }

    /// Locks `target` for this process. Throws an ``OutputError`` naming the
    /// target and the other run's PID when another process holds it, or
    /// the file at the lock's name when it is not synthctl's.
    public static func acquire(_ target: String) throws -> OutputLock {
        let path = Self.path(for: target)
        return try registry.lock.withLock {
            if let held = registry.held[path] {
                registry.held[path] = Held(descriptor: held.descriptor, count: held.count + 1, node: held.node)
                return OutputLock(target: target, path: path)
            }
            let (fd, node) = try lockedDescriptor(target: target, path: path)
            registry.held[path] = Held(descriptor: fd, count: 1, node: node)
            return OutputLock(target: target, path: path)
        }
    }

    /// How many times (10 ms apart) a run waits for another run to finish
    /// creating or removing a lock file before reporting what it found.
    static let attempts = 200

    /// Creates `path` with `O_EXCL`, locks it and writes our PID into it;
    /// when it exists, reports its holder, removes it if stale, or refuses
    /// it (see the type's documentation). Returns the descriptor and the
    /// file's (device, inode).
    private static func lockedDescriptor(target: String, path: String) throws -> (Int32, [UInt64]) {
        var attempt = 0
        func wait() -> Bool {
            attempt += 1
            guard attempt < attempts else { return false }
            usleep(10_000)
            return true
        }
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
            if fd >= 0 { return try own(fd, target: target, path: path) }
            guard errno == EEXIST else {
                throw FileAccessError(path: target, problem: "cannot write the output",
                                      reason: "cannot create its lock file \(path): \(FileErrorReason.describe(errno: errno))")
            }
            switch inspect(path) {
            case .gone:
                continue
            case .held(let pid):
                // A run sweeping stale locks holds a dead run's lock for a
                // moment, and a new run holds its own before its PID is
                // written: wait for them.
                if pid.map({ kill($0, 0) != 0 && errno == ESRCH }) ?? true, wait() { continue }
                throw OutputError(path: target, .refused(expected: "no other run writing this output",
                                                         found: "one (\(pid.map { "PID \($0)" } ?? "PID unknown") holds \(path))", note: "wait for it to finish"))
            case .stale:
                if removeIfStale(path) { continue }
                if wait() { continue }
                throw FileAccessError(path: target, problem: "cannot write the output", reason: "cannot remove the stale lock file \(path)")
            case .alive(let pid):
                throw OutputError(path: target, .refused(expected: "no other run writing this output",
                                                         found: "the lock file \(path) of PID \(pid), which is still running",
                                                         note: "if that is not a synthctl run writing \(target), remove \(path)"))
            case .empty:
                // A run that has just created it and not yet written its PID.
                if wait() { continue }
                throw OutputError(path: target, .foreignLockFile(lock: path, found: "empty", advice: "remove it if no synthctl run is writing \(target)"))
            case .foreign(let found):
                throw OutputError(path: target, .foreignLockFile(lock: path, found: found, advice: "move it, or write to another name"))
            }
        }
    }

    /// Locks the file this run just created and writes its PID.
    private static func own(_ fd: Int32, target: String, path: String) throws -> (Int32, [UInt64]) {
        func fail(_ what: String, _ reason: Int32) -> FileAccessError {
            unlink(path)  // ours: created with O_EXCL a moment ago
            close(fd)
            return FileAccessError(path: target, problem: "cannot write the output",
                                   reason: "cannot \(what) its lock file \(path): \(FileErrorReason.describe(errno: reason))")
        }
        // Another run may be looking at it (a shared lock for a moment).
        var tries = 0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EINTR || reason == EWOULDBLOCK, tries < attempts else { throw fail("lock", reason) }
            tries += 1
            if reason == EWOULDBLOCK { usleep(10_000) }
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw fail("lock", errno) }
        let text = Array("\(getpid()) \(marker)\n".utf8)
        let written = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == text.count else { throw fail("write", written < 0 ? errno : ENOSPC) }
        return (fd, [UInt64(status.st_dev), UInt64(status.st_ino)])
    }

    /// The word after the PID in a lock file.
    static let marker = "synthctl"

    /// What an existing lock file is, to a run that wants its name.
    enum Existing {
        /// Removed meanwhile: try again.
        case gone
        /// Some process holds the lock: a run in progress (its PID, if written).
        case held(pid: Int32?)
        /// Synthctl's form, not held, its PID gone.
        case stale
        /// Synthctl's form, not held, but its PID names a live process.
        case alive(pid: Int32)
        /// Not held and empty (a run between creating it and writing its PID).
        case empty
        /// Not synthctl's: what it is ("a directory", "a file that is not …").
        case foreign(String)
    }

    /// Looks at the file at `path` without changing it: opened read-only,
    /// a shared lock tried for a moment.
    static func inspect(_ path: String) -> Existing {
        let kind = FileKind(path: path)
        switch kind {
        case .none: return .gone
        case .regularFile: break
        default: return .foreign(kind.description)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return errno == ENOENT ? .gone : .foreign("a file that cannot be read (\(FileErrorReason.describe(errno: errno)))") }
        defer { close(fd) }  // closing unlocks
        if flock(fd, LOCK_SH | LOCK_NB) != 0 {
            return errno == EWOULDBLOCK ? .held(pid: holder(of: path)) : .foreign("a file that cannot be locked")
        }
        // The holder may have removed it between our open and our lock.
        var mine = stat(), named = stat()
        guard fstat(fd, &mine) == 0, lstat(path, &named) == 0, mine.st_dev == named.st_dev, mine.st_ino == named.st_ino else {
            return .gone
        }
        guard let text = contents(fd) else { return .foreign("a file of more than 63 bytes") }
        if text.isEmpty { return .empty }
        guard let pid = pid(inLock: text) else { return .foreign("a file of another program") }
        return kill(pid, 0) != 0 && errno == ESRCH ? .stale : .alive(pid: pid)
    }

    /// The first 64 bytes of the open file, nil when it holds more.
    private static func contents(_ fd: Int32) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n >= 0, n < 64 else { return nil }
        return Array(buffer[..<n])
    }

    /// The PID of a lock file in exactly synthctl's form, `<pid> synthctl\n`
    /// (a positive decimal PID without sign or leading zeros), else nil.
    static func pid(inLock bytes: [UInt8]) -> Int32? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasSuffix("\n") else { return nil }
        let fields = text.dropLast().split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 2, fields[1] == marker, let pid = Int32(fields[0]), pid > 0, String(pid) == fields[0] else { return nil }
        return pid
    }

    /// The PID written in the lock file at `path` (its first word), if any.
    static func holder(of path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" }).first.flatMap { Int32($0) }
    }

    /// Whether another run holds the lock of `target`: a run is writing
    /// `target` — another process, or one on another machine that shares
    /// the directory (where its PID means nothing here). Takes a shared
    /// lock on `<target>.synthctl-lock` for a moment to tell. False when
    /// this process holds it: then no other run writes `target`.
    public static func isHeldElsewhere(_ target: String) -> Bool {
        let path = Self.path(for: target)
        if registry.lock.withLock({ registry.held[path] != nil }) { return false }
        guard FileKind(path: path) == .regularFile else { return false }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 { return false }  // closing unlocks
        return errno == EWOULDBLOCK
    }

    /// Removes the lock file at `path` when it is synthctl's (a regular
    /// file holding exactly `<pid> synthctl\n`), that PID is gone
    /// (`kill(pid, 0)` fails with ESRCH) and nobody holds its lock: what a
    /// run killed with SIGKILL leaves. The file is locked while it is
    /// checked and removed, so a run that locked it meanwhile keeps it
    /// (and one that tries during the removal retries). Returns whether it
    /// was removed.
    @discardableResult
    public static func removeIfStale(_ path: String) -> Bool {
        guard FileKind(path: path) == .regularFile else { return false }
        // Read-write for the exclusive flock (NFS emulates flock with fcntl
        // locks, which need it); nothing is written.
        let fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard let text = contents(fd), let pid = pid(inLock: text),
              kill(pid, 0) != 0 && errno == ESRCH,
              flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        // Still the file at `path`, still the dead run's (a live run that
        // locked it first would have written its own PID)?
        var mine = stat(), named = stat()
        guard fstat(fd, &mine) == 0, lstat(path, &named) == 0, mine.st_dev == named.st_dev, mine.st_ino == named.st_ino,
              contents(fd) == text else { return false }
        return unlink(path) == 0
    }

    /// Gives up this hold (once; later calls do nothing); the last hold
    /// removes the lock file and unlocks.
    public func release() {
        Self.registry.lock.withLock {
            guard !released, let held = Self.registry.held[path] else { return }
            released = true
            if held.count > 1 {
                Self.registry.held[path] = Held(descriptor: held.descriptor, count: held.count - 1, node: held.node)
            } else {
                Self.removeOwn(path, held)
                Self.registry.held[path] = nil
            }
        }
    }

    /// Removes every lock file this process holds and unlocks it (at exit,
    /// and when a signal stops the run).
    public static func releaseAll() {
        registry.lock.withLock {
            for (path, held) in registry.held { removeOwn(path, held) }
            registry.held = [:]
        }
    }

    /// Unlinks `path` only if it still names the file this run created,
    /// then closes it (which unlocks).
    private static func removeOwn(_ path: String, _ held: Held) {
        var named = stat()
        if lstat(path, &named) == 0, [UInt64(named.st_dev), UInt64(named.st_ino)] == held.node { unlink(path) }
        close(held.descriptor)
    }

    private struct Held {
        let descriptor: Int32
        /// Holds by this process.
        let count: Int
        /// (st_dev, st_ino) of the file this run created.
        let node: [UInt64]
    }

    private final class Registry: @unchecked Sendable {
        let lock = NSLock()
        /// Lock file path → what this process holds there.
        var held: [String: Held] = [:]
    }

    private static let registry = Registry()
}
