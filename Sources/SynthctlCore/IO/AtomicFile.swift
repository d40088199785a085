import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole small file (a report, a manifest, a model) under a
/// temporary name beside it and renames it into place, so a reader never
/// sees half of it and a failed or interrupted write leaves nothing.
///
/// The target follows ``OutputTarget``'s rules (checked before writing and
/// again just before the rename): without `replace` an existing file is an
/// error, and the rename itself refuses to land on a file that appeared
/// meanwhile; a symbolic link, device or FIFO is never replaced. Every
/// error (a full disk, a file size limit, a read-only directory) is one
/// ``SynthctlError`` naming `path`, and the temporary file is removed.
public enum AtomicFile {
    public static func write(_ text: String, to path: String, replace: Bool = false) throws {
        try write(bytes: Array(text.utf8), to: path, replace: replace)
    }

    public static func write(bytes: [UInt8], to path: String, replace: Bool = false) throws {
        try writing(to: path, expectedBytes: bytes.count, replace: replace) { try $0.write(bytes.span.bytes) }
    }

    /// Streams a file of about `expectedBytes` (a hint for the write mode)
    /// into place: `body` writes it through the ``SequentialFile`` it is
    /// given, which is then finished and renamed to `path` as ``write(bytes:to:replace:)``
    /// does. An error thrown by `body` leaves nothing at `path`.
    package static func writing(to path: String, expectedBytes: Int, replace: Bool = false,
                                _ body: (SequentialFile) throws -> Void) throws {
        try OutputTarget.check(path, as: .file, replace: replace)
        PartialOutputs.removeStale(inDirectoryOf: path)
        let temp = PartialOutputs.temporaryPath(for: path)
        // O_EXCL: anything already at `temp` is refused, never removed.
        let file = try SequentialFile(path: temp, expectedBytes: expectedBytes, name: path, temporary: true)
        PartialOutputs.register(temp)
        defer { PartialOutputs.unregister(temp) }
        do {
            try body(file)
            try file.finish()
            try PartialOutputs.committing {
                try OutputTarget.check(path, as: .file, replace: replace)
                if replace { try AtomicRename.replace(temp, at: path) } else { try AtomicRename.placeNew(temp, at: path) }
            }
        } catch {
            unlink(temp)  // created by this run a moment ago
            throw error
        }
    }
}
