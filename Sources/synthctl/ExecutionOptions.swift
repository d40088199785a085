import ArgumentParser
import Foundation
import Synth
import SynthctlCore

/// How an evaluation command runs, as opposed to what it computes: worker
/// threads (never a result), the memory limit, and the stage-time breakdown
/// on standard error.
struct ExecutionOptions: ParsableArguments {
    @Option(help: "Worker threads (default: all cores). The results do not depend on it.", range: .within(1...MemoryOptions.maximumThreads))
    var threads: Int?

    @Flag(help: "Print the wall-clock time of each stage (reading, each metric, writing) to standard error.")
    var timings = false

    @OptionGroup var memory: MemoryOptions

    /// With --timings, one line per stage: `synthctl: time: STAGE: SECONDS s`.
    func report(_ laps: [(stage: String, seconds: Double)]) {
        guard timings else { return }
        let lines = laps.map { "synthctl: time: \($0.stage): \(String(format: "%.4f", $0.seconds)) s" }
        StandardStreams.writeError((lines.joined(separator: "\n") + "\n"))
    }
}

/// Refuses a `--seed` above Int64.max: reports and manifests record the seed
/// as a JSON integer, which holds 63 bits (a larger one trapped on conversion).
func validateSeed(_ seed: UInt64) throws {
    if seed > UInt64(Int.max) { throw ValidationError("--seed: expected an integer in [0, \(Int.max)], found \(seed)") }
}

/// `--max-memory`: the most a run may allocate. Every command has it. Before
/// a large allocation the libraries estimate what the run needs (rows ×
/// features, K × K and K × K × A matrices, neighbour lists …; see
/// ``MemoryBudget``) and refuse, with one line, an estimate above it.
struct MemoryOptions: ParsableArguments {
    @Option(help: "The most memory a run may use, e.g. 64G or 512M (binary units; default: this machine's physical memory, \(MemoryBudget.describe(MemoryBudget.physicalMemory))). A run whose estimate is above it stops, before allocating, with one line naming what drives it.",
            valueName: "size", range: .byteSize)
    var maxMemory: Int?

    /// No machine runs more worker threads than this; a larger --threads is a typo.
    static let maximumThreads = 4096

    /// Sets the process-wide budget (parsing happens before any work runs).
    func validate() throws {
        guard let maxMemory else { return }
        MemoryBudget.current = MemoryBudget(limit: maxMemory)
    }

    /// The flag behind a library parameter named in a ``MemoryLimitExceeded``.
    static let flags: [String: String] = [
        "neighbors": "--neighbors", "folds": "--folds", "k": "--k", "exactMMDRows": "--mmd-rows",
        "restarts": "--mace-restarts", "components": "--components", "generations": "--generations", "rows": "--rows",
        "syntheticRows": "--synthetic-rows", "points": "--points", "seeds": "--seeds",
        "minimumSharedItems": "--min-shared-items", "sizeDraws": "--size-draws",
    ]

    /// The one-line message for a refused run: the flag (or the library's
    /// subject and field) first, and how to raise the limit.
    static func message(_ error: MemoryLimitExceeded) -> String {
        let text = error.parameter.flatMap { flags[$0] }.map { error.message(naming: $0) } ?? error.description
        return text + " (--max-memory sets the limit)"
    }
}

/// Sizes in bytes, as `--max-memory` takes them (``MemoryBudget/bytes(parsing:)``):
/// a whole number of bytes or a number with a binary unit, from 1 byte to
/// Int.max bytes. An ``OptionRange``, so that `-1` is refused as a value
/// (not taken for a flag), white space is refused, and the message gives
/// the range.
struct ByteSizeRange: OptionRange {
    var expected: String {
        "a size in [1, \(MemoryBudget.maximumBytes)] bytes, such as 64G, 512M or 1000000 (units K, M, G, T, P: powers of 1024)"
    }

    func value(parsing text: String) throws -> Int {
        guard let bytes = MemoryBudget.bytes(parsing: text) else { throw OptionValueError(expected: expected) }
        return bytes
    }
}

extension OptionRange where Self == ByteSizeRange {
    static var byteSize: Self { ByteSizeRange() }
}
