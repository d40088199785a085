import Foundation
import Synth
import SynthctlCore

/// How fast the distance tiles run here: one nearest-neighbour pass of a
/// random n × d set against another, counted as the 2·n²·d flops of its
/// `sgemm` products, best of three. `synthctl bench` sets it beside the
/// machine's sgemm rate.
public enum DistanceBenchmark {
    public struct Report: Sendable {
        public let rows: Int
        public let featureCount: Int
        public let seconds: Double
        public var gflops: Double { 2 * Double(rows) * Double(rows) * Double(featureCount) / seconds / 1e9 }
    }

    public static func run(rows: Int, featureCount: Int, threads: Int) -> Report {
        func random(_ input: Int) -> Matrix {
            let stream = RandomStream(seed: 1, .distanceBenchmarkInputs, index: input)
            var m = Matrix(rows: rows, columns: featureCount)
            m.storage.withUnsafeMutableBufferPointer { p in
                for i in 0..<rows {
                    _UnsafeNormalKernel.fill(stream: stream, row: UInt64(i), out: UnsafeMutableBufferPointer(rebasing: p[(i * featureCount)..<((i + 1) * featureCount)]))
                }
            }
            return m
        }
        let pairs = PairwiseDistances(queries: random(0), references: random(1))
        var best = Double.infinity
        for _ in 0..<3 {
            let t0 = Date()
            _ = BallQuery.run(pairs, boundary: .closed, threads: threads)
            best = min(best, Date().timeIntervalSince(t0))
        }
        return Report(rows: rows, featureCount: featureCount, seconds: best)
    }
}
