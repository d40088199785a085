/// The co-answers of annotator pairs, grouped by pair: the hot loop of
/// ``PairwiseKappa``, which visits Σ_items m(m − 1)/2 answer pairs (m the
/// distinct annotators of an item; a million on 100,000 items of 5 answers).
///
/// Why this shape: gathering each annotator's co-answers from its own items
/// jumps to a random item for every answer, and those cache misses took
/// most of `score`'s time on 200 annotators. Here the items are walked in
/// order, once per block of annotators: every pair a < b on an item whose a
/// is in the block is written into a's section (a counting sort by a),
/// then each section is grouped by b (a counting sort by b's first-seen
/// slot, only a's partners compared). Time is linear in the answers per
/// block plus the co-answers; memory is one block's co-answers.
///
/// Preconditions, held by ``AnswerSet``: answers sorted by (item, worker,
/// label), so a worker's repeated answers on an item are adjacent with the
/// smallest label first (that one counts, on both sides, as in
/// ``CohenKappa``); every id within its count.
struct _UnsafeCoAnswers {
    /// One co-answer in a's section: the partner b, a's label, b's label.
    typealias Entry = (b: Int32, own: Int32, other: Int32)

    /// Calls `body(a, partners, groupStart, labels)` for every annotator a
    /// in `annotators` with at least one partner, in increasing a
    /// (`forward`: ``forwardCounts(_:)``): `partners` increasing,
    /// group g's (a's label, b's label) pairs are
    /// `labels[groupStart[g]..<groupStart[g + 1]]`, in item order.
    ///
    /// `blockEntries`: the most co-answers held at once (a block holds at
    /// least one annotator's, whatever their number).
    static func forEachAnnotator(_ answers: AnswerSet, annotators: Range<Int>, forward: [Int], blockEntries: Int,
                                 _ body: (Int, [Int32], [Int], UnsafeBufferPointer<(own: Int32, other: Int32)>) -> Void) {
        let w = annotators.upperBound
        answers.worker.withUnsafeBufferPointer { worker in
        answers.label.withUnsafeBufferPointer { label in
        answers.itemStart.withUnsafeBufferPointer { itemStart in
            var section = [Entry](), offset = [Int](repeating: 0, count: w + 1)
            var slot = [Int32](repeating: -1, count: answers.workerCount)
            var partners = [Int32](), counts = [Int](), groupStart = [Int](), startOfSlot = [Int]()
            var labels = [(own: Int32, other: Int32)]()
            var lo = annotators.lowerBound
            while lo < w {
                // The block: a ∈ lo..<hi, as many as fit (at least one).
                var hi = lo, total = 0
                while hi < w, hi == lo || total + forward[hi] <= blockEntries {
                    offset[hi] = total
                    total += forward[hi]
                    hi += 1
                }
                offset[hi] = total
                defer { lo = hi }
                guard total > 0 else { continue }
                section.removeAll(keepingCapacity: true)
                section.append(contentsOf: repeatElement(Entry(b: 0, own: 0, other: 0), count: total))
                section.withUnsafeMutableBufferPointer { section in
                    var next = Array(offset[lo..<hi])
                    for t in 0..<(itemStart.count - 1) {
                        let end = itemStart[t + 1]
                        var y = itemStart[t]
                        while y < end {
                            let a = Int(worker[y])
                            if a >= lo && a < hi {
                                let own = label[y]
                                var z = y + 1, previous = Int32(a)
                                while z < end {
                                    let b = worker[z]
                                    if b != previous {
                                        section[next[a - lo]] = (b, own, label[z])
                                        next[a - lo] += 1
                                        previous = b
                                    }
                                    z += 1
                                }
                            }
                            // On to the next annotator of this item (a repeated answer counts once).
                            repeat { y += 1 } while y < end && Int(worker[y]) == a
                        }
                    }
                    for a in lo..<hi where offset[a + 1] > offset[a] {
                        // Group a's section by partner: slots in first-seen order, then by increasing b.
                        partners.removeAll(keepingCapacity: true)
                        counts.removeAll(keepingCapacity: true)
                        for e in section[offset[a]..<offset[a + 1]] {
                            var s = slot[Int(e.b)]
                            if s < 0 {
                                s = Int32(partners.count)
                                slot[Int(e.b)] = s
                                partners.append(e.b)
                                counts.append(0)
                            }
                            counts[Int(s)] += 1
                        }
                        let order = partners.indices.sorted { partners[$0] < partners[$1] }
                        startOfSlot.removeAll(keepingCapacity: true)
                        startOfSlot.append(contentsOf: repeatElement(0, count: partners.count))
                        groupStart.removeAll(keepingCapacity: true)
                        var start = 0
                        for s in order {
                            groupStart.append(start)
                            startOfSlot[s] = start
                            start += counts[s]
                        }
                        groupStart.append(start)
                        labels.removeAll(keepingCapacity: true)
                        labels.append(contentsOf: repeatElement((own: Int32(0), other: Int32(0)), count: start))
                        labels.withUnsafeMutableBufferPointer { labels in
                            for e in section[offset[a]..<offset[a + 1]] {
                                let s = Int(slot[Int(e.b)])
                                labels[startOfSlot[s]] = (e.own, e.other)
                                startOfSlot[s] += 1
                            }
                        }
                        for b in partners { slot[Int(b)] = -1 }
                        let sortedPartners = order.map { partners[$0] }
                        labels.withUnsafeBufferPointer { body(a, sortedPartners, groupStart, $0) }
                    }
                }
            }
        }}}
    }

    /// Per annotator a, its co-answers with partners b > a: on each item,
    /// the distinct annotators after it.
    static func forwardCounts(_ answers: AnswerSet) -> [Int] {
        var forward = [Int](repeating: 0, count: answers.workerCount)
        var distinct = [Int32]()
        for t in 0..<answers.itemCount {
            distinct.removeAll(keepingCapacity: true)
            for y in answers.itemStart[t]..<answers.itemStart[t + 1] where distinct.last != answers.worker[y] { distinct.append(answers.worker[y]) }
            for (i, a) in distinct.enumerated() { forward[Int(a)] += distinct.count - 1 - i }
        }
        return forward
    }

    /// Up to `parts` consecutive ranges of annotators with about equal
    /// co-answers each (at least `minimum` a range), covering them all.
    static func ranges(_ forward: [Int], parts: Int, minimum: Int) -> [Range<Int>] {
        let total = forward.reduce(0, +)
        let share = max(minimum, (total + parts - 1) / max(1, parts))
        var ranges = [Range<Int>](), lo = 0, sum = 0
        for (a, f) in forward.enumerated() {
            sum += f
            if sum >= share, ranges.count + 1 < parts {
                ranges.append(lo..<(a + 1))
                lo = a + 1
                sum = 0
            }
        }
        if lo < forward.count || ranges.isEmpty { ranges.append(lo..<forward.count) }
        return ranges
    }
}
