import Testing
import Foundation
import Synth
import TestSupport
@testable import Eval
@testable import SynthctlCore

/// The intervals beside compare's headline numbers, and the verdict line
/// that reads them.
@Suite struct FidelityIntervalTests {
    /// Wilson's interval for 5 of 10 is (0.2366, 0.7634) and for 0 of 20
    /// (0, 0.1611) (Agresti & Coull 1998, table values; also
    /// statsmodels' proportion_confint(method="wilson")).
    @Test func wilsonMatchesItsTableValues() {
        let half = ConfidenceInterval.wilson(share: 0.5, trials: 10)
        #expect(abs(half.lower - 0.236593) < 1e-5 && abs(half.upper - 0.763407) < 1e-5)
        let none = ConfidenceInterval.wilson(share: 0, trials: 20)
        #expect(none.lower == 0 && abs(none.upper - 0.161134) < 1e-5)
    }

    /// Two sets from the same distribution: the held-out detection AUC's
    /// 95% DeLong interval (``DetectionTest/heldOut``) covers the truth,
    /// 0.5, in 95% of runs if it is right. Over 100 seeded runs the count
    /// covered is Binomial(100, 0.95): mean 95, P(≤ 88) ≈ 0.006, so at
    /// least 89 is the bar; and z = (AUC − 0.5)/SE is N(0, 1), whose
    /// sample sd over 100 runs has standard error about 1/√200 = 0.071, so
    /// below 1.25 is the bar (3.5 standard errors). The cross-validated
    /// AUC's DeLong error fails the second bar for trees: scikit-learn's
    /// HistGradientBoosting on 571 rows a side had z sd 1.36 (issue 16 D3,
    /// `benchmarks/detection_null_calibration.py`).
    @Test(arguments: [DetectionTest.Detector.gbdt, .logistic])
    func theHeldOutIntervalIsCalibratedWhenTheSetsAreAlike(detector: DetectionTest.Detector) {
        var covered = 0, z = [Double]()
        for run in 0..<100 {
            let a = realLookingTable(rows: 300, seed: UInt64(1000 + run), source: "a").features!
            let b = realLookingTable(rows: 300, seed: UInt64(5000 + run), source: "b").features!
            let x = Matrix(rows: a.rows + b.rows, columns: a.columns, storage: a.storage + b.storage)
            let labels = [Int32](repeating: 1, count: a.rows) + [Int32](repeating: 0, count: b.rows)
            let auc = DetectionTest.heldOutAUC(features: x, labels: labels, strata: labels, strataCount: 2, detector: detector,
                                               seed: UInt64(run), threads: 1)
            #expect(auc.positives == 150 && auc.negatives == 150)
            if ConfidenceInterval.normal(auc.value, standardError: auc.standardError).contains(0.5) { covered += 1 }
            z.append((auc.value - 0.5) / auc.standardError)
        }
        let mean = z.reduce(0, +) / 100, sd = (z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 99).squareRoot()
        #expect(covered >= 89, "the interval covered 0.5 in \(covered) of 100 runs")
        #expect(sd < 1.25, "z sd \(sd)")
    }

    /// The bootstrap is seeded: the same interval twice, another seed another one;
    /// the macro-F1 itself lies inside.
    @Test func theMacroF1BootstrapIsSeededAndCoversTheEstimate() throws {
        let train = realLookingTable(rows: 400, seed: 11, source: "train"), test = realLookingTable(rows: 53, seed: 12, source: "test")
        let u = UtilityMetrics(realTrain: train.features!, realTrainLabels: train.labels, synthetic: train.features!,
                               syntheticLabels: train.labels, test: test.features!, testLabels: test.labels, classes: 3)
        let a = u.macroF1Interval(u.realPredictions, classes: 3, resamples: 300, seed: 1)
        let b = u.macroF1Interval(u.realPredictions, classes: 3, resamples: 300, seed: 1)
        let c = u.macroF1Interval(u.realPredictions, classes: 3, resamples: 300, seed: 2)
        #expect(a == b && a != c)
        #expect(a.contains(u.trainOnReal.macroF1) && a.upper - a.lower > 0.05, "\(a) around \(u.trainOnReal.macroF1) on 53 rows")
    }

    typealias Share = FidelityVerdict.Share
    static let holdout = Share(mean: 0.83, standardDeviation: 0.01, trials: 700)

