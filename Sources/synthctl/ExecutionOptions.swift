import ArgumentParser
import Foundation

/// How an evaluation command runs, as opposed to what it computes: worker
/// threads (never a result) and the stage-time breakdown on standard error.
struct ExecutionOptions: ParsableArguments {
    @Option(help: "Worker threads (default: all cores). The results do not depend on it.", range: .atLeast(1))
    var threads: Int?

    @Flag(help: "Print the wall-clock time of each stage (reading, each metric, writing) to standard error.")
    var timings = false

    /// With --timings, one line per stage: `synthctl: time: STAGE: SECONDS s`.
    func report(_ laps: [(stage: String, seconds: Double)]) {
        guard timings else { return }
        let lines = laps.map { "synthctl: time: \($0.stage): \(String(format: "%.4f", $0.seconds)) s" }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
