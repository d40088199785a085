import Testing
import Foundation
import Synth
import TestSupport
@testable import Eval
@testable import SynthctlCore

/// Per class, precision, recall, density and coverage at matched sizes
/// beside the class's holdout rows (``ClassMatchedSizes``).
@Suite struct ClassMatchedSizesTests {
    static func parameters(threads: Int = 2, draws: Int = 5) -> FidelityReport.Parameters {
        var p = FidelityReport.Parameters()
        p.detector = .logistic
        p.kidSubsets = 5
        p.baselines = false
        p.bootstrapResamples = 50
        p.sizeDraws = draws
        p.threads = threads
        return p
    }

    /// ``realLookingTable``'s small class (10% of the rows): 3,000 human rows
    /// give it about 216 training and 90 holdout rows; 20,000 synthetic rows
    /// of the same distribution give it about 2,000.
    static func smallClass(threads: Int = 2, draws: Int = 5) throws -> (FidelityReport, FidelityReport.ClassComparison) {
        let human = realLookingTable(rows: 3000, seed: 21, source: "human")
        let synthetic = realLookingTable(rows: 20000, seed: 22, source: "synthetic")
        let r = try FidelityReport(human: human, synthetic: synthetic, parameters: parameters(threads: threads, draws: draws))
        return (r, try #require(r.perClass.first { r.classNames[$0.classIndex] == "small" }))
    }

    /// Same distribution, about 90 holdout rows against 2,000 synthetic rows
    /// of the class: on all rows the synthetic rows cover 1.000 of the
    /// class's training rows, far above the holdout's 0.7685, by size alone;
    /// at the matched size (the holdout's, 5 draws) they cover 0.8343. Both
    /// matched coverages are shares of the same n training rows, so they
    /// differ by at most 3·√(2·p(1 − p)/n) (≈ 0.11 here) but for a
    /// 3-in-10³ chance; the all-rows coverage lies beyond that.
    @Test func aSmallClassMatchedReadsItsHoldoutsCoverage() throws {
        let (r, c) = try Self.smallClass()
        let m = try #require(c.matchedSizes)
        let holdoutRows = m.holdoutRows
        #expect(m.subsampled == .synthetic && m.size == holdoutRows && m.draws == 5 && m.problem == nil)
        #expect(holdoutRows < 100 && c.syntheticRows > 20 * holdoutRows, "\(holdoutRows) holdout, \(c.syntheticRows) synthetic rows")
        let matched = try #require(FidelityMetric.coverage.classValue(c, utility: r.utility)?.value)
        let baseline = try #require(FidelityMetric.coverage.classBaseline(c)).mean
        let allRows = try #require(c.manifold).coverage
        let p = (matched + baseline) / 2, n = Double(c.humanRows)
        let tolerance = 3 * (2 * p * (1 - p) / n).squareRoot()
        #expect(abs(matched - baseline) <= tolerance, "matched \(matched), holdout \(baseline), tolerance \(tolerance)")
        #expect(allRows - baseline > tolerance, "all rows \(allRows), holdout \(baseline), tolerance \(tolerance)")
        #expect(abs(matched - 0.8343) < 0.0001 && abs(baseline - 0.7685) < 0.0001 && allRows == 1,
                "matched \(matched), holdout \(baseline), all rows \(allRows)")
        #expect(try #require(m.synthetic[FidelityMetric.coverage.id]).values.count == 5)
        #expect(m.holdout[FidelityMetric.coverage.id]?.values.count == 1)
    }

    /// The draws come from the seed and the class, not the thread count.
    @Test func theSameForOneAndTwoThreads() throws {
        let (a, _) = try Self.smallClass(threads: 1)
        let (b, _) = try Self.smallClass(threads: 2)
        #expect(a.perClass.count == b.perClass.count)
        for (x, y) in zip(a.perClass, b.perClass) {
            for id in ClassMatchedSizes.metricIDs {
                #expect(x.matchedSizes?.synthetic[id]?.values == y.matchedSizes?.synthetic[id]?.values, "\(id)")
                #expect(x.matchedSizes?.holdout[id]?.values == y.matchedSizes?.holdout[id]?.values, "\(id)")
            }
        }
        #expect(a.json.serialized() == b.json.serialized())
    }

    /// `--size-draws 0` keeps the numbers on all rows and adds nothing per class.
    @Test func zeroDrawsKeepTheValuesOnAllRows() throws {
        let (r, c) = try Self.smallClass(draws: 0)
        #expect(c.matchedSizes == nil)
        #expect(FidelityMetric.coverage.classValue(c, utility: r.utility)?.value == c.manifold?.coverage)
        guard case .object(let o) = r.json, case .array(let classes)? = o["per_class"], case .object(let first)? = classes.first else {
            Issue.record("no per_class entries"); return
        }
        #expect(first["matched_sizes"] == nil && first["human_holdout"] == nil)
    }

    /// The JSON report: version 5, each class's matched size, `_sd` beside
    /// its matched values and its holdout rows' values under `human_holdout`.
    @Test func theJSONReportHasEachClassesMatchedSizeAndBaseline() throws {
        let (r, c) = try Self.smallClass()
        guard case .object(let o) = r.json, case .array(let classes)? = o["per_class"] else { Issue.record("no per_class"); return }
        #expect(o["metric_definitions_version"] == .int(8))
        let entry = classes.compactMap { e -> [String: JSONValue]? in
            guard case .object(let e) = e, e["class"] == .string("small") else { return nil }
            return e
        }.first
        guard let entry, case .object(let matched)? = entry["matched_sizes"], case .object(let manifold)? = entry["manifold"],
              case .object(let holdout)? = entry["human_holdout"], case .object(let holdoutManifold)? = holdout["manifold"] else {
            Issue.record("missing objects"); return
        }
        let m = try #require(c.matchedSizes)
        #expect(matched["size"] == .int(m.size!) && matched["draws"] == .int(5) && matched["subsampled"] == .string("synthetic"))
        #expect(manifold["coverage"] == .double(m.synthetic[FidelityMetric.coverage.id]!.mean) && manifold["coverage_sd"] != nil)
        #expect(holdout["rows"] == .int(m.holdoutRows) && holdoutManifold["coverage"] == .double(m.holdout[FidelityMetric.coverage.id]!.mean))
        #expect(holdoutManifold["coverage_sd"] == nil)
    }

    /// A class with at most k holdout rows is not matched: its values stay
    /// on all rows and the report says why.
    @Test func aClassWithTooFewHoldoutRowsIsNotMatched() throws {
        let human = realLookingTable(rows: 120, seed: 23, source: "human")
        let synthetic = realLookingTable(rows: 600, seed: 24, source: "synthetic")
        let r = try FidelityReport(human: human, synthetic: synthetic, parameters: Self.parameters())
        let small = try #require(r.perClass.first { r.classNames[$0.classIndex] == "small" })
        let m = try #require(small.matchedSizes)
        #expect(m.size == nil && m.subsampled == nil && m.holdoutRows <= 5, "\(m.holdoutRows) holdout rows")
        #expect(m.problem?.contains("is not above k = 5") == true, "\(m.problem ?? "")")
        #expect(FidelityMetric.coverage.classValue(small, utility: r.utility)?.value == small.manifold?.coverage)
    }
}
