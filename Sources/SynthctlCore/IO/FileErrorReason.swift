import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a file operation failed, in the system's own plain words
/// ("permission denied", "no space left on device", "is a directory"), for
/// one-line messages that name the path themselves:
/// `report.json: cannot write the file (is a directory)`.
///
/// Foundation's errors read "The operation could not be completed.
/// (NSCocoaErrorDomain error 512.)" or "The file doesn’t exist." and name
/// temporary paths. The reason here comes from, in order: the error's own
/// POSIX code; the POSIX error underneath a Cocoa error; the meaning of the
/// Cocoa error code; and, when Foundation kept no reason at all (as for a
/// write onto a directory), from asking the file system about the path.
/// The words are `strerror`'s in the C locale with a lower-case first
/// letter.
public enum FileErrorReason {
    /// The plain words for an `errno` value: `EACCES` → "permission denied".
    public static func describe(errno code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// The reason a Foundation (or POSIX) error gives, or what the file
    /// system says about `path` when the error carries none.
    public static func describe(_ error: Error, path: String? = nil) -> String {
        if let code = errnoCode(of: error) { return describe(errno: code) }
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain, let words = cocoaWords[ns.code] { return words }
        if let path, let probed = probeForWriting(path) { return probed }
        if ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain { return "the system gave no reason" }
        return "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Why `path` cannot be read: "no such file or directory", "is a
    /// directory", "permission denied", … (from `stat` and `open`).
    public static func probeForReading(_ path: String) -> String {
        var st = stat()
        if stat(path, &st) != 0 { return describe(errno: errno) }
        if st.st_mode & S_IFMT == S_IFDIR { return describe(errno: EISDIR) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return describe(errno: errno) }
        close(fd)
        return "the system gave no reason"
    }

    /// Why a file cannot be written at `path`, when something about the path
    /// itself explains it: it is a directory, its parent is missing or is
    /// not a directory, or the parent is not writable. Nil when none holds.
    static func probeForWriting(_ path: String) -> String? {
        var st = stat()
        if stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR { return describe(errno: EISDIR) }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if stat(parent, &st) != 0 { return "\(parent): \(describe(errno: errno))" }
        if st.st_mode & S_IFMT != S_IFDIR { return "\(parent): \(describe(errno: ENOTDIR))" }
        if access(parent, W_OK) != 0 { return "\(parent): \(describe(errno: errno))" }
        return nil
    }

    /// The POSIX error code of `error` or of the error underneath it.
    static func errnoCode(of error: Error) -> Int32? {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return nil
    }

    /// Cocoa file error codes that carry a reason of their own.
    static let cocoaWords: [Int: String] = [
        CocoaError.fileNoSuchFile.rawValue: describe(errno: ENOENT),
        CocoaError.fileReadNoSuchFile.rawValue: describe(errno: ENOENT),
        CocoaError.fileReadNoPermission.rawValue: describe(errno: EACCES),
        CocoaError.fileWriteNoPermission.rawValue: describe(errno: EACCES),
        CocoaError.fileWriteOutOfSpace.rawValue: describe(errno: ENOSPC),
        CocoaError.fileWriteVolumeReadOnly.rawValue: describe(errno: EROFS),
        CocoaError.fileWriteFileExists.rawValue: describe(errno: EEXIST),
        CocoaError.fileReadTooLarge.rawValue: describe(errno: EFBIG),
        CocoaError.fileReadInvalidFileName.rawValue: "invalid file name",
        CocoaError.fileWriteInvalidFileName.rawValue: "invalid file name",
        CocoaError.fileReadCorruptFile.rawValue: "the file is not in the expected format",
        CocoaError.fileReadInapplicableStringEncoding.rawValue: "the text is not in the expected encoding",
        CocoaError.fileReadUnknownStringEncoding.rawValue: "the text is not in the expected encoding",
        CocoaError.fileWriteInapplicableStringEncoding.rawValue: "the text cannot be written in the expected encoding",
    ]
}
