import Foundation

/// The SHA-256 of a file on disk, as the manifest's `files` lists it
/// (lower-case hex), read in 1 MiB blocks so that a file of any size is
/// hashed in constant memory.
///
/// Readers use it to tell whether a file that sits in a dataset directory
/// is still the file the manifest describes, before trusting what the
/// manifest says about it (its class or feature names).
public enum FileDigest {
    /// The hex SHA-256 of the regular file at `path`, or nil when it cannot
    /// be read (a missing file, a directory, a pipe: nothing to vouch for).
    public static func sha256(ofFileAt path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              // Symbolic links followed; a FIFO or device is not read (that would consume it).
              let attributes = try? FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = StreamingSHA256()
        while true {
            // nil or empty at the end of the file; an error is no digest.
            let block: Data?
            do { block = try handle.read(upToCount: 1 << 20) } catch { return nil }
            guard let block, !block.isEmpty else { break }
            block.withUnsafeBytes { hasher.update(unsafe RawSpan(_unsafeBytes: $0)) }
        }
        return hasher.hex()
    }
}
