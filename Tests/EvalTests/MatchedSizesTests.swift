import Testing
import Foundation
import Synth
import TestSupport
@testable import Eval
@testable import SynthctlCore

/// A real-looking table: three classes (45%, 45%, 10% of the rows: one
/// small), columns in hundredths, in thousands (log-normal), a bounded
/// count 0–16 and one in units. `spread` widens the last column's
/// within-class spread: 1 is the human distribution, above 1 a generator
/// that is a little off.
func realLookingTable(rows: Int, seed: UInt64, spread: Double = 1, source: String) -> LabeledFeatures {
    var g = SplitMix64(seed: seed)
    func normal() -> Double {
        // Box–Muller from two uniforms in (0, 1].
        let u = Double.random(in: Double.ulpOfOne...1, using: &g), v = Double.random(in: 0..<1, using: &g)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
    var x = Matrix(rows: rows, columns: 4), labels = [Int32]()
    for r in 0..<rows {
        let u = Double.random(in: 0..<1, using: &g)
        let c = u < 0.45 ? 0 : u < 0.9 ? 1 : 2
        labels.append(Int32(c))
        x[r, 0] = Float(0.05 + 0.01 * Double(c) + 0.01 * normal())
        x[r, 1] = Float(1000 * exp(0.3 * Double(c) + 0.5 * normal()))
        x[r, 2] = Float(min(16, max(0, (4 + 3 * Double(c) + 2 * normal()).rounded())))
        x[r, 3] = Float(Double(c) + spread * normal())
    }
    return LabeledFeatures(source: source, features: x, featureNames: ["ratio", "amount", "count", "score"], labels: labels,
                           classNames: ["a", "b", "small"])
}

@Suite struct MatchedSizesTests {
    static func parameters(baselines: Bool = true) -> FidelityReport.Parameters {
        var p = FidelityReport.Parameters()
        p.detector = .logistic
        p.kidSubsets = 5
        p.perClass = false
        p.baselines = baselines
        p.bootstrapResamples = 200
        p.threads = 2
        return p
    }

    /// The issue's size effect: coverage of one generator read 0.744 at 539
    /// rows, 0.952 at 1,797 and 0.981 at 5,000. At matched sizes the three
    /// agree. Each matched coverage is an estimate at m rows a side (m the
    /// holdout's ≈ 539) whose sampling sd σ the 5,000-row run's draws
    /// measure; two such estimates differ by at most σ√2·4 but for a
    /// 1-in-10⁴ chance (normal tails), the tolerance used. Measured on all
    /// rows, the same coverages spread far beyond it (the test can fail).
    @Test func coverageOfOneGeneratorNoLongerDependsOnItsSize() throws {
        let human = realLookingTable(rows: 1797, seed: 1, source: "human")
        var matched = [Double](), allRows = [Double](), sd = 0.0
        for (rows, seed) in [(539, UInt64(2)), (1797, 3), (5000, 4)] {
            let synthetic = realLookingTable(rows: rows, seed: seed, spread: 1.6, source: "synthetic")
            let r = try FidelityReport(human: human, synthetic: synthetic, parameters: Self.parameters(baselines: false))
            matched.append(try #require(FidelityMetric.coverage.value(r.synthetic, nil)?.value))
            allRows.append(r.synthetic.manifold.coverage)
            if rows == 5000 {
                #expect(r.matchedSizes.subsampled == .synthetic && r.matchedSizes.draws == 5)
                #expect(r.matchedSizes.size == r.holdoutRows)
                sd = try #require(r.synthetic.matched[FidelityMetric.coverage.id]).standardDeviation
            }
        }
        #expect(sd > 0)
        let tolerance = 4 * 2.0.squareRoot() * sd
        #expect(matched.max()! - matched.min()! <= tolerance, "matched coverages \(matched), tolerance \(tolerance)")
        #expect(allRows.max()! - allRows.min()! > tolerance, "coverages on all rows \(allRows) should show the size effect")
    }

    /// A synthetic set smaller than the holdout: the baselines are subsampled to its size.
    @Test func aSmallSyntheticSetSubsamplesTheBaselines() throws {
        let human = realLookingTable(rows: 1200, seed: 5, source: "human")
        let synthetic = realLookingTable(rows: 150, seed: 6, source: "synthetic")
        let r = try FidelityReport(human: human, synthetic: synthetic, parameters: Self.parameters())
        #expect(r.matchedSizes.subsampled == .baselines && r.matchedSizes.size == 150 && r.matchedSizes.draws == 5)
        let holdout = try #require(r.baselines.first { $0.name == "human_holdout" })
        #expect(holdout.matched[FidelityMetric.coverage.id]?.values.count == 5)
        #expect(r.synthetic.matched[FidelityMetric.coverage.id]?.values.count == 1)
        // The holdout's coverage at 150 rows is below its coverage on all its rows.
        #expect(FidelityMetric.coverage.value(holdout, nil)!.value! < holdout.manifold.coverage)
    }

    /// Draws come from the seed, not the thread count.
    @Test func drawsAreTheSameForAnyThreadCount() throws {
        let human = realLookingTable(rows: 600, seed: 7, source: "human")
        let synthetic = realLookingTable(rows: 900, seed: 8, spread: 1.3, source: "synthetic")
        var one = Self.parameters(baselines: false), two = one
        one.threads = 1
        two.threads = 3
        let a = try FidelityReport(human: human, synthetic: synthetic, parameters: one)
        let b = try FidelityReport(human: human, synthetic: synthetic, parameters: two)
        for id in MatchedSizes.metricIDs { #expect(a.synthetic.matched[id]?.values == b.synthetic.matched[id]?.values, "\(id)") }
        #expect(a.json.serialized() != "" && a.verdict == b.verdict)
    }

    /// The JSON report states the matched size, the draws and each matched metric's spread and interval.
    @Test func theJSONReportStatesTheMatchedSize() throws {
        let human = realLookingTable(rows: 600, seed: 9, source: "human")
        let synthetic = realLookingTable(rows: 900, seed: 10, spread: 1.3, source: "synthetic")
        let r = try FidelityReport(human: human, synthetic: synthetic, parameters: Self.parameters())
        guard case .object(let o) = r.json, case .object(let m)? = o["matched_sizes"], case .object(let s)? = o["synthetic"],
              case .object(let manifold)? = s["manifold"], case .object(let detection)? = s["detection"],
              case .object(let verdict)? = o["verdict"] else {
            Issue.record("missing objects"); return
        }
        #expect(m["size"] == .int(r.holdoutRows) && m["draws"] == .int(5) && m["subsampled"] == .string("synthetic"))
        #expect(o["metric_definitions_version"] == .int(8))
        #expect(manifold["coverage_sd"] != nil && manifold["coverage_ci95"] != nil)
        #expect(detection["held_out_auc_ci95"] != nil && detection["held_out_auc_standard_error"] != nil && detection["auc_ci95"] == nil)
        #expect(verdict["text"] == .string(r.verdict.text))
    }
}
