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
/// pairs kept. A worker who answered an item twice counts once, by the
/// answer with the smallest class id, as in ``CohenKappa``.
public struct PairwiseKappa: Sendable {
    public struct Pair: Sendable, Equatable {
        /// Worker indices of the pair, a < b.
        public let a: Int, b: Int
        /// Items both answered.
        public let shared: Int
        public let kappa: MetricValue
    }

    /// Pairs with at least `minimumShared` items, by (a, b).
    public let pairs: [Pair]
    public let minimumShared: Int
    /// Pairs that share at least one item but fewer than `minimumShared`.
    public let pairsBelowMinimum: Int

    public init(_ answers: AnswerSet, minimumShared: Int = 20) {
        precondition(minimumShared >= 1)
        self.minimumShared = minimumShared
        let k = answers.classCount
        var kept = [Pair](), below = 0
        // One annotator's co-answers: (other worker, own label, other's label).
        var others = [(b: Int32, own: Int32, other: Int32)]()
        var ownCounts = [Int](repeating: 0, count: k), otherCounts = [Int](repeating: 0, count: k)
        var touched = [Int32]()
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
                let n = end - start
                if n < minimumShared {
                    below += 1
                } else {
                    var disagreements = 0
                    for e in others[start..<end] {
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
                    kept.append(Pair(a: a, b: Int(others[start].b), shared: n, kappa: kappa))
                }
                start = end
            }
        }
        pairs = kept
        pairsBelowMinimum = below
    }

    /// Pairs with a defined κ, most agreeing first (ties: more shared items, then by a, b).
    public var mostAgreeing: [Pair] {
        pairs.filter { $0.kappa.value != nil }.sorted { p, q in
            (-p.kappa.value!, -p.shared, p.a, p.b) < (-q.kappa.value!, -q.shared, q.a, q.b)
        }
    }

    /// Pairs whose κ is undefined.
    public var undefinedCount: Int { pairs.lazy.filter { $0.kappa.value == nil }.count }
}
