import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a path names on disk, looked at with `lstat(2)`: a symbolic link is
/// a link, not what it points to. Output checks need exactly this, since
/// renaming a new file onto a path replaces a link there with the file
/// (which is how `--out /dev/stdout` once turned `/dev/stdout` into a
/// regular file).
public enum FileKind: Equatable, Sendable {
    case none
    case regularFile
    case directory
    case symbolicLink
    case characterDevice
    case blockDevice
    case fifo
    case socket

    public init(path: String) {
        var status = stat()
        guard lstat(path, &status) == 0 else { self = .none; return }
        self = switch status.st_mode & S_IFMT {
        case S_IFREG: .regularFile
        case S_IFDIR: .directory
        case S_IFLNK: .symbolicLink
        case S_IFCHR: .characterDevice
        case S_IFBLK: .blockDevice
        case S_IFIFO: .fifo
        default: .socket
        }
    }

    /// As a message says what it found: "a symbolic link".
    public var description: String {
        switch self {
        case .none: "nothing"
        case .regularFile: "a regular file"
        case .directory: "a directory"
        case .symbolicLink: "a symbolic link"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .fifo: "a FIFO"
        case .socket: "a socket"
        }
    }
}
