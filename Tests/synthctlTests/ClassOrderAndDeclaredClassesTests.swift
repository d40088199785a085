import Testing
import Foundation
@testable import Eval
import SynthctlCore

/// Issue 15, the last fresh tester's five findings: `score --table`'s label
/// issues do not depend on the class order; a class declared by any file
/// of the run is a class; `--label-order` of ids keeps a `ClassLabel`'s
/// names; a stored −1 is no label beside a class named "-1"; a folder that
/// is no set, and a part directory with a stray entry given to `score`,
/// are refused in one line. Fixtures: `Tests/Oracles/class_order.py`
/// (`datasets`, pandas).
extension CommandLineTests {
    /// A copy of the class-order fixtures in a fresh directory (reports are written beside them).
    func classOrderFixtures() throws -> String {
        let dir = tempDir(), from = Self.evalFixtures + "/class_order"
        for name in try FileManager.default.contentsOfDirectory(atPath: from) {
            try FileManager.default.copyItem(atPath: "\(from)/\(name)", toPath: "\(dir)/\(name)")
        }
        return dir
    }

    func jsonReport(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
    }

    @Test(arguments: ["logistic", "gbdt"])
    func labelIssuesDoNotDependOnTheClassOrder(model: String) throws {
        let dir = try classOrderFixtures()
        // The same rows as text, as ClassLabel ids in another id order, and under two orders.
        let runs: [[String]] = [["--table", "text.csv"], ["--table", "classlabel.parquet"],
                                ["--table", "text.csv", "--label-order", "pos,neg,neu"],
                                ["--table", "classlabel.parquet", "--label-order", "neu,pos,neg"]]
        var rows = [String](), numbers = [[Double]](), classes = [[String]]()
        for (i, args) in runs.enumerated() {
            let r = try run(["score"] + args + ["--model", model, "--json", "r\(i).json", "--rows-out", "rows\(i).csv"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            let issues = try jsonReport("\(dir)/r\(i).json")["label_issues"] as? [String: Any] ?? [:]
            numbers.append(["health_score", "flagged", "estimated_label_issues", "estimated_label_issues_calibrated"]
                .map { (issues[$0] as? NSNumber)?.doubleValue ?? .nan })
            classes.append((issues["input"] as? [String: Any])?["classes"] as? [String] ?? [])
            // Row, issue flag, score, given and predicted label: the bytes of each row's result.
            rows.append(try String(contentsOfFile: "\(dir)/rows\(i).csv", encoding: .utf8))
        }
        #expect(classes == [["neg", "neu", "pos"], ["pos", "neg", "neu"], ["pos", "neg", "neu"], ["neu", "pos", "neg"]])
        for i in 1..<runs.count {
            #expect(numbers[i] == numbers[0], "\(runs[i])")
            #expect(rows[i] == rows[0], "\(runs[i])")
        }
        #expect(!rows[0].isEmpty && numbers[0][1] > 0)  // something is flagged: the comparison says something
    }

    @Test(arguments: [LabelIssueReport.Model.logistic, .gbdt, .knn])
    func perRowProbabilitiesArePermutedWithTheClasses(model: LabelIssueReport.Model) throws {
        let dir = Self.evalFixtures + "/class_order"
        let text = try LabeledFeatures.read(table: "\(dir)/text.csv", labelColumn: "label")
        let ids = try LabeledFeatures.read(table: "\(dir)/classlabel.parquet", labelColumn: "label", labelOrder: ["neu", "pos", "neg"])
        #expect(text.classNames == ["neg", "neu", "pos"] && ids.classNames == ["neu", "pos", "neg"])
        var p = LabelIssueReport.Parameters()
        p.model = model
        let a = try LabelIssueReport(data: text, parameters: p), b = try LabelIssueReport(data: ids, parameters: p)
        // Column c of the text run is column position[c] of the other: the same bits.
        let position = [2, 0, 1]
        var same = true
        for i in 0..<a.probabilities.rows {
            for c in 0..<3 where a.probabilities.values[i * 3 + c].bitPattern != b.probabilities.values[i * 3 + position[c]].bitPattern {
                same = false
            }
        }
        #expect(same)
        // k-NN's votes tie often, and cleanlab breaks ties between classes by their order: its issues may differ.
        if model != .knn { #expect(a.flags == b.flags && a.health.score == b.health.score) }
    }

    @Test func firstAppearanceNumbersTheClassesAsStratifiedKFoldDoes() {
        // np.unique(y, return_index=True) then the classes ranked by first index: 2, 0, 1 for these labels.
        let c = FirstAppearanceClasses(labels: [2, 2, 0, 1, 0, 2], classes: 4)
        #expect(c.canonical == [1, 2, 0, 3])  // class 3, never given, last
        #expect(c.labels == [0, 0, 1, 2, 1, 0])
        let p = PredictedProbabilities(rows: 1, classes: 4, values: [0.5, 0.3, 0.2, 0])
        #expect(c.inRunOrder(p).values == [0.3, 0.2, 0.5, 0])
    }

    @Test func aClassDeclaredByAnyFileIsAClass() throws {
        let dir = try classOrderFixtures()
        // Declared only by the gold file, or only by the answers: kept alike, with no answer.
        for (answers, gold) in [("answers_cat_dog.parquet", "gold_cat_dog_bird.parquet"), ("answers_cat_dog_bird.parquet", "gold_cat_dog.parquet")] {
            let r = try run(["score", "--answers", answers, "--gold", gold, "--item-column", "task", "--json", "r.json", "--force"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            #expect(r.stdout.contains("on 4 items, 3 classes"), "\(r.stdout)")
            let a = try jsonReport("\(dir)/r.json")["annotations"] as? [String: Any] ?? [:]
            #expect((a["input"] as? [String: Any])?["classes"] as? [String] == ["cat", "dog", "bird"], "\(answers)")
            #expect((a["dawid_skene"] as? [String: Any])?["prior"] as? [Double] == [0.5, 0.5, 0], "\(answers)")
            let (set, g) = try AnswerReader.read(answers: "\(dir)/\(answers)", gold: "\(dir)/\(gold)", columns: AnswerColumns(item: "task"))
            #expect(set.classNames == ["cat", "dog", "bird"])
            #expect(g?.schema?.columns.last?.type == .categorical(categories: gold.contains("bird") ? ["cat", "dog", "bird"] : ["cat", "dog"]))
        }
    }

    @Test func anOrderOfIdsKeepsTheClassLabelNames() throws {
        let dir = try classOrderFixtures()
        // ClassLabel names [pos, neg, neu]: ids 1,2,0 are neg, neu, pos.
        let r = try run(["score", "--table", "classlabel.parquet", "--label-order", "1,2,0", "--json", "r.json", "--rows-out", "rows.csv"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let report = try jsonReport("\(dir)/r.json")
        let issues = report["label_issues"] as? [String: Any] ?? [:]
        #expect((issues["input"] as? [String: Any])?["classes"] as? [String] == ["neg", "neu", "pos"])
        let label = (((report["schemas"] as? [String: Any])?["labels"] as? [String: Any])?["columns"] as? [[String: Any]])?.last
        #expect(label?["categories"] as? [String] == ["neg", "neu", "pos"])
        let rows = try String(contentsOfFile: "\(dir)/rows.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(!rows.isEmpty && rows.allSatisfy { line in line.split(separator: ",").suffix(2).allSatisfy { ["neg", "neu", "pos"].contains($0) } })
        #expect(r.stdout.contains("  neu ") && !r.stdout.contains("\n  0 "), "\(r.stdout)")
        // The same classes in the same order as the text table under its names: the same report numbers.
        let text = try run(["score", "--table", "text.csv", "--json", "t.json"], in: dir)
        #expect(text.code == 0)
        let t = try jsonReport("\(dir)/t.json")["label_issues"] as? [String: Any] ?? [:]
        #expect(t["confident_joint"] as? [[Int]] == issues["confident_joint"] as? [[Int]])
        // Answers: ClassLabel [cat, dog, bird] under ids 2,0,1.
        let a = try run(["score", "--answers", "answers_cat_dog_bird.parquet", "--gold", "gold_cat_dog_bird.parquet", "--item-column", "task",
                         "--label-order", "2,0,1", "--json", "a.json"], in: dir)
        #expect(a.code == 0, "\(a.stderr)")
        let input = (try jsonReport("\(dir)/a.json")["annotations"] as? [String: Any])?["input"] as? [String: Any]
        #expect(input?["classes"] as? [String] == ["bird", "cat", "dog"])
    }

    @Test func aStoredMinusOneIsNoLabelBesideAClassNamedMinusOne() throws {
        let dir = try classOrderFixtures()
        let expected = try jsonReport("\(dir)/expected.json")["sentiment.parquet"] as? [Any] ?? []
        let names = expected.map { $0 as? String }  // nil: datasets' no label
        #expect(names.count == 12 && names.filter { $0 == nil }.count == 2)
        // Refused as a missing label (not as an id out of range), at the first stored −1.
        let refused = try run(["score", "--table", "sentiment.parquet", "--folds", "2"], in: dir)
        #expect(refused.code == 2)
        #expect(refused.stderr == Self.oneLine("sentiment.parquet: row 2, column \"label\": expected a label, found a missing value (-1, no label); --drop-missing drops such rows"))
        // Dropped, and never merged with the class "-1", with or without an order of names.
        for order in [[], ["--label-order", "1,0,-1"]] {
            let set = try LabeledFeatures.read(table: "\(dir)/sentiment.parquet", labelColumn: "label", dropMissing: true,
                                               labelOrder: order.isEmpty ? nil : ["1", "0", "-1"])
            #expect(set.rows == 10)
            #expect(set.labels.map { set.classNames[Int($0)] } == names.compactMap { $0 }, "\(order)")
            let r = try run(["score", "--table", "sentiment.parquet", "--folds", "2", "--drop-missing"] + order, in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            #expect(r.stdout.contains("2 rows have label -1 (no label), read as missing"), "\(r.stdout)")
            #expect(r.stdout.contains("labels: 10 rows, 3 classes"), "\(r.stdout)")
        }
    }

    @Test func aHandBuiltClassLabelNamingMinusOneKeepsItsNoLabel() throws {
        let dir = tempDir()
        // Answers whose ClassLabel is ["-1", "0", "1"]; worker c answers −1 (no label) on item 0.
        let items = ["0", "0", "0", "1", "1", "1"], workers = ["a", "b", "c", "a", "b", "c"]
        let ids: [Int32] = [0, 0, -1, 2, 2, 1]
        let features = #"{"info": {"features": {"task": {"dtype": "string", "_type": "Value"}, "worker": {"dtype": "string", "_type": "Value"}, "label": {"names": ["-1", "0", "1"], "_type": "ClassLabel"}}}}"#
        var bytes = [UInt8]()
        let writer = try ParquetFileWriter(columns: [ParquetColumn(name: "task", kind: .text), ParquetColumn(name: "worker", kind: .text),
                                                     ParquetColumn(name: "label", kind: .int32)],
                                           codec: .snappy, keyValues: [("huggingface", features)], createdBy: "test", threads: 1,
                                           rowGroupRows: 100, pageRows: 100) { $0.withUnsafeBytes { bytes += $0 } }
        writer.appendTexts(column: 0, from: items.span, rows: 6)
        writer.appendTexts(column: 1, from: workers.span, rows: 6)
        writer.appendIntegers(column: 2, from: ids.span, rows: 6)
        try writer.commit(rows: 6)
        _ = try writer.finish()
        try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/a.parquet"))
        for order in [nil, ["1", "0", "-1"]] {
            let (set, _) = try AnswerReader.read(answers: "\(dir)/a.parquet", labelOrder: order, columns: AnswerColumns(item: "task"))
            #expect(set.answerCount == 5, "\(String(describing: order))")  // the stored −1 left out
            #expect(set.readingNotes.first?.hasPrefix("1 answer has label -1 (no label), left out") == true)
            // Ids 0, 0, 2, 2, 1 are the classes named -1, -1, 1, 1, 0.
            let given = set.label.map { set.classNames[Int($0)] }
            #expect(given.sorted() == ["-1", "-1", "0", "1", "1"], "\(given)")
        }
    }

    @Test func aFolderThatIsNoSetIsRefusedInOneLineByEveryCommand() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(atPath: "\(dir)/mixed/sub", withIntermediateDirectories: true)
        for name in ["notes.txt", "b.csv", "a.py"] { try "x\n".write(toFile: "\(dir)/mixed/\(name)", atomically: false, encoding: .utf8) }
        let set = (0..<40).map { "\(Double($0 % 7)),\($0 % 2)" }
        try ("x0,label\n" + set.joined(separator: "\n") + "\n").write(toFile: "\(dir)/t.csv", atomically: false, encoding: .utf8)
        let line = Self.oneLine("mixed: expected a dataset directory, a Parquet part directory or a table, found a directory of 4 entries (e.g. a.py, b.csv, notes.txt)")
        for args in [["score", "mixed"], ["compare", "--human", "mixed", "--synthetic", "t.csv"], ["compare", "--human", "t.csv", "--synthetic", "mixed"],
                     ["fit", "mixed", "--out", "m.json"], ["limits", "--human", "mixed", "--synthetic", "t.csv"], ["collapse", "--human", "mixed"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 2, "\(args)")
            #expect(r.stderr == line, "\(args): \(r.stderr)")
        }
    }

    @Test func scoreNamesAPartDirectorysStrayEntryAndHowPartsAreGiven() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(atPath: "\(dir)/parts", withIntermediateDirectories: true)
        for name in ["part-0.parquet", "part-1.parquet"] {
            try FileManager.default.copyItem(atPath: Self.evalFixtures + "/class_order/classlabel.parquet", toPath: "\(dir)/parts/\(name)")
        }
        try "x\n".write(toFile: "\(dir)/parts/notes.txt", atomically: false, encoding: .utf8)
        let r = try run(["score", "parts"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == Self.oneLine("parts: expected a directory of Parquet parts (.parquet files and key=value folders only), found notes.txt (not a Parquet file); a directory of parts holding nothing else is read with --table or --answers"))
        // Without the stray file, --table reads the parts as one table.
        try FileManager.default.removeItem(atPath: "\(dir)/parts/notes.txt")
        #expect(try run(["score", "--table", "parts", "--folds", "2"], in: dir).code == 0)
    }
}
