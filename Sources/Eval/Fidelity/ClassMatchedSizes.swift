import Synth
import SynthctlCore

/// Per class, what ``MatchedSizes`` does for the whole set: precision,
/// recall, density and coverage, and the class's marginal statistics (mean
/// KS, mean Wasserstein and mean |Δ correlation|, ``MatchedMarginals``),
/// with both compared sides at one size, and the human holdout's rows of
/// the class as the class's baseline.
///
/// Coverage and recall count the class's human training rows inside the
/// candidate's k-NN balls, so a class with 40 holdout rows and 600
/// synthetic rows read a better coverage than its holdout by size alone.
/// Within each class the matched size is m = min(synthetic rows, holdout
/// rows) of the class; the larger side is subsampled without replacement to
/// m rows, `draws` times, and each metric is the mean over draws with their
/// standard deviation (n − 1), as for the whole set. Mirroring the whole-set
/// holdout baseline, the reference is always every human training row of
/// the class (its k-NN radii computed once and reused by every draw and by
/// the baseline), and the baseline is the class's holdout rows measured
/// against it at the same size m.
///
/// The marginal statistics shrink with size as the k-NN ones grow (a class
/// with 600 synthetic rows reads a lower mean KS than its 40 holdout rows
/// by size alone), and the summary prints the class's mean KS beside its
/// coverage, so they are matched on the same draws; one undefined on some
/// draw (no pair of features varying in the drawn rows) keeps its value on
/// all rows. The per-class detection AUC (a classifier fit per fold, the
/// expensive part of a class), MMD² and the Fréchet distance keep every
/// row of both sides: the AUC carries its DeLong interval, and MMD² and
/// Fréchet go through sgemm and LAPACK, whose rounding differs by machine,
/// so each value carries its own rounding bound (`frechet_rounding_bound`),
/// which a class's holdout baseline and spread over draws would need too;
/// a class's Fréchet distance also needs more rows than dimensions, which a
/// class's matched size often lacks. A class whose matched
/// size is at most k (a candidate needs k + 1 rows for its own radii) or
/// that has no holdout rows is not matched (``problem`` says why) and keeps
/// its values on all rows.
///
/// Draw d of the class numbered s by first appearance in the training rows
/// (``FirstAppearanceClasses``) takes the first m rows of a seeded shuffle
/// of the larger side's rows of the class (row d·2³² + s of substream
/// ``Substream/fidelityClassMatchedSizeDraws``): the same rows for any
/// thread count and any order of the class names.
public struct ClassMatchedSizes: Sendable {
    /// Which side of the class was subsampled to the matched size.
    public enum Subsampled: String, Sendable {
        /// The class has more synthetic rows than holdout rows.
        case synthetic
        /// The class has more holdout rows than synthetic rows: the baseline was.
        case holdout
        /// Both have the same number of rows: nothing was subsampled.
        case neither
    }

    /// The metrics matched per class, by ``FidelityMetric/id``.
    public static let metricIDs: [String] = [
        FidelityMetric.precision, .recall, .density, .coverage, .meanKS, .meanWasserstein, .meanCorrelationDifference,
    ].map(\.id)

    /// Rows of each side at the matched size; nil when the class is not matched.
    public let size: Int?
    /// Subsamples drawn of the subsampled side (1 for ``Subsampled/neither``).
    public let draws: Int
    /// Nil when the class is not matched.
    public let subsampled: Subsampled?
    /// The class's holdout rows (the baseline's side before matching).
    public let holdoutRows: Int
    /// Why the class is not matched.
    public let problem: String?
    /// The class's synthetic rows at the matched size, keyed by metric id.
    public let synthetic: [String: MatchedSizes.Drawn]
    /// The class's human holdout rows at the matched size against the
    /// same training rows: the per-class baseline, keyed by metric id.
    public let holdout: [String: MatchedSizes.Drawn]

