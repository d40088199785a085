import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on an output path, held while a run writes it, so that
/// a second run writing the same output fails at once, naming the first,
/// instead of both running and the later one silently replacing the other.
///
/// The lock is `flock(2)` on `<target>.lock` beside the target. The file
/// holds `<pid> synthctl` — the PID of the run that holds the lock, for the
/// second run's message, and the word that marks the file as synthctl's
/// own, so that ``removeIfStale(_:)`` never takes another program's
/// `yarn.lock` or `Cargo.lock` for one. An flock belongs to the open file and the kernel drops it when
/// the process ends, however it ends, so a killed run never leaves a lock
/// that blocks the next one (only, after `kill -9`, a `.lock` file that the
/// next run takes over). A run removes its lock file while still holding
/// the lock; a run that locked a file that was removed meanwhile sees that
/// the path no longer names its file and locks again.
///
/// Locks are counted per process: acquiring a target this process already
/// holds (the command line locks every output of a run up front, and
/// ``DatasetWriter`` locks its own) succeeds and needs one more
/// ``release()``.
public final class OutputLock: @unchecked Sendable {
    public let target: String
    let path: String
    private var released = false

    private init(target: String, path: String) {
        self.target = target
        self.path = path
    }

    /// Locks `target` for this process. Throws a ``SynthError`` naming the
    /// target and the other run's PID when another process holds it.
    public static func acquire(_ target: String) throws -> OutputLock {
        let path = "\(target).lock"
        return try registry.lock.withLock {
            if let held = registry.held[path] {
                registry.held[path] = (held.descriptor, held.count + 1)
                return OutputLock(target: target, path: path)
            }
            let fd = try lockedDescriptor(target: target, path: path)
            registry.held[path] = (fd, 1)
            return OutputLock(target: target, path: path)
        }
    }

    /// Opens and locks `path`, retrying when the file was replaced while
    /// we waited, and writes our PID into it.
    private static func lockedDescriptor(target: String, path: String) throws -> Int32 {
        var attempts = 0
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else {
                throw SynthError("\(target): cannot write the output (cannot create its lock file \(path): \(FileErrorReason.describe(errno: errno)))")
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let reason = errno
                if reason == EINTR { close(fd); continue }
                defer { close(fd) }
                guard reason == EWOULDBLOCK else {
                    throw SynthError("\(target): cannot write the output (cannot lock \(path): \(FileErrorReason.describe(errno: reason)))")
                }
                let holder = Self.holder(of: path)
                // A run sweeping stale locks (``removeIfStale(_:)``,
                // ``isHeldElsewhere(_:)``) holds a dead run's lock, or a new one
                // whose PID is not written yet, for a moment: try again.
                if holder.map({ kill($0, 0) != 0 && errno == ESRCH }) ?? true, attempts < 100 {
                    attempts += 1
                    usleep(10_000)
                    continue
                }
                throw SynthError("\(target): expected no other run writing this output, found one (\(holder.map { "PID \($0)" } ?? "PID unknown") holds \(path)); wait for it to finish")
            }
            // The holder before us may have removed the file after we opened
            // it: then our lock is on a file nobody else will look at.
            var mine = stat(), named = stat()
            guard fstat(fd, &mine) == 0, stat(path, &named) == 0,
                  mine.st_dev == named.st_dev, mine.st_ino == named.st_ino else {
                close(fd)
                continue
            }
            let pid = Array("\(getpid()) \(marker)\n".utf8)
            _ = ftruncate(fd, 0)
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            return fd
        }
    }

    /// The word after the PID in a lock file.
    static let marker = "synthctl"

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

    /// Whether another run holds the lock of `target` (`<target>.lock`): a
    /// run is writing `target` — another process, or one on another machine
    /// that shares the directory (where its PID means nothing here). Takes
    /// a shared lock for a moment to tell. False when this process holds
    /// it: then no other run writes `target`.
    public static func isHeldElsewhere(_ target: String) -> Bool {
        let path = "\(target).lock"
        if registry.lock.withLock({ registry.held[path] != nil }) { return false }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 { return false }  // closing unlocks
        return errno == EWOULDBLOCK
    }

    /// Removes the lock file at `path` when it is synthctl's (it holds
    /// exactly `<pid> synthctl`), that PID is gone (`kill(pid, 0)` fails
    /// with ESRCH) and nobody holds its lock: what a run killed with
    /// SIGKILL leaves. The file is locked while it is checked and removed,
    /// so a run that locked it meanwhile keeps it (and one that tries
    /// during the removal retries). Returns whether it was removed.
    @discardableResult
    public static func removeIfStale(_ path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0, n < 64 else { return false }
        let text = String(decoding: buffer[..<n], as: UTF8.self)
        let fields = text.dropLast().split(separator: " ", omittingEmptySubsequences: false)
        guard text.hasSuffix("\n"), fields.count == 2, fields[1] == marker,
              let pid = Int32(fields[0]), pid > 0, String(pid) == fields[0], pid != getpid(),
              kill(pid, 0) != 0 && errno == ESRCH,
              flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        // Still the file at `path`, still the dead run's (a live run that
        // locked it first would have written its own PID)?
        var mine = stat(), named = stat()
        let again = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard fstat(fd, &mine) == 0, lstat(path, &named) == 0, mine.st_dev == named.st_dev, mine.st_ino == named.st_ino,
              again == n, String(decoding: buffer[..<again], as: UTF8.self) == text else { return false }
        return unlink(path) == 0
    }

    /// Gives up this hold (once; later calls do nothing); the last hold
    /// removes the lock file and unlocks.
    public func release() {
        Self.registry.lock.withLock {
            guard !released, let held = Self.registry.held[path] else { return }
            released = true
            if held.count > 1 {
                Self.registry.held[path] = (held.descriptor, held.count - 1)
            } else {
                unlink(path)
                close(held.descriptor)
                Self.registry.held[path] = nil
            }
        }
    }

    /// Removes every lock file this process holds and unlocks it (at exit,
    /// and when a signal stops the run).
    public static func releaseAll() {
        registry.lock.withLock {
            for (path, held) in registry.held {
                unlink(path)
                close(held.descriptor)
            }
            registry.held = [:]
        }
    }

    private final class Registry: @unchecked Sendable {
        let lock = NSLock()
        /// Lock file path → (descriptor, holds).
        var held: [String: (descriptor: Int32, count: Int)] = [:]
    }

    private static let registry = Registry()
}
