import Synth

/// Which items confident learning flags as likely mislabeled, in each of
/// cleanlab 2.9's `filter_by` modes.
///
/// The counts come from the calibrated confident joint; the modes differ in
/// which items they pick to fill those counts:
///
/// - `pruneByNoiseRate` (the default): for every given class k and other
///   class j, the C[k][j] items labeled k with the largest margin
///   p_j − p_k. Best precision/recall balance in cleanlab's benchmarks.
/// - `pruneByClass`: for every class k, the n_k − C[k][k] items labeled k
///   with the smallest p_k.
/// - `both`: items flagged by both of the above.
/// - `confidentLearning`: the confident joint's off-diagonal items.
/// - `predictedNotGiven`: every item whose most probable class is not its label.
/// - `lowNormalizedMargin`, `lowSelfConfidence`: the items with the lowest
///   score, as many as ``LabelIssueFilter/estimatedIssueCount(labels:probabilities:joint:)``.
///
/// Except for the two `low…` modes, an item whose given label is (within
/// 1e-6) its most probable class is never flagged. Ties between items of
/// equal probability or margin go to the lower row index (cleanlab's NumPy
/// quicksort leaves them unspecified).
public enum LabelIssueFilter: String, Sendable, CaseIterable {
    case pruneByNoiseRate = "prune_by_noise_rate"
    case pruneByClass = "prune_by_class"
    case both
    case confidentLearning = "confident_learning"
    case predictedNotGiven = "predicted_neq_given"
    case lowNormalizedMargin = "low_normalized_margin"
    case lowSelfConfidence = "low_self_confidence"

    public struct Options: Sendable {
        /// Classes with this many items or fewer are never pruned, and every
        /// class keeps at least this many items.
        public var minExamplesPerClass = 1
        /// Keep only this fraction of the estimated off-diagonal counts
        /// (the most confident issues first); 1 flags them all.
        public var fracNoise = 1.0
        public init(minExamplesPerClass: Int = 1, fracNoise: Double = 1.0) {
            self.minExamplesPerClass = minExamplesPerClass
            self.fracNoise = fracNoise
        }
    }

    /// One flag per item.
    public func flags(labels: [Int32], probabilities p: PredictedProbabilities, joint: ConfidentJoint,
                      options: Options = Options()) -> [Bool] {
        let n = labels.count, k = p.classes
        var flagged = [Bool](repeating: false, count: n)
        switch self {
        case .confidentLearning:
            for i in joint.offDiagonal { flagged[i] = true }
        case .predictedNotGiven:
            for i in 0..<n where p.argmax(i) != Int(labels[i]) { flagged[i] = true }
        case .lowSelfConfidence, .lowNormalizedMargin:
            let method: LabelQualityScore = self == .lowSelfConfidence ? .selfConfidence : .normalizedMargin
            let scores = method.scores(labels: labels, probabilities: p)
            let count = Self.estimatedIssueCount(labels: labels, probabilities: p, joint: joint)
            for i in Self.ascending(Array(0..<n), key: { scores[$0] }).prefix(count) { flagged[i] = true }
            return flagged
        case .pruneByNoiseRate, .pruneByClass, .both:
            let prune = Self.pruneCounts(joint.calibrated, minimum: options.minExamplesPerClass, fracNoise: options.fracNoise)
            let members = rowsByClass(labels, classes: k)
            var byClass = [Bool](repeating: false, count: n)
            var byRate = [Bool](repeating: false, count: n)
            for c in 0..<k where members[c].count > options.minExamplesPerClass && members[c].count > 1 {
                let rows = members[c]
                if self != .pruneByNoiseRate {
                    let remove = rows.count - prune[c][c]
                    if remove >= 1 {
                        for i in Self.ascending(rows, key: { p[$0, c] }).prefix(remove) { byClass[i] = true }
                    }
                }
                if self != .pruneByClass {
                    for j in 0..<k where j != c && prune[j][c] > 0 {
                        for i in Self.ascending(rows, key: { -(p[$0, j] - p[$0, c]) }).prefix(prune[j][c]) { byRate[i] = true }
                    }
                }
            }
            for i in 0..<n {
                flagged[i] = switch self {
                case .pruneByClass: byClass[i]
                case .pruneByNoiseRate: byRate[i]
                default: byClass[i] && byRate[i]
                }
            }
        }
        for i in 0..<n where flagged[i] && Self.givenLabelIsPredicted(i, label: Int(labels[i]), p) { flagged[i] = false }
        return flagged
    }

