import Synth
import SynthctlCore

extension FidelityReport {
    /// The 95% interval of each headline metric of a compared set that has
    /// one (``ConfidenceInterval``), keyed by ``FidelityMetric/id``:
    /// - held-out detection AUC: the matched mean ± 1.96 × the draws' mean
    ///   DeLong SE (``DetectionTest/heldOut``; the cross-validated AUC has
    ///   no interval, since its DeLong SE is too small);
    /// - precision (a share of the m matched candidate rows), recall and
    ///   coverage (shares of the human training rows), authenticity and the
    ///   exact-copy share (shares of the candidate's rows): Wilson's interval
    ///   (the draws' standard deviation is reported beside it);
    /// - TSTR and TRTR macro-F1 (the synthetic set only): the percentile
    ///   bootstrap over the held-out rows, `bootstrapResamples` resamples.
    /// Density, MMD², KID, the marginal and correlation differences, the
    /// Fréchet distance and the median DCR ratio have the draws' standard
    /// deviation where matched, and no interval.
    static func intervals(_ c: Comparison, utility: UtilityMetrics?, matched: MatchedSizes, trainingRows: Int,
                          parameters p: Parameters) -> [String: ConfidenceInterval] {
        var out = [String: ConfidenceInterval]()
        func mean(_ m: FidelityMetric) -> Double? { m.value(c, utility)?.value }
        if let auc = c.matched[FidelityMetric.heldOutDetectionAUC.id], let se = auc.standardError {
            out[FidelityMetric.heldOutDetectionAUC.id] = .normal(auc.mean, standardError: se)
        } else if let auc = mean(.heldOutDetectionAUC) {
            out[FidelityMetric.heldOutDetectionAUC.id] = .normal(auc, standardError: c.detection.heldOut.standardError)
        }
        let candidateRows = c.matched[FidelityMetric.precision.id] != nil ? matched.size : c.rows
        for (metric, trials) in [(FidelityMetric.precision, candidateRows), (.recall, trainingRows), (.coverage, trainingRows),
                                 (.authenticity, c.rows), (.exactCopyShare, c.rows)] {
            if let v = mean(metric) { out[metric.id] = .wilson(share: v, trials: trials) }
        }
        if let u = utility {
            let classes = u.trainOnReal.perClassF1.count
            out[FidelityMetric.tstrF1.id] = u.macroF1Interval(u.syntheticPredictions, classes: classes, resamples: p.bootstrapResamples, seed: p.seed)
            out[FidelityMetric.trtrF1.id] = u.macroF1Interval(u.realPredictions, classes: classes, resamples: p.bootstrapResamples, seed: p.seed)
        }
        return out
    }
}
