import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore

/// A class nobody answered (an unused `--label-order` entry, a gold typo)
/// changes nothing in the aggregation models: Dawid–Skene, one-coin,
/// GLAD and MACE give the same labels, posteriors and parameters as on the
/// same answers without it, and never give an item that class.
@Suite struct UnansweredClassTests {
    /// 300 items of bird/cat/dog, 3 answers each from 12 annotators of
    /// accuracy 0.55–0.95, errors uniform over the other two classes (a
    /// fixed Philox stream, so the set is the same everywhere).
    static func answers(extraClasses: [String] = []) -> AnswerSet {
        let classes = ["bird", "cat", "dog"]
        let stream = RandomStream(seed: 3, purpose: .shuffle, substream: 99)
        let accuracy = (0..<12).map { 0.55 + 0.4 * stream.uniform(row: 0, draw: UInt32($0)) }
        var items = [String](), workers = [String](), labels = [String]()
        for t in 0..<300 {
            let truth = stream.integer(below: 3, row: UInt64(1 + t), draw: 0)
            var chosen = [Int]()
            var d: UInt32 = 1
            while chosen.count < 3 {
                let w = stream.integer(below: 12, row: UInt64(1 + t), draw: d); d += 1
                if !chosen.contains(w) { chosen.append(w) }
            }
            for w in chosen {
                let right = stream.uniform(row: UInt64(1 + t), draw: d) < accuracy[w]
                let other = (truth + 1 + stream.integer(below: 2, row: UInt64(1 + t), draw: d + 1)) % 3
                d += 2
                items.append("\(t)"); workers.append("w\(w)"); labels.append(classes[right ? truth : other])
            }
        }
        return AnswerSet(items: items, workers: workers, labels: labels, extraClasses: extraClasses)
    }

    /// Positions of the plain set's classes in a set with extra classes.
    func positions(_ plain: AnswerSet, in wide: AnswerSet) -> [Int] {
        plain.classNames.map { wide.classNames.firstIndex(of: $0)! }
    }

