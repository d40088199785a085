import Testing
import Foundation
@testable import Eval

/// limits' note on small test splits (issue 16, "Small test splits report
/// noise"): a curve whose points all lie within the test split's resolution
/// of each other is named.
@Suite struct CurvesWithinNoiseTests {
    static func points(_ means: [Double]) -> [LearningCurves.Point] {
        zip([20, 57, 161, 450], means).map { LearningCurves.Point(rows: $0, errors: [$1 - 0.002, $1, $1 + 0.002]) }
    }

    /// 53 test rows (the issue's), errors near 0.2: the binomial standard
    /// error is √(0.2·0.8/53) ≈ 0.055 (at the Agresti–Coull centre, 0.058),
    /// so two errors must differ by 1.96·√2·0.058 ≈ 0.16 to be told apart. A
    /// human curve falling 0.24 → 0.19 (0.05) is within it; a synthetic one
    /// falling 0.45 → 0.20 is not. On 5,300 test rows the resolution is
    /// ten times finer and neither is within it.
    @Test func aCurveThatMovesLessThanTheResolutionIsNoise() {
        let human = Self.points([0.24, 0.22, 0.20, 0.19]), synthetic = Self.points([0.45, 0.33, 0.25, 0.20])
        let small = LearningCurves(testRows: 53, testMajorityClassError: 0.6, human: human, synthetic: synthetic, mixed: human)
        let f = LimitsFindings(small)
        #expect(f.testSplit.resolution > 0.14 && f.testSplit.resolution < 0.18, "\(f.testSplit.resolution)")
        let within = small.withinNoise(resolution: f.testSplit.resolution)
        #expect(within.map(\.curve) == ["human", "human+synthetic"])
        #expect(abs(within[0].spread - 0.05) < 1e-12)
        let large = LearningCurves(testRows: 5300, testMajorityClassError: 0.6, human: human, synthetic: synthetic, mixed: human)
        #expect(large.withinNoise(resolution: LimitsFindings(large).testSplit.resolution).isEmpty)
    }
}
