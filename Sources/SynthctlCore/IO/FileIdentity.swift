import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which file a path names, to tell whether an output would land on an
/// input: by device and inode when the file exists (so `./a.csv`, `a.csv`,
/// a symbolic link to it and a hard link to it are all the same file), and
/// by its absolute path with every symbolic link resolved (for a name that
/// does not exist yet, its parent's resolved path and its own name).
struct FileIdentity: Equatable {
    /// (st_dev, st_ino) of what the path names after following links; nil
    /// when nothing is there.
    let node: [UInt64]?
    let resolvedPath: String
    let isDirectory: Bool

    init(_ path: String) {
        var status = stat()
        if stat(path, &status) == 0 {
            node = [UInt64(status.st_dev), UInt64(status.st_ino)]
            isDirectory = status.st_mode & S_IFMT == S_IFDIR
        } else {
            node = nil
            isDirectory = false
        }
        resolvedPath = Self.resolve(path)
    }

    /// The file a standard stream (`/dev/stdin`, `/dev/stdout`) is
    /// redirected to, or nil when it is not a regular file (a terminal, a
    /// pipe: never one of the run's files).
    init?(redirected stream: String) {
        var status = stat()
        guard stat(stream, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        self.init(stream)
    }

    /// `realpath(3)` of the path, or of its parent followed by its name.
    static func resolve(_ path: String) -> String {
        if let full = realpath(path, nil) {
            defer { free(full) }
            return String(cString: full)
        }
        let url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent().path
        guard let full = realpath(parent, nil) else { return url.standardizedFileURL.path }
        defer { free(full) }
        let base = String(cString: full)
        return (base == "/" ? "" : base) + "/" + url.lastPathComponent
    }

    func isSameFile(as other: FileIdentity) -> Bool {
        if let node, let otherNode = other.node { return node == otherNode }
        return resolvedPath == other.resolvedPath
    }

    /// Whether `other` lies somewhere inside this directory.
    func contains(_ other: FileIdentity) -> Bool {
        isDirectory && other.resolvedPath.hasPrefix(resolvedPath == "/" ? "/" : resolvedPath + "/")
    }
}
