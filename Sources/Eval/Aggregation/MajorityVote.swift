import Synth

/// How majority vote settles an item whose top vote count is shared.
public enum TiePolicy: Sendable, Equatable, CustomStringConvertible {
    /// The smallest class id among the tied classes.
    case lowest
    /// The largest class id among the tied classes.
    case highest
    /// One of the tied classes uniformly at random, reproducibly from `seed`
    /// (item t's draw depends only on the seed and t).
    case random(seed: UInt64)
    /// No label for the item (−1); it counts as wrong in accuracy.
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
    /// Per item, the classes with the top vote count (ascending).
    public let tied: [[Int32]]
    /// Per item, the share of answers for each class (items × classes).
    public let shares: [Double]
    public let classCount: Int

    public init(_ answers: AnswerSet) {
        let k = answers.classCount
        var counts = [Int](repeating: 0, count: k)
        var tied = [[Int32]](), shares = [Double](repeating: 0, count: answers.itemCount * k)
        tied.reserveCapacity(answers.itemCount)
        for t in 0..<answers.itemCount {
            answers.votes(t, into: &counts)
            let top = counts.max() ?? 0
            let total = Double(counts.reduce(0, +))
            tied.append((0..<k).filter { counts[$0] == top }.map(Int32.init))
            for c in 0..<k { shares[t * k + c] = Double(counts[c]) / total }
        }
        self.tied = tied
        self.shares = shares
        classCount = k
    }

    /// One label per item under `policy` (−1 for an abstention).
    public func labels(_ policy: TiePolicy) -> [Int32] {
        tied.enumerated().map { t, classes in
            if classes.count == 1 { return classes[0] }
            switch policy {
            case .lowest: return classes.first!
            case .highest: return classes.last!
            case .abstain: return -1
            case .random(let seed):
                let stream = RandomStream(seed: seed, purpose: .shuffle, substream: 7)
                return classes[stream.integer(below: classes.count, row: UInt64(t), draw: 0)]
            }
        }
    }

    /// The mean over gold items of 1/m when the truth is among the m tied
    /// classes, else 0.
    public func expectedAccuracy(gold: GoldLabels) -> Double {
        var credit = 0.0, n = 0
        for (t, truth) in gold.truth.enumerated() where truth >= 0 {
            n += 1
            if tied[t].contains(truth) { credit += 1 / Double(tied[t].count) }
        }
        return n > 0 ? credit / Double(n) : .nan
    }

    /// Items whose top count is shared.
    public var tieCount: Int { tied.lazy.filter { $0.count > 1 }.count }
}

/// The share of gold items whose label equals the truth (−1 counts as wrong).
public func accuracy(_ labels: [Int32], gold: GoldLabels) -> Double {
    var right = 0, n = 0
    for (t, truth) in gold.truth.enumerated() where truth >= 0 {
        n += 1
        if labels[t] == truth { right += 1 }
    }
    return n > 0 ? Double(right) / Double(n) : .nan
}
