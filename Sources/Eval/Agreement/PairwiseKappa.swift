import Synth
import SynthctlCore

/// Cohen's κ for every pair of annotators who answered enough of the same
/// items: which annotators agree with each other, beyond chance, and which
/// do not.
///
/// κ = (p_o − p_e)/(1 − p_e) over the items both answered, p_e from each
/// annotator's own label frequencies on those items (scikit-learn's
/// `cohen_kappa_score`, unweighted; ``CohenKappa`` for one pair). A pair
/// needs at least `minimumShared` items: κ's standard error on n items is
/// about √(p_o(1 − p_o)/n)/(1 − p_e), so with few items a pair's κ is mostly
/// noise (±0.3 at 10 items for typical crowd data) and a ranking of pairs
/// would be led by the pairs that happened to agree on a handful of items.
/// κ is undefined for a pair that gave one and the same label on every
/// shared item (p_e = 1, 0/0).
///
/// Crowd sets have thousands of workers, so pairs are found from the items'
/// answer lists, never by trying all worker pairs: for each annotator a, the
/// other answers on a's items are gathered, grouped by annotator, and each
/// group's κ computed from label counts. Time is Σ_items m², m the answers
/// per item; memory is the largest annotator's share of that, plus the
/// pairs kept (checked against a memory budget before they are built). A worker who answered an item twice counts once, by the
/// answer with the smallest class id, as in ``CohenKappa``.
public struct PairwiseKappa: Sendable {
    /// One pair, 24 bytes: a set of 4,000 annotators who all answered the
    /// same 20 items has 8 million pairs.
    public struct Pair: Sendable, Equatable {
        private let first: Int32, second: Int32, count: Int32
        /// κ, NaN when undefined (the only reason a kept pair's κ can be
        /// undefined is ``CohenKappa/noExpectedDisagreement``).
        private let value: Double

        public init(a: Int, b: Int, shared: Int, kappa: MetricValue) {
            first = Int32(a); second = Int32(b); count = Int32(clamping: shared)
            value = kappa.value ?? .nan
        }

        /// Worker indices of the pair, a < b.
        public var a: Int { Int(first) }
        public var b: Int { Int(second) }
        /// Items both answered.
        public var shared: Int { Int(count) }
        public var kappa: MetricValue { value.isNaN ? .undefined(CohenKappa.noExpectedDisagreement) : .defined(value) }

        public static func == (p: Pair, q: Pair) -> Bool {
            p.first == q.first && p.second == q.second && p.count == q.count && p.kappa == q.kappa
        }
    }

    /// Pairs with at least `minimumShared` items, by (a, b).
    public let pairs: [Pair]
    public let minimumShared: Int
    /// Pairs that share at least one item but fewer than `minimumShared`.
    public let pairsBelowMinimum: Int

    /// Peak bytes per pair: the list (up to twice the pairs' size while it
    /// grows, its capacity at most twice its count) and the copy
    /// ``mostAgreeing`` sorts.
    static let bytesPerPair = 3 * MemoryLayout<Pair>.stride

    /// The pairs of `answers` that share at least `minimumShared` items.
    ///
    /// The number of pairs grows with the square of the annotators (every
    /// pair of 4,000 annotators who answered the same 20 items: 8 million),
    /// and finding them takes Σ_items m² steps (m the item's answers), so
    /// both are bounded before the pass, from counts alone
    /// (``pairBound(_:minimumShared:)``), and checked against `budget`:
    /// the pairs at ``bytesPerPair`` plus `extraBytesPerPair` each (what the
    /// caller will build per pair, such as a report's JSON), and the
    /// co-answers of the busiest annotator (``coAnswerBytes``). A run beyond
    /// the budget is refused at once: counting the pairs exactly would be a
    /// pass as long as the computation (49 s before a refusal on 400 items
    /// answered by 5,000 annotators each).
    /// - Throws: ``MemoryLimitExceeded`` naming the parameter
    ///   `minimumSharedItems` when the pairs might not fit.
    public init(_ answers: AnswerSet, minimumShared: Int = 20, budget: MemoryBudget = .unlimited,
                extraBytesPerPair: Int = 0) throws {
        precondition(minimumShared >= 1)
        self.minimumShared = minimumShared
        let perPair = MemoryEstimate.sum([Self.bytesPerPair, extraBytesPerPair])
        let (bound, busiest) = Self.pairBound(answers, minimumShared: minimumShared)
        var e = MemoryEstimate()
        e.add("annotator pairs for Cohen's κ (up to \(bound) pairs sharing ≥ \(minimumShared) items × \(perPair) bytes)",
              bound, perPair, parameter: "minimumSharedItems")
        e.add("the busiest annotator's co-answers (\(busiest) × \(Self.coAnswerBytes) bytes)", busiest, Self.coAnswerBytes)
        try budget.check(e, subject: "the annotator pairs")
        var kept = [Pair](), below = 0
        let k = answers.classCount
        var ownCounts = [Int](repeating: 0, count: k), otherCounts = [Int](repeating: 0, count: k)
        var touched = [Int32]()
        Self.forEachGroup(answers) { a, group in
            let n = group.count
            guard n >= minimumShared else { below += 1; return }
            var disagreements = 0
            for e in group {
                if e.own != e.other { disagreements += 1 }
                if ownCounts[Int(e.own)] == 0 && otherCounts[Int(e.own)] == 0 { touched.append(e.own) }
                ownCounts[Int(e.own)] += 1
                if ownCounts[Int(e.other)] == 0 && otherCounts[Int(e.other)] == 0 { touched.append(e.other) }
                otherCounts[Int(e.other)] += 1
            }
            // Σ_{i ≠ j} r_i c_j / n = (n² − Σ_i r_i c_i) / n: the expected disagreements.
            var matching = 0
            for c in touched { matching += ownCounts[Int(c)] * otherCounts[Int(c)]; ownCounts[Int(c)] = 0; otherCounts[Int(c)] = 0 }
            touched.removeAll(keepingCapacity: true)
            let expected = Double(n * n - matching) / Double(n)
            let kappa: MetricValue = expected > 0 ? .defined(1 - Double(disagreements) / expected)
                : .undefined(CohenKappa.noExpectedDisagreement)
            kept.append(Pair(a: a, b: Int(group.first!.b), shared: n, kappa: kappa))
        }
        pairs = kept
        pairsBelowMinimum = below
    }

