import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// Model collapse reproduced on the one-dimensional Gaussian (Shumailov et
/// al., Nature 2024): fitting the maximum-likelihood mean and standard
/// deviation to M rows per generation and sampling the next M from the fit.
@Suite struct ModelCollapseTests {
    /// One run: M rows of N(0, 1) as generation 0, then `generations` fits.
    static func run(seed: UInt64, rows m: Int, generations: Int, mode: ModelCollapse.Mode) throws -> [Double] {
        let stream = RandomStream(seed: seed, purpose: .samples, substream: 77)
        let x = Matrix(rows: m, columns: 1, storage: (0..<m).map { Float(stream.normal(row: UInt64($0), draw: 0)) })
        let c = try ModelCollapse(human: x, labels: [Int32](repeating: 0, count: m), classNames: ["all"], test: nil,
                                  generations: generations, rows: m, mode: mode, seed: seed &* 1000)
        return c.generations.map(\.fittedSpread)
    }

    static func runs(_ count: Int, rows m: Int, generations: Int, mode: ModelCollapse.Mode) -> [[Double]] {
        var out = [[Double]](repeating: [], count: count)
        out.withUnsafeMutableBufferPointer { p in
            let sink = _UnsafeRuns(p)
            Parallel.forEach(count, threads: Parallel.coreCount) { r in
                sink.runs[r] = (try? run(seed: UInt64(r + 1), rows: m, generations: generations, mode: mode)) ?? []
            }
        }
        return out
    }

    /// Each MLE refit multiplies σ² by χ²_{M−1}/M, so log σ_n is a sum of n
    /// independent terms with mean ½(ψ((M−1)/2) + ln(2/M)) ≈ −1/M and
    /// variance ¼ψ₁((M−1)/2): median σ_n ≈ exp(−n/M), 0.90 at n = 10 and
    /// 0.36 at n = 100 for M = 100. Over R runs the mean of log σ_n has
    /// standard error √(n·ψ₁/4/R); the tolerance is 4 of those.
    @Test func replacingCollapsesAsExpOfMinusNOverM() throws {
        let m = 100, r = 300
        let spreads = Self.runs(r, rows: m, generations: 100, mode: .replace)
        #expect(spreads.allSatisfy { $0.count == 100 })
        let half = Double(m - 1) / 2
        let drift = 0.5 * (digamma(half) + log(2 / Double(m)))
        let trigamma = 1 / half + 1 / (2 * half * half) + 1 / (6 * pow(half, 3))
        for n in [10, 100] {
            let logs = spreads.map { log($0[n - 1]) }
            let mean = logs.reduce(0, +) / Double(r)
            let se = (Double(n) * trigamma / 4 / Double(r)).squareRoot()
            #expect(abs(mean - Double(n) * drift) < 4 * se, "n = \(n): mean log σ \(mean), expected \(Double(n) * drift) ± \(se)")
            let median = logs.sorted()[r / 2]
            #expect(abs(median - Double(n) * drift) < 4 * 1.2533 * se, "n = \(n): median σ \(exp(median))")
        }
        // The paper's rule of thumb.
        #expect(abs(exp(100 * drift) - exp(-1)) < 0.01)
        #expect(abs(exp(10 * drift) - 0.904) < 0.005)
    }

    /// Accumulating all data so far keeps σ near 1: no collapse.
    @Test func accumulatingDoesNotCollapse() throws {
        let spreads = Self.runs(40, rows: 100, generations: 100, mode: .accumulate)
        let median = spreads.map { $0[99] }.sorted()[20]
        #expect(median > 0.9, "median σ after 100 generations: \(median)")
        let replace = Self.runs(40, rows: 100, generations: 100, mode: .replace).map { $0[99] }.sorted()[20]
        #expect(replace < 0.6, "replace, for contrast: \(replace)")
    }

    /// The per-generation report on a labeled set: drift, variance ratio and
    /// tail mass move the way collapse moves them; accuracy is measured.
    @Test func generationsReportDriftVarianceTailsAndAccuracy() throws {
        let stream = RandomStream(seed: 5, purpose: .samples)
        let n = 400
        var x = Matrix(rows: n, columns: 2)
        for i in 0..<n {
            x[i, 0] = Float(stream.normal(row: UInt64(i), draw: 0) + (i % 2 == 0 ? 2 : -2))
            x[i, 1] = Float(stream.normal(row: UInt64(i), draw: 1))
        }
        let labels = (0..<n).map { Int32($0 % 2) }
        let c = try ModelCollapse(human: x, labels: labels, classNames: ["a", "b"], test: (x, labels),
                                  generations: 30, rows: 20, mode: .replace, seed: 3)
        let first = c.generations[0], last = c.generations[29]
        #expect(first.trainingRows == 400 && last.trainingRows == 20)
        #expect(abs(first.varianceRatio! - 1) < 0.6)
        #expect(last.fittedSpread < first.fittedSpread)
        #expect(first.tailMass! < 0.1)
        #expect(c.constantColumns.isEmpty && first.constantColumnDrift == nil && first.constantColumnSpread == nil)
        #expect(c.generations.allSatisfy { $0.accuracy != nil && $0.frechet != nil })
        #expect(first.accuracy! > 0.9)
    }

