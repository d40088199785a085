import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore
import TestSupport

/// On a synthetic annotator pool the truth is known: the report's estimates
/// sit beside it.
@Suite struct SyntheticPoolTests {
    /// The crowd preset's plan, and its answers, gold and true confusion
    /// matrices as `score` reads them from the written dataset.
    static func crowdPool() throws -> (DatasetPlan, (AnswerSet, GoldLabels?, [[[Double]]]?)) {
        let dir = NSTemporaryDirectory() + "synthctl-pool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = try DatasetPlan(spec: Presets.named("crowd").spec, source: "crowd")
        _ = try DatasetWriter(plan: plan).write(to: dir)
        return (plan, try AnswerReader.read(datasetDirectory: dir))
    }

    /// The report's JSON (its pair objects made, and its long lists
    /// written, on several threads) is the same bytes for any thread count.
    @Test func reportJSONIsTheSameBytesForAnyThreadCount() throws {
        let (_, (answers, gold, truth)) = try Self.crowdPool()
        var bytes = [[UInt8]]()
        for threads in [1, 2, 3] {
            var parameters = AnnotationReport.Parameters()
            parameters.threads = threads
            parameters.minimumSharedItems = 1
            let report = try AnnotationReport(answers: answers, gold: gold, parameters: parameters, trueConfusion: truth)
            #expect(report.pairs.pairs.count > 2)
            bytes.append(report.json.fileContents(threads: threads))
        }
        #expect(bytes[1] == bytes[0] && bytes[2] == bytes[0])
    }

