import Testing
import Foundation
import Synth
@testable import Eval

/// Learning curves on cases whose answer is known.
@Suite struct LearningCurvesTests {
    /// Two classes of N(±1.5, 1) in 2 dimensions (plus a noise feature).
    static func blobs(_ n: Int, seed: UInt64, classes: [Int32] = [0, 1]) -> (Matrix, [Int32]) {
        let stream = RandomStream(seed: seed, purpose: .samples, substream: 9)
        var x = Matrix(rows: n, columns: 3), y = [Int32]()
        for i in 0..<n {
            let c = classes[i % classes.count]
            for j in 0..<3 { x[i, j] = Float(stream.normal(row: UInt64(i), draw: UInt32(j))) }
            x[i, 0] += c == 0 ? -1.5 : 1.5
            y.append(c)
        }
        return (x, y)
    }

    /// Synthetic rows from the human distribution itself: no gap between the
    /// plateaus beyond their standard errors.
    @Test func sameDistributionShowsNoGap() {
        let (hx, hy) = Self.blobs(3000, seed: 1), (sx, sy) = Self.blobs(3000, seed: 2), (tx, ty) = Self.blobs(4000, seed: 3)
        var p = LearningCurves.Parameters()
        p.seeds = 6
        let curves = LearningCurves(humanTrain: hx, humanLabels: hy, synthetic: sx, syntheticLabels: sy, test: tx, testLabels: ty,
                                    classes: 2, parameters: p)
        let h = curves.human.fit!, s = curves.synthetic.fit!
        let se = (pow(h.standardErrors.plateau.isNaN ? 0 : h.standardErrors.plateau, 2)
                  + pow(s.standardErrors.plateau.isNaN ? 0 : s.standardErrors.plateau, 2)).squareRoot()
        // Bayes error of this problem: Φ(−1.5) = 0.0668; the test set's own sampling error is √(p(1−p)/4000) ≈ 0.004.
        #expect(abs(s.plateau - h.plateau) < 3 * se + 0.01, "human \(h.plateau), synthetic \(s.plateau), se \(se)")
        #expect(abs(curves.human.points.last!.mean - 0.0668) < 0.02)
        // and the exchange rate is about one synthetic row per human row
        let n = curves.syntheticRowsMatching(humanRows: 200)
        #expect(n != nil && n! > 100 && n! < 400, "\(String(describing: n))")
    }

    /// A synthetic set without class 1 can never classify class 1 right: its
    /// plateau is at least class 1's share of the test rows, 0.5, and the
    /// exchange rate says no amount of it buys the human curve's errors.
    @Test func aMissingClassSetsTheFloor() {
        let (hx, hy) = Self.blobs(2000, seed: 1), (tx, ty) = Self.blobs(2000, seed: 3)
        let (sx, sy) = Self.blobs(2000, seed: 2, classes: [0])
        var p = LearningCurves.Parameters()
        p.seeds = 3
        let curves = LearningCurves(humanTrain: hx, humanLabels: hy, synthetic: sx, syntheticLabels: sy, test: tx, testLabels: ty,
                                    classes: 2, parameters: p)
        #expect(curves.synthetic.points.allSatisfy { abs($0.mean - 0.5) < 1e-12 })
        #expect(curves.syntheticRowsMatching(humanRows: 100) == nil)
        // Mixed with human rows the missing class comes back.
        #expect(curves.mixed.points.last!.mean < 0.3)
    }

    @Test func resultsDoNotDependOnTheThreadCount() {
        let (hx, hy) = Self.blobs(800, seed: 1), (sx, sy) = Self.blobs(800, seed: 2), (tx, ty) = Self.blobs(500, seed: 3)
        var p = LearningCurves.Parameters()
        p.seeds = 2
        p.points = 4
        for learner in LearningCurves.Learner.allCases {
            p.learner = learner
            p.threads = 1
            let one = LearningCurves(humanTrain: hx, humanLabels: hy, synthetic: sx, syntheticLabels: sy, test: tx, testLabels: ty, classes: 2, parameters: p)
            p.threads = 2
            let two = LearningCurves(humanTrain: hx, humanLabels: hy, synthetic: sx, syntheticLabels: sy, test: tx, testLabels: ty, classes: 2, parameters: p)
            for (a, b) in [(one.human, two.human), (one.synthetic, two.synthetic), (one.mixed, two.mixed)] {
                #expect(a.points.map(\.errors) == b.points.map(\.errors), "\(learner)")
            }
        }
    }
}
