import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// The Gaussian copula over empirical marginals: the normal quantile it is
/// built on, and what sampling keeps (each marginal, the rank dependence).
@Suite struct CopulaModelTests {
    /// synthctl's own Φ⁻¹ (AS 241 with synthctl's logarithm, no libm)
    /// against mpmath at 50 digits (Tests/Oracles/normal_quantile_oracle.py):
    /// within the 8 ulp its documentation states, at every probability of
    /// the fixture (both tails down to 1e-300, the copula's grids, the
    /// algorithm's region boundaries), and odd: Φ⁻¹(1 − p) = −Φ⁻¹(p) where
    /// 1 − p is exact.
    @Test func normalQuantileMatchesMpmath() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/normal_quantile.json")
        let fixture = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let rows = (fixture["p_hi_lo"] as! [[String]]).map { $0.map { Double($0)! } }
        try #require(rows.count > 5000)
        var worst = 0.0, worstP = 0.0
        for row in rows {
            let (p, hi, lo) = (row[0], row[1], row[2])
            try #require(p > 0 && p < 1)
            // |ours − (hi + lo)| in units of the reference's last place, in 80-bit arithmetic.
            let error = Double(abs(Float80(normalQuantile(p)) - Float80(hi) - Float80(lo)) / Float80(hi.ulp))
            if error > worst { worst = error; worstP = p }
        }
        #expect(worst <= 8, "worst \(worst) ulp at p = \(worstP)")
        #expect(normalQuantile(0.5) == 0)
        for p in [0.375, 0.25, 0.125, 0x1p-20, 0x1p-40] { #expect(normalQuantile(1 - p) == -normalQuantile(p)) }
    }

    /// Skewed, bimodal and dependent features. Sampled rows must keep each
    /// marginal — two-sample KS below its 1% critical value 1.63·√(2/n)
    /// plus 1/G for the quantile grid — and the Spearman correlation (whose
    /// standard error is about 1/√n; 5 of those).
    @Test func samplingKeepsMarginalsAndRankDependence() throws {
        let n = 6000
        let stream = RandomStream(seed: 4, purpose: .samples, substream: 5)
        var x = Matrix(rows: n, columns: 3)
        for i in 0..<n {
            let e = -log(1 - stream.uniform(row: UInt64(i), draw: 0))
            x[i, 0] = Float(e)
            x[i, 1] = Float(exp(0.5 * stream.normal(row: UInt64(i), draw: 1) + 0.4 * e))
            x[i, 2] = Float((stream.uniform(row: UInt64(i), draw: 2) < 0.5 ? -2 : 2) + 0.3 * stream.normal(row: UInt64(i), draw: 3))
        }
        let model = try GaussianCopulaModel(fitting: x, labels: [Int32](repeating: 0, count: n), classNames: ["all"],
                                            featureNames: ["a", "b", "c"], source: "test")
        #expect(try GaussianCopulaModel(json: model.json, source: "again") == model)
        let generator = CopulaModelGenerator(model: model, rows: n, seed: 8)
        var sample = Matrix(rows: n, columns: 3)
        generator.fill(rows: 0..<n, features: &sample.storage)
        let critical = 1.63 * (2 / Double(n)).squareRoot() + 1 / 256
        for j in 0..<3 {
            let ks = MarginalMetrics.compareSorted(MarginalMetrics.sortedColumn(x, j), MarginalMetrics.sortedColumn(sample, j)).ks
            #expect(ks < critical, "feature \(j): KS \(ks)")
        }
        func spearman(_ m: Matrix, _ a: Int, _ b: Int) -> Double {
            func ranks(_ j: Int) -> [Double] {
                let order = (0..<m.rows).sorted { m[$0, j] < m[$1, j] }
                var r = [Double](repeating: 0, count: m.rows)
                for (rank, i) in order.enumerated() { r[i] = Double(rank) }
                return r
            }
            let ra = ranks(a), rb = ranks(b), mean = Double(m.rows - 1) / 2
            var s = 0.0, sa = 0.0, sb = 0.0
            for i in 0..<m.rows { s += (ra[i] - mean) * (rb[i] - mean); sa += (ra[i] - mean) * (ra[i] - mean); sb += (rb[i] - mean) * (rb[i] - mean) }
            return s / (sa * sb).squareRoot()
        }
        let original = spearman(x, 0, 1), sampled = spearman(sample, 0, 1)
        #expect(original > 0.3)
        #expect(abs(original - sampled) < 5 / Double(n).squareRoot(), "Spearman \(original) vs \(sampled)")
        #expect(abs(spearman(sample, 0, 2)) < 5 / Double(n).squareRoot())
    }
}
