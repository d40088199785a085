import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore

/// The E-step's vector path (a row of up to 8 classes as one SIMD vector
/// of 2, 4 or 8 lanes, padded past k) against its scalar loops: the same
/// bits, so that `score`'s report does not depend on the class count's path.
@Suite struct DawidSkeneStepsTests {
    /// Random answers over `k` classes (every class used; some workers
    /// answer an item twice; items with 1 to 9 answers) and gold on about
    /// a fifth of the items.
    static func answers(classes k: Int, items n: Int) -> (AnswerSet, [Int32]) {
        let stream = RandomStream(seed: 11, purpose: .shuffle, substream: UInt32(k))
        var items = [String](), workers = [String](), labels = [String]()
        for t in 0..<n {
            let count = 1 + stream.integer(below: 9, row: UInt64(t), draw: 0)
            for j in 0..<count {
                items.append("t\(t)")
                workers.append("w\(stream.integer(below: 30, row: UInt64(t), draw: UInt32(1 + 2 * j)))")
                labels.append("c\(t < k ? t : stream.integer(below: k, row: UInt64(t), draw: UInt32(2 + 2 * j)))")
            }
        }
        let set = AnswerSet(items: items, workers: workers, labels: labels)
        let truth = (0..<set.itemCount).map { t in
            stream.integer(below: 5, row: UInt64(t), draw: 1000) == 0 ? Int32(stream.integer(below: k, row: UInt64(t), draw: 1001)) : -1
        }
        return (set, truth)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9])
    func vectorRowsGiveTheScalarLoopsBits(classes k: Int) {
        let (answers, truth) = Self.answers(classes: k, items: 3_000)
        #expect(answers.classCount == k)
        let steps = _UnsafeDawidSkeneSteps(answers: answers, classes: k, truth: truth, oneCoin: false)
        let stream = RandomStream(seed: 12, purpose: .shuffle, substream: 0)
        // Log θ and log π of a fit in progress. Most weights within a factor
        // of two of each other, so that a row's classes have posteriors of
        // one size and any other order of their sum rounds differently; every
        // 7th far smaller, so that the largest class moves from row to row.
        let logTheta = (0..<(answers.workerCount * k * k)).map { i in
            Foundation.log((i % 7 == 0 ? 1e-6 : 0.5) + 0.5 * stream.uniform(row: UInt64(i), draw: 0))
        }
        let logPrior = (0..<k).map { c in Foundation.log(0.05 + stream.uniform(row: UInt64(c), draw: 1)) }
        for items in [0..<answers.itemCount, 17..<2_345] {
            var runs = [(ll: Double, q: [Double], s: [Double])]()
            for vectors in [false, true] {
                var q = [Double](repeating: .nan, count: answers.itemCount * k)
                var s = [Double](repeating: .nan, count: steps.accumulatorSize)
                let ll = logTheta.withUnsafeBufferPointer { logTheta in
                    q.withUnsafeMutableBufferPointer { q in
                        s.withUnsafeMutableBufferPointer { s in
                            steps.expect(items: items, logPrior: logPrior, logTheta: logTheta, posterior: q,
                                         statistics: s.baseAddress!, classVectors: vectors)
                        }
                    }
                }
                runs.append((ll, q, s))
            }
            #expect(runs[0].ll.bitPattern == runs[1].ll.bitPattern, "\(runs[0].ll) vs \(runs[1].ll)")
            #expect(Self.firstDifference(runs[0].q, runs[1].q) == nil, "posteriors")
            #expect(Self.firstDifference(runs[0].s, runs[1].s) == nil, "statistics")
            // Rows outside `items` are untouched; inside, each sums to 1 (gold rows are one-hot).
            #expect(runs[1].q[0].isNaN == (items.lowerBound > 0))
            let t = items.lowerBound
            #expect(abs(runs[1].q[(t * k)..<(t * k + k)].reduce(0, +) - 1) < 1e-12)
        }
    }

    /// The first index where `a` and `b` differ in bits, with both values; nil when none does.
    static func firstDifference(_ a: [Double], _ b: [Double]) -> String? {
        guard a.count == b.count else { return "\(a.count) vs \(b.count) values" }
        return a.indices.first { a[$0].bitPattern != b[$0].bitPattern }.map { "at \($0): \(a[$0]) vs \(b[$0])" }
    }
}
