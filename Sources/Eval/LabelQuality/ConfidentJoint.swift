/// The confident joint of Northcutt, Jiang & Chuang (JAIR 2021): for each
/// given label j and likely true label k, how many items are confidently
/// counted as "labeled j, truly k".
///
/// An item counts into true class k when its predicted probability of k
/// reaches that class's threshold t_k, the mean predicted probability of k
/// over the items labeled k (so a class the model is generally unsure of
/// gets a lower bar). When several classes reach their thresholds the most
/// probable one wins; items that reach none are left out. Every step follows
/// cleanlab 2.9's `count.compute_confident_joint`, including its constants,
/// so the same probabilities give the same counts.
public struct ConfidentJoint: Sendable {
    /// cleanlab's `CONFIDENT_THRESHOLDS_LOWER_BOUND`.
    static let thresholdFloor = 2e-6
    /// cleanlab's `FLOATING_POINT_COMPARISON`: p counts as reaching t when p ≥ t − 1e-6.
    static let comparisonSlack = 1e-6
    /// The threshold of a class nobody was given: no item can reach it.
    static let absentClassThreshold = 2.0

    /// t_k per class.
    public let thresholds: [Double]
    /// Items per given label.
    public let labelCounts: [Int]
    /// counts[given][true], before calibration, with each diagonal entry at least 1.
    public let raw: [[Int]]
    /// `raw` rescaled so row j sums to the number of items given label j and
    /// the whole sums to N, then rounded preserving row totals.
    public let calibrated: [[Int]]
    /// Items counted off the diagonal (likely true class ≠ given label), ascending.
    public let offDiagonal: [Int]
    /// Each item's likely true class, or −1 when it reached no threshold.
    public let likelyTrueClass: [Int32]

    public init(labels: [Int32], probabilities p: PredictedProbabilities) {
        precondition(labels.count == p.rows)
        let k = p.classes
        var counts = [Int](repeating: 0, count: k)
        for y in labels { counts[Int(y)] += 1 }
        labelCounts = counts

        // Thresholds: NumPy's mean of p[:, c] over the items labeled c.
        var perClass = [[Double]](repeating: [], count: k)
        for c in 0..<k { perClass[c].reserveCapacity(counts[c]) }
        for i in 0..<p.rows { let y = Int(labels[i]); perClass[y].append(p[i, y]) }
        thresholds = (0..<k).map { c in
            let t = counts[c] > 0 ? NumPySummation.pairwise(perClass[c]) / Double(counts[c]) : Self.absentClassThreshold
            return max(t, Self.thresholdFloor)
        }

        var joint = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        var guesses = [Int32](repeating: -1, count: p.rows)
        var off = [Int]()
        for i in 0..<p.rows {
            var confident = 0, firstConfident = -1
            for c in 0..<k where p[i, c] >= thresholds[c] - Self.comparisonSlack {
                confident += 1
                if firstConfident < 0 { firstConfident = c }
            }
            guard confident > 0 else { continue }
            let guess = confident > 1 ? p.argmax(i) : firstConfident
            guesses[i] = Int32(guess)
            joint[Int(labels[i])][guess] += 1
            if guess != Int(labels[i]) { off.append(i) }
        }
        for c in 0..<k { joint[c][c] = max(joint[c][c], 1) }
        raw = joint
        offDiagonal = off
        likelyTrueClass = guesses
        calibrated = Self.calibrate(joint, labelCounts: counts)
    }

    /// cleanlab's `calibrate_confident_joint`: rows rescaled to the given-label
    /// counts, the whole rescaled to N, rounded preserving each row's total.
    static func calibrate(_ joint: [[Int]], labelCounts: [Int]) -> [[Int]] {
        let k = joint.count
        var scaled = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for j in 0..<k {
            let rowTotal = max(Double(joint[j].reduce(0, +)), 1e-100)
            for c in 0..<k { scaled[j][c] = Double(joint[j][c]) / rowTotal * Double(labelCounts[j]) }
        }
        let total = max(NumPySummation.total(scaled), 1e-100)
        let n = Double(labelCounts.reduce(0, +))
        for j in 0..<k { for c in 0..<k { scaled[j][c] = scaled[j][c] / total * n } }
        return scaled.map(RoundingPreservingTotals.round)
    }

    /// The calibrated joint as a distribution P(given, true), summing to one
    /// (cleanlab's `estimate_joint`).
    public var joint: [[Double]] { Self.normalized(calibrated) }

    /// cleanlab's `estimate_joint` of an already calibrated joint, which it
    /// calibrates once more (what `num_label_issues(off_diagonal_calibrated)`
    /// and the health summary's class table use).
    var recalibratedJoint: [[Double]] { Self.normalized(Self.calibrate(calibrated, labelCounts: labelCounts)) }

    static func normalized(_ counts: [[Int]]) -> [[Double]] {
        let total = max(Double(counts.joined().reduce(0, +)), 1e-100)
        return counts.map { $0.map { Double($0) / total } }
    }
}
