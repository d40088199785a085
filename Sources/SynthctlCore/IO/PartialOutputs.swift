import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The temporary outputs of this process, `<target>.synthctl-partial-<pid>`
/// (a dataset directory being filled, a table, a manifest or a report being
/// written), so that they can be removed when the run stops before renaming
/// them into place, and the stale ones that killed runs left behind.
///
/// The marker `.synthctl-partial-` is synthctl's own: it was `.partial-`,
/// and the sweep of stale partials then removed the user's
/// `photos.partial-1999/` and `budget.partial-2023`.
///
/// A writer creates its temporary path exclusively (`O_EXCL`, `mkdir`),
/// registers it only once that succeeded, and unregisters it once it is
/// renamed into place or removed: whatever was at that name before (a
/// file or link someone planted, a dead run's partial whose PID this
/// process now has) is not this run's, is never removed by it, and is
/// refused with ``occupied(_:)``. Renames into
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

    /// Between a target's name and the PID of the run writing it.
    public static let marker = ".synthctl-partial-"
    /// Where a replaced dataset directory waits between two renames where
    /// the file system cannot exchange them in one (``AtomicRename``).
    static let replacedMarker = ".synthctl-old-"

    /// How many bytes the longest name a run derives from a target's name
    /// adds to it: `.synthctl-partial-` and a PID of up to 10 digits (a
    /// PID is a positive Int32), longer than `.synthctl-old-<pid>` and
    /// `.synthctl-lock`. The bound, not this run's PID, so that a name is
    /// accepted or refused the same way by every run
    /// (``OutputTarget/checkNameLength(_:subject:)``).
    public static let longestSuffix = max(marker.utf8.count, replacedMarker.utf8.count) + 10

    /// Records `path` for removal if the run stops before it is committed.
    public static func register(_ path: String) {
        registry.lock.withLock { registry.paths.append(path) }
    }

    /// The error for a temporary name that is taken before this run
    /// created it: one line naming the path that exists (not the output
    /// it was for, which may not exist).
    public static func occupied(_ path: String) -> OutputError {
        OutputError(path: path, .occupied)
    }

    /// Removes `path` (``removeIfOwnShape(_:)``) only if this run created
    /// and registered it, and forgets it: for a writer's error path, where
    /// the creation itself may have been what failed.
    package static func removeOwn(_ path: String) {
        registry.lock.withLock {
            guard registry.paths.contains(path) else { return }
            removeIfOwnShape(path)
            registry.paths.removeAll { $0 == path }
        }
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

    /// Removes every registered path: files, and directories of dataset
    /// files (``removeIfOwnShape(_:)``).
    /// With `thenBlockCommits` the registry stays locked afterwards, so that
    /// no commit can follow: for a caller that exits next.
    public static func removeAll(thenBlockCommits: Bool = false) {
        registry.lock.lock()
        for path in registry.paths.reversed() { removeIfOwnShape(path) }
        registry.paths = []
        if !thenBlockCommits { registry.lock.unlock() }
    }

    /// Removes what runs that are gone (killed with SIGKILL, or before
    /// signals were handled) left in the directory `target` is written
    /// into — for every target there, not only this one, so that a killed
    /// `gen --out k9` does not leave 232 MB until someone writes `k9` again:
    ///
    /// - `<name>.synthctl-partial-<pid>` whose process no longer exists
    ///   (`kill(pid, 0)` fails with ESRCH), in the shapes this version
    ///   writes: a regular file (a table, manifest, report or model being
    ///   written: their contents have no common shape to check, and a
    ///   file named `<name>.synthctl-partial-<pid>` is synthctl's by its
    ///   name), or a dataset directory being filled or set aside: empty
    ///   (killed right after `mkdir`) or holding a dataset's arrays (at
    ///   least one of its `.npy` files: `features.npy` is written first) or
    ///   a table directory's `data.csv`, `data.jsonl` or `data.parquet`,
    ///   and nothing but dataset files (``OutputTarget/datasetFileNames``,
    ///   regular files, no subdirectory), whose files are removed one by
    ///   one. A directory with only a `README.md` or a `manifest.json` is
    ///   not one this version leaves behind (a user's notes at a
    ///   look-alike name), and is kept;
    /// - `<target>.synthctl-old-<pid>` of `target` itself, in the same
    ///   shape, when `target` is in place (an old dataset that a run
    ///   without an atomic exchange had moved aside);
    /// - `<name>.synthctl-lock` files that are synthctl's, of a process
    ///   that no longer exists, and that nobody holds
    ///   (``OutputLock/removeIfStale(_:)``).
    ///
    /// Only synthctl's own markers, only dead PIDs, only those shapes:
    /// anything else is left alone — `photos.partial-1999/`,
    /// `budget.partial-2023`, `yarn.lock`, `d.synthctl-partial-12x`, a
    /// partial directory that holds a file synthctl does not write, what
    /// earlier versions named `.partial-<pid>`, `.old-<pid>` and `.lock`.
    /// A PID is a PID of this machine, and a directory may be shared
    /// (`--shard` runs on several machines writing into one network
    /// directory), so a partial whose target is locked
    /// (``OutputLock/isHeldElsewhere(_:)``: a live run, wherever it runs,
    /// holds the lock while it writes) is left alone too. A run that is
    /// gone cannot be writing its partial, so removing it races with
    /// nobody.
    public static func removeStale(inDirectoryOf target: String) {
        let url = URL(fileURLWithPath: target)
        let parent = url.deletingLastPathComponent().path, name = url.lastPathComponent
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries {
            let path = "\(parent)/\(entry)"
            if entry.hasSuffix(OutputLock.suffix), entry.utf8.count > OutputLock.suffix.utf8.count {
                OutputLock.removeIfStale(path)
                continue
            }
            for marker in [marker, replacedMarker] {
                guard let (owner, pid) = split(entry, at: marker), pid != getpid(),
                      marker == Self.marker || (owner == name && FileKind(path: target) == .directory),
                      kill(pid, 0) != 0 && errno == ESRCH else { continue }
                // A table's manifest is written under the table's lock.
                let targets = [owner] + (owner.hasSuffix(".manifest.json") ? [String(owner.dropLast(".manifest.json".count))] : [])
                if !targets.contains(where: { OutputLock.isHeldElsewhere("\(parent)/\($0)") }) {
                    removeIfOwnShape(path)
                }
            }
        }
    }

    /// `entry` as `<owner><marker><pid>` (a non-empty owner, a positive
    /// decimal PID without sign or leading zeros), else nil.
    static func split(_ entry: String, at marker: String) -> (owner: String, pid: Int32)? {
        guard let at = entry.range(of: marker, options: .backwards), at.lowerBound > entry.startIndex else { return nil }
        let digits = entry[at.upperBound...]
        guard let pid = Int32(digits), pid > 0, String(pid) == digits else { return nil }
        return (String(entry[..<at.lowerBound]), pid)
    }

    /// Removes `path` if it has a shape this version writes (see
    /// ``removeStale(inDirectoryOf:)``); a directory's files are removed
    /// by name and the directory last, so a file that appears meanwhile
    /// keeps the directory (and itself).
    package static func removeIfOwnShape(_ path: String) {
        switch FileKind(path: path) {
        case .regularFile:
            unlink(path)
        case .directory:
            // A signal's cleanup runs while the run's writers may still
            // create the dataset's next file in the directory: a file made
            // after the listing makes rmdir fail (ENOTEMPTY), so list and
            // remove again until the directory is gone. Once it is, a
            // writer's create fails (ENOENT) and nothing can reappear.
            for _ in 0..<64 {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: path),
                      names.isEmpty || names.contains(where: { $0.hasSuffix(".npy") || $0.hasPrefix("data.") }),
                      names.allSatisfy({ OutputTarget.datasetFileNames.contains($0) && FileKind(path: "\(path)/\($0)") == .regularFile })
                else { return }
                for name in names { unlink("\(path)/\(name)") }
                if rmdir(path) == 0 || errno != ENOTEMPTY { return }
            }
        default:
            return
        }
    }

    private final class Registry: @unchecked Sendable {
        let lock = NSRecursiveLock()
        var paths: [String] = []
    }

    private static let registry = Registry()
}
