import Synth
import SynthctlCore

/// The marginal and joint-moment statistics of ``MatchedSizes``: the
/// numbers that compare two samples' distributions, computed with both
/// sides at the matched size.
///
/// Two samples of one distribution differ by less the more rows they have:
/// the two-sample KS statistic of samples of n and m rows falls like
/// √((n + m)/(nm)) (its null distribution, Smirnov 1939), Wasserstein-1 and
/// the correlation differences like 1/√m, label total variation like
/// √(C/m) over C classes, and the Fréchet distance has an upward bias of
/// about tr Σ/m from the candidate's estimated mean and covariance. Measured
/// on all rows they favour the larger set: a 3,000-row synthetic set beat
/// the 147-row holdout baseline on mean KS, column shapes, |Δ correlation|
/// and Fréchet by size alone.
///
/// The rule: every number a comparison declares as a ``FidelityMetric``
/// that compares the two sets' distributions is matched — mean and largest
/// KS, mean Wasserstein, label TV, mean and largest |Δ correlation|, the
/// Fréchet distance, column shapes and column pair trends
/// (``metricIDs``). The details written beside them — per-feature KS and
/// Wasserstein, the per-column list and lowest column of column shapes,
/// the worst pairs of column pair trends, the Fréchet mean and covariance
/// terms, the most different correlation pair — stay on all rows: they
/// locate a difference within the synthetic set (the summary, Markdown and
/// HTML show them for the synthetic set alone, never beside a baseline),
/// and every row sharpens the location. So a matched column-shapes score
/// is the mean over draws of each draw's mean over columns, not the mean of
/// the listed columns' all-row scores.
///
/// Label TV is size-biased upward by the sampling of labels: m rows drawn
/// from class shares p_c have E[TV] ≈ ½ Σ_c √(2p_c(1 − p_c)/(πm)) even with
/// the right shares (0.033 for 3 balanced classes at m = 299). The holdout
/// and copy baselines are stratified by class, so theirs is near 0 by
/// construction, not by sampling: read the synthetic set's matched label
/// TV against that noise floor, not against the baselines'.
///
/// Each statistic is computed exactly as on all rows (``MarginalMetrics``,
/// ``FrechetDistance``, ``ColumnShapes``, ``ColumnPairTrends``) on the
/// rows of each draw of ``MatchedSizes``: the same draws, the same rows,
/// as the k-NN and kernel metrics. The human training rows do not change
/// from draw to draw, so what the statistics need of them (sorted columns,
/// moments, the prepared pair columns) is computed once (``Reference``);
/// a draw costs O(D·m log m + P·m) for D columns, P pairs and m rows.
///
/// Per class, ``ClassMatchedSizes`` matches the class's mean KS, mean
/// Wasserstein and mean |Δ correlation| on the class's own draws, beside
/// its holdout rows at the same size, and says why its Fréchet distance
/// keeps every row. Label TV is not a per-class metric (one label per class).
///
/// The Fréchet distance goes through LAPACK, whose rounding differs by
/// machine: its matched value (a mean over draws) is within the largest
/// draw's rounding bound of any other machine's, which the report writes
/// as `frechet.rounding_bound` (with the all-rows terms' bound, the larger).
enum MatchedMarginals {
    /// The matched marginal metrics, by ``FidelityMetric/id``, in ``FidelityMetric/all``'s order.
    static let metricIDs: [String] = [
        FidelityMetric.meanKS, .largestKS, .meanWasserstein, .labelTotalVariation, .meanCorrelationDifference,
        .largestCorrelationDifference, .frechet, .columnShapes, .columnPairTrends,
    ].map(\.id)

    /// One compared set's rows in every form the matched statistics read,
    /// row r the same row in each.
    struct Rows {
        /// Numeric columns in the feature space (what the marginals see).
        let numeric: Matrix
        /// ``numeric`` with the one-hot columns appended (what the k-NN,
        /// kernel, detection and Fréchet statistics see); ``numeric``
        /// itself without categorical columns.
        let encoded: Matrix
        /// Numeric columns in their units (what column shapes and column
        /// pair trends see).
        let raw: Matrix
        /// Per categorical column, one code per row.
        let codes: [[Int32]]
        let labels: [Int32]