    @Test func flagsAndConfusionMatricesRecoverThePool() throws {
        let (plan, (answers, gold, truth)) = try Self.crowdPool()
        let pool = try #require(plan.annotators)
        #expect(answers.workerCount == pool.count && truth?.count == pool.count)
        let report = try AnnotationReport(answers: answers, gold: gold, trueConfusion: truth)
        // Honest annotators (expert, average, careless) are never flagged: their
        // agreement is many standard errors above chance.
        for v in 0..<pool.count where ["expert", "average", "careless"].contains(pool.profiles[v].rawValue) {
            #expect(report.annotators.flags[v] == nil, "annotator \(v) (\(pool.profiles[v].rawValue)) flagged")
        }
        // Adversaries agree less than chance; spammers at chance. A spammer's
        // z-score is about N(0, 1), so each escapes with probability ≈ 0.023:
        // at most two of them may.
        let adversaries = (0..<pool.count).filter { pool.profiles[$0].rawValue == "adversarial" }
        let spammers = (0..<pool.count).filter { pool.profiles[$0].rawValue == "spammer" }
        #expect(!adversaries.isEmpty && !spammers.isEmpty)
        for v in adversaries { #expect(report.annotators.flags[v] == .adversarial) }
        #expect(spammers.filter { report.annotators.flags[$0] == .spammer }.count >= spammers.count - 2)
        // Estimated confusion entries: ~200 answers per annotator over 4 classes
        // give a standard error near √(0.25/50) ≈ 0.07 per entry.
        let k = answers.classCount
        var errors = [Double]()
        for v in 0..<pool.count {
            for c in 0..<k { for l in 0..<k {
                errors.append(abs(report.dawidSkene.confusion[(v * k + c) * k + l] - truth![v][c][l]))
            } }
        }
        errors.sort()
        #expect(errors[errors.count / 2] < 0.14)
        // Dawid–Skene beats majority vote on a pool with spammers and adversaries.
        #expect(report.dawidSkeneAccuracy!.value! > accuracy(report.majorityLabels, gold: gold!).value!)
    }

    @Test func dawidSkeneLikelihoodNeverDecreases() throws {
        let dir = "\(CrowdReferenceTests.root)/web"
        let (answers, _) = try AnswerReader.read(answers: "\(dir)/label.csv")
        var previous = -Double.infinity
        for iterations in 1...12 {
            var o = DawidSkene.Options(); o.maxIterations = iterations; o.tolerance = 0
            let ll = DawidSkene(answers, options: o).logLikelihood
            #expect(ll >= previous - 1e-9 * abs(ll))
            previous = ll
        }
    }

    /// ℓ = Σ_t log Σ_k π_k Π θ_w[k, l], recomputed here item by item from
    /// the reported π and θ, equals the fit's ℓ, which the E-step takes as
    /// the log of a product of the items' sums, rescaled by powers of two.
    /// On a real set (confident posteriors: sums near 1) and on answers with
    /// no signal (sums of 1.7–1.8 on average, so the product passes 2⁵¹²
    /// and is rescaled, twice: checked below). Tolerance: the two sides differ by the
    /// product's rounding (a half-ulp a factor, 2,000 factors: 2.2e-13 in
    /// log) and by log(exp(log θ)) ≠ log θ here (an ulp of |log θ| ≤ 23 per
    /// answer, 5e-15), under 1e-9 summed over the items, while ℓ is
    /// thousands: a relative 1e-10 is far outside both, and far inside any
    /// lost factor of two (ln 2 in ℓ).
    @Test func logLikelihoodIsTheSumOfTheItemsLogs() throws {
        let stream = RandomStream(seed: 5, purpose: .shuffle, substream: 9)
        var items = [String](), workers = [String](), labels = [String]()
        for t in 0..<2_000 {
            for j in 0..<3 {
                items.append("t\(t)")
                workers.append("w\(3 * stream.integer(below: 20, row: UInt64(t), draw: UInt32(2 * j)) + j)")
                labels.append("c\(stream.integer(below: 4, row: UInt64(t), draw: UInt32(2 * j + 1)))")
            }
        }
        let noise = AnswerSet(items: items, workers: workers, labels: labels)
        let (web, _) = try AnswerReader.read(answers: "\(CrowdReferenceTests.root)/web/label.csv")
        for (answers, rescaled) in [(web, false), (noise, true)] {
            for iterations in [1, 4] {
                var o = DawidSkene.Options(); o.maxIterations = iterations; o.tolerance = 0
                let ds = DawidSkene(answers, options: o, threads: 2)
                let k = ds.classCount
                var reference = 0.0, sumsLog = 0.0
                for t in 0..<answers.itemCount {
                    var terms = [Double]()
                    for c in 0..<k where ds.prior[c] > 0 {
                        var term = Foundation.log(ds.prior[c])
                        for a in answers.itemStart[t]..<answers.itemStart[t + 1] {
                            term += Foundation.log(ds.confusion[(Int(answers.worker[a]) * k + c) * k + Int(answers.label[a])])
                        }
                        terms.append(term)
                    }
                    let top = terms.max()!
                    let sum = terms.reduce(0) { $0 + Foundation.exp($1 - top) }
                    reference += top + Foundation.log(sum)
                    sumsLog += Foundation.log(sum)
                }
                #expect(abs(ds.logLikelihood - reference) <= 1e-10 * abs(reference), "\(ds.logLikelihood) vs \(reference)")
                if rescaled {
                    // One chunk holds every item, so its product is Π sum_t = exp(sumsLog).
                    #expect(DawidSkene.chunks(items: answers.itemCount, accumulatorSize: k + answers.workerCount * k * k).count == 1)
                    #expect(sumsLog > 2 * 512 * Foundation.log(2.0), "the product never passed 2⁵¹² twice: \(sumsLog)")
                }
            }
        }
    }

    @Test func goldItemsStayFixed() throws {
        let dir = "\(CrowdReferenceTests.root)/bluebird"
        let (answers, gold) = try AnswerReader.read(answers: "\(dir)/label.csv", gold: "\(dir)/truth.csv")
        let ds = DawidSkene(answers, gold: gold)
        #expect(accuracy(ds.labels, gold: gold!) == .defined(1))
    }
}

@Suite struct AnswerInputTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    func read(_ text: String, gold: String? = nil) throws -> (AnswerSet, GoldLabels?) {
        let dir = temporary.directory("synthctl-answers")
        try text.write(toFile: "\(dir)/a.csv", atomically: true, encoding: .utf8)
        if let gold { try gold.write(toFile: "\(dir)/g.csv", atomically: true, encoding: .utf8) }
        return try AnswerReader.read(answers: "\(dir)/a.csv", gold: gold == nil ? nil : "\(dir)/g.csv")
    }

    @Test func idsAndLabelsInAnyOrderGiveTheSameSet() throws {
        let a = try read("task,worker,label\nq2,ann,cat\nq1,bob,\"dog\"\r\nq1,ann,cat\n\n").0
        let b = try read("worker,label,item\nann,cat,q1\nbob,dog,q1\nann,cat,q2\n").0
        #expect(a.itemNames == ["q1", "q2"] && a.workerNames == ["ann", "bob"] && a.classNames == ["cat", "dog"])
        #expect(a.item == b.item && a.worker == b.worker && a.label == b.label)
        // Integer labels sort numerically: 2 before 10.
        #expect(try read("item,worker,label\n1,1,10\n1,2,2\n").0.classNames == ["2", "10"])
    }

