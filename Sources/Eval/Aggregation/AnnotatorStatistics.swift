import Foundation

/// Per-annotator reliability against a consensus.
///
/// `agreement` is the share of the annotator's answers equal to the consensus
/// label of the item. `chance` is the agreement an annotator would reach by
/// answering independently of the item with their own answer frequencies:
/// Σ_l p_w(l)·c_w(l), where p_w is the annotator's answer distribution and c_w
/// the consensus label distribution over the items they answered. The
/// z-score compares the two with the binomial standard error √(chance·(1 −
/// chance)/n): an annotator with at least `minimumLabels` answers is flagged
/// adversarial when z < −2 (agreeing less than chance: systematically
/// picking wrong labels), and a likely spammer when z < 2 (not shown above
/// chance) *and* there is evidence of chance-level labelling: the upper
/// Wilson score bound (Wilson 1927, z = 2) of the agreement is below
/// (1 + chance)/2, halfway from chance to perfect — the data exclude an
/// annotator closer to perfect than to chance.
///
/// Without that evidence the test cannot tell (``undecided``, with the
/// reason), rather than calling a good annotator a spammer: three workers
/// agreeing on all 40 items, 39 of one class, have chance 0.951 and z =
/// 1.43 at perfect agreement — too few items against so skewed a chance to
/// be significant either way; with one class (chance 1) there is no
/// variation at all.
public struct AnnotatorStatistics: Sendable {
    public enum Flag: String, Sendable { case spammer, adversarial }

    public let labels: [Int]
    public let agreement: [Double]
    public let chance: [Double]
    public let z: [Double]
    public let flags: [Flag?]
    /// Why the spammer test cannot tell, for an annotator with enough
    /// answers that is neither shown above chance nor shown near it; nil
    /// otherwise. Such an annotator is not flagged.
    public let undecided: [String?]
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
        var agreement = [Double](), chance = [Double](), z = [Double](), flags = [Flag?](), undecided = [String?]()
        for v in 0..<w {
            let n = Double(labels[v])
            let a = Double(agree[v]) / n
            var p = 0.0
            for c in 0..<k { p += (answered[v * k + c] / n) * (consensusSeen[v * k + c] / n) }
            let se = (p * (1 - p) / n).squareRoot()
            let score = se > 0 ? (a - p) / se : (a > p ? .infinity : (a < p ? -.infinity : 0))
            agreement.append(a); chance.append(p); z.append(score)
            var why: String? = nil
            if labels[v] < minimumLabels { flags.append(nil) }
            else if score < -2 { flags.append(.adversarial) }
            else if score < 2 {
                if p >= 1 {
                    why = "no variation: the annotator's answers and the consensus are all one class"
                    flags.append(nil)
                } else if Self.wilsonUpperBound(a, n: n) >= (1 + p) / 2 {
                    why = "too little evidence: agreement \(Self.three(a)) over \(labels[v]) answers is neither significantly above chance \(Self.three(p)) nor significantly nearer to it than to perfect"
                    flags.append(nil)
                } else { flags.append(.spammer) }
            }
            else { flags.append(nil) }
            undecided.append(why)
        }
        self.labels = labels
        self.agreement = agreement
        self.chance = chance
        self.z = z
        self.flags = flags
        self.undecided = undecided
        self.minimumLabels = minimumLabels
    }

    /// The upper end of the Wilson score interval for a proportion `a` of
    /// `n` trials at z = 2 (Wilson 1927): unlike a + 2·√(a(1 − a)/n) it
    /// does not collapse to `a` at a = 0 or 1.
    static func wilsonUpperBound(_ a: Double, n: Double) -> Double {
        let z2 = 4.0
        return (a + z2 / (2 * n) + 2 * (a * (1 - a) / n + z2 / (4 * n * n)).squareRoot()) / (1 + z2 / n)
    }

    static func three(_ x: Double) -> String { String(format: "%.3f", x) }
}
