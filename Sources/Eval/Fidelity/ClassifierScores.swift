/// Scores of a classifier's predictions: ROC AUC with its DeLong standard
/// error, accuracy and F1.
public enum ClassifierScores {
    public struct AUC: Sendable {
        public let value: Double
        /// DeLong et al. (1988): var = var(V₁₀)/n₊ + var(V₀₁)/n₋ over the
        /// placement values (each positive's share of negatives it beats,
        /// ties counting ½, and each negative's share of positives above it).
        public let standardError: Double
        public let positives: Int
        public let negatives: Int

        /// The normal-approximation interval AUC ± z·SE, clipped to [0, 1].
        public func interval(z: Double = 1.959963984540054) -> (lower: Double, upper: Double) {
            (max(0, value - z * standardError), min(1, value + z * standardError))
        }
    }

    /// The probability that a random positive scores above a random
    /// negative, ties counting ½ (scikit-learn's `roc_auc_score`), in
    /// O(n log n) by sorting.
    public static func auc(scores: [Double], positive: [Bool]) -> AUC {
        precondition(scores.count == positive.count)
        let pos = zip(scores, positive).filter { $0.1 }.map { $0.0 }.sorted()
        let neg = zip(scores, positive).filter { !$0.1 }.map { $0.0 }.sorted()
        guard !pos.isEmpty, !neg.isEmpty else {
            return AUC(value: .nan, standardError: .nan, positives: pos.count, negatives: neg.count)
        }
        // The share of `sorted` strictly below t plus half the share equal to t.
        func placement(_ t: Double, in sorted: [Double]) -> Double {
            let below = lowerBound(sorted, t), upTo = upperBound(sorted, t)
            return (Double(below) + 0.5 * Double(upTo - below)) / Double(sorted.count)
        }
        let v10 = pos.map { placement($0, in: neg) }
        let v01 = neg.map { 1 - placement($0, in: pos) }
        let value = v10.reduce(0, +) / Double(pos.count)
        func variance(_ v: [Double]) -> Double {
            guard v.count > 1 else { return 0 }
            let mean = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)
        }
        let se = (variance(v10) / Double(pos.count) + variance(v01) / Double(neg.count)).squareRoot()
        return AUC(value: value, standardError: se, positives: pos.count, negatives: neg.count)
    }

    static func lowerBound(_ a: [Double], _ t: Double) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let mid = (lo + hi) / 2; if a[mid] < t { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    static func upperBound(_ a: [Double], _ t: Double) -> Int {
        var lo = 0, hi = a.count
        while lo < hi { let mid = (lo + hi) / 2; if a[mid] <= t { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    public struct Classification: Sendable {
        public let accuracy: Double
        /// The unweighted mean of the per-class F1 over the classes that
        /// occur in the truth or the predictions (scikit-learn's macro F1).
        public let macroF1: Double
        /// F1 per class id, nil for a class in neither.
        public let perClassF1: [Double?]
    }

    public static func classification(truth: [Int32], predicted: [Int32], classes: Int) -> Classification {
        precondition(truth.count == predicted.count)
        var tp = [Int](repeating: 0, count: classes), inTruth = tp, inPredicted = tp
        var correct = 0
        for (t, p) in zip(truth, predicted) {
            inTruth[Int(t)] += 1
            inPredicted[Int(p)] += 1
            if t == p { tp[Int(t)] += 1; correct += 1 }
        }
        let f1: [Double?] = (0..<classes).map { c in
            guard inTruth[c] + inPredicted[c] > 0 else { return nil }
            return 2 * Double(tp[c]) / Double(inTruth[c] + inPredicted[c])
        }
        let present = f1.compactMap { $0 }
        return Classification(accuracy: truth.isEmpty ? .nan : Double(correct) / Double(truth.count),
                              macroF1: present.isEmpty ? .nan : present.reduce(0, +) / Double(present.count),
                              perClassF1: f1)
    }
}
