import Synth
import SynthctlCore

/// The size-dependent metrics computed with both compared sets at the same
/// size, so that a number reflects the generator and not how many rows it
/// was asked for.
///
/// Coverage and recall count human rows inside the candidate's k-NN balls,
/// and more candidate rows cover more: coverage of one generator read 0.744
/// at 539 rows, 0.952 at 1,797 and 0.981 at 5,000, so a synthetic set larger
/// than the human holdout beat the holdout baseline (the floor no generator
/// beats at the holdout's size) by size alone. The detector learns better
/// from more rows of one side, and the spread of precision, density, MMD²
/// and KID shrinks with size. Two samples of one distribution differ by
/// less the more rows they have, so the statistics comparing the sets'
/// distributions (KS, Wasserstein, label TV, the correlation differences,
/// Fréchet, column shapes, column pair trends) are matched too
/// (``MatchedMarginals``, which states which numbers and why). The
/// metrics read from rows one at a time against the human training rows
/// (DCR, exact and near copies, the closer-to-training share,
/// authenticity) and the validity shares (boundary adherence,
/// integrality, category coverage, unseen categories) have the same
/// expectation at any size and are computed on every row.
///
/// The matched size m is the holdout's row count (the size every baseline
/// has), or the synthetic set's when it is smaller. The side larger than m —
/// the synthetic set, or else the three baselines — is subsampled without
/// replacement to m rows, `draws` times: draw d takes the first m indices of
/// a permutation seeded by the run's seed on substream
/// ``Substream/fidelityMatchedSizeDraws`` + d (the same rows for any thread
/// count), and every matched metric is the mean over draws with their
/// standard deviation (n − 1). A side already at m is measured once.
///
/// Per class, ``ClassMatchedSizes`` matches precision, recall, density
/// and coverage the same way within each class, beside the class's holdout
/// rows; the per-class detection AUC keeps every row and carries its
/// DeLong interval.
public struct MatchedSizes: Sendable {
    /// Which side was subsampled to the matched size.
    public enum Subsampled: String, Sendable {
        /// The synthetic set is larger than the holdout.
        case synthetic
        /// The synthetic set is smaller than the holdout: the baselines were.
        case baselines
        /// Both have the holdout's size: nothing was subsampled.
        case neither
        /// Not matched (0 draws asked): every metric on all rows, the
        /// numbers of reports before version 4.
        case allRows = "all_rows"
    }

    /// Rows of each compared set, both sides.
    public let size: Int
    /// Subsamples drawn of the subsampled side.
    public let draws: Int
    public let subsampled: Subsampled

    /// The metrics computed at the matched size, by ``FidelityMetric/id``:
    /// the k-NN, kernel and detection metrics, then the marginal ones
    /// (``MatchedMarginals/metricIDs``).
    public static let metricIDs: [String] = [
        FidelityMetric.precision, .recall, .density, .coverage, .mmd2, .kid, .kidStandardDeviation,
        .detectionAUC, .heldOutDetectionAUC, .sdmetricsScore,
    ].map(\.id) + MatchedMarginals.metricIDs

    /// The matched metrics as the summary, Markdown and HTML name them.
    public static let metricNames = "precision, recall, density, coverage, MMD², KID, detection, KS, Wasserstein, label TV, "
        + "|Δ correlation|, Fréchet, column shapes and column pair trends"

    /// `draws` 0 turns matching off (``Subsampled/allRows``).
    public init(syntheticRows: Int, holdoutRows: Int, draws: Int) {
        guard draws > 0 else {
            (size, self.draws, subsampled) = (syntheticRows, 0, .allRows)
            return
        }
        size = min(syntheticRows, holdoutRows)
        subsampled = syntheticRows > holdoutRows ? .synthetic : syntheticRows < holdoutRows ? .baselines : .neither
        self.draws = subsampled == .neither ? 1 : draws
    }

