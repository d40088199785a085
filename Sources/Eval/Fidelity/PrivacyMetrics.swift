import Synth
import SynthctlCore

/// Does the synthetic set copy its training rows? Distances to the closest
/// record (DCR) of the synthetic rows, measured against the real training
/// rows, beside the same for real rows the generator never saw (a holdout):
/// a generator that generalizes puts its rows no closer to the training
/// set than unseen real rows are.
///
/// - `medianRatio`: median synthetic DCR / median holdout DCR; well below
///   1 means memorization. Undefined when the holdout's median DCR is 0
///   (more than half the holdout rows repeat a training row): there is no
///   scale to measure the synthetic rows' distance against (0/0, or any
///   distance over 0).
/// - `exactCopyShare`: synthetic rows equal to some training row (DCR 0,
///   decided exactly).
/// - `nearCopyShare`: synthetic rows closer to the training set than the
///   `nearCopyQuantile` quantile of the holdout DCRs — about that quantile
///   when nothing is copied.
/// - `closerToTrainingShare`: synthetic rows whose nearest real row (among
///   training and holdout together) is a training row. When the synthetic
///   rows are independent of both, every real row is equally likely to be
///   the nearest, so the expected share is n_train/(n_train + n_holdout),
///   reported beside it. A row exactly as near to some training rows as to
///   some holdout rows (on data with repeated rows, a copied row is often
///   at distance 0 from several of each) counts t/(t + h), t training and h
///   holdout rows at that distance: every one of them is equally likely to
///   be "the" nearest, which keeps the expectation n_train/(n_train +
///   n_holdout) when nothing is copied. (Counted as "not training", ties
///   scored a verbatim copy of the training rows 0.08 against an expected
///   0.70; counted ½, an independent draw of repeated rows scored 0.51.)
///   `tiedNearestShare` says how many rows were ties. Distances are exact
///   (Double, from the rows), so a tie is a true tie.
public struct PrivacyMetrics: Sendable {
    public let medianSyntheticDCR: Double
    public let medianHoldoutDCR: Double
    public let exactCopyShare: Double
    public let nearCopyQuantile: Double
    public let nearCopyThreshold: Double
    public let nearCopyShare: Double
    public let closerToTrainingShare: Double?
    public let expectedCloserToTrainingShare: Double?
    /// Share of synthetic rows equally near to the training and the holdout rows.
    public let tiedNearestShare: Double?
    /// Share of holdout rows equal to some training row (DCR 0): what
    /// `exactCopyShare` reads when nothing is copied (repeated rows).
    public let holdoutExactCopyShare: Double
    /// The synthetic rows the shares are of.
    public let syntheticRows: Int
    /// The holdout rows the near-copy threshold and the holdout's
    /// exact-copy share are estimated from.
    public let holdoutRows: Int

    public var medianRatio: MetricValue { Self.medianRatio(medianSyntheticDCR, medianHoldoutDCR) }

    /// median synthetic DCR / median holdout DCR, undefined when the
    /// holdout's is 0 (or either is not finite; see the type's documentation).
    public static func medianRatio(_ synthetic: Double, _ holdout: Double) -> MetricValue {
        guard holdout > 0 else {
            return .undefined("the holdout rows' median distance to the training rows is 0 (more than half of them repeat a training row): no scale to compare the synthetic rows' distance with")
        }
        return MetricValue(synthetic, over: holdout, undefinedBecause: "a median distance is not finite")
    }

    /// - Parameters:
    ///   - syntheticToTraining: each synthetic row's DCR to the training rows.
    ///   - holdoutToTraining: each holdout row's DCR to the training rows.
    ///   - syntheticToHoldout: each synthetic row's DCR to the holdout rows,
    ///     or nil to skip the closer-to-training share.
    ///   - trainingTies, holdoutTies: per synthetic row, how many training
    ///     (holdout) rows lie at exactly its DCR to them; nil counts one each.
    public init(syntheticToTraining: [Double], holdoutToTraining: [Double], syntheticToHoldout: [Double]?,
                trainingTies: [Int32]? = nil, holdoutTies: [Int32]? = nil,
                trainingRows: Int, nearCopyQuantile: Double = 0.01) {
        medianSyntheticDCR = linearQuantile(sorted: syntheticToTraining.sorted(), 0.5)
        let holdout = holdoutToTraining.sorted()
        medianHoldoutDCR = linearQuantile(sorted: holdout, 0.5)
        let m = Double(syntheticToTraining.count)
        exactCopyShare = Double(syntheticToTraining.lazy.filter { $0 == 0 }.count) / m
        holdoutExactCopyShare = Double(holdout.lazy.filter { $0 == 0 }.count) / Double(max(holdout.count, 1))
        syntheticRows = syntheticToTraining.count
        holdoutRows = holdout.count
        self.nearCopyQuantile = nearCopyQuantile
        let threshold = linearQuantile(sorted: holdout, nearCopyQuantile)
        nearCopyThreshold = threshold
        nearCopyShare = Double(syntheticToTraining.lazy.filter { $0 < threshold }.count) / m
        if let syntheticToHoldout {
            var closer = 0.0, tied = 0
            for (i, (t, h)) in zip(syntheticToTraining, syntheticToHoldout).enumerated() {
                if t < h { closer += 1 } else if t == h {
                    tied += 1
                    let a = Double(trainingTies?[i] ?? 1), b = Double(holdoutTies?[i] ?? 1)
                    closer += a / (a + b)
                }
            }
            closerToTrainingShare = closer / m
            tiedNearestShare = Double(tied) / m
            expectedCloserToTrainingShare = Double(trainingRows) / Double(trainingRows + holdoutToTraining.count)
        } else {
            closerToTrainingShare = nil
            expectedCloserToTrainingShare = nil
            tiedNearestShare = nil
        }
    }
}