    @Test(arguments: [["cow"], ["fish"], ["aardvark", "fish"]])
    func dawidSkeneIgnoresAClassNobodyAnswered(extra: [String]) throws {
        let plain = Self.answers(), wide = Self.answers(extraClasses: extra)
        #expect(wide.classCount == 3 + extra.count)
        let at = positions(plain, in: wide), k = plain.classCount, kw = wide.classCount
        for oneCoin in [false, true] {
            var options = DawidSkene.Options()
            options.oneCoin = oneCoin
            let a = DawidSkene(plain, options: options), b = DawidSkene(wide, options: options)
            #expect(b.labels == a.labels.map { Int32(at[Int($0)]) }, "one-coin \(oneCoin)")
            #expect(b.logLikelihood == a.logLikelihood && b.iterations == a.iterations && b.converged == a.converged)
            #expect(at.map { b.prior[$0] } == a.prior)
            #expect(b.prior.reduce(0, +) == a.prior.reduce(0, +))
            for t in 0..<plain.itemCount { for c in 0..<k { #expect(b.posterior[t * kw + at[c]] == a.posterior[t * k + c]) } }
            for v in 0..<plain.workerCount {
                for i in 0..<k { for j in 0..<k {
                    #expect(b.confusion[(v * kw + at[i]) * kw + at[j]] == a.confusion[(v * k + i) * k + j])
                } }
                #expect(b.accuracy(ofWorker: v) == a.accuracy(ofWorker: v))
                if oneCoin { #expect(b.skill(ofWorker: v) == a.skill(ofWorker: v) && a.skill(ofWorker: v) > 0.5) }
            }
            // The extra classes: prior 0, no item, no probability, a zero row of θ.
            for c in 0..<kw where !at.contains(c) {
                #expect(b.prior[c] == 0)
                #expect(!b.labels.contains(Int32(c)))
                #expect((0..<plain.itemCount).allSatisfy { b.posterior[$0 * kw + c] == 0 })
                #expect((0..<plain.workerCount).allSatisfy { v in (0..<kw).allSatisfy { b.confusion[(v * kw + c) * kw + $0] == 0 } })
            }
        }
    }

    @Test func gladAndMACEIgnoreAClassNobodyAnswered() throws {
        let plain = Self.answers(), wide = Self.answers(extraClasses: ["cow"])
        let at = positions(plain, in: wide), k = plain.classCount, kw = wide.classCount
        var gladOptions = GLAD.Options()
        gladOptions.maxIterations = 50
        let g1 = GLAD(plain, options: gladOptions), g2 = GLAD(wide, options: gladOptions)
        #expect(g2.labels == g1.labels.map { Int32(at[Int($0)]) })
        #expect(g2.abilities == g1.abilities && g2.difficulties == g1.difficulties && g2.logPosterior == g1.logPosterior)
        #expect((0..<plain.itemCount).allSatisfy { t in (0..<k).allSatisfy { g2.posterior[t * kw + at[$0]] == g1.posterior[t * k + $0] } })
        var maceOptions = MACE.Options()
        maceOptions.restarts = 3
        let m1 = MACE(plain, options: maceOptions), m2 = MACE(wide, options: maceOptions)
        #expect(m2.labels == m1.labels.map { Int32(at[Int($0)]) })
        #expect(m2.restartLogLikelihoods == m1.restartLogLikelihoods && m2.bestRestart == m1.bestRestart)
        #expect(m2.fitted.knowing == m1.fitted.knowing && m2.fitted.spamming == m1.fitted.spamming)
        for v in 0..<plain.workerCount {
            #expect((0..<k).allSatisfy { m2.fitted.strategy[v * kw + at[$0]] == m1.fitted.strategy[v * k + $0] })
            #expect(m2.fitted.strategy[v * kw + 2] == 0)  // "cow" sorts between "cat" and "dog"
        }
        #expect((0..<plain.itemCount).allSatisfy { t in (0..<k).allSatisfy { m2.posterior[t * kw + at[$0]] == m1.posterior[t * k + $0] } })
        #expect(!g2.labels.contains(2) && !m2.labels.contains(2))
    }

    /// Gold clamping to a class no answer uses is not possible (the class
    /// is out of EM): that item is fitted as one without gold.
    @Test func goldOnAClassNobodyAnsweredIsNotClamped() throws {
        let wide = Self.answers(extraClasses: ["fish"])
        var truth = [Int32](repeating: -1, count: wide.itemCount)
        truth[4] = 3  // "fish"
        truth[7] = 1  // "cat"
        let clamped = DawidSkene(wide, gold: GoldLabels(truth: truth, unmatchedItems: 0))
        var catOnly = truth
        catOnly[4] = -1
        let reference = DawidSkene(wide, gold: GoldLabels(truth: catOnly, unmatchedItems: 0))
        #expect(clamped.labels == reference.labels && clamped.posterior == reference.posterior)
        #expect(clamped.posterior[7 * 4 + 1] == 1 && clamped.labels[4] != 3)
    }

    /// Majority vote: an item nobody answered ties among the classes some
    /// answer uses, not among classes nobody gave.
    @Test func anUnansweredItemTiesAmongAnsweredClasses() throws {
        let set = AnswerSet(itemNames: ["a", "b"], workerNames: ["w"], classNames: ["x", "y", "z"],
                            item: [0], worker: [0], label: [2])
        let vote = MajorityVote(set)
        #expect(Array(vote.tied(1)) == [2] && vote.shares[3..<6] == [0, 0, 1])
        let two = AnswerSet(itemNames: ["a", "b", "c"], workerNames: ["w"], classNames: ["x", "y", "z"],
                            item: [0, 1], worker: [0, 0], label: [0, 2])
        #expect(Array(MajorityVote(two).tied(2)) == [0, 2] && MajorityVote(two).shares[6..<9] == [0.5, 0, 0.5])
    }
}