    /// cleanlab's `num_label_issues` (`off_diagonal`): the confident joint's
    /// off-diagonal items whose given label is not the most probable class.
    public static func estimatedIssueCount(labels: [Int32], probabilities p: PredictedProbabilities, joint: ConfidentJoint) -> Int {
        joint.offDiagonal.filter { !givenLabelIsPredicted($0, label: Int(labels[$0]), p) }.count
    }

    /// cleanlab's `num_label_issues` (`off_diagonal_calibrated`):
    /// N · (1 − trace of the calibrated joint), rounded.
    public static func calibratedIssueCount(joint: ConfidentJoint) -> Int {
        let j = joint.recalibratedJoint
        let trace = NumPySummation.pairwise(j.indices.map { j[$0][$0] })
        return Int((Double(joint.labelCounts.reduce(0, +)) * (1 - trace)).rounded(.toNearestOrEven))
    }

    /// True when the given label, with a 1e-6 head start, is the argmax.
    static func givenLabelIsPredicted(_ i: Int, label: Int, _ p: PredictedProbabilities) -> Bool {
        var best = 0, bestValue = -Double.infinity
        for c in 0..<p.classes {
            let v = c == label ? p[i, c] + 1e-6 : p[i, c]
            if v > bestValue { best = c; bestValue = v }
        }
        return best == label
    }

    /// `rows` sorted by ascending key, ties by row index.
    static func ascending(_ rows: [Int], key: (Int) -> Double) -> [Int] {
        let keys = rows.map(key)
        return rows.indices.sorted { (keys[$0], rows[$0]) < (keys[$1], rows[$1]) }.map { rows[$0] }
    }

    /// Flagged rows ordered from the most to the least likely mislabeled by
    /// a score (cleanlab's `order_label_issues`).
    public static func ranked(_ flags: [Bool], by scores: [Double]) -> [Int] {
        ascending(flags.indices.filter { flags[$0] }, key: { scores[$0] })
    }

    /// The prune-count matrix P[true][given] (the calibrated joint transposed),
    /// with every class's diagonal raised to at least `minimum` (the increase
    /// taken evenly from the column's other nonzero entries) and the
    /// off-diagonals scaled by `fracNoise`, as cleanlab's
    /// `_keep_at_least_n_per_class`. Fractions are truncated, as cleanlab
    /// does, before rounding.
    static func pruneCounts(_ calibrated: [[Int]], minimum: Int, fracNoise: Double) -> [[Int]] {
        let k = calibrated.count
        let pcm = (0..<k).map { r in (0..<k).map { c in Double(calibrated[c][r]) } }
        let diagonal = (0..<k).map { pcm[$0][$0] }
        // A minimum above n·k (every count is at most n) zeroes every
        // off-diagonal entry as any larger one does; capping it there keeps
        // the counts convertible to Int whatever --min-examples-per-class says.
        let total = pcm.joined().reduce(0, +)
        let raised = diagonal.map { max($0, min(Double(minimum), total * Double(k))) }
        let nonzero = (0..<k).map { c in max(Double((0..<k).filter { pcm[$0][c] != 0 }.count) - 1, 1) }
        var m = pcm
        for r in 0..<k { for c in 0..<k { m[r][c] = max(pcm[r][c] - (raised[c] - diagonal[c]) / nonzero[c], 0) } }
        for c in 0..<k { m[c][c] = raised[c] }
        var reduced = m.map { $0.map { $0 * fracNoise } }
        for c in 0..<k { reduced[c][c] = m[c][c] }
        for c in 0..<k {
            var removed = 0.0
            for r in 0..<k { removed += m[r][c] - reduced[r][c] }
            reduced[c][c] = m[c][c] + removed
        }
        let truncated = reduced.map { $0.map { Double(Int($0)) } }
        return truncated.map(RoundingPreservingTotals.round)
    }
}