        /// The rows `rows`, in that order, of every form.
        func gathering(_ rows: [Int]) -> Rows {
            Rows(numeric: numeric.gatheringRows(rows), encoded: encoded.gatheringRows(rows), raw: raw.gatheringRows(rows),
                 codes: CategoricalFeatures.gathering(codes, rows: rows), labels: rows.map { labels[$0] })
        }
    }

    /// The human training rows, with what every draw's statistics need of
    /// them computed once.
    struct Reference {
        let numeric: Matrix
        let labels: [Int32]
        let classes: Int
        /// ``MarginalMetrics/sortedColumns(_:threads:)`` of ``numeric``.
        let sorted: [[Double]]
        let moments: Moments
        /// Of the encoded rows (one-hot columns appended), for the Fréchet distance.
        let encodedMoments: Moments
        /// The training rows in their units as column shapes and column pair
        /// trends read them (``FidelityMetric/ComparedSets``, the candidate
        /// replaced per draw).
        let sets: FidelityMetric.ComparedSets
        /// ``MarginalMetrics/sortedColumns(_:threads:)`` of the rows in their units.
        let rawSorted: [[Double]]
        let pairColumns: ColumnPairTrends.PreparedSet

        init(numeric: Matrix, labels: [Int32], classes: Int, sorted: [[Double]], moments: Moments, encodedMoments: Moments,
             sets: FidelityMetric.ComparedSets) {
            (self.numeric, self.labels, self.classes, self.sorted) = (numeric, labels, classes, sorted)
            (self.moments, self.encodedMoments, self.sets) = (moments, encodedMoments, sets)
            rawSorted = MarginalMetrics.sortedColumns(sets.reference, threads: sets.threads)
            pairColumns = ColumnPairTrends.prepared(sets.reference, codes: sets.referenceCodes, categories: sets.categoricalColumns,
                                                    binsOf: nil, booleans: sets.booleanColumns)
        }

        /// The matched marginal metrics of candidate rows `c` (NaN where
        /// undefined), and the Fréchet distance's rounding bound.
        func measure(_ c: Rows) -> (values: [String: Double], frechetRoundingBound: Double?) {
            let threads = sets.threads
            let cMoments = Moments(c.numeric)
            let m = MarginalMetrics(numeric, c.numeric, labelsA: labels, labelsB: c.labels, classes: classes,
                                    momentsA: moments, momentsB: cMoments, sortedA: sorted, threads: threads)
            let categorical = !sets.categoricalColumns.isEmpty
            let frechet = try? FrechetDistance(encodedMoments, categorical ? Moments(c.encoded) : cMoments)
            let candidate = FidelityMetric.ComparedSets(
                reference: sets.reference, candidate: c.raw, threads: threads, featureNames: sets.featureNames,
                categoricalColumns: sets.categoricalColumns, referenceCodes: sets.referenceCodes, candidateCodes: c.codes,
                booleanColumns: sets.booleanColumns)
            let values: [String: Double] = [
                FidelityMetric.meanKS.id: m.meanKS, FidelityMetric.largestKS.id: m.largestKS,
                FidelityMetric.meanWasserstein.id: m.meanWasserstein, FidelityMetric.labelTotalVariation.id: m.labelTotalVariation,
                FidelityMetric.meanCorrelationDifference.id: m.meanAbsoluteCorrelationDifference,
                FidelityMetric.largestCorrelationDifference.id: m.largestCorrelationDifference,
                FidelityMetric.frechet.id: frechet?.distance ?? .nan,
                FidelityMetric.columnShapes.id: ColumnShapes(candidate, sortedReference: rawSorted).score.value ?? .nan,
                FidelityMetric.columnPairTrends.id: ColumnPairTrends(candidate, reference: pairColumns).score.value ?? .nan,
            ]
            return (values, frechet?.roundingBound)
        }
    }
}
