import Foundation

/// Cohen's κ between two raters over the items both answered.
///
/// κ = (p_o − p_e)/(1 − p_e), p_e from each rater's own marginals; the
/// weighted forms use disagreement weights |i − j| (linear) or (i − j)²
/// (quadratic) on class indices: κ_w = 1 − Σ w O / Σ w E. These are
/// scikit-learn's `cohen_kappa_score` definitions. A rater who answered an
/// item more than once is represented by the answer with the smallest class
/// id (answers are sorted), so each item counts once.
public enum CohenKappa {
    public enum Weighting: String, Sendable, CaseIterable { case none, linear, quadratic }

    /// The κ of workers `a` and `b`, and the number of items they share
    /// (κ is undefined when they share none or when no disagreement is
    /// expected: both gave one and the same label throughout, p_e = 1).
    public static func kappa(_ answers: AnswerSet, _ a: Int, _ b: Int, weighting: Weighting = .none) -> (kappa: MetricValue, shared: Int) {
        let k = answers.classCount
        var table = [Double](repeating: 0, count: k * k)
        var shared = 0
        for t in 0..<answers.itemCount {
            var la = -1, lb = -1
            for i in answers.itemStart[t]..<answers.itemStart[t + 1] {
                let w = Int(answers.worker[i])
                if w == a, la < 0 { la = Int(answers.label[i]) }
                if w == b, lb < 0 { lb = Int(answers.label[i]) }
            }
            if la >= 0, lb >= 0 { table[la * k + lb] += 1; shared += 1 }
        }
        return (kappa(table: table, classes: k, weighting: weighting), shared)
    }

    /// Why κ is undefined when the two raters share no item.
    static let noSharedItems = "the two annotators share no item"
    /// Why κ is undefined when p_e = 1 (0/0).
    static let noExpectedDisagreement = "both annotators gave one and the same label on every shared item: no disagreement is expected (0/0)"

    /// κ from a k × k contingency table (rows: rater a, columns: rater b).
    public static func kappa(table: [Double], classes k: Int, weighting: Weighting) -> MetricValue {
        let total = table.reduce(0, +)
        guard total > 0 else { return .undefined(noSharedItems) }
        var rows = [Double](repeating: 0, count: k), columns = [Double](repeating: 0, count: k)
        for i in 0..<k { for j in 0..<k { rows[i] += table[i * k + j]; columns[j] += table[i * k + j] } }
        var observed = 0.0, expected = 0.0
        for i in 0..<k {
            for j in 0..<k {
                let w: Double
                switch weighting {
                case .none: w = i == j ? 0 : 1
                case .linear: w = Double(abs(i - j))
                case .quadratic: w = Double((i - j) * (i - j))
                }
                observed += w * table[i * k + j]
                expected += w * rows[i] * columns[j] / total
            }
        }
        return expected > 0 ? .defined(1 - observed / expected) : .undefined(noExpectedDisagreement)
    }
}
