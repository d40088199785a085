import Testing
@testable import Eval
import TestSupport

/// ``_UnsafePairCounts`` (the dense table of every pair's counters) against
/// ``_UnsafeCoAnswers`` (co-answers grouped by partner) and against
/// ``CohenKappa`` pair by pair: the same pairs, in the same order, with the
/// same κ to the bit at any thread count, and κ within 1e-12 of
/// ``CohenKappa``'s (which sums its table in another order).
@Suite struct PairCountsTests {
    /// Random answers: `items` items of 1 to `most` answers from `workers`
    /// annotators, some answering an item twice (their smallest label counts).
    static func answers(seed: UInt64, items: Int, workers: Int, most: Int, classes: Int) -> AnswerSet {
        var rng = SplitMix64(seed: seed)
        var item = [String](), worker = [String](), label = [String]()
        for t in 0..<items {
            for _ in 0..<Int.random(in: 1...most, using: &rng) {
                item.append("\(t)")
                worker.append("w\(Int.random(in: 0..<workers, using: &rng))")
                label.append("\(Int.random(in: 0..<classes, using: &rng))")
            }
        }
        return AnswerSet(items: item, workers: worker, labels: label)
    }

    @Test func pairIndexesRunThroughTheTableInOrder() {
        for w in [2, 3, 7, 40] {
            let table = _UnsafePairCounts(workers: w, classes: 3)
            var expected = 0
            for a in 0..<w { for b in (a + 1)..<w { #expect(table.pairIndex(a, b) == expected); expected += 1 } }
            #expect(expected == table.pairCount && table.tableCount == table.pairCount * 8)
        }
    }

    @Test func bothPathsGiveTheSamePairsAsCohensKappa() throws {
        for (trial, shape) in [(12, 6, 3), (30, 4, 2), (9, 9, 5), (2, 5, 1), (1, 4, 3)].enumerated() {
            let answers = Self.answers(seed: UInt64(trial), items: 80, workers: shape.0, most: shape.1, classes: shape.2)
            for minimum in [1, 2, 5, 12] {
                let grouped = try PairwiseKappa(answers, minimumShared: minimum, threads: 1, strategy: .coAnswerGroups)
                for threads in [1, 2, 3] {
                    let dense = try PairwiseKappa(answers, minimumShared: minimum, threads: threads, strategy: .denseTable)
                    #expect(dense.pairs == grouped.pairs, "trial \(trial), minimum \(minimum), \(threads) threads")
                    #expect(dense.pairsBelowMinimum == grouped.pairsBelowMinimum)
                }
                // Every kept pair's shared items are CohenKappa's, and its κ within rounding.
                for p in grouped.pairs {
                    let one = CohenKappa.kappa(answers, p.a, p.b)
                    #expect(p.shared == one.shared && p.shared >= minimum)
                    switch (p.kappa, one.kappa) {
                    case (.defined(let x), .defined(let y)): #expect(abs(x - y) <= 1e-12, "pair \(p.a), \(p.b): \(x) vs \(y)")
                    case (.undefined, .undefined): break
                    default: Issue.record("pair \(p.a), \(p.b): \(p.kappa) vs \(one.kappa)")
                    }
                }
            }
        }
    }

    @Test func theTableIsTakenForSmallBusyPoolsOnly() {
        // 200 annotators, 4 classes, 100,000 items of 5 answers: 19,900 pairs, a million co-answers.
        #expect(PairwiseKappa.usesDenseTable(_UnsafePairCounts(workers: 200, classes: 4), coAnswers: 1_000_000))
        // 5,000 annotators who each saw a few items: 12.5 million pairs, 50,000 co-answers.
        #expect(!PairwiseKappa.usesDenseTable(_UnsafePairCounts(workers: 5_000, classes: 4), coAnswers: 50_000))
        // A pool whose table would leave the cache, however busy.
        #expect(!PairwiseKappa.usesDenseTable(_UnsafePairCounts(workers: 2_000, classes: 4), coAnswers: 1 << 40))
        // One annotator has no pairs.
        #expect(!PairwiseKappa.usesDenseTable(_UnsafePairCounts(workers: 1, classes: 4), coAnswers: 0))
    }
}
