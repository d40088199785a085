import Foundation
import SynthctlCore

/// A per-item score of how likely the given label is right: lower means more
/// likely wrong. Definitions are cleanlab 2.9's `rank.get_label_quality_scores`.
public enum LabelQualityScore: String, Sendable, CaseIterable {
    /// p[y], the predicted probability of the given label.
    case selfConfidence = "self_confidence"
    /// (p[y] − max over other classes + 1) / 2: how far the given label is
    /// from the strongest alternative, mapped to [0, 1].
    case normalizedMargin = "normalized_margin"
    /// log(1 + r) / r with r = H(p) / log K ÷ p[y]: low when the model is
    /// sure and disagrees with the label, high when it is sure and agrees.
    case confidenceWeightedEntropy = "confidence_weighted_entropy"

    /// - Parameter thresholds: when given (cleanlab's `adjust_pred_probs`),
    ///   each class's threshold is subtracted from its probabilities before
    ///   scoring, which stops a frequent class from looking more reliable
    ///   only because the model favours it. Not defined for the entropy score.
    public func scores(labels: [Int32], probabilities p: PredictedProbabilities, thresholds: [Double]? = nil) -> [Double] {
        let k = p.classes
        var row = [Double](repeating: 0, count: k)
        let shift = thresholds?.max() ?? 0
        let logK = libmLog(Double(k))
        return (0..<p.rows).map { i in
            for c in 0..<k { row[c] = p[i, c] }
            if let t = thresholds {
                for c in 0..<k { row[c] = row[c] - t[c] + shift }
                let total = row.withUnsafeBufferPointer(NumPySummation.pairwise)
                for c in 0..<k { row[c] /= total }
            }
            let y = Int(labels[i])
            switch self {
            case .selfConfidence:
                return row[y]
            case .normalizedMargin:
                var other = -Double.infinity
                for c in 0..<k where c != y { other = max(other, row[c]) }
                return (row[y] - other + 1) / 2
            case .confidenceWeightedEntropy:
                let terms = row.map { $0 == 0 ? 0 : $0 * libmLog($0) }
                let entropy = -terms.withUnsafeBufferPointer(NumPySummation.pairwise) / logK
                let r = entropy / max(row[y], 1e-6)
                return libmLog(r + 1) / max(r, 1e-6)
            }
        }
    }
}
