import Foundation
import Testing
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// Fuzz for the Parquet reader: every byte of a valid file replaced, one at
/// a time, by 0x00, 0xff and a seeded random byte (`SYNTHCTL_FUZZ_SEED`
/// replays another run). Each outcome is a table or a ``SynthctlError``
/// naming the file; a trap ends the process.
enum ParquetByteFuzz {
    /// Checks `path`'s every mutation; `sourceLocation` is the calling test's.
    /// With `physical`, every column is decoded as stored, as `split` reads it.
    static func replaceEachByte(of path: String, physical: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let name = URL(fileURLWithPath: path).lastPathComponent
        var rng = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["SYNTHCTL_FUZZ_SEED"] ?? "") ?? 23)
        var refusals = 0
        for i in good.indices {
            for replacement: UInt8 in [0x00, 0xff, UInt8.random(in: 0...255, using: &rng)] where replacement != good[i] {
                var bad = good
                bad[i] = replacement
                do {
                    if physical {
                        let file = try ParquetFile(bytes: bad, path: "f.parquet")
                        for c in file.meta.columns.indices { _ = try file.decode(c, physical: true) }
                    } else {
                        _ = try ParquetTable(bytes: bad, path: "f.parquet", budget: MemoryBudget(limit: 1 << 30))
                    }
                } catch let e as any SynthctlError {
                    refusals += 1
                    #expect(e.message.hasPrefix("f.parquet"), "\(name) byte \(i): \(e.message)", sourceLocation: sourceLocation)
                } catch {
                    Issue.record("\(name) byte \(i): not a SynthctlError: \(error)", sourceLocation: sourceLocation)
                }
            }
        }
        #expect(refusals > 0, "\(name): no mutation was refused", sourceLocation: sourceLocation)
    }
}
