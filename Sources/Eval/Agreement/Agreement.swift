import Foundation

/// Chance-corrected agreement among several raters.
///
/// Both statistics are computed from per-item vote counts (items × classes,
/// sparse through ``AnswerSet``), never from an items × raters × values array.
public enum Agreement {
    /// Observed agreement: the mean over items with ≥ 2 answers of the share
    /// of agreeing ordered pairs of answers, Σ_k n_k(n_k − 1) / (n(n − 1)).
    public static func percentAgreement(_ answers: AnswerSet) -> Double {
        fleissParts(answers).observed
    }

    /// Fleiss' κ generalised to a variable number of answers per item: items
    /// with fewer than two answers are dropped, each kept item's agreement is
    /// Σ_k n_k(n_k − 1) / (n(n − 1)), P̄ is their mean, p_k = Σ n_k / Σ n over
    /// kept items, P_e = Σ p_k² and κ = (P̄ − P_e)/(1 − P_e). With a constant
    /// number of answers per item this is statsmodels' `fleiss_kappa`.
    public static func fleissKappa(_ answers: AnswerSet) -> Double {
        let p = fleissParts(answers)
        return (p.observed - p.chance) / (1 - p.chance)
    }

    static func fleissParts(_ answers: AnswerSet) -> (observed: Double, chance: Double) {
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
        let chance = marginal.reduce(0) { $0 + ($1 / total) * ($1 / total) }
        return (kept > 0 ? agreement / Double(kept) : .nan, chance)
    }
}
