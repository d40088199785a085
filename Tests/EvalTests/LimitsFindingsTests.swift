import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// What `limits` may claim: flat curves, real gaps with intervals that
/// exclude 0, and a test split too small to tell anything.
@Suite struct LimitsFindingsTests {
    static func curves(human: (Matrix, [Int32]), synthetic: (Matrix, [Int32]), test: (Matrix, [Int32]), seeds: Int = 3,
                       points: Int = 6) -> LearningCurves {
        var p = LearningCurves.Parameters()
        p.seeds = seeds
        p.points = points
        return LearningCurves(humanTrain: human.0, humanLabels: human.1, synthetic: synthetic.0, syntheticLabels: synthetic.1,
                              test: test.0, testLabels: test.1, classes: 2, parameters: p)
    }

    /// Blobs at ±`separation` along feature 0; `tilt` moves class 1 along
    /// feature 1 as well (and class 0 the other way).
    static func blobs(_ n: Int, seed: UInt64, separation: Float = 1.5, tilt: Float = 0, classes: [Int32] = [0, 1]) -> (Matrix, [Int32]) {
        var (x, y) = LearningCurvesTests.blobs(n, seed: seed, classes: classes)
        for i in 0..<n {
            let sign: Float = y[i] == 0 ? -1 : 1
            x[i, 0] += sign * (separation - 1.5)
            x[i, 1] += sign * tilt
        }
        return (x, y)
    }

    /// 30 test rows: an error rate near 0.07 has a binomial standard error
    /// of about 0.05 on them, far more than these two same-distribution
    /// curves differ by, so nothing is claimed; on 4,000 test rows the same
    /// curves do show their fall.
    @Test func aTinyTestSplitCannotTell() throws {
        let human = Self.blobs(400, seed: 1), synthetic = Self.blobs(400, seed: 2)
        let tiny = LimitsFindings(Self.curves(human: human, synthetic: synthetic, test: Self.blobs(30, seed: 3)))
        let t = tiny.testSplit
        #expect(t.rows == 30 && t.tooSmallToTell, "resolution \(t.resolution), human fall \(tiny.human?.fall ?? .nan), gap \(tiny.gap?.value ?? .nan)")
        // The criterion is the binomial standard error at that size, nothing else.
        let z = LimitsFindings.z, m = 30 + z * z, centre = (t.errorRate * 30 + z * z / 2) / m
        #expect(abs(t.standardError - (centre * (1 - centre) / m).squareRoot()) < 1e-15)
        #expect(abs(t.resolution - z * 2.0.squareRoot() * t.standardError) < 1e-15)
        #expect(t.resolution > abs(tiny.human!.fall) && t.resolution > abs(tiny.gap!.value))
        #expect(!tiny.exchange.isEmpty && tiny.exchange.allSatisfy { $0.status == .cannotTell && $0.syntheticRows == nil })
        #expect(tiny.gap.map { !$0.resolved } == true)

        let largeCurves = Self.curves(human: human, synthetic: synthetic, test: Self.blobs(4000, seed: 3))
        let large = LimitsFindings(largeCurves)
        #expect(!large.testSplit.tooSmallToTell && large.testSplit.resolution < tiny.testSplit.resolution / 5)
        let estimated = large.exchange.filter { $0.status == .estimated }
        #expect(!estimated.isEmpty)
        // The interval is the delta method on log n over both fits' (c, a, b)
        // and the test split's noise; here its gradient is taken by central
        // differences instead of by hand.
        let hf = try #require(largeCurves.human.fit), sf = try #require(largeCurves.synthetic.fit)
        #expect(!large.human!.flat && !large.synthetic!.flat && !hf.plateauAtZero && !sf.plateauAtZero)
        for e in estimated {
            let rows = e.syntheticRows!, interval = e.interval!
            #expect(interval.lower <= rows && rows <= interval.upper && interval.lower > 0)
            let m = Double(e.humanRows)
            func logRows(_ p: [Double]) -> Double { -(log(p[0] + p[1] * pow(m, -p[2]) - p[3]) - log(p[4])) / p[5] }
            let p = [hf.plateau, hf.scale, hf.exponent, sf.plateau, sf.scale, sf.exponent]
            let g = (0..<6).map { k -> Double in
                let h = 1e-6 * max(abs(p[k]), 1e-3)
                var up = p, down = p
                up[k] += h; down[k] -= h
                return (logRows(up) - logRows(down)) / (2 * h)
            }
            var variance = 0.0
            for i in 0..<3 { for j in 0..<3 {
                variance += g[i] * hf.covariance[i][j] * g[j] + g[3 + i] * sf.covariance[i][j] * g[3 + j]
            } }
            // The test split's noise at the errors observed: the human point's and the synthetic curve's at its largest n.
            let observed = try #require(largeCurves.human.points.first { $0.rows == e.humanRows }).mean
            let binomial = pow(LimitsFindings.binomialStandardError(observed, rows: 4000), 2)
                + pow(LimitsFindings.binomialStandardError(largeCurves.synthetic.points.last!.mean, rows: 4000), 2)
            variance += g[3] * g[3] * binomial
            let expected = LimitsFindings.z * variance.squareRoot()
            #expect(abs(log(interval.upper / rows) - expected) < 1e-5 * expected, "m = \(e.humanRows)")
            #expect(abs(logRows(p) - log(rows)) < 1e-9)
        }
    }

