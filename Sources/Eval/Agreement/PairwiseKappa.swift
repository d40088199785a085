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
/// Pairs are found from the items' answer lists, never by trying all
/// worker pairs, in one of two ways that give the same pairs. A pool small
/// and busy enough that a table of every pair's counters fits in the cache
/// (200 annotators, 4 classes: 0.8 MB) adds each item's answer pairs to it
/// directly. Crowd sets of thousands of workers instead gather, for each
/// annotator a, the other answers on a's items, group them by annotator,
/// and compute each group's κ from label counts. Time is Σ_items m², m the
/// answers per item (plus the table's size); memory is the table, or the
/// largest annotator's share of the co-answers, plus the pairs kept
/// (checked against a memory budget before they are built). A worker who
/// answered an item twice counts once, by the answer with the smallest
/// class id, as in ``CohenKappa``.
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

    /// How the pairs' counts are gathered. Both give the same pairs.
    enum Strategy: Sendable {
        /// ``denseTable`` where ``usesDenseTable(_:coAnswers:)`` says so, else ``coAnswerGroups``.
        case automatic
        /// Every pair's counters in one table (``_UnsafePairCounts``).
        case denseTable
        /// Each annotator's co-answers gathered and grouped by partner (``_UnsafeCoAnswers``).
        case coAnswerGroups
    }

    /// The pairs of `answers` that share at least `minimumShared` items.
    ///
    /// The number of pairs grows with the square of the annotators (every
    /// pair of 4,000 annotators who answered the same 20 items: 8 million),
    /// and finding them takes Σ_items m² steps (m the item's answers), so
    /// both are bounded before the pass, from counts alone
    /// (``pairBound(_:minimumShared:)``), and checked against `budget`:
    /// the pairs at ``bytesPerPair`` plus `extraBytesPerPair` each (what the
    /// caller will build per pair, such as a report's JSON), and what
    /// counting holds at once: for a small, dense pool the pair counters
    /// (``_UnsafePairCounts``, a table per thread), otherwise the
    /// co-answers (``coAnswerBytes``: a block of annotators' in
    /// ``_UnsafeCoAnswers``, at most ``blockEntries`` or the busiest
    /// annotator's, whichever is more). A run beyond
    /// the budget is refused at once: counting the pairs exactly would be a
    /// pass as long as the computation (49 s before a refusal on 400 items
    /// answered by 5,000 annotators each).
    /// - Throws: ``MemoryLimitExceeded`` naming the parameter
    ///   `minimumSharedItems` when the pairs might not fit.
    ///
    /// The work is split between up to `threads` threads (items for the
    /// table, annotators of about equal co-answers for the groups); the
    /// pairs are the same for any thread count.
    public init(_ answers: AnswerSet, minimumShared: Int = 20, budget: MemoryBudget = .unlimited,
                extraBytesPerPair: Int = 0, threads: Int = 1) throws {
        try self.init(answers, minimumShared: minimumShared, budget: budget, extraBytesPerPair: extraBytesPerPair,
                      threads: threads, strategy: .automatic)
    }

    /// As the public initializer, with the counting path chosen (tests run both).
    init(_ answers: AnswerSet, minimumShared: Int, budget: MemoryBudget = .unlimited, extraBytesPerPair: Int = 0,
         threads: Int, strategy: Strategy) throws {
        precondition(minimumShared >= 1)
        self.minimumShared = minimumShared
        let perPair = MemoryEstimate.sum([Self.bytesPerPair, extraBytesPerPair])
        let (bound, busiest, coAnswers) = Self.pairBound(answers, minimumShared: minimumShared)
        let table = _UnsafePairCounts(workers: answers.workerCount, classes: answers.classCount)
        let dense = switch strategy {
        case .automatic: Self.usesDenseTable(table, coAnswers: coAnswers)
        case .denseTable: true
        case .coAnswerGroups: false
        }
        var e = MemoryEstimate()
        e.add("annotator pairs for Cohen's κ (up to \(bound) pairs sharing ≥ \(minimumShared) items × \(perPair) bytes)",
              bound, perPair, parameter: "minimumSharedItems")
        if dense {
            // A table per thread only where each thread has many more co-answers than the table has
            // counters (tests that ask for the table get one per thread, to cover the adding up).
            let parts = strategy == .denseTable ? max(1, threads) : max(1, min(threads, coAnswers / max(1, table.tableCount)))
            e.add("counters of annotator pairs (\(parts) × \(table.pairCount) pairs × \(table.stride) counters × 4 bytes)",
                  parts, table.tableBytes)
            try budget.check(e, subject: "the annotator pairs")
            (pairs, pairsBelowMinimum) = Self.pairs(answers, table: table, parts: parts, minimumShared: minimumShared, threads: threads)
            return
        }
        let block = max(busiest, Self.blockEntries)
        let forward = _UnsafeCoAnswers.forwardCounts(answers)
        let ranges = _UnsafeCoAnswers.ranges(forward, parts: max(1, threads), minimum: Self.blockEntries / 4)
        let held = min(coAnswers, block) * ranges.count  // each range's thread holds a block
        e.add("co-answers of annotator pairs held at once (\(held) × \(Self.coAnswerBytes) bytes)", held, Self.coAnswerBytes)
        try budget.check(e, subject: "the annotator pairs")
        var parts = [(kept: [Pair], below: Int)](repeating: ([], 0), count: ranges.count)
        parts.withUnsafeMutableBufferPointer { parts in
            Parallel.forEach(ranges.count, threads: threads) { r in
                parts[r] = Self.pairs(answers, annotators: ranges[r], forward: forward, blockEntries: block, minimumShared: minimumShared)
            }
        }
        pairs = parts.flatMap(\.kept)
        pairsBelowMinimum = parts.reduce(0) { $0 + $1.below }
    }

    /// Largest table of pair counters used (one per thread): 16 MiB, about
    /// 900 annotators with 4 classes. Beyond it the table leaves the cache.
    static let denseTableBytes = 16 << 20

    /// Whether the counters of every pair fit ``denseTableBytes`` and are
    /// no more than 8 per co-answer: then the table is filled and read in
    /// less time than grouping the co-answers takes. A pool of thousands of
    /// annotators who each saw a few items has far fewer co-answers than
    /// pairs, and goes the other way.
    static func usesDenseTable(_ table: _UnsafePairCounts, coAnswers: Int) -> Bool {
        table.workers >= 2 && table.tableBytes <= denseTableBytes && table.tableCount <= MemoryEstimate.product([8, coAnswers])
    }

    /// The pairs by (a, b), and those below `minimumShared` items, from
    /// `parts` tables, each filled from its own consecutive range of items
    /// and then added in order.
    private static func pairs(_ answers: AnswerSet, table counts: _UnsafePairCounts, parts: Int, minimumShared: Int,
                              threads: Int) -> (kept: [Pair], below: Int) {
        let n = answers.itemCount, size = counts.tableCount
        guard size > 0 else { return ([], 0) }  // one annotator or none: no pairs
        var tables = [Int32](repeating: 0, count: parts * size)
        tables.withUnsafeMutableBufferPointer { tables in
            let base = tables.baseAddress!
            Parallel.forEach(parts, threads: threads) { p in
                counts.count(answers, items: (p * n / parts)..<((p + 1) * n / parts), into: base + p * size)
            }
            for p in 1..<max(parts, 1) { _UnsafePairCounts.add(base + p * size, into: base, count: size) }
        }
        var kept = [Pair](), below = 0
        let k = counts.classes, w = counts.workers
        tables.withUnsafeBufferPointer { table in
            for a in 0..<w {
                for b in (a + 1)..<max(a + 1, w) {
                    let p = table.baseAddress! + counts.pairIndex(a, b) * counts.stride
                    let shared = Int(p[0])
                    if shared == 0 { continue }
                    guard shared >= minimumShared else { below += 1; continue }
                    // Σ_{i ≠ j} r_i c_j / n = (n² − Σ_i r_i c_i) / n: the expected disagreements.
                    var matching = 0
                    for c in 0..<k { matching += Int(p[2 + c]) * Int(p[2 + k + c]) }
                    kept.append(Pair(a: a, b: b, shared: shared,
                                     kappa: kappa(disagreements: Int(p[1]), shared: shared, matching: matching)))
                }
            }
        }
        return (kept, below)
    }

    /// Cohen's κ from a pair's counts: `disagreements` of `shared` items,
    /// and `matching` = Σ_c r_c·c_c (r, c: each annotator's label counts).
    private static func kappa(disagreements: Int, shared n: Int, matching: Int) -> MetricValue {
        let expected = Double(n * n - matching) / Double(n)
        return expected > 0 ? .defined(1 - Double(disagreements) / expected) : .undefined(CohenKappa.noExpectedDisagreement)
    }

    /// The pairs (a, b) with a in `annotators`, by (a, b), and the pairs
    /// there below `minimumShared` items.
    private static func pairs(_ answers: AnswerSet, annotators: Range<Int>, forward: [Int], blockEntries: Int,
                              minimumShared: Int) -> (kept: [Pair], below: Int) {
        var kept = [Pair](), below = 0
        let k = answers.classCount
        var ownCounts = [Int](repeating: 0, count: k), otherCounts = [Int](repeating: 0, count: k)
        var touched = [Int32]()
        _UnsafeCoAnswers.forEachAnnotator(answers, annotators: annotators, forward: forward, blockEntries: blockEntries) { a, partners, groupStart, labels in
            for (g, b) in partners.enumerated() {
                let group = labels[groupStart[g]..<groupStart[g + 1]]
                let n = group.count
                guard n >= minimumShared else { below += 1; continue }
                var disagreements = 0
                for e in group {
                    if e.own != e.other { disagreements += 1 }
                    if ownCounts[Int(e.own)] == 0 && otherCounts[Int(e.own)] == 0 { touched.append(e.own) }
                    ownCounts[Int(e.own)] += 1
                    if ownCounts[Int(e.other)] == 0 && otherCounts[Int(e.other)] == 0 { touched.append(e.other) }
                    otherCounts[Int(e.other)] += 1
                }
                var matching = 0
                for c in touched { matching += ownCounts[Int(c)] * otherCounts[Int(c)]; ownCounts[Int(c)] = 0; otherCounts[Int(c)] = 0 }
                touched.removeAll(keepingCapacity: true)
                kept.append(Pair(a: a, b: Int(b), shared: n, kappa: kappa(disagreements: disagreements, shared: n, matching: matching)))
            }
        }
        return (kept, below)
    }

    /// Bytes per co-answer while an annotator's pairs are gathered
    /// (``_UnsafeCoAnswers``): the (partner, own label, other's label)
    /// entry and its place in the grouped labels.
    static let coAnswerBytes = MemoryLayout<_UnsafeCoAnswers.Entry>.stride + MemoryLayout<(Int32, Int32)>.stride

    /// Co-answers gathered per pass over the items when no annotator has
    /// more (12 MiB of entries): few passes, bounded memory.
    static let blockEntries = 1 << 20

    /// An upper bound on the pairs sharing at least s = `minimumShared`
    /// items, from counts alone (linear in the answers, one pass over the
    /// items in order); the most co-answers one annotator has (Σ over its
    /// items of the item's other answers); and an upper bound on all the
    /// co-answers of pairs a < b (half the sum of every annotator's).
    ///
    /// Annotator a's partners b share at least s items each, and Σ_b
    /// shared(a, b) is at most C_a = Σ over a's items of (m_t − 1), so a
    /// has at most ⌊C_a/s⌋ partners; at most E − 1, E the annotators with
    /// s or more items; none with fewer than s items. Every pair is counted
    /// from both ends, so the pairs are at most half the sum over a of
    /// min(E − 1, ⌊C_a/s⌋). It is exact when every annotator answered the
    /// same items, and never below the pairs found.
    static func pairBound(_ answers: AnswerSet, minimumShared s: Int) -> (pairs: Int, busiest: Int, coAnswers: Int) {
        let w = answers.workerCount
        var items = [Int](repeating: 0, count: w), coAnswers = [Int](repeating: 0, count: w)
        // Once per answer (500,000 in a crowd set): no array per sum, as
        // MemoryEstimate.sum would take; saturating all the same.
        answers.itemStart.withUnsafeBufferPointer { itemStart in
        answers.worker.withUnsafeBufferPointer { worker in
            for t in 0..<answers.itemCount {
                let range = itemStart[t]..<itemStart[t + 1]
                var previous: Int32 = -1
                for y in range where worker[y] != previous {
                    let a = Int(worker[y])
                    previous = worker[y]
                    items[a] += 1
                    let (sum, overflow) = coAnswers[a].addingReportingOverflow(range.count - 1)
                    coAnswers[a] = overflow ? Int.max : sum
                }
            }
        }}
        let eligible = items.lazy.filter { $0 >= s }.count
        var twice = 0
        for a in 0..<w where items[a] >= s { twice = MemoryEstimate.sum([twice, min(eligible - 1, coAnswers[a] / s)]) }
        return (twice / 2, coAnswers.max() ?? 0, MemoryEstimate.sum(coAnswers) / 2)
    }

    /// Pairs with a defined κ, most agreeing first (ties: more shared items, then by a, b).
    public var mostAgreeing: [Pair] {
        var list = [Pair]()
        list.reserveCapacity(pairs.count)
        for p in pairs where p.kappa.value != nil { list.append(p) }
        list.sort(by: Self.agreesMore)
        return list
    }

    /// The two ends of ``mostAgreeing`` without sorting the middle: its first
    /// `top` pairs and its last `top` (both most agreeing first), or the
    /// whole list in `head` with `tail` empty when it holds at most 2·`top`.
    /// Summaries show only the ends, and 19,900 pairs sorted whole to show
    /// ten of them took a millisecond and a half of `score`'s 0.1 s.
    public func mostAgreeingEnds(top: Int) -> (head: [Pair], tail: [Pair]) {
        let defined = pairs.lazy.filter { $0.kappa.value != nil }.count
        if top <= 0 || top > 64 || defined <= 2 * top {  // in this order: 2·top can overflow
            // The whole list is asked for, or the ends are much of it: sort it.
            let sorted = mostAgreeing
            guard top > 0, sorted.count - top > top else { return (top > 0 ? sorted : [], []) }
            return (Array(sorted.prefix(top)), Array(sorted.suffix(top)))
        }
        var head = [Pair](), tail = [Pair]()
        head.reserveCapacity(top + 1)
        tail.reserveCapacity(top + 1)
        for p in pairs where p.kappa.value != nil {
            Self.keep(p, in: &head, count: top, before: Self.agreesMore)
            Self.keep(p, in: &tail, count: top, before: { Self.agreesMore($1, than: $0) })
        }
        tail.reverse()
        return (head, tail)
    }

    /// ``mostAgreeing``'s order: higher κ, then more shared items, then by (a, b).
    private static func agreesMore(_ p: Pair, than q: Pair) -> Bool {
        (-p.kappa.value!, -p.shared, p.a, p.b) < (-q.kappa.value!, -q.shared, q.a, q.b)
    }

    /// Inserts `p` into `list`, kept sorted by `before` and at most `count`
    /// long, when it belongs among the first `count`.
    private static func keep(_ p: Pair, in list: inout [Pair], count: Int, before: (Pair, Pair) -> Bool) {
        if list.count == count {
            guard before(p, list[count - 1]) else { return }
            list.removeLast()
        }
        var i = list.count
        while i > 0, before(p, list[i - 1]) { i -= 1 }
        list.insert(p, at: i)
    }

    /// Pairs whose κ is undefined.
    public var undefinedCount: Int { pairs.lazy.filter { $0.kappa.value == nil }.count }
}
