import Synth

/// The numbers of a comparison that can be undefined on valid input, each
/// as a ``MetricValue``: JSON `null` with the reason under `"undefined"`,
/// `n/a` in the summary, Markdown and HTML, and a gate on one fails saying
/// why (never "the unbiased MMD² is nan, above 0.1000").
///
/// - KS and Wasserstein: a set without rows or features (0/0 of empirical CDFs).
/// - correlation difference: no pair of features varies in both sets
///   (Pearson's r of a constant column is 0/0).
/// - Fréchet distance: a set with no more rows than dimensions (a singular
///   covariance), or an eigensolver that did not converge.
/// - MMD² (unbiased and linear-time): an RBF bandwidth of 0 — more than
///   half the pairs of pooled rows coincide, so the median distance is 0
///   and k(x, y) = exp(−d²/0) is 0/0 — or fewer than 2 rows in a set.
/// - KID: fewer than 2 rows per subset; its standard deviation from a
///   single subset.
/// - detection AUC and the SDMetrics score: fewer than 2 rows on a side
///   (no folds), or a side without rows; the held-out AUC also when a
///   half has fewer than 2 rows of a side.
/// - median DCR ratio: the holdout's median DCR is 0
///   (``PrivacyMetrics/medianRatio``).
/// - closer-to-training share: not measured for the holdout baseline, which
///   is the holdout itself.
/// - TSTR/TRTR ratios: TRTR of 0 (``UtilityMetrics``).
extension FidelityReport {
    public struct Statistics: Sendable {
        public let meanKS: MetricValue
        public let largestKS: MetricValue
        public let meanWasserstein: MetricValue
        public let meanCorrelationDifference: MetricValue
        public let largestCorrelationDifference: MetricValue
        public let frechet: MetricValue
        public let mmd2: MetricValue
        public let mmd2Linear: MetricValue
        public let kidMean: MetricValue
        public let kidStandardDeviation: MetricValue
        public let detectionAUC: MetricValue
        public let heldOutDetectionAUC: MetricValue
        public let sdmetricsScore: MetricValue
        public let medianDCRRatio: MetricValue
        public let closerToTrainingShare: MetricValue
    }

    /// The per-class numbers of a class both sets have enough rows of.
    public struct ClassStatistics: Sendable {
        public let meanKS: MetricValue
        public let meanWasserstein: MetricValue
        public let meanCorrelationDifference: MetricValue
        public let mmd2: MetricValue
        public let frechet: MetricValue
        public let detectionAUC: MetricValue
        public let heldOutDetectionAUC: MetricValue
        public let medianDCRRatio: MetricValue
    }

    /// A value, or undefined for `reason` when it is not finite.
    static func finite(_ x: Double, _ reason: @autoclosure () -> String) -> MetricValue {
        x.isFinite ? .defined(x) : .undefined(reason())
    }

    static func marginalReason(_ m: MarginalMetrics) -> String {
        m.ks.isEmpty ? "there are no features to compare" : "a set has no rows to compare"
    }

    static func correlationReason(_ m: MarginalMetrics) -> String {
        m.ks.count < 2 ? "there are fewer than two features: no pair to correlate"
            : "no pair of features varies in both sets (the correlation of a constant feature is 0/0)"
    }

    static func kernelReason(bandwidth: Double) -> String {
        bandwidth == 0
            ? "more than half the pairs of pooled rows are identical, so the median distance that sets the RBF kernel's bandwidth is 0"
            : bandwidth.isFinite ? "a set has fewer than 2 rows" : "the RBF kernel's bandwidth is not finite"
    }

    static func frechet(_ f: FrechetDistance?, problem: String?) -> MetricValue {
        if let f { return finite(f.distance, "the Fréchet distance is not finite") }
        return .undefined(problem ?? "no Fréchet distance was computed")
    }

    static func detectionReason(_ d: DetectionTest) -> String {
        d.auc.positives == 0 || d.auc.negatives == 0 ? "a side has no rows to tell apart"
            : "a side has fewer than 2 rows: no folds to cross-validate the detector on"
    }

    static func heldOutReason(_ d: DetectionTest) -> String {
        d.auc.value.isFinite ? "a side has fewer than 2 rows in a half: no held-out split to train on one and test on the other"
            : detectionReason(d)
    }
}

extension FidelityReport.Comparison {
    public var statistics: FidelityReport.Statistics {
        typealias R = FidelityReport
        let m = marginals
        return FidelityReport.Statistics(
            meanKS: R.finite(m.meanKS, R.marginalReason(m)),
            largestKS: R.finite(m.largestKS, R.marginalReason(m)),
            meanWasserstein: R.finite(m.meanWasserstein, R.marginalReason(m)),
            meanCorrelationDifference: R.finite(m.meanAbsoluteCorrelationDifference, R.correlationReason(m)),
            largestCorrelationDifference: R.finite(m.largestCorrelationDifference, R.correlationReason(m)),
            frechet: R.frechet(frechet, problem: frechetProblem),
            mmd2: R.finite(mmd2, R.kernelReason(bandwidth: bandwidth)),
            mmd2Linear: R.finite(mmd2Linear, R.kernelReason(bandwidth: bandwidth)),
            kidMean: kid.meanWithinRounding.map { .undefined($0) } ?? R.finite(kid.mean, "fewer than 2 rows per KID subset"),
            kidStandardDeviation: kid.subsets == 1 ? .undefined("one KID subset: no spread to measure")
                : kid.standardDeviationWithinRounding.map { .undefined($0) }
                ?? R.finite(kid.standardDeviation, "fewer than 2 rows per KID subset"),
            detectionAUC: R.finite(detection.auc.value, R.detectionReason(detection)),
            heldOutDetectionAUC: R.finite(detection.heldOut.value, R.heldOutReason(detection)),
            sdmetricsScore: R.finite(detection.auc.value, R.detectionReason(detection)).map { _ in detection.sdmetricsScore },
            medianDCRRatio: privacy.medianRatio,
            closerToTrainingShare: privacy.closerToTrainingShare.map { R.finite($0, "no synthetic rows") }
                ?? .undefined("not measured: this set is compared with the holdout rows themselves"))
    }
}

extension FidelityReport.ClassComparison {
    /// Nil when the class was not compared (``problem`` says why).
    public var statistics: FidelityReport.ClassStatistics? {
        typealias R = FidelityReport
        guard problem == nil, let meanKS, let meanWasserstein, let meanAbsoluteCorrelationDifference, let detection,
              let medianDCRRatio else { return nil }
        let correlation = meanAbsoluteCorrelationDifference.isFinite ? MetricValue.defined(meanAbsoluteCorrelationDifference)
            : .undefined("no pair of features varies within the class in both sets (the correlation of a constant feature is 0/0)")
        return FidelityReport.ClassStatistics(
            meanKS: R.finite(meanKS, "a set has no rows of the class"),
            meanWasserstein: R.finite(meanWasserstein, "a set has no rows of the class"),
            meanCorrelationDifference: correlation,
            mmd2: R.finite(mmd2 ?? .nan, R.kernelReason(bandwidth: bandwidth)),
            frechet: R.frechet(frechet, problem: frechetProblem),
            detectionAUC: R.finite(detection.auc.value, R.detectionReason(detection)),
            heldOutDetectionAUC: R.finite(detection.heldOut.value, R.heldOutReason(detection)),
            medianDCRRatio: medianDCRRatio)
    }
}