    @Test func verdictDistinguishableWhenTheIntervalIsAboveHalf() {
        let v = FidelityVerdict(auc: (0.93, .normal(0.93, standardError: 0.01)), coverage: Share(mean: 0.61, standardDeviation: 0.02, trials: 700),
                                holdoutCoverage: Self.holdout)
        #expect(v.kind == .distinguishable)
        #expect(v.text == "distinguishable: held-out detection AUC 0.930 [0.910, 0.950]; coverage 0.610 ± 0.020 vs 0.830 ± 0.010 for the human holdout")
    }

    @Test func verdictCloserThanHumanWhenTheIntervalIsBelowHalf() {
        let v = FidelityVerdict(auc: (0.3, .normal(0.3, standardError: 0.02)), coverage: Share(mean: 0.97, standardDeviation: 0, trials: 700),
                                holdoutCoverage: Self.holdout)
        #expect(v.kind == .closerThanHuman && v.text.hasPrefix("closer than human data: held-out detection AUC 0.300 [0.261, 0.339] is below 0.5"))
    }

    /// Interval through 0.5, coverage 0.78 ± 0.01 against 0.83 ± 0.01 at n = 700:
    /// se ≈ √(0.01² + 0.78·0.22/700) = 0.0185 and 0.0174, the gap 0.05 > 1.96·0.0254 = 0.050.
    @Test func verdictLowerCoverageWhenTheGapExceedsItsError() {
        let v = FidelityVerdict(auc: (0.52, .normal(0.52, standardError: 0.02)), coverage: Share(mean: 0.78, standardDeviation: 0.01, trials: 700),
                                holdoutCoverage: Share(mean: 0.831, standardDeviation: 0.01, trials: 700))
        #expect(v.kind == .lowerCoverage, "\(v.text)")
        #expect(v.text.hasPrefix("indistinguishable to the detector but lower coverage: held-out detection AUC 0.520 [0.481, 0.559] includes 0.5"))
    }

    @Test func verdictIndistinguishableWhenNeitherDiffers() {
        let close = FidelityVerdict(auc: (0.52, .normal(0.52, standardError: 0.02)), coverage: Share(mean: 0.81, standardDeviation: 0.02, trials: 700),
                                    holdoutCoverage: Self.holdout)
        #expect(close.kind == .indistinguishable)
        #expect(close.text == "indistinguishable at this size: held-out detection AUC 0.520 [0.481, 0.559] includes 0.5; coverage 0.810 ± 0.020 vs 0.830 ± 0.010 for the human holdout")
        // Without baselines the AUC alone decides, whatever the coverage.
        let alone = FidelityVerdict(auc: (0.52, .normal(0.52, standardError: 0.02)), coverage: Share(mean: 0.1, standardDeviation: 0, trials: 700),
                                    holdoutCoverage: nil)
        #expect(alone.kind == .indistinguishable && alone.text.hasSuffix("includes 0.5; coverage 0.100"))
    }

    @Test func verdictUndeterminedWithoutAnAUC() {
        let v = FidelityVerdict(auc: nil, undefinedReason: "a side has no rows to tell apart",
                                coverage: Share(mean: 0.5, standardDeviation: 0, trials: 10), holdoutCoverage: nil)
        #expect(v.kind == .undetermined && v.text == "no verdict: the held-out detection AUC is undefined (a side has no rows to tell apart); coverage 0.500")
    }

    /// End to end: a set drawn like the human one reads indistinguishable,
    /// one with a column three times as spread reads distinguishable.
    @Test func theReportsVerdictFollowsTheData() throws {
        var p = MatchedSizesTests.parameters()
        p.bootstrapResamples = 50
        p.detector = .gbdt  // a spread change is invisible to a linear detector
        let human = realLookingTable(rows: 900, seed: 21, source: "human")
        let alike = try FidelityReport(human: human, synthetic: realLookingTable(rows: 900, seed: 22, source: "s"), parameters: p)
        #expect(alike.verdict.kind == .indistinguishable, "\(alike.verdict.text)")
        let off = try FidelityReport(human: human, synthetic: realLookingTable(rows: 900, seed: 23, spread: 3, source: "s"), parameters: p)
        #expect(off.verdict.kind == .distinguishable, "\(off.verdict.text)")
    }
}
