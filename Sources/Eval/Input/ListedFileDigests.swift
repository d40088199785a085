import Dispatch
import Foundation
import SynthctlCore

/// The files of a synthctl dataset that a run reads, each with the SHA-256
/// its manifest lists, checked while they are read.
///
/// Why: a manifest vouches for its files. A table edited with pandas, a
/// byte flipped inside a compressed page, or another run's part copied
/// over one of the dataset's still parse, and were read as the dataset,
/// exit 0 and wrong results. The manifest already holds the digest that
/// tells them apart, so every file it lists is checked against it, and a
/// file that differs is refused in one line (``mismatch(_:found:)``).
///
/// Cost: SHA-256 at about 1.4 GB/s per core (the CPU's SHA instructions),
/// one reading pass over each file on threads of their own, beside the
/// reader's own pass (the page cache serves the second); the run waits
/// only for what hashing has left when reading ends.
struct ListedFileDigests {
    /// A file as the user's path names it, the digest (lower-case hex) its
    /// manifest lists, and that manifest's path (for the message's hint).
    struct File {
        let path: String
        let sha256: String
        let manifest: String
        /// Why the file differs and what to do, for the message: the file
        /// changed after gen wrote it, and how to read it as it is.
        let explanation: String
    }

    let files: [File]
    /// The files this run has checked already (its ``DatasetDirectory``'s):
    /// they are not hashed again, and the files that match join them.
    let verified: VerifiedFiles?

    /// The files of `names` inside `directory` that `manifest` lists with
    /// a SHA-256; a file it does not list (an older manifest) is not
    /// checked.
    ///
    /// - Throws: ``IncompleteDatasetError`` for a listed file that is not
    ///   there: the run would read the directory without it, as another
    ///   dataset.
    init(_ names: [String], in directory: String, manifest: DatasetManifest?, verified: VerifiedFiles? = nil) throws {
        self.verified = verified
        guard let manifest else { files = []; return }
        files = try names.compactMap { name in
            guard let sha = manifest.fileDigests[name] else { return nil }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name  // as the user named it
            guard FileManager.default.fileExists(atPath: path) else { throw IncompleteDatasetError(file: path, manifest: manifest.path) }
            return File(path: path, sha256: sha, manifest: manifest.path, explanation: Self.changed(manifest.path))
        }
    }

    init(files: [File], verified: VerifiedFiles? = nil) {
        self.files = files
        self.verified = verified
    }

    /// "the file changed after gen wrote it (remove its entry from
    /// manifest.json, or the manifest, …)": how to read a changed file as
    /// it is, without what its manifest says about it.
    static func changed(_ manifest: String) -> String {
        "the file changed after gen wrote it (remove its entry from \(URL(fileURLWithPath: manifest).lastPathComponent), or that manifest, to read it as it is)"
    }

    /// Runs `read` while the files are hashed on threads of their own, one
    /// per file (those ``verified`` holds already are not hashed again), and refuses the first file (in the order given) whose
    /// digest differs. A file that differs is refused even when `read`
    /// failed on it: the change is the cause, not what the reader tripped
    /// on (a flipped byte in a zstd page is a bad frame).
    ///
    /// - Throws: ``InputError`` (``mismatch(_:found:)``) for a changed
    ///   file, else what `read` throws.
    func reading<T>(_ read: () throws -> T) throws -> T {
        let files = verified.map { done in self.files.filter { !done.contains($0.path) } } ?? self.files
        guard !files.isEmpty else { return try read() }
        let digests = _DigestSlots(count: files.count)
        let group = DispatchGroup()
        for (i, file) in files.enumerated() {
            let path = file.path
            verified?.countHash(of: path)
            DispatchQueue.global().async(group: group) { digests.set(i, FileDigest.sha256(ofFileAt: path)) }
        }
        let result: Result<T, any Error>
        do { result = .success(try read()) } catch { result = .failure(error) }
        group.wait()
        for (i, file) in files.enumerated() {
            let found = digests.get(i)
            if found != file.sha256 { throw Self.mismatch(file, found: found) }
            verified?.insert(file.path)
        }
        return try result.get()
    }

    /// Checks the files before anything else reads them (hashed in
    /// parallel): for readers that cannot overlap with hashing.
    func check() throws { try reading { () } }

    /// `DIR/data.csv: expected the SHA-256 its manifest lists (3f2a9c0d1e2b…),
    /// found 9a8b7c6d5e4f…: the file changed after gen wrote it (remove …)`.
    static func mismatch(_ file: File, found: String?) -> InputError {
        InputError(file: file.path, expected: "the SHA-256 its manifest lists (\(file.sha256.prefix(12))…)",
                   found: (found.map { "\($0.prefix(12))…" } ?? "a file that cannot be read whole") + ": " + file.explanation)
    }
}

/// One digest slot per file, written by the hashing threads and read after
/// they have all finished. Precondition: each slot is written by one thread
/// only, and read only after `DispatchGroup.wait()` (which orders the write
/// before the read); the lock makes that explicit rather than relied upon.
final class _DigestSlots: @unchecked Sendable {
    private var slots: [String?]
    private let lock = NSLock()
    init(count: Int) { slots = [String?](repeating: nil, count: count) }
    func set(_ i: Int, _ digest: String?) { lock.lock(); slots[i] = digest; lock.unlock() }
    func get(_ i: Int) -> String? { lock.lock(); defer { lock.unlock() }; return slots[i] }
}
