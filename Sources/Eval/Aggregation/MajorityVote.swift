import Synth
import SynthctlCore

/// How majority vote settles an item whose top vote count is shared.
public enum TiePolicy: Sendable, Equatable, CustomStringConvertible {
    /// The smallest class id among the tied classes.
    case lowest
    /// The largest class id among the tied classes.
    case highest
    /// One of the tied classes uniformly at random, reproducibly from `seed`
    /// (item t's draw depends only on the seed and t).
    case random(seed: UInt64)
    /// No label for the item (−1); accuracy is then taken over the decided
    /// items and the abstentions are counted (``abstentions(_:gold:)``).
    case abstain

    public var description: String {
        switch self {
        case .lowest: "lowest"
        case .highest: "highest"
        case .random(let seed): "random(seed \(seed))"
        case .abstain: "abstain"
        }
    }
}

/// Plain majority vote, with ties made explicit.
///
/// crowd-kit resolves ties to whichever class pandas lists first, which
/// changes across pandas versions; here the policy is a parameter, and
/// ``expectedAccuracy(gold:)`` gives the accuracy a uniformly random
/// tie-break would have on average (credit 1/m for an item tied among m
/// classes including the truth) — the number to compare methods by, since
/// it does not depend on luck.
public struct MajorityVote: Sendable {
    /// The classes with the top vote count of every item, ascending, back to
    /// back: item t's are `tiedClasses[tiedStart[t]..<tiedStart[t + 1]]`.
    let tiedStart: [Int]
    let tiedClasses: [Int32]
    /// Per item, the share of answers for each class (items × classes).
    public let shares: [Double]
    public let classCount: Int

    public init(_ answers: AnswerSet) {
        let k = answers.classCount, n = answers.itemCount
        var counts = [Int](repeating: 0, count: k)
        // The classes some answer uses: an item nobody answered ties among
        // them, not among classes no annotator gave (``AnsweredClasses``).
        var classesAnswered = [Bool](repeating: false, count: k)
        for l in answers.label { classesAnswered[Int(l)] = true }
        let anyAnswered = classesAnswered.contains(true)
        var tiedStart = [Int](repeating: 0, count: n + 1), tiedClasses = [Int32]()
        var shares = [Double](repeating: 0, count: n * k)
        tiedClasses.reserveCapacity(n)
        for t in 0..<n {
            let answered = answers.itemStart[t]..<answers.itemStart[t + 1]
            var top = 0
            for a in answered { counts[Int(answers.label[a])] += 1; top = max(top, counts[Int(answers.label[a])]) }
            let total = Double(answered.count)
            if answered.isEmpty {
                // An item nobody answered (a row of −1 in annotations.npy):
                // every class some answer uses is tied and the shares are uniform.
                let classes = (0..<k).filter { !anyAnswered || classesAnswered[$0] }
                for c in classes { shares[t * k + c] = 1 / Double(classes.count); tiedClasses.append(Int32(c)) }
                tiedStart[t + 1] = tiedClasses.count
                continue
            }
            // Classes with votes, each once, ascending: answers are sorted by
            // worker, not label, so walk the classes when k is small and the
            // answers otherwise.
            if k <= 4 * answered.count {
                for c in 0..<k where counts[c] > 0 {
                    shares[t * k + c] = Double(counts[c]) / total
                    if counts[c] == top { tiedClasses.append(Int32(c)) }
                    counts[c] = 0
                }
            } else {
                let first = tiedClasses.count
                for a in answered {
                    let c = Int(answers.label[a])
                    guard counts[c] > 0 else { continue }
                    shares[t * k + c] = Double(counts[c]) / total
                    if counts[c] == top { tiedClasses.append(Int32(c)) }
                    counts[c] = 0
                }
                tiedClasses[first...].sort()
            }
            tiedStart[t + 1] = tiedClasses.count
        }
        self.tiedStart = tiedStart
        self.tiedClasses = tiedClasses
        self.shares = shares
        classCount = k
    }

    /// The classes with item t's top vote count, ascending.
    public func tied(_ t: Int) -> ArraySlice<Int32> { tiedClasses[tiedStart[t]..<tiedStart[t + 1]] }

    /// One label per item under `policy` (−1 for an abstention).
    public func labels(_ policy: TiePolicy) -> [Int32] {
        let stream: RandomStream? = if case .random(let seed) = policy { RandomStream(seed: seed, .majorityVoteTies) } else { nil }
        return (0..<(tiedStart.count - 1)).map { t in
            let classes = tied(t)
            if classes.count == 1 { return classes.first! }
            switch policy {
            case .lowest: return classes.first!
            case .highest: return classes.last!
            case .abstain: return -1
            case .random:
                return classes[classes.startIndex + stream!.integer(below: classes.count, row: UInt64(t), draw: 0)]
            }
        }
    }

    /// The mean over gold items of 1/m when the truth is among the m tied
    /// classes, else 0; undefined when no gold item has answers.
    public func expectedAccuracy(gold: GoldLabels) -> MetricValue {
        var credit = 0.0, n = 0
        for (t, truth) in gold.truth.enumerated() where truth >= 0 {
            n += 1
            let classes = tied(t)
            if classes.contains(truth) { credit += 1 / Double(classes.count) }
        }
        return MetricValue(credit, over: Double(n), undefinedBecause: GoldLabels.noneMatched)
    }

    /// Items whose top count is shared.
    public var tieCount: Int { (0..<(tiedStart.count - 1)).lazy.filter { tiedStart[$0 + 1] - tiedStart[$0] > 1 }.count }
}

/// The share of decided gold items whose label equals the truth: an
/// abstention (−1, majority vote's `abstain` tie policy) is not a wrong
/// label but no label, so it is left out (and counted by
/// ``abstentions(_:gold:)``), as scikit-learn would score the items a
/// classifier with a reject option decided. Undefined when no gold item has
/// answers, or every one was abstained on.
public func accuracy(_ labels: [Int32], gold: GoldLabels) -> MetricValue {
    var right = 0, n = 0, abstained = 0
    for (t, truth) in gold.truth.enumerated() where truth >= 0 {
        if labels[t] < 0 { abstained += 1; continue }
        n += 1
        if labels[t] == truth { right += 1 }
    }
    return MetricValue(Double(right), over: Double(n),
                       undefinedBecause: abstained > 0 ? GoldLabels.allAbstained : GoldLabels.noneMatched)
}

/// The gold items (all items when `gold` is nil) whose label is an
/// abstention (−1).
public func abstentions(_ labels: [Int32], gold: GoldLabels? = nil) -> Int {
    guard let gold else { return labels.lazy.filter { $0 < 0 }.count }
    return gold.truth.indices.lazy.filter { gold.truth[$0] >= 0 && labels[$0] < 0 }.count
}

extension GoldLabels {
    /// Why an accuracy against gold is undefined when no gold item was answered.
    static let noneMatched = "no gold item has answers: accuracy over no items (0/0)"
    /// Why it is undefined when every answered gold item was abstained on.
    static let allAbstained = "every gold item is a tie abstained on: accuracy over no decided items (0/0)"
}
