import Synth
import SynthctlCore

/// Whether a class's detection AUC says anything: on small classes a tree
/// detector scores far from 0.5 by chance (scikit-learn's
/// HistGradientBoosting gave 0.25–0.36 on a 28-row synthetic class against
/// 100 human rows of a copula sample that copied nothing), so the summary,
/// the Markdown and the JSON mark such AUCs as unreliable rather than let
/// them read as copying or as a difference.
///
/// Unreliable when a side has fewer than ``minimumRows`` rows or the 95%
/// interval is wider than ``maximumWidth``. The two agree at 0.5: for n
/// rows a side the AUC's variance under no difference is
/// (2n + 1)/(12n²) (Hanley & McNeil 1982, *Radiology* 143: the
/// Mann–Whitney variance (n₁ + n₂ + 1)/(12 n₁ n₂)), so at n = 50 the
/// standard error is 0.058 and the interval 2 × 1.96 × 0.058 = 0.227 wide;
/// an interval wider than that has less information than 50 rows a side.
extension FidelityReport.ClassComparison {
    /// Rows each side needs for a per-class AUC to be read.
    public static let minimumDetectionRows = 50
    /// The widest 95% interval read: 2·1.96·√(101/(12·50²)) ≈ 0.227.
    public static let maximumDetectionIntervalWidth = 2 * ConfidenceInterval.z95 * (101.0 / (12 * 2500)).squareRoot()

    /// Whether the class's detection AUC is too noisy to read (see the
    /// extension's doc); nil without a finite AUC.
    public var detectionAUCIsUnreliable: Bool? {
        guard let auc = detection?.auc, auc.value.isFinite else { return nil }
        let interval = ConfidenceInterval.normal(auc.value, standardError: auc.standardError)
        return min(humanRows, syntheticRows) < Self.minimumDetectionRows
            || !(interval.upper - interval.lower <= Self.maximumDetectionIntervalWidth)
    }
}
