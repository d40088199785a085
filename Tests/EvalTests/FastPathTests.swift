import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore

/// The fast paths behind `synthctl score` on large answer sets must give what
/// the plain definitions give.
@Suite struct FastPathTests {
    /// polynomialExp against libm's exp over the whole range it is used on,
    /// plus its two clamps.
    @Test func polynomialExpIsWithinTwoUlp() {
        var worst = 0.0
        var x = -708.0
        while x <= 709.0 {
            let exact = Foundation.exp(x), ours = polynomialExp(x)
            worst = max(worst, abs(ours - exact) / exact)
            x += 0.0137
        }
        for x in [-1e-300, 0, 1e-12, -0.3465735902799727, 0.3465735902799727, 1, -1] {
            worst = max(worst, abs(polynomialExp(x) - Foundation.exp(x)) / Foundation.exp(x))
        }
        #expect(worst <= 2 * Double.ulpOfOne, "worst relative error \(worst)")
        #expect(polynomialExp(-709) == 0 && polynomialExp(-1e10) == 0)
        #expect(polynomialExp(710) == .infinity)
        #expect(polynomialExp(0) == 1)
    }

    /// A random answer set with string ids (the hashed path of the interner,
    /// past several rehashes) read back through CSV equals the same answers
    /// built from strings, and Dawid–Skene gives the same bits on 1 and 2 threads.
    @Test func hashedIdsAndThreadCountsDoNotChangeResults() throws {
        let stream = RandomStream(seed: 11, purpose: .shuffle, substream: 3)
        var items = [String](), workers = [String](), labels = [String]()
        for t in 0..<12_000 {
            for j in 0..<3 {
                items.append("task-\(t)")
                workers.append("w\(stream.integer(below: 300, row: UInt64(t), draw: UInt32(2 * j)))")
                labels.append(["cat", "dog", "eel"][stream.integer(below: 3, row: UInt64(t), draw: UInt32(2 * j + 1))])
            }
        }
        let built = AnswerSet(items: items, workers: workers, labels: labels)
        let dir = NSTemporaryDirectory() + "synthctl-fast-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = "item,worker,label\n" + (0..<items.count).map { "\(items[$0]),\(workers[$0]),\(labels[$0])" }.joined(separator: "\n")
        try csv.write(toFile: "\(dir)/a.csv", atomically: true, encoding: .utf8)
        let read = try AnswerReader.read(answers: "\(dir)/a.csv").0
        #expect(read.itemNames == built.itemNames && read.workerNames == built.workerNames && read.classNames == built.classNames)
        #expect(read.item == built.item && read.worker == built.worker && read.label == built.label)
        #expect(built.itemNames.count == 12_000 && built.itemNames.first == "task-0" && built.itemNames[1] == "task-1")
        // Byte order of the names: "task-10" sorts before "task-2".
        #expect(built.itemNames.firstIndex(of: "task-10")! < built.itemNames.firstIndex(of: "task-2")!)
        let one = DawidSkene(read, threads: 1), two = DawidSkene(read, threads: 2)
        #expect(one.posterior == two.posterior && one.logLikelihood == two.logLikelihood && one.iterations == two.iterations)
        // 12,000 items span 2 chunks of the E-step: the split is exercised.
        #expect(DawidSkene.chunks(items: read.itemCount, accumulatorSize: 10).count == 2)
    }

    /// Integer ids take the direct path; a non-canonical spelling of the same
    /// number ("007") is a different id, ordered next to 7 by its bytes.
    @Test func canonicalAndOtherIntegerSpellings() throws {
        let set = AnswerSet(items: ["7", "007", "10", "7"], workers: ["1", "2", "3", "4"], labels: ["1", "1", "2", "2"])
        #expect(set.itemNames == ["007", "7", "10"])
        #expect(set.itemStart == [0, 1, 3, 4])
        let words = AnswerSet(items: ["b", "a"], workers: ["x", "-1"], labels: ["+1", "1"])
        #expect(words.workerNames == ["-1", "x"] && words.classNames == ["+1", "1"])
    }

    /// Majority vote's flat tie lists, including many classes (the sparse
    /// walk) and an item nobody answered in a dataset directory's matrix.
    @Test func majorityVoteTiesAndEmptyItems() {
        let manyClasses = (0..<50).map(String.init)
        let set = AnswerSet(items: ["a", "a", "a", "b", "b"], workers: ["1", "2", "3", "1", "2"],
                            labels: ["30", "7", "30", "12", "5"], extraClasses: manyClasses)
        let mv = MajorityVote(set)
        #expect(Array(mv.tied(0)) == [30] && Array(mv.tied(1)) == [5, 12])
        #expect(mv.labels(.lowest) == [30, 5] && mv.labels(.highest) == [30, 12] && mv.labels(.abstain) == [30, -1])
        #expect(mv.tieCount == 1)
        // An item nobody answered ties among the classes some answer uses:
        // here only class 1 (class 0 is no annotator's answer).
        let empty = AnswerSet(itemNames: ["0", "1"], workerNames: ["0"], classNames: ["0", "1"], item: [1], worker: [0], label: [1])
        let emptyVote = MajorityVote(empty)
        #expect(Array(emptyVote.tied(0)) == [1] && emptyVote.shares[0] == 0 && emptyVote.shares[1] == 1
                && emptyVote.shares[2] == 0 && emptyVote.shares[3] == 1)
        let both = AnswerSet(itemNames: ["0", "1", "2"], workerNames: ["0"], classNames: ["0", "1"], item: [1, 2], worker: [0, 0], label: [1, 0])
        let bothVote = MajorityVote(both)
        #expect(Array(bothVote.tied(0)) == [0, 1] && bothVote.shares[0] == 0.5 && bothVote.shares[1] == 0.5)
    }

    /// Quoted fields (unescaped into the side buffer), CRLF line ends and a
    /// quoted header name.
    @Test func quotedFieldsAndHeaders() throws {
        let t = try CSVTable(text: "\"item\",worker,label\r\n\"a,b\",\"x\"\"y\",1\r\nc,d,2\r\n", path: "q.csv")
        #expect(t.header == ["item", "worker", "label"] && t.rowCount == 2)
        #expect(t[0, 0] == "a,b" && t[0, 1] == "x\"y" && t[1, 2] == "2" && t.lines == [2, 3])
        #expect(t.records == [["a,b", "x\"y", "1"], ["c", "d", "2"]])
    }
}
