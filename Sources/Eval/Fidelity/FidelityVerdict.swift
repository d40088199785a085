import Foundation
import Synth
import SynthctlCore

/// The one line a comparison opens with: can the synthetic set be told
/// from human data, is it closer to the training rows than human data is,
/// and does it cover the human data as well as human data of the same size
/// does — said only as far as the intervals allow.
///
/// The rule, on the matched-size numbers (``MatchedSizes``). The detection
/// test is the held-out one (``DetectionTest/heldOut``: the detector
/// trained on one half, scored on the other), whose DeLong standard error
/// is exact; the cross-validated AUC's is too small (a tree detector's
/// fired at 12% instead of 5% on a second sample of the human
/// distribution), and a verdict read from it named differences that were
/// not there. Its 95% interval [L, U] is the held-out AUC's mean over
/// draws ± 1.96 × the draws' mean DeLong standard error (DeLong et al.
/// 1988). A held-out AUC undefined (a side too small to split): **no
/// verdict**. Otherwise each finding below is checked, and every one found
/// is said:
/// 1. **distinguishable**, any of:
///    - L > 0.5;
///    - some class's detection AUC lies above 0.5 after a Bonferroni
///      correction (``ClassDetection``): named with its adjusted interval;
///    - a class of the human training rows has no synthetic row
///      (``missingClasses``): the set is told from human data by its
///      labels alone, and a class with no rows has no AUC to flag it
///      (it dropped out of K, and only a per-class coverage gate caught it);
///    - the classes' shares differ from the training rows' beyond
///      sampling (``ClassShare``): told from human data by its label
///      balance, which a detector stratified by class does not see.
/// 2. **closer than human data**, any of:
///    - U < 0.5 and the privacy checks show copying (``showsCopying(_:)``):
///      the detector finds the synthetic rows *more* like the human
///      training rows than those rows are like each other, as copies of
///      training rows score (a copy's twin in the other folds is labelled
///      human). U < 0.5 without copying reads "the detector scores below
///      chance" (step 3): an AUC below 0.5 on small sets is also what a
///      tree detector does by chance: on a 28-row class against 100 human
///      rows, scikit-learn's HistGradientBoosting scores 0.25–0.36 for a
///      copula sample with no copies, a DCR ratio of 0.995 and a
///      closer-to-training share of 0.702 against 0.700 expected. Without
///      privacy numbers the copying reading stands;
///    - some class's detection AUC lies below 0.5 after the same
///      Bonferroni correction (``ClassDetection``, two-sided): within the
///      class, the synthetic rows sit nearer its training rows than
///      held-out human rows would (1,500 resampled training rows of a
///      class scored 0.093 [0.077, 0.109] while the overall AUC, 0.440
///      [0.370, 0.509], included 0.5);
///    - exact copies of training rows clearly beyond the holdout's
///      (``copiesBeyondHoldout(_:holdoutRows:)``).
/// 3. When nothing is found, coverage against the human holdout
///    baseline's (when baselines were computed): the gap g =
///    coverage(holdout) − coverage(synthetic) is significant when g >
///    1.96·√(se²(synthetic) + se²(holdout)), where se² = sd² over draws +
///    p(1 − p)/n, p the mean coverage and n the human training rows it is a
///    share of (binomial variance; the draws' variance adds the
///    subsampling's).
///    - significant: **indistinguishable to the detector but lower coverage**;
///    - else (or without baselines): **indistinguishable at this size**.
///
/// ``kind`` is the first finding in that order (distinguishable before
/// closer than human data); ``kinds`` lists every one found, which is
/// what compare's verdict gate reads, so a set both distinguishable in one
/// class and copying another fails a gate on either. The line says the
/// distinguishable findings, then the closer ones, then the overall AUC
/// where no finding said it, then coverage against the holdout's (with
/// baselines); classes flagged on the side the overall AUC already is
/// are listed in ``distinguishableClasses`` and ``closerThanHumanClasses``
/// but not in the line. "At this size" because a larger sample narrows the
/// intervals: a verdict of indistinguishable is a statement about m rows a
/// side.
///
/// False alarms: on a second sample of the human distribution each test
/// is at its level (measured through `compare` by
/// `benchmarks/verdict_null_calibration.py`) — the overall AUC 2.5% a side (below only with copying
/// shown as well), the classes 2.5% a side over all K together
/// (Bonferroni), the copies at most 5% (about 0 on continuous columns,
/// where no row repeats a training row) and a missing class about 0
/// unless a class is so rare that m rows miss it — so by the union bound
/// the verdict names something with probability at most 4 × 2.5% + 5% +
/// 2.5% (class shares) = 17.5%, and at most 12.5% on continuous columns.
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

    /// One class's held-out detection AUC (``DetectionTest/heldOut``, with
    /// its DeLong standard error), for the per-class part of the rule: a synthetic set can match the human data
    /// overall and still be told apart within one class (a categorical
    /// column redrawn uniformly: overall AUC 0.534 [0.479, 0.590], class
    /// alpha 0.574 [0.530, 0.618]), or copy one class (overall 0.440
    /// [0.370, 0.509], class alpha 0.093 [0.077, 0.109]).
    ///
    /// With K classes of a finite AUC, a class is distinguishable when
    /// AUC − z_K·SE > 0.5 and closer than human data when AUC + z_K·SE <
    /// 0.5, z_K = Φ⁻¹(1 − 0.05/(2K)): the two-sided 95% interval of the
    /// overall rule, Bonferroni-corrected over the K classes (Dunn 1961),
    /// so that with no difference in any class the chance of naming one
    /// above is at most 2.5%, and below at most 2.5%, as for the overall
    /// AUC. The line prints that adjusted interval, at 1 − 0.05/K (98.33%
    /// for K = 3), and says so, since the tables print each class's 95%
    /// interval. Two-sided (z₃ = 2.394) rather than one-sided (2.128)
    /// because the intervals printed beside each class are two-sided, and
    /// with K = 1 the rule is the overall one. A class marked unreliable
    /// (fewer than 50 rows a side or a wide interval,
    /// ``FidelityReport/ClassComparison/detectionAUCIsUnreliable``) counts
    /// in K but is never named: a tree detector scores far from 0.5 by
    /// chance on such classes. Unlike the overall AUC, a reliable class
    /// below 0.5 needs no privacy check to read as closer: the checks are
    /// over the whole set, where one copied class of three barely moves
    /// them, and 50 rows a side rule out the small-class artefact.
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

    /// A class of the human training rows with no synthetic row.
    public struct MissingClass: Sendable, Equatable {
        public let name: String
        public let trainingRows: Int
        public init(name: String, trainingRows: Int) {
            self.name = name
            self.trainingRows = trainingRows
        }
    }

    /// One class's rows in the human training rows and the synthetic set,
    /// for the label-balance part of the rule.
    ///
    /// With n training rows, m synthetic rows measured at size m* (the
    /// matched size when the synthetic side is subsampled, else m) and K
    /// classes, class c's shares p = n_c/n and q = m_c/m differ when
    /// |q − p| > z·√(p̄(1 − p̄)(1/n + 1/m*)), p̄ = (n·p + m*·q)/(n + m*)
    /// (the pooled two-proportion z-test, Newcombe 1998's "Wald" form),
    /// z = Φ⁻¹(1 − 0.025/(2K)): 2.5% over both sides and all K classes
    /// together (Bonferroni), so that a synthetic set whose labels are
    /// drawn as the human ones are is flagged at most 2.5% of the time.
    /// At m*, not m: the verdict is a statement at the matched size, where
    /// a 0.3-point shift among 100,000 synthetic rows is not a finding the
    /// detection AUC could make. Label TV (½ Σ|q − p|) is printed beside the
    /// classes named. A class absent from the synthetic rows is a
    /// ``MissingClass`` and is not tested again here; K counts the classes
    /// tested.
    public struct ClassShare: Sendable, Equatable {
        public let name: String
        public let trainingRows: Int
        public let syntheticRows: Int
        public init(name: String, trainingRows: Int, syntheticRows: Int) {
            self.name = name
            self.trainingRows = trainingRows
            self.syntheticRows = syntheticRows
        }
    }

    /// The classes whose shares differ (``ClassShare``), sorted by name, each
    /// with its training and synthetic share; and label TV over all classes.
    static func shiftedClasses(_ shares: [ClassShare], measuredAt size: Int?)
        -> (classes: [(name: String, training: Double, synthetic: Double)], totalVariation: Double) {
        let n = shares.reduce(0) { $0 + $1.trainingRows }, m = shares.reduce(0) { $0 + $1.syntheticRows }
        guard n > 0, m > 0 else { return ([], 0) }
        let tested = shares.filter { $0.trainingRows > 0 && $0.syntheticRows > 0 }
        guard tested.count > 1 else { return ([], 0) }
        let z = normalQuantile(1 - 0.025 / Double(2 * tested.count))
        let mStar = Double(min(max(size ?? m, 1), m)), nd = Double(n)
        var shifted: [(name: String, training: Double, synthetic: Double)] = []
        var tv = 0.0
        for c in shares {
            let p = Double(c.trainingRows) / nd, q = Double(c.syntheticRows) / Double(m)
            tv += abs(q - p) / 2
            guard c.trainingRows > 0, c.syntheticRows > 0 else { continue }
            let pooled = (nd * p + mStar * q) / (nd + mStar)
            if abs(q - p) > z * (pooled * (1 - pooled) * (1 / nd + 1 / mStar)).squareRoot() {
                shifted.append((c.name, p, q))
            }
        }
        return (shifted.sorted { $0.name < $1.name }, tv)
    }

    /// z_K = Φ⁻¹(1 − 0.05/(2K)) for K ≥ 1 classes (K = 1: 1.96; K = 3: 2.394).
    public static func bonferroniZ(classes k: Int) -> Double {
        k <= 1 ? ConfidenceInterval.z95 : normalQuantile(1 - 0.05 / Double(2 * k))
    }

    public let kind: Kind
    /// Every kind a finding supports, ``kind`` first: distinguishable and
    /// closer_than_human when both are found, else ``kind`` alone.
    public let kinds: [Kind]
    /// The line itself.
    public let text: String
    /// The classes the per-class rule finds distinguishable (``ClassDetection``),
    /// sorted by name, whatever the kind; empty when none is.
    public let distinguishableClasses: [String]
    /// The classes the per-class rule finds closer than human data
    /// (detection AUC below 0.5 after the correction), sorted by name,
    /// whatever the kind; empty when none is.
    public let closerThanHumanClasses: [String]
    /// The classes of the human training rows with no synthetic row, in
    /// class order (``MissingClass``).
    public let missingClasses: [String]
    /// Whether exact copies of training rows are clearly beyond the
    /// holdout's (``copiesBeyondHoldout(_:holdoutRows:)``); false without
    /// privacy numbers.
    public let copies: Bool
    /// The classes whose share of the synthetic rows differs from their
    /// share of the training rows beyond sampling (``ClassShare``), sorted
    /// by name; empty when none does.
    public let shiftedClasses: [String]
    /// K, the classes with a finite detection AUC the correction is over.
    public let testedClasses: Int

    /// - Parameters:
    ///   - auc: the matched held-out detection AUC and its 95% interval;
    ///     nil with `undefinedReason` when the AUC is undefined.
    ///   - coverage: the synthetic set's matched coverage.
    ///   - holdoutCoverage: the human holdout baseline's; nil without baselines.
    ///   - privacy: the synthetic set's privacy checks, which decide
    ///     whether an AUC below 0.5 reads as copying (nil reads it so) and
    ///     whether exact copies are beyond the holdout's.
    ///   - holdoutRows: the human holdout's rows, which its exact-copy
    ///     share is of; nil (or 0) skips the copies finding.
    ///   - classes: each class's detection AUC (those not finite are
    ///     ignored); empty without per-class numbers.
    ///   - missingClasses: the human training rows' classes with no
    ///     synthetic row.
    ///   - classShares: every class's training and synthetic rows; empty
    ///     skips the label-balance finding.
    ///   - sharesMeasuredAt: the synthetic size m* the shares are tested at
    ///     (``ClassShare``); nil: all synthetic rows.
    public init(auc: (value: Double, interval: ConfidenceInterval)?, undefinedReason: String? = nil,
                coverage: Share, holdoutCoverage: Share?, privacy: PrivacyMetrics? = nil, holdoutRows: Int? = nil,
                classes: [ClassDetection] = [], missingClasses: [MissingClass] = [],
                classShares: [ClassShare] = [], sharesMeasuredAt: Int? = nil) {
        func f(_ x: Double) -> String { fixedDecimals(x, 3) }
        func share(_ s: Share) -> String { s.standardDeviation > 0 ? "\(f(s.mean)) ± \(f(s.standardDeviation))" : f(s.mean) }
        let coverageText = holdoutCoverage.map { "coverage \(share(coverage)) vs \(share($0)) for the human holdout" }
            ?? "coverage \(share(coverage))"
        let tested = classes.filter { $0.auc.isFinite && $0.standardError.isFinite }
        let zK = Self.bonferroniZ(classes: tested.count)
        // By name, so that the line does not depend on the classes' order.
        let read = tested.filter { !$0.unreliable }.sorted { $0.name < $1.name }
        let above = read.filter { $0.auc - zK * $0.standardError > 0.5 }
        let below = read.filter { $0.auc + zK * $0.standardError < 0.5 }
        testedClasses = tested.count
        distinguishableClasses = above.map(\.name)
        closerThanHumanClasses = below.map(\.name)
        self.missingClasses = missingClasses.map(\.name)
        let shifted = Self.shiftedClasses(classShares, measuredAt: sharesMeasuredAt)
        shiftedClasses = shifted.classes.map(\.name)
        let copied = privacy.map { p in holdoutRows.map { Self.copiesBeyondHoldout(p, holdoutRows: $0) } ?? false } ?? false
        copies = copied
        guard let auc, auc.value.isFinite, auc.interval.lower.isFinite else {
            kind = .undetermined
            kinds = [kind]
            text = "no verdict: the held-out detection AUC is undefined (\(undefinedReason ?? "no folds")); \(coverageText)"
            return
        }
        let aucText = "held-out detection AUC \(f(auc.value)) [\(f(auc.interval.lower)), \(f(auc.interval.upper))]"
        let belowChance = auc.interval.upper < 0.5
        let overallAbove = auc.interval.lower > 0.5
        let overallCloser = belowChance && (privacy.map(Self.showsCopying) ?? true)
        // The classes flagged, each with its Bonferroni-adjusted interval, and what that interval is.
        func named(_ flagged: [ClassDetection]) -> String {
            flagged.map { c in
                "class \(c.name): held-out detection AUC \(f(c.auc)) [\(f(max(0, c.auc - zK * c.standardError))), \(f(min(1, c.auc + zK * c.standardError)))]"
            }.joined(separator: "; ") + " (" + Self.adjustedIntervalNote(classes: tested.count, count: flagged.count) + ")"
        }
        var said = [String]()
        var distinguishable = [String]()
        if overallAbove { distinguishable.append(aucText) }
        // The classes only when the overall AUC does not say it already (the JSON lists them whatever the kind).
        if !above.isEmpty && !overallAbove { distinguishable.append(named(above)) }
        if !missingClasses.isEmpty {
            let rows = missingClasses.map { "\($0.name) (\($0.trainingRows) training rows)" }.joined(separator: ", ")
            distinguishable.append((missingClasses.count == 1 ? "class \(rows) has" : "classes \(rows) have") + " no synthetic rows")
        }
        if !shifted.classes.isEmpty {
            let named = shifted.classes.map { "\($0.name) \(f($0.synthetic)) vs \(f($0.training))" }.joined(separator: ", ")
            distinguishable.append("class shares differ from the training rows': \(named) (label TV \(f(shifted.totalVariation)))")
        }
        if !distinguishable.isEmpty {
            said.append((!overallAbove && !above.isEmpty ? "distinguishable in " : "distinguishable: ") + distinguishable.joined(separator: "; "))
        }
        var closer = [String]()
        if overallCloser { closer.append("\(aucText) is below 0.5, as copies of the training rows score (read the privacy numbers)") }
        if !below.isEmpty && !overallCloser { closer.append(named(below)) }
        if copied, let p = privacy, let n = holdoutRows {
            let s = ConfidenceInterval.wilson(share: p.exactCopyShare, trials: p.syntheticRows), h = ConfidenceInterval.wilson(share: p.holdoutExactCopyShare, trials: n)
            closer.append("exact copies of training rows \(f(p.exactCopyShare)) [\(f(s.lower)), \(f(s.upper))] vs \(f(p.holdoutExactCopyShare)) [\(f(h.lower)), \(f(h.upper))] for the human holdout (Wilson 95%)")
        }
        if !closer.isEmpty {
            said.append((!overallCloser && !below.isEmpty ? "closer than human data in " : "closer than human data: ") + closer.joined(separator: "; "))
        }
        let found: [Kind] = (distinguishable.isEmpty ? [] : [.distinguishable]) + (closer.isEmpty ? [] : [.closerThanHuman])
        if let first = found.first {
            kind = first
            kinds = found
            let overall = overallAbove || overallCloser ? [] : ["overall \(aucText)"]
            text = (said + overall + [coverageText]).joined(separator: "; ")
            return
        }
        // The reading of the AUC in the indistinguishable verdicts.
        let reading = belowChance ? " (the detector scores below chance: \(aucText); privacy checks show no copying)" : ": \(aucText) includes 0.5"
        if let h = holdoutCoverage,
           h.mean - coverage.mean > ConfidenceInterval.z95 * (coverage.standardError * coverage.standardError + h.standardError * h.standardError).squareRoot() {
            kind = .lowerCoverage
            text = "indistinguishable to the detector but lower coverage\(reading); \(coverageText)"
        } else {
            kind = .indistinguishable
            text = belowChance ? "indistinguishable\(reading); \(coverageText)" : "indistinguishable at this size\(reading); \(coverageText)"
        }
        kinds = [kind]
    }

    /// What the printed per-class intervals are: "Bonferroni-adjusted
    /// 98.33% interval over 3 classes" (1 − 0.05/K, as ``bonferroniZ(classes:)``);
    /// "95% interval" when K = 1, where nothing is adjusted.
    static func adjustedIntervalNote(classes k: Int, count: Int) -> String {
        let noun = count == 1 ? "interval" : "intervals"
        guard k > 1 else { return "95% \(noun)" }
        return "Bonferroni-adjusted \(String(format: "%.4g", 100 * (1 - 0.05 / Double(k))))% \(noun) over \(k) classes"
    }

    /// Whether the synthetic set copies training rows exactly, clearly
    /// beyond what unseen human rows do: the Wilson 95% interval (Wilson
    /// 1927) of its exact-copy share s over its m rows lies wholly above
    /// that of the holdout's share h over its n rows (the holdout's rows
    /// that repeat a training row: what s reads when nothing is copied,
    /// on data with repeated rows).
    ///
    /// Derivation: given the training rows, a synthetic row drawn as a
    /// fresh human row would be is a copy with the probability π a
    /// holdout row is, each row independently, so both shares are
    /// binomial with the same π. s's lower bound above h's upper bound
    /// needs one of them to miss π on its side, so a false alarm has
    /// probability at most 2.5% + 2.5% = 5%; on continuous columns π ≈ 0
    /// and h's upper bound is at least z²/(n + z²) > 0 = π, so it is
    /// about 0. Wilson rather than a Wald test on s − h because h is
    /// often 0 on a small holdout (a Wald standard error of 0 would make
    /// one copy in 3,000 rows significant). 1,500 resampled training
    /// rows of 3,000 (s = 0.5 [0.482, 0.518]) against a 90-row holdout
    /// with none (h = 0 [0, 0.041]) are flagged.
    ///
    /// The closer-to-training share is not tested on its own: synthetic
    /// rows share nearest human rows, so its binomial standard error over
    /// m rows understates its spread (m ≫ the human rows it can land on);
    /// nor is it evidence for reading an overall AUC below 0.5
    /// (``showsCopying(_:)``). And any fitted model leans towards its
    /// training rows: a Gaussian fitted on 210 rows, which copies nothing,
    /// read 0.754 against 0.700 expected over 3,000 rows, far above the
    /// binomial bound 0.716.
    public static func copiesBeyondHoldout(_ p: PrivacyMetrics, holdoutRows n: Int) -> Bool {
        guard n > 0, p.syntheticRows > 0, p.exactCopyShare > 0 else { return false }
        return ConfidenceInterval.wilson(share: p.exactCopyShare, trials: p.syntheticRows).lower
            > ConfidenceInterval.wilson(share: p.holdoutExactCopyShare, trials: n).upper
    }

    /// The DCR ratio below which the synthetic rows are clearly nearer the
    /// training rows than unseen human rows are (10 % nearer at the median).
    public static let copyingDCRRatio = 0.9

    /// Whether the privacy checks (``PrivacyMetrics``, m synthetic rows, n
    /// holdout rows) show copying, any of:
    /// - exact copies above the holdout's share of rows repeating a training
    ///   row h, by more than 1.96·√(h(1 − h)(1/m + 1/n)) (any copy when
    ///   h = 0);
    /// - near copies above their quantile q (what unseen rows score) by
    ///   more than 1.96·√(q(1 − q)(1/m + 1/n));
    /// - a median DCR ratio below ``copyingDCRRatio``.
    ///
    /// Not the closer-to-training share: any fitted model leans towards
    /// its training rows, so it exceeds its expected value without a copy
    /// (see ``copiesBeyondHoldout(_:holdoutRows:)``), and its binomial bound
    /// over m rows is too tight, since synthetic rows share nearest human
    /// rows. An honest copula's 0.711 against a bound of 0.709 read as
    /// copying when it was the only check that fired.
    ///
    /// 1/m + 1/n, not 1/m: the threshold and h are estimated from the n
    /// holdout rows. Given the holdout, a synthetic row drawn as an unseen
    /// human row would fall below the threshold with probability F, the
    /// share of unseen rows below it, and F itself varies over holdouts
    /// with variance about q(1 − q)/n (an order statistic of n uniforms),
    /// so the share's variance is q(1 − q)(1/m + 1/n). With 1/m alone, 12
    /// near copies among 571 synthetic rows (0.021) against a 571-row
    /// holdout were beyond the bound (0.018); with both terms it is 0.0215.
    public static func showsCopying(_ p: PrivacyMetrics) -> Bool {
        let z = ConfidenceInterval.z95
        let scale = 1 / Double(max(p.syntheticRows, 1)) + 1 / Double(max(p.holdoutRows, 1))
        func above(_ share: Double, _ expected: Double) -> Bool { share > expected + z * (expected * (1 - expected) * scale).squareRoot() }
        if p.exactCopyShare > 0 && above(p.exactCopyShare, p.holdoutExactCopyShare) { return true }
        if above(p.nearCopyShare, p.nearCopyQuantile) { return true }
        if case .defined(let ratio) = p.medianRatio, ratio < copyingDCRRatio { return true }
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
        let auc = FidelityMetric.heldOutDetectionAUC.value(synthetic, nil)
        let interval = synthetic.intervals[FidelityMetric.heldOutDetectionAUC.id]
        return FidelityVerdict(auc: auc?.value.flatMap { v in interval.map { (v, $0) } }, undefinedReason: auc?.undefinedReason,
                               coverage: share(synthetic),
                               holdoutCoverage: baselines.first { $0.name == "human_holdout" }.map(share), privacy: synthetic.privacy,
                               holdoutRows: holdoutRows,
                               classes: perClass.compactMap { c in
                                   c.detection.map { .init(name: classNames[c.classIndex], auc: $0.heldOut.value, standardError: $0.heldOut.standardError,
                                                           unreliable: c.detectionAUCIsUnreliable ?? true) }
                               },
                               missingClasses: missingSyntheticClasses.map { .init(name: $0.name, trainingRows: $0.trainingRows) },
                               classShares: classNames.indices.map {
                                   .init(name: classNames[$0], trainingRows: trainingClassCounts[$0], syntheticRows: syntheticClassCounts[$0])
                               },
                               sharesMeasuredAt: matchedSizes.subsampled == .synthetic ? matchedSizes.size : nil)
    }
}
