import ArgumentParser
import Foundation
import Eval
import Synth
import SynthctlCore

/// A short benchmark of this machine: what the BLAS in use reaches and how
/// fast synthctl generates, so a user sees what their hardware does.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure sgemm throughput and generation speed on this machine (a few seconds)."
    )

    @Option(help: "Rows to generate for the generation measurement.", range: .within(1...DatasetPlan.maxRows))
    var rows: Int = 200_000

    @Option(help: "Worker threads (default: all cores).", range: .within(1...MemoryOptions.maximumThreads))
    var threads: Int?

    @Option(help: "With --synthetic: time precision, recall, density and coverage of these real rows (an N × D float32 .npy) instead.")
    var real: String?

    @Option(help: "The synthetic rows (M × D .npy) for --real.")
    var synthetic: String?

    @Option(name: [.customLong("neighbors"), .customLong("k")],
            help: "Neighbours for --real/--synthetic (--neighbors is preferred, as in every command; --k also works).", range: .atLeast(1))
    var k: Int = 5

    @Flag(help: "With --real/--synthetic: compare with a strict d < r, as prdc does.")
    var strictBalls = false

    @OptionGroup var memory: MemoryOptions

    func validate() throws {
        if (real == nil) != (synthetic == nil) { throw ValidationError("--real and --synthetic go together") }
    }

    func run() throws {
        let threads = self.threads ?? Parallel.coreCount
        if let real, let synthetic {
            let x = try LabeledFeatures.features(npy: real), y = try LabeledFeatures.features(npy: synthetic)
            guard x.columns == y.columns else {
                throw InputError(file: synthetic, expected: "\(x.columns) columns (as in \(real))", found: "\(y.columns)")
            }
            guard k < min(x.rows, y.rows) else {
                throw ArgumentError(argument: "--k", expected: "at most \(min(x.rows, y.rows) - 1) (fewer than the rows of each set)", found: "\(k)")
            }
            let t0 = Date()
            let m = ManifoldMetrics(real: x, synthetic: y, k: k, boundary: strictBalls ? .open : .closed, threads: threads)
            let seconds = Date().timeIntervalSince(t0)
            print("precision \(m.precision) recall \(m.recall) density \(m.density) coverage \(m.coverage)")
            print("seconds \(String(format: "%.4f", seconds))")
            return
        }
        // sgemm first: the distance tiles switch OpenBLAS to one thread per worker.
        let report = try MachineBenchmark.run(rows: rows, threads: threads)
        let distances = DistanceBenchmark.run(rows: 8192, featureCount: 384, threads: threads)
        print("sgemm (\(report.gemmSize)×\(report.gemmSize), OpenBLAS \(BLAS.kernelCore) kernels, \(report.blasThreads) threads): \(String(format: "%.1f", report.gemmGflops)) GFLOP/s")
        print("distance tiles (\(distances.rows)×\(distances.rows)×\(distances.featureCount), \(threads) threads): \(String(format: "%.1f", distances.gflops)) GFLOP/s, \(String(format: "%.0f", 100 * distances.gflops / report.gemmGflops))% of sgemm")
        print("normals: \(String(format: "%.0f", report.normalsPerSecond / 1e6)) M/s on \(report.threads) threads (\(report.normalKernel) kernel)")
        print("gen classification \(report.rows)×\(report.featureCount), in memory: \(formatCount(report.rowsPerSecond)) rows/s, \(String(format: "%.0f", report.megabytesPerSecond)) MB/s of float32 features")
    }
}
