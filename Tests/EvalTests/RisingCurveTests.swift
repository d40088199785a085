import Testing
import Foundation
@testable import Eval

/// Issue 13, third round, item 1: a learning curve that rises (synthetic
/// rows whose labels contradict the human ones make the learner worse) was
/// fitted with a power law anyway and reported as "falling (plateau held at
/// 0)", with a scale of −2.68e18 and an exponent of −1e17. A power law
/// c + a·n^(−b) with a, b > 0 only falls: a rising curve is reported as
/// rising, at its error at the largest n, and no fit whose scale or
/// exponent is not above 0 is used as one.
@Suite struct RisingCurveTests {
    static let sizes = LimitsFindingsTests.sizes

    /// The tester's shape: the human curve falls to about 0.08; the
    /// synthetic and mixed curves go from 0.105 up to 0.897.
    static func tester() -> LearningCurves {
        let falling = LimitsFindingsTests.points(sizes) { 0.08 + 0.9 * pow($0, -0.6) }
        let rising = LimitsFindingsTests.points(sizes) { 0.105 + 0.792 * (log($0) - log(20)) / (log(450) - log(20)) }
        return LearningCurves(testRows: 900, testMajorityClassError: 0.5, human: falling, synthetic: rising, mixed: rising)
    }

    @Test func aRisingCurveIsReportedAsRisingAtItsErrorAtTheLargestSize() throws {
        let curves = Self.tester()
        let f = LimitsFindings(curves)
        let z = LimitsFindings.z
        for level in [f.synthetic, f.mixed] {
            let l = try #require(level)
            let first = curves.mixed.points.first!, last = curves.mixed.points.last!
            // Rising beyond noise: the fall is negative by more than z standard errors.
            #expect(l.shape == .rising && l.rising && !l.flat && !l.heldAtZero && l.powerLaw == nil)
            #expect(l.fall == first.mean - last.mean && l.fall < -z * l.fallStandardError)
            // Its level is the error observed at the largest n, with that
            // mean's standard error over seeds and the test split's in quadrature.
            let se = (pow(last.standardError, 2) + pow(LimitsFindings.binomialStandardError(last.mean, rows: 900), 2)).squareRoot()
            #expect(l.value == last.mean && l.observedError == last.mean && l.standardError == se)
            #expect(l.interval == LimitsFindings.Interval(lower: last.mean - z * se, upper: last.mean + z * se))
        }
        // The human curve still falls as a power law.
        let h = try #require(f.human)
        #expect(h.shape == .falling && h.powerLaw != nil && h.powerLaw!.scale > 0 && h.powerLaw!.exponent > 0)
        // No number of synthetic rows is exchanged for human rows: more of them raise the error.
        #expect(f.exchange.count == Self.sizes.count && f.exchange.allSatisfy { $0.status == .syntheticRising && $0.syntheticRows == nil })
        // The gap is between the rising curve's error at its largest n and the human plateau.
        let gap = try #require(f.gap)
        #expect(gap.value == f.synthetic!.value - h.value && gap.resolved)
    }

    /// A curve within noise of flat stays flat, however its fit comes out;
    /// a rise just beyond z standard errors is rising (the same criterion
    /// as flat, mirrored).
    @Test func theRiseMustExceedNoise() throws {
        let flatish = LimitsFindingsTests.points(Self.sizes, spread: 0.02) { 0.30 + 0.0004 * log($0) }
        let f = LimitsFindings(LearningCurves(testRows: 200, testMajorityClassError: 0.5, human: flatish, synthetic: flatish, mixed: flatish))
        let l = try #require(f.human)
        #expect(l.flat && abs(l.fall) <= LimitsFindings.z * l.fallStandardError)
    }

    /// A curve whose error at the largest n is below its error at the
    /// smallest beyond noise (0.50 → 0.47), but which dips first and then
    /// climbs (0.21 at n = 34, up to 0.47): the least-squares power law
    /// rises (its exponent is negative, as in the tester's
    /// "n^(−-0.0017)"). It is not used: the curve is falling with no power
    /// law, at its error at the largest n, and no synthetic rows are read
    /// off it.
    @Test func aFallingCurveWithoutADecreasingPowerLawIsNotReadOffOne() throws {
        let human = LimitsFindingsTests.points(Self.sizes, spread: 0.002) { 0.05 + 2 * pow($0, -0.7) }
        let late = LimitsFindingsTests.points(Self.sizes, spread: 0.002) { n in n < 30 ? 0.5 : 0.2 + 0.1 * log(n / 30) }
        let curves = LearningCurves(testRows: 4000, testMajorityClassError: 0.5, human: human, synthetic: late, mixed: late)
        let fit = try #require(curves.synthetic.fit)
        try #require(!(fit.scale > 0 && fit.exponent > 0), "the optimum is a decreasing power law here: scale \(fit.scale), exponent \(fit.exponent)")
        let f = LimitsFindings(curves)
        let s = try #require(f.synthetic)
        #expect(s.shape == .falling && s.powerLaw == nil && !s.heldAtZero && s.fall > 0)
        #expect(s.value == late.last!.mean)
        #expect(f.exchange.allSatisfy { $0.status == .noPowerLaw || $0.status == .cannotTell })
        #expect(f.exchange.contains { $0.status == .noPowerLaw })
    }
}
