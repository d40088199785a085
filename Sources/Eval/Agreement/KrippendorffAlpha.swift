import Foundation
import Synth
import SynthctlCore

/// Krippendorff's α for any number of raters, missing answers and four levels
/// of measurement, computed from sparse value counts.
///
/// With n_uc the number of values c in unit u and m_u = Σ_c n_uc (units with
/// m_u < 2 carry no pairs and are dropped), the coincidences are
/// o_ck = Σ_u n_uc (n_uk − [c = k]) / (m_u − 1), n_c = Σ_k o_ck, n = Σ_c n_c,
/// and α = 1 − (n − 1) Σ o_ck δ²(c, k) / Σ n_c n_k δ²(c, k).
///
/// Nominal and interval distances reduce to sums of counts and moments, so
/// those levels cost O(answers) time and O(values) memory; ordinal and ratio
/// loop over pairs of distinct values (within a unit, then overall). The
/// `krippendorff` package instead builds an items × raters × values boolean
/// array, which runs out of memory on continuous data (its issue #38).
public enum KrippendorffAlpha {
    public enum Level: String, Sendable, CaseIterable {
        case nominal, ordinal, interval, ratio
    }

    /// α of the answers at `level`. Interval and ratio need numeric class
    /// names (plain decimals: not `inf`, `nan` or hexadecimal); ordinal uses
    /// the class order, which is numeric when every label is a number
    /// (``AnswerSet``'s order) or the order the user gave
    /// (``AnswerSet/classOrderGiven``). Text labels without a given order
    /// are refused at ordinal level: their byte order (`high` < `low` <
    /// `medium`) is no order of the values, and α on it is a wrong number.
    /// So are labels whose file declares an order it does not keep
    /// (``AnswerSet/unkeptClassOrder``: an ordered dictionary of integers),
    /// whose numeric order is not the declared one.
    ///
    /// α is undefined — 0/0, not bad input — when no item has two answers
    /// (no pairs), or when no disagreement is expected: every pairable
    /// answer is the same label (the `krippendorff` package raises "There
    /// has to be more than one value in the domain"), or the labels differ
    /// only in spelling at interval and ratio level.
    /// - Throws: at interval and ratio level, for a label that is not a
    ///   number; at ordinal level, for one that is not a number when no
    ///   order was given.
    public static func alpha(_ answers: AnswerSet, level: Level) throws -> MetricValue {
        let k = answers.classCount
        var values = [Double](repeating: 0, count: k)
        if level == .interval || level == .ratio {
            for (c, name) in answers.classNames.enumerated() {
                guard let v = LabelOrder.decimalValue(name) else {
                    throw InputError(file: answers.source, expected: "numbers for \(level.rawValue) α", found: "the label \"\(name)\"")
                }
                values[c] = v
            }
        } else {
            if level == .ordinal, !answers.classOrderGiven, let unkept = answers.unkeptClassOrderDescription {
                throw InputError(file: answers.source, expected: "a given order of the labels for ordinal α", found: unkept)
            }
            if level == .ordinal, !answers.classOrderGiven,
               let name = answers.classNames.first(where: { LabelOrder.decimalValue($0) == nil }) {
                throw InputError(file: answers.source, expected: "numbers or a given order of the labels for ordinal α",
                                 found: "the label \"\(name)\"")
            }
            for c in 0..<k { values[c] = Double(c) }
        }
        // Pass 1: the pairable totals n_c (ordinal distances need all of
        // them before any unit is scored).
        var nc = [Double](repeating: 0, count: k)
        var units = 0
        for t in 0..<answers.itemCount where answers.itemStart[t + 1] - answers.itemStart[t] >= 2 {
            units += 1
            for a in answers.itemStart[t]..<answers.itemStart[t + 1] { nc[Int(answers.label[a])] += 1 }
        }
        let n = nc.reduce(0, +)
        guard units > 0 else { return .undefined(Agreement.noPairs) }
        guard nc.filter({ $0 > 0 }).count >= 2 else { return .undefined(Agreement.oneLabel) }
        // Cumulative n_c for ordinal distances.
        var cumulative = [Double](repeating: 0, count: k + 1)
        for c in 0..<k { cumulative[c + 1] = cumulative[c] + nc[c] }
        func delta2(_ a: Int, _ b: Int) -> Double {
            switch level {
            case .nominal: return a == b ? 0 : 1
            case .interval: let d = values[a] - values[b]; return d * d
            case .ratio:
                let s = values[a] + values[b]
                if s == 0 { return 0 }
                let d = (values[a] - values[b]) / s
                return d * d
            case .ordinal:
                let (lo, hi) = a < b ? (a, b) : (b, a)
                let d = cumulative[hi + 1] - cumulative[lo] - (nc[lo] + nc[hi]) / 2
                return d * d
            }
        }
        // Pass 2: each unit's observed disagreement from its distinct values
        // (gathered in a scratch list and cleared after, so a unit costs its
        // answers, not the number of classes).
        var counts = [Int](repeating: 0, count: k)
        var present = [Int]()
        var observed = 0.0
        for t in 0..<answers.itemCount where answers.itemStart[t + 1] - answers.itemStart[t] >= 2 {
            present.removeAll(keepingCapacity: true)
            for a in answers.itemStart[t]..<answers.itemStart[t + 1] {
                let c = Int(answers.label[a])
                if counts[c] == 0 { present.append(c) }
                counts[c] += 1
            }
            let m = Double(answers.itemStart[t + 1] - answers.itemStart[t])
            var sum = 0.0
            switch level {
            case .nominal:
                var squares = 0.0
                for c in present { squares += Double(counts[c]) * Double(counts[c]) }
                sum = m * m - squares
            case .interval:
                // Σ_c Σ_k n_c n_k (v_c − v_k)² = 2(m Σ n v² − (Σ n v)²)
                var s1 = 0.0, s2 = 0.0
                for c in present { s1 += Double(counts[c]) * values[c]; s2 += Double(counts[c]) * values[c] * values[c] }
                sum = 2 * (m * s2 - s1 * s1)
            case .ordinal, .ratio:
                for (i, a) in present.enumerated() {
                    for b in present[(i + 1)...] { sum += 2 * Double(counts[a]) * Double(counts[b]) * delta2(a, b) }
                }
            }
            for c in present { counts[c] = 0 }
            observed += sum / (m - 1)
        }
        var expected = 0.0
        switch level {
        case .nominal:
            expected = n * n - nc.reduce(0) { $0 + $1 * $1 }
        case .interval:
            var s1 = 0.0, s2 = 0.0
            for c in 0..<k { s1 += nc[c] * values[c]; s2 += nc[c] * values[c] * values[c] }
            expected = 2 * (n * s2 - s1 * s1)
        case .ordinal, .ratio:
            let used = (0..<k).filter { nc[$0] > 0 }
            for (i, a) in used.enumerated() {
                for b in used[(i + 1)...] { expected += 2 * nc[a] * nc[b] * delta2(a, b) }
            }
        }
        guard expected > 0 else { return .undefined("the labels' values do not differ: no disagreement is expected") }
        return .defined(1 - (n - 1) * observed / expected)
    }
}