    /// Classes 12 standard deviations apart: no training size makes an
    /// error, so the curve is flat at 0 and is reported so, with the test
    /// split's uncertainty (about 3/n above 0), not as a plateau held at 0
    /// without a standard error. A synthetic set of one class is flat at its
    /// missing class's share.
    @Test func aFlatCurveIsReportedAsFlat() throws {
        let human = Self.blobs(600, seed: 1, separation: 6), test = Self.blobs(1000, seed: 3, separation: 6)
        let oneClass = Self.blobs(600, seed: 2, separation: 6, classes: [0])
        let curves = Self.curves(human: human, synthetic: oneClass, test: test)
        #expect(curves.human.points.allSatisfy { $0.mean == 0 })
        let f = LimitsFindings(curves)
        let h = try #require(f.human), s = try #require(f.synthetic)
        #expect(h.flat && h.value == 0 && h.fall == 0 && !h.heldAtZero)
        let interval = try #require(h.interval)
        #expect(interval.lower == 0 && interval.upper > 0 && interval.upper < 5.0 / 1000, "\(interval)")
        #expect(s.flat && abs(s.value - 0.5) < 1e-12)
        // Half the test rows are of the missing class: no amount of it reaches the human error.
        #expect(f.exchange.allSatisfy { $0.status == .unreachable })
        #expect(f.gap?.resolved == true)
    }

    /// A synthetic set whose classes are also shifted along a feature the
    /// human classes do not differ in teaches a tilted boundary: on human
    /// test rows its error settles near Φ(−1.5/√2) = 0.144 against the human
    /// 0.067. The gap's interval excludes 0, and the human error at every
    /// size measured is below the synthetic plateau.
    @Test func aRealGapHasAnIntervalThatExcludesZero() throws {
        let human = Self.blobs(3000, seed: 1), synthetic = Self.blobs(3000, seed: 2, tilt: 1.5), test = Self.blobs(4000, seed: 3)
        let f = LimitsFindings(Self.curves(human: human, synthetic: synthetic, test: test))
        let gap = try #require(f.gap), interval = try #require(gap.interval)
        #expect(gap.resolved && interval.lower > 0, "gap \(gap.value) ± \(gap.standardError)")
        #expect(abs(f.synthetic!.value - 0.144) < 0.03 && abs(f.human!.value - 0.067) < 0.03)
        #expect(!f.testSplit.tooSmallToTell)
        #expect(f.exchange.last!.status == .unreachable)
    }

    /// Points of a curve: at each n, seeds' errors spread ±`spread` around `mean(n)`.
    static func points(_ sizes: [Int], seeds: Int = 5, spread: Double = 0.004, _ mean: (Double) -> Double) -> [LearningCurves.Point] {
        sizes.map { n in
            LearningCurves.Point(rows: n, errors: (0..<seeds).map { s in mean(Double(n)) + spread * (Double(s) - Double(seeds - 1) / 2) / Double(seeds) })
        }
    }

    static let sizes = [20, 34, 57, 96, 161, 270, 450]

