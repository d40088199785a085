import Foundation
import Synth
import SynthctlCore

/// The one line a comparison opens with: can the synthetic set be told
/// from human data, and does it cover the human data as well as human data
/// of the same size does — said only as far as the intervals allow.
///
/// The rule, on the matched-size numbers (``MatchedSizes``):
/// 1. The detection AUC's 95% interval [L, U] is its mean over draws
///    ± 1.96 × the draws' mean DeLong standard error (DeLong et al. 1988).
///    - L > 0.5: **distinguishable**;
///    - U < 0.5: **closer than human data**: the detector finds the
///      synthetic rows *more* like the human training rows than those rows
///      are like each other, as copies of training rows score (a copy's twin
///      in the other folds is labelled human); read the privacy numbers;
///    - the interval includes 0.5: step 2.
/// 2. Coverage against the human holdout baseline's (when baselines were
///    computed): the gap g = coverage(holdout) − coverage(synthetic) is
///    significant when g > 1.96·√(se²(synthetic) + se²(holdout)), where
///    se² = sd² over draws + p(1 − p)/n, p the mean coverage and n the
///    human training rows it is a share of (binomial variance; the draws'
///    variance adds the subsampling's).
///    - significant: **indistinguishable to the detector but lower coverage**;
///    - else (or without baselines): **indistinguishable at this size**.
/// 3. A detection AUC undefined (a side too small for folds): **no verdict**.
///
/// Coverage against the holdout's is appended to every verdict that has
/// baselines. "At this size" because a larger sample narrows the intervals:
/// a verdict of indistinguishable is a statement about m rows a side.
public struct FidelityVerdict: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case distinguishable
        case closerThanHuman = "closer_than_human"
        case lowerCoverage = "indistinguishable_lower_coverage"
        case indistinguishable
        case undetermined
    }

    /// A share measured at the matched size: its mean over draws, their
    /// standard deviation, and the items it is a share of.
    public struct Share: Sendable, Equatable {
        public let mean: Double
        public let standardDeviation: Double
        public let trials: Int
        public init(mean: Double, standardDeviation: Double, trials: Int) {
            self.mean = mean
            self.standardDeviation = standardDeviation
            self.trials = trials
        }
        /// √(sd² + p(1 − p)/n).
        public var standardError: Double {
            (standardDeviation * standardDeviation + mean * (1 - mean) / Double(max(trials, 1))).squareRoot()
        }
    }

    public let kind: Kind
    /// The line itself.
    public let text: String

    /// - Parameters:
    ///   - auc: the matched detection AUC and its 95% interval; nil with
    ///     `undefinedReason` when the AUC is undefined.
    ///   - coverage: the synthetic set's matched coverage.
    ///   - holdoutCoverage: the human holdout baseline's; nil without baselines.
    public init(auc: (value: Double, interval: ConfidenceInterval)?, undefinedReason: String? = nil,
                coverage: Share, holdoutCoverage: Share?) {
        // Three decimals, never "-0.000".
        func f(_ x: Double) -> String {
            let t = String(format: "%.3f", x)
            return t.hasPrefix("-") && t.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(t.dropFirst()) : t
        }
        func share(_ s: Share) -> String { s.standardDeviation > 0 ? "\(f(s.mean)) ± \(f(s.standardDeviation))" : f(s.mean) }
        let coverageText = holdoutCoverage.map { "coverage \(share(coverage)) vs \(share($0)) for the human holdout" }
            ?? "coverage \(share(coverage))"
        guard let auc, auc.value.isFinite, auc.interval.lower.isFinite else {
            kind = .undetermined
            text = "no verdict: the detection AUC is undefined (\(undefinedReason ?? "no folds")); \(coverageText)"
            return
        }
        let aucText = "detection AUC \(f(auc.value)) [\(f(auc.interval.lower)), \(f(auc.interval.upper))]"
        if auc.interval.lower > 0.5 {
            kind = .distinguishable
            text = "distinguishable: \(aucText); \(coverageText)"
        } else if auc.interval.upper < 0.5 {
            kind = .closerThanHuman
            text = "closer than human data: \(aucText) is below 0.5, as copies of the training rows score (read the privacy numbers); \(coverageText)"
        } else if let h = holdoutCoverage,
                  h.mean - coverage.mean > ConfidenceInterval.z95 * (coverage.standardError * coverage.standardError + h.standardError * h.standardError).squareRoot() {
            kind = .lowerCoverage
            text = "indistinguishable to the detector but lower coverage: \(aucText) includes 0.5; \(coverageText)"
        } else {
            kind = .indistinguishable
            text = "indistinguishable at this size: \(aucText) includes 0.5; \(coverageText)"
        }
    }
}

extension FidelityReport {
    /// The report's verdict (``FidelityVerdict``) on its matched-size numbers.
    public var verdict: FidelityVerdict {
        func share(_ c: Comparison) -> FidelityVerdict.Share {
            let drawn = c.matched[FidelityMetric.coverage.id]
            return .init(mean: drawn?.mean ?? c.manifold.coverage, standardDeviation: drawn?.standardDeviation ?? 0, trials: trainingRows)
        }
        let auc = FidelityMetric.detectionAUC.value(synthetic, nil)
        let interval = synthetic.intervals[FidelityMetric.detectionAUC.id]
        return FidelityVerdict(auc: auc?.value.flatMap { v in interval.map { (v, $0) } }, undefinedReason: auc?.undefinedReason,
                               coverage: share(synthetic),
                               holdoutCoverage: baselines.first { $0.name == "human_holdout" }.map(share))
    }
}
