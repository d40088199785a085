import SynthctlCore

/// Every annotator pair's counts for Cohen's κ in one dense table: the
/// fast path of ``PairwiseKappa`` when the pool is small enough that the
/// table of all pairs is small (200 annotators and 4 classes: 19,900 pairs,
/// 0.8 MB), and so dense that most of it is used.
///
/// Why: the general path (``_UnsafeCoAnswers``) writes each co-answer out
/// and sorts it twice (by annotator, then by partner) before it counts; on
/// 100,000 items of 5 answers from 200 annotators that was 0.026 s of
/// `score`'s 0.17 s. Here each of an item's answer pairs adds to its pair's
/// counters at once, in a table that stays in the CPU's cache.
///
/// A pair a < b has 2k + 2 counters (k classes), Int32: the items both
/// answered, those where they disagree, a's label counts on those items,
/// then b's. Pairs are laid out by (a, b): a's row holds b = a + 1 … w − 1.
/// Counts are integers, so adding tables made on different item ranges
/// gives the same table in any order: the result does not depend on how
/// the items were split between threads.
///
/// Preconditions, held by ``AnswerSet``: answers sorted by (item, worker,
/// label), so a worker's repeated answers on an item are adjacent with the
/// smallest label first (that one counts, on both sides, as in
/// ``CohenKappa``); every id within its count; fewer than 2³¹ items.
struct _UnsafePairCounts {
    let workers: Int, classes: Int

    /// Counters per pair: shared, disagreements, a's k label counts, b's k.
    var stride: Int { 2 * classes + 2 }

    /// Pairs a < b.
    var pairCount: Int { workers * (workers - 1) / 2 }

    /// Counters in one table.
    var tableCount: Int { pairCount * stride }

    /// Bytes of one table.
    var tableBytes: Int { MemoryEstimate.product([pairCount, stride, MemoryLayout<Int32>.stride]) }

    /// The index of pair (a, b), a < b: the pairs of 0 … a − 1 come first.
    @inline(__always)
    func pairIndex(_ a: Int, _ b: Int) -> Int { a * (2 * workers - a - 1) / 2 + (b - a - 1) }

    /// Adds the counts of `items` to `table` (``tableCount`` counters).
    /// Precondition: no other caller writes `table`.
    func count(_ answers: AnswerSet, items: Range<Int>, into table: UnsafeMutablePointer<Int32>) {
        let k = classes, stride = self.stride
        answers.worker.withUnsafeBufferPointer { worker in
        answers.label.withUnsafeBufferPointer { label in
        answers.itemStart.withUnsafeBufferPointer { itemStart in
            // The item's distinct annotators and their (smallest) labels.
            var who = [Int](), said = [Int]()
            for t in items {
                who.removeAll(keepingCapacity: true)
                said.removeAll(keepingCapacity: true)
                var previous: Int32 = -1
                for y in itemStart[t]..<itemStart[t + 1] where worker[y] != previous {
                    previous = worker[y]
                    who.append(Int(worker[y]))
                    said.append(Int(label[y]))
                }
                let m = who.count
                guard m > 1 else { continue }
                for i in 0..<(m - 1) {
                    let a = who[i], own = said[i]
                    // Where pair (a, 0) would be: row a's pairs follow at b = a + 1 …
                    // (b > a: workers are sorted within the item).
                    let row = table + pairIndex(a, 0) * stride
                    for j in (i + 1)..<m {
                        let p = row + who[j] * stride, other = said[j]
                        p[0] &+= 1
                        p[1] &+= own != other ? 1 : 0
                        p[2 + own] &+= 1
                        p[2 + k + other] &+= 1
                    }
                }
            }
        }}}
    }

    /// Adds `source` into `target`, counter by counter (``tableCount`` each).
    static func add(_ source: UnsafePointer<Int32>, into target: UnsafeMutablePointer<Int32>, count: Int) {
        for i in 0..<count { target[i] &+= source[i] }
    }
}