    /// A curve still falling steeply at its largest n (err = −0.2 + n^(−0.08):
    /// its power law's optimum puts the plateau near −0.2) on 91 test rows,
    /// the size of the tester's split. The plateau is held at 0, with an
    /// uncertainty bounded by the error observed at the largest n (about
    /// 0.41 ± 0.05) — not the free fit's, which a steep curve can make
    /// anything — and the test split's binomial term is taken at the error
    /// observed there, not at the plateau of 0: no "error rate near 0.0000
    /// with a standard error of 0.0075".
    @Test func aPlateauHeldAtZeroHasABoundedUncertainty() throws {
        let falling = Self.points(Self.sizes) { -0.2 + pow($0, -0.08) }
        let flat = Self.points(Self.sizes) { _ in 0.45 }
        let curves = LearningCurves(testRows: 91, testMajorityClassError: 0.62, human: falling, synthetic: flat, mixed: flat)
        let fit = try #require(curves.human.fit)
        #expect(fit.plateauAtZero && fit.unconstrainedPlateau.value < -0.05)
        let f = LimitsFindings(curves)
        let h = try #require(f.human), last = falling.last!
        #expect(h.heldAtZero && h.value == 0 && !h.flat && h.observedError == last.mean)
        let z = LimitsFindings.z
        let observedBound = last.mean + z * (pow(last.standardError, 2) + pow(LimitsFindings.binomialStandardError(last.mean, rows: 91), 2)).squareRoot()
        let interval = try #require(h.interval)
        #expect(interval.lower == 0 && interval.upper <= observedBound && interval.upper > 0)
        #expect(abs(h.standardError - interval.upper / z) < 1e-15)
        let free = fit.unconstrainedPlateau.standardError
        #expect(interval.upper == min(1, observedBound, free.isFinite ? z * free : .infinity))
        // The test split at the observed error, not at 0.
        #expect(f.testSplit.errorRate == last.mean)
        #expect(f.testSplit.standardError == LimitsFindings.binomialStandardError(last.mean, rows: 91))
        #expect(f.testSplit.standardError > 0.04)
        let gap = try #require(f.gap)
        #expect(gap.standardError.isFinite && gap.standardError < 0.5 && gap.interval!.upper - gap.interval!.lower < 2)
    }

    /// A plateau fitted above 0 has the fit's standard error and the test
    /// split's at the error observed at the largest n in quadrature (the
    /// plateau itself, extrapolated, was never measured on the test rows).
    @Test func aFittedPlateauTakesTheTestSplitAtTheObservedError() throws {
        let falling = Self.points(Self.sizes, spread: 0.002) { 0.05 + 2 * pow($0, -0.7) }
        let curves = LearningCurves(testRows: 500, testMajorityClassError: 0.5, human: falling, synthetic: falling, mixed: falling)
        let fit = try #require(curves.human.fit)
        #expect(!fit.plateauAtZero)
        let h = try #require(LimitsFindings(curves).human), observed = falling.last!.mean
        #expect(!h.flat && !h.heldAtZero && h.observedError == observed && abs(h.value - fit.plateau) < 1e-15)
        let expected = (pow(fit.standardErrors.plateau, 2) + pow(LimitsFindings.binomialStandardError(observed, rows: 500), 2)).squareRoot()
        #expect(abs(h.standardError - expected) < 1e-15)
    }

    /// Labels independent of the features: 4001 test rows, majority-class
    /// error 0.50, resolution about 0.022. A curve flat at 0.51 is at chance,
    /// and so is one falling toward it from above (a learner overfitting
    /// noise at small sizes); the report says so instead of "the test split
    /// is too small to tell", and gives no exchange rate. A curve that goes
    /// below chance by more than the resolution is not at chance, and a
    /// split whose resolution exceeds the majority-class error cannot tell.
    @Test func aCurveAtChanceIsReportedAtChance() throws {
        let flat = Self.points(Self.sizes) { _ in 0.51 }
        let fromAbove = Self.points(Self.sizes) { 0.5 + 0.6 * pow($0, -0.6) }
        let learns = Self.points(Self.sizes) { 0.3 + 0.8 * pow($0, -0.5) }
        for human in [flat, fromAbove] {
            let f = LimitsFindings(LearningCurves(testRows: 4001, testMajorityClass: 1, testMajorityClassError: 0.5, human: human,
                                                  synthetic: flat, mixed: flat))
            #expect(f.testSplit.resolution > 0.02 && f.testSplit.resolution < 0.023)
            #expect(f.chance.humanAtChance && f.chance.syntheticAtChance && f.chance.majorityClass == 1)
            #expect(!f.testSplit.tooSmallToTell)
            #expect(f.exchange.count == Self.sizes.count && f.exchange.allSatisfy { $0.status == .humanAtChance && $0.syntheticRows == nil })
        }
        let f = LimitsFindings(LearningCurves(testRows: 4001, testMajorityClassError: 0.5, human: learns, synthetic: flat, mixed: flat))
        #expect(!f.chance.humanAtChance && f.chance.syntheticAtChance)
        #expect(f.exchange.allSatisfy { $0.status != .humanAtChance })
        // 10 test rows at a majority-class error of 0.3: a resolution of about 0.36 cannot tell chance from learning.
        let tiny = LimitsFindings(LearningCurves(testRows: 10, testMajorityClassError: 0.3, human: Self.points(Self.sizes) { _ in 0.3 },
                                                 synthetic: flat, mixed: flat))
        #expect(tiny.testSplit.resolution > 0.3 && !tiny.chance.humanAtChance && tiny.testSplit.tooSmallToTell)
    }
}
