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
///    - else, when some class's detection AUC lies above 0.5 after a
///      Bonferroni correction (``ClassDetection``): **distinguishable in
///      class …**, naming each such class;
///    - U < 0.5 and the privacy checks show copying (``showsCopying(_:)``):
///      **closer than human data**: the detector finds the synthetic rows
///      *more* like the human training rows than those rows are like each
///      other, as copies of training rows score (a copy's twin in the other
///      folds is labelled human);
///    - U < 0.5 and the privacy checks show no copying: step 2, said as
///      "the detector scores below chance". An AUC below 0.5 on small sets
///      is also what a tree detector does by chance: on a 28-row class
///      against 100 human rows, scikit-learn's HistGradientBoosting scores
///      0.25–0.36 for a copula sample with no copies, a DCR ratio of 0.995
///      and a closer-to-training share of 0.702 against 0.700 expected.
///      Without privacy numbers the copying reading stands;
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

    /// One class's detection AUC (DeLong standard error), for the
    /// per-class part of the rule: a synthetic set can match the human data
    /// overall and still be told apart within one class (a categorical
    /// column redrawn uniformly: overall AUC 0.534 [0.479, 0.590], class
    /// alpha 0.574 [0.530, 0.618]).
    ///
    /// With K classes of a finite AUC, a class is distinguishable when
    /// AUC − z_K·SE > 0.5, z_K = Φ⁻¹(1 − 0.05/(2K)): the two-sided 95%
    /// interval of the overall rule, Bonferroni-corrected over the K
    /// classes (Dunn 1961), so that with no difference in any class the
    /// chance of naming one is at most 2.5%, as for the overall AUC. Two-sided
    /// (z₃ = 2.394) rather than one-sided (2.128) because the intervals
    /// printed beside each class are two-sided, and with K = 1 the rule is
    /// the overall one. A class marked unreliable (fewer than 50 rows a side
    /// or a wide interval, ``FidelityReport/ClassComparison/detectionAUCIsUnreliable``)
    /// counts in K but is never named: a tree detector scores far from 0.5
    /// by chance on such classes.
    public struct ClassDetection: Sendable, Equatable {
        public let name: String
        public let auc: Double
        public let standardError: Double
        public let unreliable: Bool
        public init(name: String, auc: Double, standardError: Double, unreliable: Bool) {
            self.name = name
            self.auc = auc
            self.standardError = standardError
            self.unreliable = unreliable
        }
    }

    /// z_K = Φ⁻¹(1 − 0.05/(2K)) for K ≥ 1 classes (K = 1: 1.96; K = 3: 2.394).
    public static func bonferroniZ(classes k: Int) -> Double {
        k <= 1 ? ConfidenceInterval.z95 : normalQuantile(1 - 0.05 / Double(2 * k))
    }

    public let kind: Kind
    /// The line itself.
    public let text: String
    /// The classes the per-class rule finds distinguishable (``ClassDetection``),
    /// sorted by name, whatever the kind; empty when none is.
    public let distinguishableClasses: [String]
    /// K, the classes with a finite detection AUC the correction is over.
    public let testedClasses: Int

    /// - Parameters:
    ///   - auc: the matched detection AUC and its 95% interval; nil with
    ///     `undefinedReason` when the AUC is undefined.
    ///   - coverage: the synthetic set's matched coverage.
    ///   - holdoutCoverage: the human holdout baseline's; nil without baselines.
    ///   - privacy: the synthetic set's privacy checks, which decide
    ///     whether an AUC below 0.5 reads as copying; nil reads it so.
    ///   - classes: each class's detection AUC (those not finite are
    ///     ignored); empty without per-class numbers.
    public init(auc: (value: Double, interval: ConfidenceInterval)?, undefinedReason: String? = nil,
                coverage: Share, holdoutCoverage: Share?, privacy: PrivacyMetrics? = nil,
                classes: [ClassDetection] = []) {
        // Three decimals, never "-0.000".
        func f(_ x: Double) -> String {
            let t = String(format: "%.3f", x)
            return t.hasPrefix("-") && t.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(t.dropFirst()) : t
        }
        func share(_ s: Share) -> String { s.standardDeviation > 0 ? "\(f(s.mean)) ± \(f(s.standardDeviation))" : f(s.mean) }
        let coverageText = holdoutCoverage.map { "coverage \(share(coverage)) vs \(share($0)) for the human holdout" }
            ?? "coverage \(share(coverage))"
        let tested = classes.filter { $0.auc.isFinite && $0.standardError.isFinite }
        let zK = Self.bonferroniZ(classes: tested.count)
        // By name, so that the line does not depend on the classes' order.
        let flagged = tested.filter { !$0.unreliable && $0.auc - zK * $0.standardError > 0.5 }.sorted { $0.name < $1.name }
        testedClasses = tested.count
        distinguishableClasses = flagged.map(\.name)
        guard let auc, auc.value.isFinite, auc.interval.lower.isFinite else {
            kind = .undetermined
            text = "no verdict: the detection AUC is undefined (\(undefinedReason ?? "no folds")); \(coverageText)"
            return
        }
        let aucText = "detection AUC \(f(auc.value)) [\(f(auc.interval.lower)), \(f(auc.interval.upper))]"
        let belowChance = auc.interval.upper < 0.5
        // The reading of the AUC in the indistinguishable verdicts.
        let reading = belowChance ? " (the detector scores below chance: \(aucText); privacy checks show no copying)" : ": \(aucText) includes 0.5"
        if auc.interval.lower > 0.5 {
            kind = .distinguishable
            text = "distinguishable: \(aucText); \(coverageText)"
        } else if !flagged.isEmpty {
            kind = .distinguishable
            let named = flagged.map { c in
                "class \(c.name): detection AUC \(f(c.auc)) [\(f(c.auc - zK * c.standardError)), \(f(min(1, c.auc + zK * c.standardError)))]"
            }.joined(separator: "; ")
            text = "distinguishable in \(named) (Bonferroni over \(tested.count) classes); overall \(aucText); \(coverageText)"
        } else if belowChance && (privacy.map(Self.showsCopying) ?? true) {
            kind = .closerThanHuman
            text = "closer than human data: \(aucText) is below 0.5, as copies of the training rows score (read the privacy numbers); \(coverageText)"
        } else if let h = holdoutCoverage,
                  h.mean - coverage.mean > ConfidenceInterval.z95 * (coverage.standardError * coverage.standardError + h.standardError * h.standardError).squareRoot() {
            kind = .lowerCoverage
            text = "indistinguishable to the detector but lower coverage\(reading); \(coverageText)"
        } else {
            kind = .indistinguishable
            text = belowChance ? "indistinguishable\(reading); \(coverageText)" : "indistinguishable at this size\(reading); \(coverageText)"
        }
    }

    /// The DCR ratio below which the synthetic rows are clearly nearer the
    /// training rows than unseen human rows are (10 % nearer at the median).
    public static let copyingDCRRatio = 0.9

    /// Whether the privacy checks (``PrivacyMetrics``, m synthetic rows)
    /// show copying, any of:
    /// - exact copies above the holdout's share of rows repeating a training
    ///   row h, by more than 1.96·√(h(1 − h)/m) (any copy when h = 0);
    /// - near copies above their quantile q (what unseen rows score) by
    ///   more than 1.96·√(q(1 − q)/m);
    /// - a median DCR ratio below ``copyingDCRRatio``;
    /// - a closer-to-training share above its expected value e by more than
    ///   1.96·√(e(1 − e)/m) (its binomial interval when nothing is copied).
    public static func showsCopying(_ p: PrivacyMetrics) -> Bool {
        let m = Double(max(p.syntheticRows, 1)), z = ConfidenceInterval.z95
        func above(_ share: Double, _ expected: Double) -> Bool { share > expected + z * (expected * (1 - expected) / m).squareRoot() }
        if p.exactCopyShare > 0 && above(p.exactCopyShare, p.holdoutExactCopyShare) { return true }
        if above(p.nearCopyShare, p.nearCopyQuantile) { return true }
        if case .defined(let ratio) = p.medianRatio, ratio < copyingDCRRatio { return true }
        if let share = p.closerToTrainingShare, let expected = p.expectedCloserToTrainingShare, above(share, expected) { return true }
        return false
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
                               holdoutCoverage: baselines.first { $0.name == "human_holdout" }.map(share), privacy: synthetic.privacy,
                               classes: perClass.compactMap { c in
                                   c.detection.map { .init(name: classNames[c.classIndex], auc: $0.auc.value, standardError: $0.auc.standardError,
                                                           unreliable: c.detectionAUCIsUnreliable ?? true) }
                               })
    }
}
