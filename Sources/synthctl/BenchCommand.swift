import ArgumentParser
import Foundation
import Synth

/// A short benchmark of this machine: what the BLAS in use reaches and how
/// fast synthctl generates, so a user sees what their hardware does.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure sgemm throughput and generation speed on this machine (a few seconds)."
    )

    @Option(help: "Rows to generate for the generation measurement.")
    var rows: Int = 200_000

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    func run() throws {
        let report = try MachineBenchmark.run(rows: rows, threads: threads ?? Parallel.coreCount)
        print("sgemm (\(report.gemmSize)×\(report.gemmSize), OpenBLAS \(BLAS.kernelCore) kernels, \(report.blasThreads) threads): \(String(format: "%.1f", report.gemmGflops)) GFLOP/s")
        print("normals: \(String(format: "%.0f", report.normalsPerSecond / 1e6)) M/s on \(report.threads) threads")
        print("gen classification \(report.rows)×\(report.features), in memory: \(formatCount(report.rowsPerSecond)) rows/s, \(String(format: "%.0f", report.megabytesPerSecond)) MB/s of float32 features")
    }
}
