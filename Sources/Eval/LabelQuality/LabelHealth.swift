/// Dataset-level summaries of label quality from the calibrated joint, as
/// cleanlab 2.9's `dataset` module defines them.
///
/// A class may have no given labels (the model's probabilities have a
/// column no label uses) or no estimated true members. Its label noise
/// P(true ≠ k | given = k), or its inverse, is then 0/0: cleanlab reports 0
/// (dividing by max(P, 1e-6)); here it is undefined, and the class sorts
/// where cleanlab puts it (label quality 1), so the order is cleanlab's.
public struct LabelHealth: Sendable {
    public struct ClassQuality: Sendable {
        public let classIndex: Int
        /// Items given this label that truly belong elsewhere: round(N · (P(given=k) − P(given=k, true=k))).
        public let labelIssues: Int
        /// Items of this true class given another label.
        public let inverseLabelIssues: Int
        /// P(true ≠ k | given = k); undefined when no item was given k.
        public let labelNoise: MetricValue
        /// P(given ≠ k | true = k); undefined when no item is estimated to be truly k.
        public let inverseLabelNoise: MetricValue
        /// 1 − labelNoise.
        public var labelQuality: MetricValue { labelNoise.map { 1 - $0 } }
    }

    public struct Overlap: Sendable {
        public let classA: Int
        public let classB: Int
        /// P(given=a, true=b) + P(given=b, true=a).
        public let jointProbability: Double
        public let items: Int
    }

    /// Classes from the worst label quality to the best.
    public let classes: [ClassQuality]
    /// Class pairs most often confused with each other, most overlapping first.
    public let overlaps: [Overlap]
    /// 1 − (estimated label issues) / N: the share of labels believed right.
    public let score: Double

    public init(joint: ConfidentJoint, estimatedIssues: Int) {
        let j = joint.joint
        let k = j.count
        let n = Double(joint.labelCounts.reduce(0, +))
        classes = (0..<k).map { c in
            let given = NumPySummation.rowSum(j, c), truth = NumPySummation.columnSum(j, c)
            let givenNoise = given - j[c][c], trueNoise = truth - j[c][c]
            return ClassQuality(classIndex: c,
                                labelIssues: Int((givenNoise * n).rounded(.toNearestOrEven)),
                                inverseLabelIssues: Int((trueNoise * n).rounded(.toNearestOrEven)),
                                labelNoise: given > 0 ? .defined(givenNoise / max(given, 1e-6))
                                    : .undefined("no item was given this label"),
                                inverseLabelNoise: truth > 0 ? .defined(trueNoise / max(truth, 1e-6))
                                    : .undefined("no item is estimated to truly belong to this class"))
        }.sorted { ($0.labelQuality.value ?? 1, $0.classIndex) < ($1.labelQuality.value ?? 1, $1.classIndex) }
        var pairs = [Overlap]()
        for a in 0..<k { for b in (a + 1)..<k {
            let v = j[a][b] + j[b][a]
            pairs.append(Overlap(classA: a, classB: b, jointProbability: v, items: Int((v * n).rounded(.toNearestOrEven))))
        } }
        overlaps = pairs.sorted { ($1.jointProbability, $0.classA, $0.classB) < ($0.jointProbability, $1.classA, $1.classB) }
        score = 1 - Double(estimatedIssues) / n
    }
}
