import Testing
import Foundation
@testable import Eval
import Synth
@testable import SynthctlCore
import TestSupport

/// Issue 13, parts 2–3, follow-ups in the readers: table labels meet
/// probability columns by value, labels are one class only when their bytes
/// are equal, a given label order drives ordinal α (checked against
/// krippendorff), and pandas' ways with CSV headers, booleans, delimiters and
/// wide tables.
@Suite struct TableLabelsAndOrderTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    func dir() -> String {
        temporary.directory("synthctl-labels")
    }

    func write(_ path: String, _ text: String) -> String {
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as any SynthctlError { return e.message } catch { return "\(error)" }
    }

    // MARK: labels and probability columns

    @Test func integerTableLabelsAreProbabilityColumnsByValue() throws {
        let d = dir()
        let t = write("\(d)/t.csv", "f,label\n" + (0..<20).map { "\($0),\($0 % 2 == 0 ? "0" : "2.0")\n" }.joined())
        let set = try LabeledFeatures.read(table: t, labelColumn: "label", probabilityColumns: (3, "P.npy"))
        // Label "2" (spelled 2.0) is column 2, not column 1: the labels present are {0, 2}.
        #expect(set.classNames == ["0", "1", "2"])
        #expect(set.labels == (0..<20).map { $0 % 2 == 0 ? 0 : 2 })
        // Without probabilities the classes are the labels present, as before.
        let plain = try LabeledFeatures.read(table: t, labelColumn: "label")
        #expect(plain.classNames == ["0", "2"] && plain.labels == (0..<20).map { Int32($0 % 2) })
        // A label at or beyond the columns is refused, naming its line.
        let big = write("\(d)/big.csv", "f,label\n1,0\n2,1\n3,3\n4,1\n")
        #expect(message { _ = try LabeledFeatures.read(table: big, labelColumn: "label", probabilityColumns: (3, "P.npy")) }
            == "\(big): line 4, column \"label\": expected a class id in 0..<3 (integer labels are the column numbers of P.npy), found 3")
        let negative = write("\(d)/neg.csv", "f,label\n1,0\n2,-2\n")
        #expect(message { _ = try LabeledFeatures.read(table: negative, labelColumn: "label", probabilityColumns: (2, "P.npy")) }
            == "\(negative): line 3, column \"label\": expected a class id in 0..<2 (integer labels are the column numbers of P.npy), found -2")
        // A true label is a label too.
        let truth = write("\(d)/truth.csv", "f,label,true_label\n1,0,0\n2,1,5\n")
        #expect(message { _ = try LabeledFeatures.read(table: truth, labelColumn: "label", probabilityColumns: (3, "P.npy")) }
            == "\(truth): line 3, column \"true_label\": expected a class id in 0..<3 (integer labels are the column numbers of P.npy), found 5")
    }

    @Test func textTableLabelsAreColumnsOnlyWhenTheCountsMatch() throws {
        let d = dir()
        let t = write("\(d)/t.csv", "f,label\n1,dog\n2,cat\n3,emu\n4,cat\n")
        let set = try LabeledFeatures.read(table: t, labelColumn: "label", probabilityColumns: (3, "P.npy"))
        #expect(set.classNames == ["cat", "dog", "emu"] && set.labels == [1, 0, 2, 0])
        #expect(message { _ = try LabeledFeatures.read(table: t, labelColumn: "label", probabilityColumns: (4, "P.npy")) }
            == "\(t): expected labels that are the column numbers of P.npy (integers 0 to 3), or 4 distinct labels to match its 4 columns in class order (numeric, else byte order); found 3 distinct labels, not all integers (\"dog\")")
        // A given order says which column each label is, and may list labels nobody gave.
        let ordered = try LabeledFeatures.read(table: t, labelColumn: "label", probabilityColumns: (4, "P.npy"),
                                               labelOrder: ["emu", "dog", "cat", "yak"])
        #expect(ordered.classNames == ["emu", "dog", "cat", "yak"] && ordered.labels == [1, 2, 0, 2])
        #expect(message { _ = try LabeledFeatures.read(table: t, labelColumn: "label", probabilityColumns: (3, "P.npy"), labelOrder: ["emu", "dog", "cat", "yak"]) }
            == "P.npy: expected 4 columns, one per label of the given order (emu, dog, cat, yak), found 3")
        #expect(message { _ = try LabeledFeatures.read(table: t, labelColumn: "label", labelOrder: ["dog", "cat"]) }
            == "\(t): line 4, column \"label\": expected one of the labels of the given order (dog, cat), found \"emu\"")
        #expect(message { _ = try LabeledFeatures.read(table: t, labelColumn: "label", labelOrder: ["dog", "cat", "dog"]) }
            == "the label order: expected each label once, found \"dog\" twice")
    }

    // MARK: byte-exact labels

    @Test func labelsEqualOnlyAsUnicodeAreTwoClasses() throws {
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        #expect(nfc == nfd)  // Swift's String equality is canonical equivalence: the reason for ExactText
        #expect(ExactText(nfc) != ExactText(nfd) && Set([ExactText(nfc), ExactText(nfd)]).count == 2)
        let d = dir()
        let t = write("\(d)/t.csv", "f,label\n1,\(nfc)\n2,\(nfd)\n3,\(nfc)\n4,\(nfd)\n")
        let set = try LabeledFeatures.read(table: t, labelColumn: "label")
        #expect(set.classCount == 2 && set.labels == [1, 0, 1, 0])
        #expect(set.classNames.map { Array($0.utf8) } == [Array(nfd.utf8), Array(nfc.utf8)])  // byte order: "e" < "é"
        let a = write("\(d)/a.csv", "item,worker,label\n1,\(nfc),x\n1,\(nfd),\(nfc)\n2,\(nfc),\(nfd)\n")
        let (answers, _) = try AnswerReader.read(answers: a)
        #expect(answers.workerCount == 2 && answers.classCount == 3)
        // compare's class alignment keeps them apart too (it trapped on duplicate keys).
        let x = Matrix(rows: 4, columns: 1, storage: [1, 2, 3, 4])
        let h = LabeledFeatures(source: "h", features: x, featureNames: ["f"], labels: [0, 1, 0, 1], classNames: [nfc, nfd])
        let s = LabeledFeatures(source: "s", features: x, featureNames: ["f"], labels: [0, 0, 1, 1], classNames: [nfd, nfc])
        let aligned = try ClassAlignment(human: h, synthetic: s)
        #expect(aligned.classNames.count == 2 && aligned.syntheticLabels == [1, 1, 0, 0])
        #expect(LabelIssueReport.classNames([nfc, "1"], columns: 3) == [nfc, "1", "2"])
    }

    // MARK: ordinal α and the given order

    struct OrderFixture: Decodable {
        struct Case: Decodable { let name: String; let order: [String]; let answers: [[String]]; let alpha: [String: Double] }
        let cases: [Case]
    }

    static let fixture: OrderFixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/label_order.json")
        return try! JSONDecoder().decode(OrderFixture.self, from: Data(contentsOf: url))
    }()

    /// krippendorff on the labels replaced by their positions in the order
    /// (`Tests/Oracles/label_order_oracle.py`), to 1e-12.
    @Test(arguments: fixture.cases.map(\.name))
    func ordinalAlphaInAGivenOrderMatchesKrippendorff(name: String) throws {
        let c = try #require(Self.fixture.cases.first { $0.name == name })
        let d = dir()
        let path = write("\(d)/a.csv", "item,worker,label\n" + c.answers.map { $0.joined(separator: ",") + "\n" }.joined())
        let (answers, _) = try AnswerReader.read(answers: path, labelOrder: c.order)
        #expect(answers.classNames == c.order && answers.classOrderGiven)
        for level in [KrippendorffAlpha.Level.ordinal, .nominal] {
            let value = try #require(try KrippendorffAlpha.alpha(answers, level: level).value)
            #expect(abs(value - c.alpha[level.rawValue]!) < 1e-12, "\(name) \(level): \(value) against \(c.alpha[level.rawValue]!)")
        }
        // Without the order, byte order (high < low < medium) is no order: refused.
        let (unordered, _) = try AnswerReader.read(answers: path)
        #expect(message { _ = try KrippendorffAlpha.alpha(unordered, level: .ordinal) }?
            .hasPrefix("\(path): expected numbers or a given order of the labels for ordinal α, found the label ") == true)
        #expect(try KrippendorffAlpha.alpha(unordered, level: .nominal).value == KrippendorffAlpha.alpha(answers, level: .nominal).value)
    }

    @Test func aGivenOrderRefusesLabelsItLacksNamingTheLine() throws {
        let d = dir()
        let a = write("\(d)/a.csv", "item,worker,label\n1,u,low\n1,v,high\n2,u,huge\n")
        #expect(message { _ = try AnswerReader.read(answers: a, labelOrder: ["low", "high"]) }
            == "\(a): line 4, column \"label\": expected one of the labels of the given order (low, high), found \"huge\"")
        let g = write("\(d)/g.csv", "item,truth\n1,low\n2,mid\n")
        #expect(message { _ = try AnswerReader.read(answers: a, gold: g, labelOrder: ["low", "high", "huge"]) }
            == "\(g): line 3, column \"truth\": expected one of the labels of the given order (low, high, huge), found \"mid\"")
        // Interval α takes plain decimals only: "0x10" is text, not 16.
        let hex = write("\(d)/h.csv", "item,worker,label\n1,u,0x10\n1,v,2\n")
        let (set, _) = try AnswerReader.read(answers: hex)
        #expect(message { _ = try KrippendorffAlpha.alpha(set, level: .interval) } == "\(hex): expected numbers for interval α, found the label \"0x10\"")
        #expect(try LabelOrder.given(" 1.0,b,2").get() == ["1", "b", "2"])
        #expect(throws: LabelOrder.GivenOrderProblem.self) { try LabelOrder.given("a,,b").get() }
    }

    // MARK: answers in every table format

    @Test func answersAndGoldReadFromEveryTableFormat() throws {
        let d = dir()
        let csv = write("\(d)/a.csv", "task,worker,label\n1,a,x\n1,b,y\n2,a,y\n2,b,y\n")
        let jsonl = write("\(d)/a.jsonl", """
            {"task": 1, "worker": "a", "label": "x"}
            {"task": 1, "worker": "b", "label": "y"}
            {"task": 2, "worker": "a", "label": "y"}
            {"task": 2.0, "worker": "b", "label": "y"}

            """)
        let tsv = write("\(d)/a.tsv", "task\tworker\tlabel\n1\ta\tx\n1\tb\ty\n2\ta\ty\n2\tb\ty\n")
        let gold = write("\(d)/g.jsonl", "{\"item\": 2, \"truth\": \"y\"}\n")
        let reference = try AnswerReader.read(answers: csv).0
        for path in [jsonl, tsv] {
            let (set, g) = try AnswerReader.read(answers: path, gold: gold)
            #expect(set.itemNames == reference.itemNames && set.workerNames == reference.workerNames)
            #expect(set.classNames == reference.classNames && set.label == reference.label && set.item == reference.item)
            #expect(g?.truth == [-1, 1])
        }
        let nullID = write("\(d)/n.jsonl", "{\"task\": null, \"worker\": \"a\", \"label\": \"x\"}\n")
        #expect(message { _ = try AnswerReader.read(answers: nullID) } == "\(nullID): line 1: expected an item id in column \"task\", found a missing value (null)")
        let missing = write("\(d)/m.jsonl", "{\"task\": 1, \"worker\": \"a\", \"label\": null}\n")
        #expect(message { _ = try AnswerReader.read(answers: missing) } == "\(missing): line 1, column \"label\": expected a label, found a missing value (null)")
        let noColumn = write("\(d)/c.jsonl", "{\"task\": 1, \"who\": \"a\", \"label\": \"x\"}\n")
        #expect(message { _ = try AnswerReader.read(answers: noColumn) } == "\(noColumn): expected a column named \"worker\" or \"annotator\" for the worker ids, found columns task, who, label (3 columns)")
    }

    // MARK: CSV as pandas reads it

    @Test func csvHeadersBooleansAndDelimitersAsPandasReadsThem() throws {
        // Empty header names are "Unnamed: i" (pandas' names), not duplicates.
        let two = try CSVTable(text: "a,,,label\n1,2,3,x\n", path: "t.csv")
        #expect(two.header == ["a", "Unnamed: 1", "Unnamed: 2", "label"])
        // A trailing delimiter on every line: the empty, unnamed last column is left out.
        let trailing = try CSVTable(text: "a,label,\n1,x,\n2,y,\n", path: "t.csv")
        #expect(trailing.header == ["a", "label"] && trailing.droppedEmptyLastColumn && trailing.records == [["1", "x"], ["2", "y"]])
        // …but not when one line has a value there.
        let kept = try CSVTable(text: "a,label,\n1,x,\n2,y,7\n", path: "t.csv")
        #expect(kept.header == ["a", "label", "Unnamed: 2"] && !kept.droppedEmptyLastColumn)
        let semicolons = try CSVTable(text: "a;label\n\"1;5\";x\n", path: "t.csv", delimiter: UInt8(ascii: ";"))
        #expect(semicolons.records == [["1;5", "x"]])
        #expect(TableFormat(extensionOf: "x.TSV") == .tsv && TableFormat(extensionOf: "x.tab") == .tsv)
        // Booleans: true/false in any case are 1/0, as Parquet and JSON Lines booleans are.
        for (text, value) in [("True", Float(1)), ("false", 0), ("TRUE", 1), (" False ", 0)] {
            guard case .value(let v) = TableCell.text(text).featureValue else { Issue.record("\(text) refused"); continue }
            #expect(v == value, "\(text)")
        }
        guard case .invalid = TableCell.text("yes").featureValue else { Issue.record("yes read as a number"); return }
        guard case .invalid = TableCell.text("truee").featureValue else { Issue.record("truee read as a number"); return }
    }

    @Test func wideTablesAreCheckedInLinearTimeAndListedShort() throws {
        // 200,000 columns: a quadratic duplicate check took minutes; the
        // message lists the first eight names and the count.
        let d = dir()
        let n = 200_000
        let names = (0..<n).map { "c\($0)" }
        let t = write("\(d)/t.csv", names.joined(separator: ",") + "\n" + Array(repeating: "1", count: n).joined(separator: ",") + "\n")
        #expect(message { _ = try LabeledFeatures.read(table: t, labelColumn: "label") }
            == "\(t): expected a label column \"label\", found columns c0, c1, c2, c3, c4, c5, c6, c7, … (200000 columns)")
        let labeled = write("\(d)/l.csv", names.joined(separator: ",") + ",label\n"
                            + (0..<2).map { r in (0..<n).map { String(($0 + r) % 7) }.joined(separator: ",") + ",\(r)\n" }.joined())
        let set = try LabeledFeatures.read(table: labeled, labelColumn: "label")
        #expect(set.features?.columns == n && set.features?.storage[n + 6] == 0 && set.labels == [0, 1])
    }

    @Test func jsonLinesNumbersBeyondDoubleNameTheirColumn() throws {
        let d = dir()
        let big = write("\(d)/b.jsonl", "{\"a\": 1, \"label\": \"x\"}\n{\"label\": \"y\", \"a\": -1e400}\n")
        #expect(message { _ = try LabeledFeatures.read(table: big, labelColumn: "label") }
            == "\(big): line 2, column \"a\": expected a number within float64's range (magnitude at most 1.8e308), found -1e400")
        let long = write("\(d)/l.jsonl", "{\"label\": \"x\", \"b\": 1" + String(repeating: "0", count: 400) + "}\n")
        #expect(message { _ = try LabeledFeatures.read(table: long, labelColumn: "label") }
            == "\(long): line 1, column \"b\": expected a number within float64's range (magnitude at most 1.8e308), found 1000000000000000000000000000000000000000… (401 characters)")
        // An object cut short is named where it stops being JSON; a line that is no object is shown whole.
        let junk = write("\(d)/j.jsonl", "{\"a\": [1, \n")
        #expect(message { _ = try LabeledFeatures.read(table: junk, labelColumn: "label") } == "\(junk): line 1, column 11: expected a value, found the end of the line")
        let nan = write("\(d)/n.jsonl", "{\"a\": NaN, \"label\": \"x\"}\n")
        #expect(message { _ = try LabeledFeatures.read(table: nan, labelColumn: "label") }
            == "\(nan): line 1, column 7: expected a value (an object, array, string, number, true, false or null), found \"NaN\"")
        let array = write("\(d)/a.jsonl", "[1, 2]\n")
        #expect(message { _ = try LabeledFeatures.read(table: array, labelColumn: "label") } == "\(array): line 1: expected one JSON object per line, found [1, 2]")
    }

    // MARK: pairwise κ within the memory budget

    @Test(arguments: [PairwiseKappa.Strategy.denseTable, .coAnswerGroups])
    func pairwiseKappaIsCheckedAgainstTheBudgetBeforeItIsBuilt(strategy: PairwiseKappa.Strategy) throws {
        // 40 annotators who all answered the same 20 items: 780 pairs, and
        // 20 × 39 co-answers for each annotator, 780 × 20 for the pairs
        // a < b, all held in one block; or, counted in a table, 780 pairs
        // × (2 · 3 classes + 2) counters of 4 bytes.
        var items = [String](), workers = [String](), labels = [String]()
        for t in 0..<20 { for w in 0..<40 { items.append("\(t)"); workers.append("w\(w)"); labels.append("\((t * w) % 3)") } }
        let answers = AnswerSet(items: items, workers: workers, labels: labels)
        let unlimited = try PairwiseKappa(answers, minimumShared: 20, threads: 1, strategy: strategy)
        #expect(unlimited.pairs.count == 780)
        let bound = PairwiseKappa.pairBound(answers, minimumShared: 20)
        #expect(bound.pairs == 780 && bound.busiest == 780 && bound.coAnswers == 15_600)
        let perPair = 3 * MemoryLayout<PairwiseKappa.Pair>.stride + 1_000
        let held = strategy == .denseTable ? 780 * 8 * 4 : 15_600 * PairwiseKappa.coAnswerBytes
        do {
            _ = try PairwiseKappa(answers, minimumShared: 20, budget: MemoryBudget(limit: 780 * perPair + held - 1), extraBytesPerPair: 1_000,
                                  threads: 1, strategy: strategy)
            Issue.record("780 pairs built beyond the budget")
        } catch let e as MemoryLimitExceeded {
            #expect(e.parameter == "minimumSharedItems")
            #expect(e.estimate.total == 780 * perPair + held)
            #expect(e.description.contains("annotator pairs for Cohen's κ (up to 780 pairs sharing ≥ 20 items × \(perPair) bytes)"))
        }
        // Exactly at the limit the pairs are built; and when no annotator
        // has 21 items no pair can share 21, which the bound knows without
        // a pass: nothing to hold but the counting.
        #expect(try PairwiseKappa(answers, minimumShared: 20, budget: MemoryBudget(limit: 780 * perPair + held), extraBytesPerPair: 1_000,
                                  threads: 1, strategy: strategy).pairs == unlimited.pairs)
        let none = try PairwiseKappa(answers, minimumShared: 21, budget: MemoryBudget(limit: held), threads: 1, strategy: strategy)
        #expect(none.pairs.isEmpty && none.pairsBelowMinimum == 780)
        // Left to choose, the table is taken here (6,240 counters, 15,600 co-answers).
        #expect(PairwiseKappa.usesDenseTable(_UnsafePairCounts(workers: 40, classes: 3), coAnswers: bound.coAnswers))
    }

    /// The bound is an upper bound wherever annotators answered different
    /// items: never below the pairs found, and at most the pairs possible.
    @Test func pairBoundIsNeverBelowThePairsFound() throws {
        let stream = RandomStream(seed: 5, purpose: .shuffle, substream: 1)
        for trial in 0..<20 {
            var items = [String](), workers = [String](), labels = [String]()
            let w = 5 + trial, n = 30 + 7 * trial
            for t in 0..<n { for v in 0..<w where stream.uniform(row: UInt64(trial * 1000 + t), draw: UInt32(v)) < 0.4 {
                items.append("\(t)"); workers.append("w\(v)"); labels.append("\(stream.integer(below: 3, row: UInt64(trial * 1000 + t), draw: UInt32(100 + v)))")
            } }
            let answers = AnswerSet(items: items, workers: workers, labels: labels)
            for s in [1, 3, 8, 15] {
                let found = try PairwiseKappa(answers, minimumShared: s).pairs.count
                let bound = PairwiseKappa.pairBound(answers, minimumShared: s).pairs
                #expect(found <= bound && bound <= answers.workerCount * (answers.workerCount - 1) / 2, "trial \(trial), s \(s): \(found) > \(bound)")
            }
        }
    }
}
