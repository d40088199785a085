import Testing
import TestSupport
@testable import Eval

/// The detector's ROC curve (``ROCCurve``): from (0, 0) to (1, 1), never
/// falling, its area the AUC, thinned to at most ``ROCCurve/maximumPoints``.
@Suite struct ROCCurveTests {
    /// The trapezoid area under a curve's points.
    func area(_ c: ROCCurve) -> Double {
        zip(c.points, c.points.dropFirst()).reduce(0) { a, p in
            a + (p.1.falsePositiveRate - p.0.falsePositiveRate) * (p.0.truePositiveRate + p.1.truePositiveRate) / 2
        }
    }

    @Test func smallCurveHasOneStepPerDistinctScoreAndTheAUCsArea() {
        // Scores 0.9 (real), 0.8 (synthetic), 0.7 tied real and synthetic, 0.1 (synthetic).
        let c = ROCCurve(scores: [0.9, 0.8, 0.7, 0.7, 0.1], positive: [true, false, true, false, false])
        #expect(c.points.map(\.falsePositiveRate) == [0, 0, 1.0 / 3, 2.0 / 3, 1])
        #expect(c.points.map(\.truePositiveRate) == [0, 0.5, 0.5, 1, 1])
        let auc = ClassifierScores.auc(scores: [0.9, 0.8, 0.7, 0.7, 0.1], positive: [true, false, true, false, false]).value
        #expect(abs(area(c) - auc) < 1e-12 && abs(auc - 0.75) < 1e-12)
    }

    @Test func largeCurvesAreThinnedDeterministicallyAndKeepTheirEnds() {
        var g = SplitMix64(seed: 16)
        for n in [50, 1000, 20_000] {
            let positive = (0..<n).map { _ in g.next() % 2 == 0 }
            // Separable by a margin: the positives' scores shifted up by 0.3.
            let scores = positive.map { Double(g.next() % 10_000) / 10_000 + ($0 ? 0.3 : 0) }
            let c = ROCCurve(scores: scores, positive: positive)
            #expect(c.points.count <= ROCCurve.maximumPoints && c.points.count >= min(n, 100), "\(n): \(c.points.count)")
            #expect(c.points.first! == (0, 0) && c.points.last! == (1, 1))
            #expect(zip(c.points, c.points.dropFirst()).allSatisfy { $0.0.falsePositiveRate <= $0.1.falsePositiveRate && $0.0.truePositiveRate <= $0.1.truePositiveRate })
            // Thinning keeps the area within the largest gap it leaves (2/199 along the curve).
            let auc = ClassifierScores.auc(scores: scores, positive: positive).value
            #expect(abs(area(c) - auc) < 0.011, "\(n): \(area(c)) vs \(auc)")
            #expect(c == ROCCurve(scores: scores, positive: positive))
        }
    }

    @Test func oneSidedScoresHaveNoCurve() {
        #expect(ROCCurve(scores: [0.1, 0.2], positive: [true, true]).points.isEmpty)
        #expect(ROCCurve(scores: [], positive: []).points.isEmpty)
    }
}
