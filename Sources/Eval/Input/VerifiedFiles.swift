import Foundation

/// The files of one dataset directory whose SHA-256 a run has already
/// checked against its manifest, so that each is hashed once per run.
///
/// Why: `score D` reads a directory twice, labels then annotations, and
/// both readers need `true_labels.npy` (a table directory's one table
/// holds both): hashing it again costs a second pass over the file and
/// proves nothing new. One ``DatasetDirectory`` value carries one of
/// these, shared by the readers it is given to; a file is remembered only
/// once it matched, so a file that failed is checked (and refused) again.
///
/// ``hashCounts`` counts the hashes started per path, for the tests that
/// show a file is hashed once. Thread-safe: the hashing threads of
/// ``ListedFileDigests`` report here under a lock.
final class VerifiedFiles: @unchecked Sendable {
    private var verified = Set<String>()
    private var counts = [String: Int]()
    private let lock = NSLock()

    init() {}

    /// Whether `path` (as the user named it) matched its manifest's digest earlier in the run.
    func contains(_ path: String) -> Bool { lock.lock(); defer { lock.unlock() }; return verified.contains(path) }

    /// Records that `path` matched its manifest's digest.
    func insert(_ path: String) { lock.lock(); verified.insert(path); lock.unlock() }

    /// Counts one hash of `path` started.
    func countHash(of path: String) { lock.lock(); counts[path, default: 0] += 1; lock.unlock() }

    /// How many times each path was hashed.
    var hashCounts: [String: Int] { lock.lock(); defer { lock.unlock() }; return counts }
}
