import Testing
import Foundation
import Synth
@testable import Eval

/// The verdict reads a detection AUC below 0.5 as copying only when the
/// privacy checks agree (issue 16: a copula sample with no copies, a DCR
/// ratio of 0.995 and a closer-to-training share of 0.702 against 0.700
/// read "closer than human data" because the tree detector scored below
/// chance on a 28-row class).
@Suite struct VerdictPrivacyTests {
    typealias Share = FidelityVerdict.Share

    /// 1,000 synthetic rows whose DCRs spread as 300 holdout rows' do
    /// (ratio 150.35/150.50 = 0.999; 11 near copies, the 1 % quantile of 1,000 and one at its edge),
    /// `closer` of them nearer a training row than a holdout row, and
    /// `copies` exact copies; 700 training rows (expected share 0.7).
    static func privacy(closer: Int, copies: Int = 0) -> PrivacyMetrics {
        let toTraining = (0..<1000).map { $0 < copies ? 0 : 1 + Double($0) * 0.299 }
        let toHoldout = toTraining.enumerated().map { i, t in i < closer ? t + 1 : t - 0.5 }
        return PrivacyMetrics(syntheticToTraining: toTraining, holdoutToTraining: (1...300).map(Double.init),
                              syntheticToHoldout: toHoldout, trainingRows: 700)
    }

    static let auc = (value: 0.3, interval: ConfidenceInterval.normal(0.3, standardError: 0.02))
    static let holdout = Share(mean: 0.83, standardDeviation: 0.01, trials: 700)

    @Test func cleanPrivacyChecksShowNoCopying() {
        let p = Self.privacy(closer: 702)
        #expect(p.exactCopyShare == 0 && p.nearCopyShare == 0.011 && p.closerToTrainingShare == 0.702)
        #expect(p.expectedCloserToTrainingShare == 0.7)
        #expect(!FidelityVerdict.showsCopying(p))
        let v = FidelityVerdict(auc: Self.auc, coverage: Share(mean: 0.82, standardDeviation: 0, trials: 700),
                                holdoutCoverage: Self.holdout, privacy: p)
        #expect(v.kind == .indistinguishable)
        #expect(v.text == "indistinguishable (the detector scores below chance: held-out detection AUC 0.300 [0.261, 0.339]; privacy checks show no copying); coverage 0.820 vs 0.830 ± 0.010 for the human holdout")
        // Coverage still decides between the two indistinguishable verdicts.
        let lower = FidelityVerdict(auc: Self.auc, coverage: Share(mean: 0.6, standardDeviation: 0, trials: 700),
                                    holdoutCoverage: Self.holdout, privacy: p)
        #expect(lower.kind == .lowerCoverage && lower.text.hasPrefix("indistinguishable to the detector but lower coverage (the detector scores below chance"))
    }

    /// Each check alone turns the reading back to copying: one exact copy
    /// of 1,000 where the holdout has none, a median DCR ratio of 0.50
    /// (with 2.4 % near copies, above 0.01 + 1.96·√(0.0099/1000) = 0.016).
    @Test func anyPrivacyCheckThatShowsCopyingKeepsCloserThanHuman() {
        let copy = Self.privacy(closer: 702, copies: 1)
        let near = PrivacyMetrics(syntheticToTraining: (0..<1000).map { 0.5 + Double($0) * 0.15 }, holdoutToTraining: (1...300).map(Double.init),
                                  syntheticToHoldout: nil, trainingRows: 700)
        guard case .defined(let ratio) = near.medianRatio else { Issue.record("no ratio"); return }
        #expect(abs(ratio - 75.425 / 150.5) < 1e-9 && abs(near.nearCopyShare - 0.024) < 1e-12)
        for p in [copy, near] {
            #expect(FidelityVerdict.showsCopying(p))
            let v = FidelityVerdict(auc: Self.auc, coverage: Share(mean: 0.82, standardDeviation: 0, trials: 700), holdoutCoverage: Self.holdout, privacy: p)
            #expect(v.kind == .closerThanHuman && v.text.hasPrefix("closer than human data: held-out detection AUC 0.300 [0.261, 0.339] is below 0.5"))
        }
    }

    /// Issue 16 D4: the closer-to-training share alone does not read as
    /// copying. Any fitted model leans towards its training rows, and its
    /// binomial bound over m rows (0.7 + 1.96·√(0.21/1000) = 0.728 here)
    /// ignores that synthetic rows share nearest human rows: an honest
    /// copula's 0.711 against 0.709 read "closer than human data". At
    /// 0.80, with no copy, near copy or DCR shift, the AUC below chance
    /// reads as chance.
    @Test func theCloserToTrainingShareAloneIsNotCopying() {
        let p = Self.privacy(closer: 800)
        #expect(p.closerToTrainingShare == 0.8 && p.exactCopyShare == 0 && p.nearCopyShare == 0.011)
        #expect(!FidelityVerdict.showsCopying(p))
        let v = FidelityVerdict(auc: Self.auc, coverage: Share(mean: 0.82, standardDeviation: 0, trials: 700), holdoutCoverage: Self.holdout, privacy: p)
        #expect(v.kind == .indistinguishable && v.kinds == [.indistinguishable])
        #expect(v.text.hasPrefix("indistinguishable (the detector scores below chance: held-out detection AUC 0.300"))
    }

    /// The near-copy threshold is the holdout's 1% quantile, estimated from
    /// its n rows, so the bound on the synthetic share is q + 1.96·√(q(1 −
    /// q)(1/m + 1/n)): 0.01 + 1.96·√(0.0099·2/571) = 0.02154 at m = n = 571,
    /// where 1/m alone gave 0.01816. 12 near copies (0.0210) are within it,
    /// 13 (0.0228) beyond.
    @Test func theNearCopyBoundCountsTheHoldoutsEstimate() {
        func privacy(nearCopies k: Int) -> PrivacyMetrics {
            PrivacyMetrics(syntheticToTraining: (0..<571).map { $0 < k ? 0.5 : 1000 + Double($0) }, holdoutToTraining: (1...571).map(Double.init),
                           syntheticToHoldout: nil, trainingRows: 1333)
        }
        let twelve = privacy(nearCopies: 12), thirteen = privacy(nearCopies: 13)
        let share: Double = 12.0 / 571, thresholdError: Double = abs(twelve.nearCopyThreshold - 6.7)
        let boundBefore: Double = 0.01 + 1.96 * (0.0099 / 571.0).squareRoot()
        #expect(twelve.holdoutRows == 571 && twelve.syntheticRows == 571)
        #expect(thresholdError < 1e-9)
        #expect(twelve.nearCopyShare == share && twelve.exactCopyShare == 0)
        #expect(!FidelityVerdict.showsCopying(twelve))
        #expect(FidelityVerdict.showsCopying(thirteen))
        #expect(share > boundBefore, "beyond the bound of before")
    }

    /// A per-class AUC is read only with 50 rows a side and an interval no
    /// wider than it has there at 0.5: 2·1.96·√(101/30000) = 0.2274.
    @Test func perClassReliabilityThresholdIsTheFiftyRowWidth() {
        #expect(FidelityReport.ClassComparison.minimumDetectionRows == 50)
        #expect(abs(FidelityReport.ClassComparison.maximumDetectionIntervalWidth - 0.2274) < 1e-4)
    }
}