    /// One line for the summary and reports: "at 539 rows a side, the
    /// synthetic set subsampled over 5 seeded draws".
    public var description: String {
        switch subsampled {
        case .synthetic: return "at \(size) rows a side (the holdout's), the synthetic set subsampled over \(draws) seeded draws (mean ± sd)"
        case .baselines: return "at \(size) rows a side (the synthetic set's, fewer than the holdout's), the baselines subsampled over \(draws) seeded draws (mean ± sd)"
        case .neither: return "at \(size) rows a side (the synthetic set has the holdout's size)"
        case .allRows: return "on all rows of each set (not matched: 0 size draws)"
        }
    }

    /// A matched metric: its value on each draw, their mean and spread, and
    /// the interval on the mean.
    public struct Drawn: Sendable {
        public let values: [Double]
        public let mean: Double
        /// Over draws (n − 1); 0 for one draw. Measures subsampling alone.
        public let standardDeviation: Double
        /// The mean over draws of a closed-form standard error (DeLong's for
        /// the held-out detection AUC), when the metric has one. The mean
        /// of the draws' errors, not their root mean square over √draws:
        /// the draws share the human rows, so their values are correlated,
        /// and the standard deviation of a mean of correlated values is at
        /// most the mean of their standard deviations (Minkowski's
        /// inequality), with equality when they are fully correlated.
        public let standardError: Double?
        /// The largest rounding bound of a draw (``KernelMetrics/Estimate``),
        /// for MMD² and KID: it bounds the mean's too.
        public let roundingBound: Double?

        init(_ values: [Double], standardErrors: [Double]? = nil, roundingBounds: [Double]? = nil) {
            roundingBound = roundingBounds?.max()
            self.values = values
            let n = Double(values.count)
            let mean = values.reduce(0, +) / n
            self.mean = mean
            standardDeviation = values.count < 2 ? 0
                : (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
            standardError = standardErrors.map { $0.reduce(0, +) / n }
        }
    }

    /// The matched metrics of a comparison already at the matched size:
    /// its whole-set values, as one draw.
    static func once(_ c: FidelityReport.Comparison) -> [String: Drawn] {
        var out = [String: Drawn]()
        for m in FidelityMetric.all where metricIDs.contains(m.id) {
            guard let v = m.measuredValue(c, nil)?.value, v.isFinite else { continue }
            let se = m.id == FidelityMetric.heldOutDetectionAUC.id && c.detection.heldOut.standardError.isFinite
                ? [c.detection.heldOut.standardError] : nil
            out[m.id] = Drawn([v], standardErrors: se)
        }
        return out
    }

    /// What every candidate is measured against, computed once: the human
    /// training rows in the feature space and what the matched metrics
    /// need of them.
    struct Reference {
        let rows: Matrix
        let labels: [Int32]
        let classes: Int
        let radii: ManifoldMetrics.Radii
        let mmdRows: Matrix
        let selfKernel: KernelMetrics.KernelSum
        let kidSelfSums: KernelMetrics.KIDSelfSums
        let bandwidth: Double
        let parameters: FidelityReport.Parameters
        /// What the matched marginal statistics need of the training rows.
        let marginals: MatchedMarginals.Reference

