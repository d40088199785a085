/// The receiver operating characteristic of a detector's scores: the false
/// positive rate against the true positive rate as the threshold falls
/// from above the highest score to below the lowest, the curve whose area
/// is the AUC (``ClassifierScores/auc(scores:positive:)``).
///
/// Tied scores make one step (a diagonal segment), as scikit-learn's
/// `roc_curve` with `drop_intermediate=False` draws them. The curve starts
/// at (0, 0) and ends at (1, 1). It is thinned to at most ``maximumPoints``
/// points, deterministically: a point is kept when its distance along the
/// curve (FPR + TPR, which grows from 0 to 2 at every step) reaches the
/// next multiple of 2 / (maximumPoints − 1); the first and the last point
/// are always kept, so a page draws the shape without drawing every row.
public struct ROCCurve: Sendable, Equatable {
    /// (false positive rate, true positive rate), both in [0, 1], in curve order.
    public let points: [(falsePositiveRate: Double, truePositiveRate: Double)]

    /// The most points a thinned curve keeps.
    public static let maximumPoints = 200

    /// - Parameters:
    ///   - scores: one score per row, higher meaning "positive" (here: real).
    ///   - positive: whether each row is a positive.
    /// Empty when either class has no row.
    public init(scores: [Double], positive: [Bool], maximumPoints: Int = ROCCurve.maximumPoints) {
        precondition(scores.count == positive.count && maximumPoints >= 2)
        let positives = positive.lazy.filter { $0 }.count, negatives = positive.count - positives
        guard positives > 0, negatives > 0 else {
            points = []
            return
        }
        // Descending score; ties are one step, so their order does not matter.
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var all = [(falsePositiveRate: 0.0, truePositiveRate: 0.0)]
        var tp = 0, fp = 0, i = 0
        while i < order.count {
            let s = scores[order[i]]
            while i < order.count && scores[order[i]] == s {
                if positive[order[i]] { tp += 1 } else { fp += 1 }
                i += 1
            }
            all.append((Double(fp) / Double(negatives), Double(tp) / Double(positives)))
        }
        guard all.count > maximumPoints else {
            points = all
            return
        }
        let step = 2 / Double(maximumPoints - 1)
        var kept = [all[0]], next = step
        for p in all.dropFirst().dropLast() where p.falsePositiveRate + p.truePositiveRate >= next && kept.count < maximumPoints - 1 {
            kept.append(p)
            next = (((p.falsePositiveRate + p.truePositiveRate) / step).rounded(.down) + 1) * step
        }
        kept.append(all[all.count - 1])
        points = kept
    }

    public static func == (a: ROCCurve, b: ROCCurve) -> Bool {
        a.points.count == b.points.count && zip(a.points, b.points).allSatisfy { $0 == $1 }
    }
}
