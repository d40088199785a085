import Foundation
import SynthctlCore

/// A dataset directory is filled under a temporary name beside its final
/// one and put in place in one step, so that no reader ever sees half a
/// dataset at `out`: `gen` writes its directories so, and `split` writes
/// the parts of a dataset directory so.
package enum DatasetDirectoryPlacement {
    /// Creates the temporary directory `temp` for `out` exclusively
    /// (`mkdir`: whatever is already at that name is refused and left
    /// alone) and registers it, so that the error paths remove only what
    /// this run created. Errors: ``PartialOutputs/occupied(_:)``, or a
    /// ``FileAccessError`` naming `out`.
    package static func createTemporary(_ temp: String, for out: String) throws {
        guard mkdir(temp, 0o777) == 0 else {
            if errno == EEXIST { throw PartialOutputs.occupied(temp) }
            throw FileAccessError(path: out, problem: "cannot write the output", reason: FileErrorReason.describe(errno: errno))
        }
        PartialOutputs.register(temp)
    }

    /// Puts the finished directory `temp` in place at `out`: a new name is
    /// taken only if still free; an old dataset directory (replaced only
    /// with `replace`) is exchanged with the new one atomically, then
    /// `afterExchange` runs (a test's interruption point), and the old one,
    /// now at `temp`, has its dataset files removed, then the directory (a
    /// file that appeared in it meanwhile is left there, with the
    /// directory).
    package static func place(_ temp: String, at out: String, replace: Bool, afterExchange: () throws -> Void = {}) throws {
        try PartialOutputs.committing {
            try OutputTarget.check(out, as: .datasetDirectory, replace: replace)
            if FileKind(path: out) == .none {
                try AtomicRename.placeNew(temp, at: out)
            } else {
                try AtomicRename.exchange(temp, out)
                try afterExchange()
            }
        }
        PartialOutputs.removeIfOwnShape(temp)
    }

    /// Writes a small file of the directory whole; errors name `name`, its
    /// path in the final directory.
    package static func writeWhole(_ bytes: [UInt8], to path: String, name: String) throws {
        let file = try SequentialFile(path: path, expectedBytes: bytes.count, name: name)
        try file.write(bytes.span.bytes)
        try file.finish()
    }
}
