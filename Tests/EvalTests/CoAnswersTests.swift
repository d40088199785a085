import Testing
@testable import Eval
import TestSupport

/// ``_UnsafeCoAnswers`` against a brute force over every pair of
/// annotators: the same partners, in the same order, with the same
/// (own, other) labels in item order, whatever the block size.
@Suite struct CoAnswersTests {
    /// For each a, its partners b > a and their shared items' labels
    /// (each annotator's smallest label on an item), straight from the answers.
    static func bruteForce(_ answers: AnswerSet) -> [String] {
        var smallest = [[Int32: Int32]](repeating: [:], count: answers.itemCount)  // item → worker → smallest label
        for y in 0..<answers.answerCount {
            let t = Int(answers.item[y]), w = answers.worker[y]
            smallest[t][w] = min(smallest[t][w] ?? .max, answers.label[y])
        }
        var lines = [String]()
        for a in 0..<answers.workerCount {
            var groups = [String]()
            for b in (a + 1)..<max(a + 1, answers.workerCount) {
                let shared = (0..<answers.itemCount).compactMap { t -> String? in
                    guard let own = smallest[t][Int32(a)], let other = smallest[t][Int32(b)] else { return nil }
                    return "\(own)/\(other)"
                }
                if !shared.isEmpty { groups.append("\(b): \(shared.joined(separator: " "))") }
            }
            if !groups.isEmpty { lines.append("\(a) → \(groups.joined(separator: "; "))") }
        }
        return lines
    }

    /// The groups, annotator range by annotator range (`parts` ranges).
    static func grouped(_ answers: AnswerSet, blockEntries: Int, parts: Int = 1) -> [String] {
        var lines = [String]()
        let forward = _UnsafeCoAnswers.forwardCounts(answers)
        let ranges = _UnsafeCoAnswers.ranges(forward, parts: parts, minimum: 1)
        #expect(ranges.count == min(parts, answers.workerCount) || parts > 1)
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == answers.workerCount)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        for range in ranges {
            _UnsafeCoAnswers.forEachAnnotator(answers, annotators: range, forward: forward, blockEntries: blockEntries) { a, partners, start, labels in
                let groups = partners.enumerated().map { g, b in
                    "\(b): " + labels[start[g]..<start[g + 1]].map { "\($0.own)/\($0.other)" }.joined(separator: " ")
                }
                lines.append("\(a) → \(groups.joined(separator: "; "))")
            }
        }
        return lines
    }

    @Test func everyBlockSizeAndRangeGroupsAsTheBruteForceDoes() throws {
        var rng = SplitMix64(seed: 5)
        var items = [String](), workers = [String](), labels = [String]()
        for t in 0..<60 {
            // 1 to 6 answers an item, some workers answering twice (their smallest label counts).
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                items.append("\(t)")
                workers.append("w\(Int.random(in: 0..<12, using: &rng))")
                labels.append("\(Int.random(in: 0..<3, using: &rng))")
            }
        }
        let answers = AnswerSet(items: items, workers: workers, labels: labels)
        #expect(answers.duplicatePairs > 0)
        let expected = Self.bruteForce(answers)
        #expect(expected.count > 5)
        for block in [1, 2, 7, 50, 1 << 20] {
            for parts in [1, 2, 5] {
                #expect(Self.grouped(answers, blockEntries: block, parts: parts) == expected, "blocks of \(block), \(parts) ranges")
            }
        }
        // The pairs themselves do not depend on the thread count.
        let one = try PairwiseKappa(answers, minimumShared: 2, threads: 1, strategy: .coAnswerGroups)
        #expect(one.pairs.count > 5)
        #expect(try PairwiseKappa(answers, minimumShared: 2, threads: 3, strategy: .coAnswerGroups).pairs == one.pairs)
    }
}
