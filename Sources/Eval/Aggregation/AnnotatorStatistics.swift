import Foundation

/// Per-annotator reliability against a consensus.
///
/// `agreement` is the share of the annotator's answers equal to the consensus
/// label of the item. `chance` is the agreement an annotator would reach by
/// answering independently of the item with their own answer frequencies:
/// Σ_l p_w(l)·c_w(l), where p_w is the annotator's answer distribution and c_w
/// the consensus label distribution over the items they answered. The
/// z-score compares the two with the binomial standard error √(chance·(1 −
/// chance)/n): an annotator with at least `minimumLabels` answers is flagged a
/// likely spammer when z < 2 (indistinguishable from answering at random),
/// and adversarial when z < −2 (agreeing less than chance: systematically
/// picking wrong labels).
public struct AnnotatorStatistics: Sendable {
    public enum Flag: String, Sendable { case spammer, adversarial }

    public let labels: [Int]
    public let agreement: [Double]
    public let chance: [Double]
    public let z: [Double]
    public let flags: [Flag?]
    public let minimumLabels: Int

    public init(_ answers: AnswerSet, consensus: [Int32], minimumLabels: Int = 10) {
        let w = answers.workerCount, k = answers.classCount
        var labels = [Int](repeating: 0, count: w), agree = [Int](repeating: 0, count: w)
        var answered = [Double](repeating: 0, count: w * k), consensusSeen = [Double](repeating: 0, count: w * k)
        for a in 0..<answers.answerCount {
            let v = Int(answers.worker[a]), l = Int(answers.label[a]), c = Int(consensus[Int(answers.item[a])])
            labels[v] += 1
            answered[v * k + l] += 1
            if c >= 0 {
                consensusSeen[v * k + c] += 1
                if c == l { agree[v] += 1 }
            }
        }
        var agreement = [Double](), chance = [Double](), z = [Double](), flags = [Flag?]()
        for v in 0..<w {
            let n = Double(labels[v])
            let a = Double(agree[v]) / n
            var p = 0.0
            for c in 0..<k { p += (answered[v * k + c] / n) * (consensusSeen[v * k + c] / n) }
            let se = (p * (1 - p) / n).squareRoot()
            let score = se > 0 ? (a - p) / se : (a > p ? .infinity : (a < p ? -.infinity : 0))
            agreement.append(a); chance.append(p); z.append(score)
            if labels[v] < minimumLabels { flags.append(nil) }
            else if score < -2 { flags.append(.adversarial) }
            else if score < 2 { flags.append(.spammer) }
            else { flags.append(nil) }
        }
        self.labels = labels
        self.agreement = agreement
        self.chance = chance
        self.z = z
        self.flags = flags
        self.minimumLabels = minimumLabels
    }
}