    /// Bytes per co-answer while an annotator's pairs are gathered: the
    /// (other annotator, own label, other's label) entry and its sort.
    static let coAnswerBytes = 2 * MemoryLayout<(b: Int32, own: Int32, other: Int32)>.stride

    /// An upper bound on the pairs sharing at least s = `minimumShared`
    /// items, from counts alone (linear in the answers), and the most
    /// co-answers one annotator has (Σ over its items of the item's other
    /// answers: what ``forEachGroup(_:_:)`` holds at once).
    ///
    /// Annotator a's partners b share at least s items each, and Σ_b
    /// shared(a, b) is at most C_a = Σ over a's items of (m_t − 1), so a
    /// has at most ⌊C_a/s⌋ partners; at most E − 1, E the annotators with
    /// s or more items; none with fewer than s items. Every pair is counted
    /// from both ends, so the pairs are at most half the sum over a of
    /// min(E − 1, ⌊C_a/s⌋). It is exact when every annotator answered the
    /// same items, and never below the pairs found.
    static func pairBound(_ answers: AnswerSet, minimumShared s: Int) -> (pairs: Int, busiest: Int) {
        let w = answers.workerCount
        var items = [Int](repeating: 0, count: w), coAnswers = [Int](repeating: 0, count: w)
        for a in 0..<w {
            var previous: Int32 = -1
            for x in answers.byWorker[answers.workerStart[a]..<answers.workerStart[a + 1]] {
                let t = answers.item[Int(x)]
                guard t != previous else { continue }
                previous = t
                items[a] += 1
                coAnswers[a] = MemoryEstimate.sum([coAnswers[a], answers.itemStart[Int(t) + 1] - answers.itemStart[Int(t)] - 1])
            }
        }
        let eligible = items.lazy.filter { $0 >= s }.count
        var twice = 0
        for a in 0..<w where items[a] >= s { twice = MemoryEstimate.sum([twice, min(eligible - 1, coAnswers[a] / s)]) }
        return (twice / 2, coAnswers.max() ?? 0)
    }

    /// Calls `body` once per pair of annotators a < b who share an item,
    /// in (a, b) order, with their shared items as (b, a's label, b's
    /// label). A repeated answer counts once, by its smallest label.
    private static func forEachGroup(_ answers: AnswerSet,
                                     _ body: (Int, ArraySlice<(b: Int32, own: Int32, other: Int32)>) -> Void) {
        // One annotator's co-answers: (other worker, own label, other's label).
        var others = [(b: Int32, own: Int32, other: Int32)]()
        for a in 0..<answers.workerCount {
            others.removeAll(keepingCapacity: true)
            var previousItem: Int32 = -1
            for x in answers.byWorker[answers.workerStart[a]..<answers.workerStart[a + 1]] {
                let t = answers.item[Int(x)]
                guard t != previousItem else { continue }  // a repeated answer: the first (smallest label) counts
                previousItem = t
                let own = answers.label[Int(x)]
                var previousWorker: Int32 = -1
                for y in answers.itemStart[Int(t)]..<answers.itemStart[Int(t) + 1] {
                    let b = answers.worker[y]
                    guard b != previousWorker else { continue }
                    previousWorker = b
                    if Int(b) > a { others.append((b, own, answers.label[y])) }
                }
            }
            others.sort { $0.b < $1.b }
            var start = 0
            while start < others.count {
                var end = start
                while end < others.count, others[end].b == others[start].b { end += 1 }
                body(a, others[start..<end])
                start = end
            }
        }
    }

    /// Pairs with a defined κ, most agreeing first (ties: more shared items, then by a, b).
    public var mostAgreeing: [Pair] {
        var list = [Pair]()
        list.reserveCapacity(pairs.count)
        for p in pairs where p.kappa.value != nil { list.append(p) }
        list.sort { p, q in (-p.kappa.value!, -p.shared, p.a, p.b) < (-q.kappa.value!, -q.shared, q.a, q.b) }
        return list
    }

    /// Pairs whose κ is undefined.
    public var undefinedCount: Int { pairs.lazy.filter { $0.kappa.value == nil }.count }
}
