import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The renames that put a finished output in place, each one atomic:
///
/// - ``placeNew(_:at:)`` renames only if nothing is at the destination
///   (Linux's `RENAME_NOREPLACE`), so that two runs that both found the name
///   free cannot silently replace one another;
/// - ``exchange(_:_:)`` swaps two paths (`RENAME_EXCHANGE`), so that a new
///   dataset directory replaces an old one in one step: no moment without
///   either, and the old one ends up at the temporary name to be removed.
///
/// `renameat2(2)` is looked up at run time (glibc 2.28+; Swift's Glibc
/// module does not export it without `_GNU_SOURCE`). Where it or the flag is
/// missing (older C libraries, file systems without support), the plain
/// `rename(2)` fall-backs are used: a check then a rename for
/// ``placeNew(_:at:)`` (run under the target's ``OutputLock``), and two
/// renames for ``exchange(_:_:)``.
package enum AtomicRename {
    private typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renameat2: Renameat2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: Renameat2.self) }
    private static let noReplace: UInt32 = 1  // RENAME_NOREPLACE
    private static let exchangeFlag: UInt32 = 2  // RENAME_EXCHANGE

    /// Renames `from` to `to`, replacing a regular file at `to` (rename(2)).
    package static func replace(_ from: String, at to: String) throws {
        guard rename(from, to) == 0 else { throw failure(to) }
    }

    /// Renames `from` to `to`; throws if anything is at `to`.
    package static func placeNew(_ from: String, at to: String) throws {
        if let renameat2 {
            if renameat2(AT_FDCWD, from, AT_FDCWD, to, noReplace) == 0 { return }
            if errno == EEXIST { throw OutputError(path: to, .exists) }
            guard errno == EINVAL || errno == ENOSYS else { throw failure(to) }
        }
        guard FileKind(path: to) == .none else { throw OutputError(path: to, .exists) }
        try replace(from, at: to)
    }

    /// Swaps `a` and `b` (both must exist).
    package static func exchange(_ a: String, _ b: String) throws {
        if let renameat2 {
            if renameat2(AT_FDCWD, a, AT_FDCWD, b, exchangeFlag) == 0 { return }
            guard errno == EINVAL || errno == ENOSYS else { throw failure(b) }
        }
        let aside = "\(b)\(PartialOutputs.replacedMarker)\(getpid())"
        guard FileKind(path: aside) == .none else { throw PartialOutputs.occupied(aside) }  // rename would replace it
        PartialOutputs.register(aside)
        defer { PartialOutputs.unregister(aside) }
        guard rename(b, aside) == 0 else { throw failure(b) }
        guard rename(a, b) == 0 else {
            let error = failure(b)
            _ = rename(aside, b)
            throw error
        }
        guard rename(aside, a) == 0 else { throw failure(b) }
    }

    private static func failure(_ path: String) -> FileAccessError {
        FileAccessError(path: path, problem: "cannot write the output", reason: FileErrorReason.describe(errno: errno))
    }
}