        /// The matched metrics of candidate rows `c` (classes `cY`), with
        /// the held-out detection AUC's DeLong SE; the same computations,
        /// seeds and streams as the whole-set comparison.
        ///
        /// - Parameter manifold: the draw's precision, recall, density and
        ///   coverage when already known (``ManifoldDraws``).
        func measure(_ c: Matrix, _ cY: [Int32], manifold: ManifoldDraws.Values? = nil)
            -> (values: [String: Double], aucStandardError: Double, roundingBounds: [String: Double]) {
            let p = parameters, threads = p.threads
            let m = manifold ?? ManifoldDraws.Values(
                ManifoldMetrics(real: rows, synthetic: c, k: p.k, boundary: p.boundary, realRadii: radii, threads: threads))
            let cRows = FidelityStreams.subsample(c.rows, count: p.exactMMDRows, seed: p.seed, FidelityStreams.exactMMDSubsampleSynthetic)
            let mmd = KernelMetrics.unbiasedMMD2(mmdRows, c.gatheringRows(cRows), bandwidth: bandwidth, xSelfSum: selfKernel, threads: threads)
            let kid = KernelMetrics.kid(rows, c, subsets: p.kidSubsets, subsetSize: p.kidSubsetSize, seed: p.seed, threads: threads,
                                        selfSums: kidSelfSums)
            let d = DetectionTest(real: rows, synthetic: c, realClasses: labels, syntheticClasses: cY, classes: classes,
                                  folds: p.detectionFolds, detector: p.detector,
                                  seed: p.seed ^ UInt64(FidelityStreams.detectionFolds), threads: threads)
            let values: [String: Double] = [
                FidelityMetric.precision.id: m.precision, FidelityMetric.recall.id: m.recall,
                FidelityMetric.density.id: m.density, FidelityMetric.coverage.id: m.coverage,
                FidelityMetric.mmd2.id: mmd.value,
                FidelityMetric.kid.id: kid.meanWithinRounding == nil ? kid.mean : .nan,
                FidelityMetric.kidStandardDeviation.id: kid.subsets > 1 && kid.standardDeviationWithinRounding == nil ? kid.standardDeviation : .nan,
                FidelityMetric.detectionAUC.id: d.auc.value,
                FidelityMetric.heldOutDetectionAUC.id: d.heldOut.value,
                FidelityMetric.sdmetricsScore.id: d.auc.value.isFinite ? d.sdmetricsScore : .nan,
            ]
            let bounds = [FidelityMetric.mmd2.id: mmd.roundingBound, FidelityMetric.kid.id: kid.roundingBound,
                          FidelityMetric.kidStandardDeviation.id: kid.standardDeviationRoundingBound]
            return (values, d.heldOut.standardError, bounds)
        }

        /// Each matched metric of `candidate` over `draws` subsamples of
        /// `size` rows; a metric undefined on any draw is left out (the
        /// whole-set value, with its reason, stands).
        func drawn(_ candidate: MatchedMarginals.Rows, size: Int, draws: Int) -> [String: Drawn] {
            let c = candidate.encoded, cY = candidate.labels
            var values = [String: [Double]](), errors = [Double](), bounds = [String: [Double]]()
            let drawRows = (0..<draws).map { d in
                FidelityStreams.subsample(c.rows, count: size, seed: parameters.seed, FidelityStreams.matchedSizeDraws + UInt32(d))
            }
            // Precision, recall, density and coverage of every draw from one
            // pass (``ManifoldDraws``); nil when it would keep too many
            // pairs, and then each draw measures its own.
            let manifold = ManifoldDraws(real: self.rows, realRadii: radii, candidate: c, draws: drawRows.map { rows in
                (rows, ManifoldMetrics.Radii(of: c.gatheringRows(rows), k: parameters.k, threads: parameters.threads))
            }, boundary: parameters.boundary, threads: parameters.threads)?.values
            for (d, rows) in drawRows.enumerated() {
                let measured = measure(c.gatheringRows(rows), rows.map { cY[$0] }, manifold: manifold?[d])
                for (id, v) in measured.values { values[id, default: []].append(v) }
                errors.append(measured.aucStandardError)
                for (id, b) in measured.roundingBounds { bounds[id, default: []].append(b) }
                let marginal = marginals.measure(candidate.gathering(rows))
                for (id, v) in marginal.values { values[id, default: []].append(v) }
                bounds[FidelityMetric.frechet.id, default: []].append(marginal.frechetRoundingBound ?? .nan)
            }
            var out = [String: Drawn]()
            for (id, v) in values where v.allSatisfy(\.isFinite) {
                out[id] = Drawn(v, standardErrors: id == FidelityMetric.heldOutDetectionAUC.id && errors.allSatisfy(\.isFinite) ? errors : nil,
                                roundingBounds: bounds[id])
            }
            return out
        }
    }
}
