import Foundation

/// Chance-corrected agreement among several raters.
///
/// Both statistics are computed from per-item vote counts (items × classes,
/// sparse through ``AnswerSet``), never from an items × raters × values array.
public enum Agreement {
    /// Why a statistic over pairs of answers is undefined when no item has two.
    static let noPairs = "no item has two or more answers: there are no pairs of answers to compare"
    /// Why a chance-corrected statistic is undefined when one label is all there is (0/0).
    static let oneLabel = "every answer on items with two or more answers is the same label: no disagreement is expected (0/0)"

    /// Observed agreement: the mean over items with ≥ 2 answers of the share
    /// of agreeing ordered pairs of answers, Σ_k n_k(n_k − 1) / (n(n − 1));
    /// undefined when no item has two answers.
    public static func percentAgreement(_ answers: AnswerSet) -> MetricValue {
        percentAgreementAndFleissKappa(answers).percentAgreement
    }

    /// Fleiss' κ generalised to a variable number of answers per item: items
    /// with fewer than two answers are dropped, each kept item's agreement is
    /// Σ_k n_k(n_k − 1) / (n(n − 1)), P̄ is their mean, p_k = Σ n_k / Σ n over
    /// kept items, P_e = Σ p_k² and κ = (P̄ − P_e)/(1 − P_e). With a constant
    /// number of answers per item this is statsmodels' `fleiss_kappa`.
    /// Undefined when no item has two answers, and when every answer is the
    /// same label (P_e = 1; statsmodels gives NaN).
    public static func fleissKappa(_ answers: AnswerSet) -> MetricValue {
        percentAgreementAndFleissKappa(answers).fleissKappa
    }

    /// ``percentAgreement(_:)`` and ``fleissKappa(_:)`` from one pass over
    /// the items (both need the same per-item vote counts).
    public static func percentAgreementAndFleissKappa(_ answers: AnswerSet) -> (percentAgreement: MetricValue, fleissKappa: MetricValue) {
        let p = fleissParts(answers)
        let percent = MetricValue(p.agreement, over: Double(p.kept), undefinedBecause: noPairs)
        guard p.kept > 0 else { return (percent, .undefined(noPairs)) }
        let observed = p.agreement / Double(p.kept)
        return (percent, MetricValue(observed - p.chance, over: 1 - p.chance, undefinedBecause: oneLabel))
    }

    /// Σ over kept items of their agreement, the number of kept items, and P_e.
    static func fleissParts(_ answers: AnswerSet) -> (agreement: Double, kept: Int, chance: Double) {
        let k = answers.classCount
        var counts = [Int](repeating: 0, count: k)
        var marginal = [Double](repeating: 0, count: k)
        var agreement = 0.0, kept = 0, total = 0.0
        for t in 0..<answers.itemCount {
            let n = answers.itemStart[t + 1] - answers.itemStart[t]
            guard n >= 2 else { continue }
            answers.votes(t, into: &counts)
            var pairs = 0
            for c in 0..<k { pairs += counts[c] * (counts[c] - 1); marginal[c] += Double(counts[c]) }
            agreement += Double(pairs) / Double(n * (n - 1))
            kept += 1
            total += Double(n)
        }
        let chance = total > 0 ? marginal.reduce(0) { $0 + ($1 / total) * ($1 / total) } : 0
        return (agreement, kept, chance)
    }
}