    /// Grouping and renumbering split among threads (past
    /// ``AnswerSet/answersPerThread`` answers a thread) give the set one
    /// thread gives: items of 0 to 40 answers, some given twice by one
    /// worker, in a shuffled order.
    @Test func theSetIsTheSameForAnyThreadCount() {
        let stream = RandomStream(seed: 21, purpose: .shuffle, substream: 1)
        let count = 5 * AnswerSet.answersPerThread + 123
        let items = 40_000, workers = 300, classes = 5
        var item = [Int32](), worker = [Int32](), label = [Int32]()
        for a in 0..<count {
            // Items drawn unevenly (a few with many answers), so that parts hold unequal item counts.
            let t = stream.integer(below: 8, row: UInt64(a), draw: 0) == 0 ? stream.integer(below: 50, row: UInt64(a), draw: 1)
                                                                           : stream.integer(below: items, row: UInt64(a), draw: 2)
            item.append(Int32(t))
            worker.append(Int32(stream.integer(below: workers, row: UInt64(a), draw: 3)))
            label.append(Int32(stream.integer(below: classes, row: UInt64(a), draw: 4)))
        }
        let names = { (n: Int) in (0..<n).map(String.init) }
        let ranks = (0..<items).map { Int32(($0 * 7919) % items) }  // a permutation: 7919 is prime to 40,000
        let sets = [1, 2, 3, 7].map { threads in
            AnswerSet(ranked: ((ranks, names(items)), item), workers: ((Array(0..<Int32(workers)), names(workers)), worker),
                      labels: ((Array(0..<Int32(classes)), names(classes)), label), threads: threads)
        }
        #expect(sets[0].duplicatePairs > 0)
        #expect(Set(sets[0].itemStart.indices.dropLast().map { sets[0].itemStart[$0 + 1] - sets[0].itemStart[$0] }).contains(0))
        for set in sets.dropFirst() {
            #expect(set.item == sets[0].item && set.worker == sets[0].worker && set.label == sets[0].label)
            #expect(set.itemStart == sets[0].itemStart && set.duplicatePairs == sets[0].duplicatePairs)
            #expect(set.workerStart == sets[0].workerStart && set.byWorker == sets[0].byWorker)
        }
        // Grouped by item, each item's answers by (worker, label), every answer kept.
        let first = sets[0]
        #expect(first.answerCount == count)
        for a in 1..<count where first.item[a] == first.item[a - 1] {
            #expect((first.worker[a - 1], first.label[a - 1]) <= (first.worker[a], first.label[a]))
        }
        #expect(zip(first.item, first.item.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func goldMayNameAClassNobodyAnswered() throws {
        let (set, gold) = try read("item,worker,label\n1,a,x\n2,a,x\n", gold: "item,truth\n1,y\n9,x\n")
        #expect(set.classNames == ["x", "y"])
        #expect(gold!.truth == [1, -1] && gold!.unmatchedItems == 1)
    }

    @Test(arguments: [
        ("", "a.csv: expected a header row, found an empty file"),
        ("item,worker,label\n", "a.csv: expected at least one answer, found only the header"),
        ("item,worker\n1,2\n", "a.csv: line 1: expected a column named \"label\" or \"answer\" for the labels, found columns item, worker (2 columns)"),
        ("item,worker,label\n1,2,3\n1,2\n", "a.csv: line 3: expected 3 fields (item, worker, label), found 2"),
        ("item,worker,label\n1,,3\n", "a.csv: line 2: expected a worker id in column \"worker\", found an empty field"),
        ("item,worker,label\n1,\"2,3\n", "a.csv: line 2: expected a closing quote, found the end of the file"),
    ])
    func badAnswerFiles(text: String, message: String) {
        let error = errorText { _ = try read(text) }
        #expect(error?.hasSuffix(message) == true, "\(error ?? "no error")")
    }

    @Test func badGoldFiles() {
        #expect(errorText { _ = try read("item,worker,label\n1,a,x\n", gold: "item,truth\n1,x\n1,y\n") }?
            .hasSuffix("g.csv: line 3: expected one gold label per item, found item 1 again (first on line 2)") == true)
    }

    func errorText(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as any SynthctlError { return e.message } catch { return "\(error)" }
    }
}