    /// A constant human column has no standard deviation to measure drift in
    /// and no percentile range: it is left out of the mean drift and the tail
    /// mass (which keep their meaning on the other column) and measured in
    /// its own units. Before, the drift divided by the smallest normal number
    /// and read 7e304.
    @Test func aConstantColumnIsMeasuredInItsOwnUnits() throws {
        let stream = RandomStream(seed: 5, purpose: .samples)
        let n = 400
        var x = Matrix(rows: n, columns: 2)
        for i in 0..<n {
            x[i, 0] = Float(stream.normal(row: UInt64(i), draw: 0) + (i % 2 == 0 ? 2 : -2))
            x[i, 1] = 7.25
        }
        let labels = (0..<n).map { Int32($0 % 2) }
        let c = try ModelCollapse(human: x, labels: labels, classNames: ["a", "b"], test: (x, labels),
                                  generations: 5, rows: 200, mode: .replace, seed: 3)
        #expect(c.constantColumns == [1])
        for g in c.generations {
            let drift = try #require(g.meanDrift), tails = try #require(g.tailMass), ratio = try #require(g.varianceRatio)
            #expect(drift.isFinite && drift < 1 && tails < 0.2 && ratio.isFinite && ratio > 0)
            // The refit keeps the constant column constant (the correlation
            // is shrunk, not the covariance toward a multiple of the
            // identity, which gave it a spread): both numbers, in its units, are 0.
            let spread = try #require(g.constantColumnSpread), moved = try #require(g.constantColumnDrift)
            #expect(spread == 0 && moved == 0)
        }
        // Every column constant: nothing to fit a Gaussian to (the command
        // refuses such a set before; see CollapseCommandTests).
        let flat = Matrix(rows: n, columns: 2, storage: [Float](repeating: 3, count: 2 * n))
        #expect(throws: SingularCovarianceError.self) {
            try ModelCollapse(human: flat, labels: labels, classNames: ["a", "b"], test: nil, generations: 2, rows: 50, mode: .replace, seed: 3)
        }
    }

    /// Columns whose spread is within a few float32 ulp at their magnitude
    /// are constant for the report: 5 + 1e-6·N(0, 1) (2 ulp at 5) and
    /// 1e-30·N(0, 1) beside unit columns (far below float32's resolution
    /// at the rows' scale) drifted 6947 and 6.5e27 standard deviations and
    /// put a third of the values in the tails. At magnitude 2²⁰ (ulp 0.125)
    /// a spread of 0.4 is near-constant and one of 0.6 is not: the threshold
    /// is 4 ulp. A column 1e-3·N(0, 1) is small but resolved (16,000 ulp at
    /// the rows' scale) and stays measured.
    @Test func aNearConstantColumnCountsAsConstant() throws {
        let stream = RandomStream(seed: 6, purpose: .samples)
        let n = 600
        var x = Matrix(rows: n, columns: 6), small = Matrix(rows: n, columns: 3)
        for i in 0..<n {
            let z = (0..<7).map { stream.normal(row: UInt64(i), draw: UInt32($0)) }
            x[i, 0] = Float(z[0] + (i % 2 == 0 ? 1 : -1))
            x[i, 1] = Float(z[1])
            x[i, 2] = Float(5 + 1e-6 * z[2])
            x[i, 3] = Float(1e-30 * z[3])
            x[i, 4] = Float(1_048_576 + 0.4 * max(-2.5, min(2.5, z[4])))
            x[i, 5] = Float(1_048_576 + 0.6 * z[5])
            small[i, 0] = x[i, 0]
            small[i, 1] = x[i, 1]
            small[i, 2] = Float(1e-3 * z[6])
        }
        let labels = (0..<n).map { Int32($0 % 2) }
        let sd = (0..<6).map { Moments(x).covariance[$0 * 7].squareRoot() }
        #expect(sd[4] <= 4 * 0.125 && sd[5] > 4 * 0.125, "\(sd)")
        let c = try ModelCollapse(human: x, labels: labels, classNames: ["a", "b"], test: (x, labels),
                                  generations: 3, rows: 300, mode: .replace, seed: 2)
        #expect(c.constantColumns == [2, 3, 4])
        for g in c.generations {
            let drift = try #require(g.meanDrift), tails = try #require(g.tailMass)
            #expect(drift < 1 && tails < 0.2, "drift \(drift), tail mass \(tails)")
        }
        let resolved = try ModelCollapse(human: small, labels: labels, classNames: ["a", "b"], test: nil,
                                         generations: 1, rows: 300, mode: .replace, seed: 2)
        #expect(resolved.constantColumns.isEmpty)
    }
}

struct _UnsafeRuns: @unchecked Sendable {
    let runs: UnsafeMutableBufferPointer<[Double]>
    init(_ runs: UnsafeMutableBufferPointer<[Double]>) { self.runs = runs }
}
