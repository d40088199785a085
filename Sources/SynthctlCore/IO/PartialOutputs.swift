import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The temporary outputs of this process, `<target>.partial-<pid>` (a
/// dataset directory being filled, a table, a manifest or a report being
/// written), so that they can be removed when the run stops before renaming
/// them into place, and the stale ones that killed runs left behind.
///
/// A writer registers its temporary path before creating it and
/// unregisters it once it is renamed into place or removed. Renames into
/// place run inside ``committing(_:)``; ``removeAll(thenBlockCommits:)``
/// takes the same lock, so a signal's cleanup never runs half-way through a
/// commit, and with `thenBlockCommits` no commit can start after it (the
/// process is about to exit).
///
/// The command line calls ``removeAll(thenBlockCommits:)`` from a thread of
/// its own when SIGINT or SIGTERM arrives (its signal handler only writes
/// to a pipe, which is async-signal-safe) and at exit; the library never
/// installs signal handlers itself.
public enum PartialOutputs {
    /// Where this process writes `target` before renaming it into place.
    public static func temporaryPath(for target: String) -> String { "\(target)\(marker)\(getpid())" }

    static let marker = ".partial-"
    /// What earlier versions named a replaced dataset between two renames.
    static let legacyMarker = ".old-"

    /// Records `path` for removal if the run stops before it is committed.
    public static func register(_ path: String) {
        registry.lock.withLock { registry.paths.append(path) }
    }

    /// Forgets `path` (committed, or removed by its writer).
    public static func unregister(_ path: String) {
        registry.lock.withLock { registry.paths.removeAll { $0 == path } }
    }

    /// Runs `body` (renames into place) with cleanup held off.
    public static func committing<T>(_ body: () throws -> T) rethrows -> T {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        return try body()
    }

    /// Removes every registered path, files and directory trees alike.
    /// With `thenBlockCommits` the registry stays locked afterwards, so that
    /// no commit can follow: for a caller that exits next.
    public static func removeAll(thenBlockCommits: Bool = false) {
        registry.lock.lock()
        for path in registry.paths.reversed() { try? FileManager.default.removeItem(atPath: path) }
        registry.paths = []
        if !thenBlockCommits { registry.lock.unlock() }
    }

    /// Removes what runs that are gone (killed with SIGKILL, or before
    /// signals were handled) left in the directory `target` is written
    /// into — for every target there, not only this one, so that a killed
    /// `gen --out k9` does not leave 232 MB until someone writes `k9` again:
    ///
    /// - `<name>.partial-<pid>` (a file or a dataset directory) whose
    ///   process no longer exists (`kill(pid, 0)` fails with ESRCH), and
    ///   `<target>.old-<pid>` of `target` itself (what earlier versions
    ///   left; `notes.old-2019` beside it is somebody's backup);
    /// - `<name>.lock` files that are synthctl's, of a process that no
    ///   longer exists, and that nobody holds (``OutputLock/removeIfStale(_:)``).
    ///
    /// Only synthctl's own markers, only dead PIDs: a partial whose PID is
    /// alive (a run in progress, or a PID reused) is left alone, as is
    /// anything else (`d.partial-12x`, `yarn.lock`). A PID is a PID of this
    /// machine, and a directory may be shared (`--shard` runs on several
    /// machines writing into one network directory), so a partial whose
    /// target is locked (``OutputLock/isHeldElsewhere(_:)``: a live run, wherever it
    /// runs, holds the lock while it writes) is left alone too. A run that
    /// is gone cannot be writing its partial, so removing it races with
    /// nobody.
    public static func removeStale(inDirectoryOf target: String) {
        let url = URL(fileURLWithPath: target)
        let parent = url.deletingLastPathComponent().path, name = url.lastPathComponent
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries {
            if entry.hasSuffix(".lock"), entry.count > ".lock".count {
                OutputLock.removeIfStale("\(parent)/\(entry)")
                continue
            }
            for marker in [marker, legacyMarker] {
                guard let at = entry.range(of: marker, options: .backwards), at.lowerBound > entry.startIndex,
                      marker == Self.marker || entry[..<at.lowerBound] == name else { continue }
                let digits = entry[at.upperBound...]
                guard let pid = Int32(digits), pid > 0, pid != getpid(), String(pid) == digits else { continue }
                // A table's manifest is written under the table's lock.
                let owner = String(entry[..<at.lowerBound])
                let targets = [owner] + (owner.hasSuffix(".manifest.json") ? [String(owner.dropLast(".manifest.json".count))] : [])
                if kill(pid, 0) != 0 && errno == ESRCH, !targets.contains(where: { OutputLock.isHeldElsewhere("\(parent)/\($0)") }) {
                    try? FileManager.default.removeItem(atPath: "\(parent)/\(entry)")
                }
            }
        }
    }

    private final class Registry: @unchecked Sendable {
        let lock = NSRecursiveLock()
        var paths: [String] = []
    }

    private static let registry = Registry()
}