    /// - Parameters:
    ///   - reference: the class's human training rows in the feature space
    ///     (one-hot columns included), with `radii` their k-NN radii.
    ///   - synthetic, holdout: the class's synthetic and holdout rows, same columns.
    ///   - numeric: the numeric columns alone (what the marginals see) of
    ///     the reference, synthetic and holdout rows, row for row.
    ///   - syntheticOnAllRows: the class's manifold metrics on every
    ///     synthetic row (already computed), reused when the synthetic side
    ///     is not subsampled.
    ///   - stratum: the class's number by first appearance in the training rows.
    init(reference: Matrix, radii: ManifoldMetrics.Radii, synthetic: Matrix, holdout: Matrix,
         numeric: (reference: Matrix, synthetic: Matrix, holdout: Matrix),
         syntheticOnAllRows: ManifoldMetrics, stratum: Int, draws: Int, parameters p: FidelityReport.Parameters) {
        let k = p.k, m = min(synthetic.rows, holdout.rows)
        holdoutRows = holdout.rows
        guard holdout.rows > 0, m > k else {
            (size, self.draws, subsampled, self.synthetic, self.holdout) = (nil, 0, nil, [:], [:])
            problem = holdout.rows == 0 ? "the class has no human holdout rows to match its size with"
                : "the matched size, \(m) rows (\(holdout.rows) holdout, \(synthetic.rows) synthetic), is not above k = \(k)"
            return
        }
        problem = nil
        size = m
        let side: Subsampled = synthetic.rows > m ? .synthetic : holdout.rows > m ? .holdout : .neither
        subsampled = side
        let count = side == .neither ? 1 : draws
        self.draws = count
        func values(_ metrics: ManifoldDraws.Values) -> [String: Double] {
            [FidelityMetric.precision.id: metrics.precision, FidelityMetric.recall.id: metrics.recall,
             FidelityMetric.density.id: metrics.density, FidelityMetric.coverage.id: metrics.coverage]
        }
        func measure(_ candidate: Matrix) -> ManifoldMetrics {
            ManifoldMetrics(real: reference, synthetic: candidate, k: k, boundary: p.boundary, realRadii: radii, threads: p.threads)
        }
        // The training rows of the class as every draw's marginals read them, computed once.
        let referenceSorted = MarginalMetrics.sortedColumns(numeric.reference, threads: p.threads)
        let referenceMoments = Moments(numeric.reference)
        /// Mean KS, Wasserstein and |Δ correlation| of numeric rows `x`; NaN where undefined.
        func marginals(_ x: Matrix) -> [String: Double] {
            let mm = MarginalMetrics(numeric.reference, x, labelsA: [], labelsB: [], classes: 0, momentsA: referenceMoments,
                                     sortedA: referenceSorted, threads: p.threads)
            return [FidelityMetric.meanKS.id: mm.meanKS, FidelityMetric.meanWasserstein.id: mm.meanWasserstein,
                    FidelityMetric.meanCorrelationDifference.id: mm.meanAbsoluteCorrelationDifference]
        }
        /// Every draw of `x` from one pass (``ManifoldDraws``), or each on its
        /// own when the pass would keep too many pairs.
        func measureDraws(_ x: Matrix, _ rows: [[Int]]) -> [ManifoldDraws.Values] {
            let withRadii = rows.map { ($0, ManifoldMetrics.Radii(of: x.gatheringRows($0), k: k, threads: p.threads)) }
            if let found = ManifoldDraws(real: reference, realRadii: radii, candidate: x, draws: withRadii,
                                         boundary: p.boundary, threads: p.threads) { return found.values }
            return withRadii.map { rows, drawRadii in
                ManifoldDraws.Values(ManifoldMetrics(real: reference, synthetic: x.gatheringRows(rows), k: k, boundary: p.boundary,
                                                     realRadii: radii, syntheticRadii: drawRadii, threads: p.threads))
            }
        }
        /// The side's metrics over the draws, or once on all its rows
        /// (`whole`); a metric undefined on some draw is left out.
        func drawn(_ x: Matrix, numeric xn: Matrix, subsampling: Bool, whole: @autoclosure () -> ManifoldMetrics) -> [String: MatchedSizes.Drawn] {
            let rows = subsampling ? (0..<count).map { d in Self.draw(x.rows, size: m, draw: d, stratum: stratum, seed: p.seed) } : nil
            let manifold = rows.map { measureDraws(x, $0).map(values) } ?? [values(ManifoldDraws.Values(whole()))]
            let measured = zip(manifold, rows.map { $0.map { marginals(xn.gatheringRows($0)) } } ?? [marginals(xn)])
                .map { $0.merging($1) { a, _ in a } }
            return Dictionary(uniqueKeysWithValues: Self.metricIDs.compactMap { id in
                let v = measured.map { $0[id]! }
                return Self.manifoldIDs.contains(id) || v.allSatisfy(\.isFinite) ? (id, MatchedSizes.Drawn(v)) : nil
            })
        }
        let syntheticDrawn = drawn(synthetic, numeric: numeric.synthetic, subsampling: side == .synthetic, whole: syntheticOnAllRows)
        let holdoutDrawn = drawn(holdout, numeric: numeric.holdout, subsampling: side == .holdout, whole: measure(holdout))
        (self.synthetic, self.holdout) = (syntheticDrawn, holdoutDrawn)
    }

    /// The k-NN metrics among ``metricIDs`` (kept on every draw, as before the marginals were matched).
    static let manifoldIDs: Set<String> = Set([FidelityMetric.precision, .recall, .density, .coverage].map(\.id))

    /// The rows of draw `d`: the first `size` of a seeded shuffle of
    /// 0..<n, in increasing order (subsampling keeps the rows' order).
    static func draw(_ n: Int, size: Int, draw d: Int, stratum: Int, seed: UInt64) -> [Int] {
        let order = FidelityStreams.shuffled(Array(0..<n), seed: seed, FidelityStreams.classMatchedSizeDraws,
                                             row: UInt64(d) << 32 | UInt64(stratum))
        return order.prefix(size).sorted()
    }

    /// "at 40 rows a side (the holdout's), the synthetic rows subsampled over 5 draws".
    public var description: String {
        guard let size, let subsampled else { return "not matched: " + (problem ?? "") }
        switch subsampled {
        case .synthetic: return "at \(size) rows a side (the class's holdout rows), its synthetic rows subsampled over \(draws) draws"
        case .holdout: return "at \(size) rows a side (the class's synthetic rows), its holdout rows subsampled over \(draws) draws"
        case .neither: return "at \(size) rows a side (as many synthetic as holdout rows)"
        }
    }
}

extension FidelityReport {
    /// The class's coverage as tables rank classes by it: at its matched
    /// size where it was matched, else on all rows; −1 for a class not compared.
    public func classCoverage(_ c: ClassComparison) -> Double {
        FidelityMetric.coverage.classValue(c, utility: utility)?.value ?? -1
    }
}
