import Foundation
import SynthctlCore

/// The measurements behind `synthctl bench`.
public enum MachineBenchmark {
    public struct Report: Sendable {
        public let gemmSize: Int
        public let blasThreads: Int
        public let gemmGflops: Double
        public let threads: Int
        public let normalsPerSecond: Double
        /// Which form of the normal sampler this CPU runs.
        public let normalKernel: String
        public let rows: Int
        public let featureCount: Int
        public let rowsPerSecond: Double
        public let megabytesPerSecond: Double
    }

    public static func run(rows: Int, threads: Int) throws -> Report {
        // sgemm with the library's own threading, as a user's BLAS runs it,
        // measured as a plain C caller would: one untimed call first (it
        // starts OpenBLAS's threads), then the best of five into a result
        // already allocated and touched, so that neither thread start-up
        // nor the first-touch page faults of a fresh 16 MiB result count
        // against the library's rate.
        let n = 2048
        let a = Matrix(rows: n, columns: n, repeating: 0.5)
        var c = Matrix(rows: n, columns: n)
        var best = Double.infinity
        a.storage.withUnsafeBufferPointer { ap in
            c.storage.withUnsafeMutableBufferPointer { cp in
                for round in 0..<6 {
                    let t0 = Date()
                    _UnsafeBLAS.gemm(m: n, n: n, k: n, a: ap.baseAddress!, lda: n, b: ap.baseAddress!, ldb: n,
                                     c: cp.baseAddress!, ldc: n)
                    if round > 0 { best = min(best, Date().timeIntervalSince(t0)) }
                }
            }
        }
        let gflops = 2 * Double(n * n * n) / best / 1e9
        let blasThreads = BLAS.libraryThreads

        // Normals across our own workers: 64M, long enough (about 0.1 s)
        // for the timer and the threads' start to vanish.
        let perWorker = 64_000_000 / 128 / threads
        let stream = RandomStream(seed: 1, purpose: .samples)
        let t1 = Date()
        Parallel.forEach(threads, threads: threads) { w in
            var buf = [Float](repeating: 0, count: 128)
            buf.withUnsafeMutableBufferPointer { b in
                for r in 0..<perWorker { _UnsafeNormalKernel.fill(stream: stream, row: UInt64(w * perWorker + r), out: b) }
            }
        }
        let normalsRate = Double(perWorker * 128 * threads) / Date().timeIntervalSince(t1)

        // Generation in memory, the benchmark preset's shape.
        var spec = try Presets.named("bench").spec
        spec = try applyOverride("rows=\(rows)", to: spec)
        let plan = try DatasetPlan(spec: spec, source: "bench")
        var writer = DatasetWriter(plan: plan)
        writer.threads = threads
        BLAS.useSingleThreadedBLAS()
        var stats = RealizedStatistics(classes: plan.generator.classCount, annotators: 0)
        let t2 = Date()
        var start = 0
        while start < rows {
            let end = min(rows, start + writer.chunkRows)
            _ = writer.generate(start..<end, stats: &stats)
            start = end
        }
        let seconds = Date().timeIntervalSince(t2)
        let d = plan.generator.featureCount
        return Report(gemmSize: n, blasThreads: blasThreads, gemmGflops: gflops, threads: threads,
                      normalsPerSecond: normalsRate,
                      normalKernel: ["portable SIMD", "AVX2", "AVX-512"][_UnsafeNormalKernel.widestLevel],
                      rows: rows, featureCount: d,
                      rowsPerSecond: Double(rows) / seconds,
                      megabytesPerSecond: Double(rows * d * 4) / seconds / 1e6)
    }
}
