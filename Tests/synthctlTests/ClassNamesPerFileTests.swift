import Testing
import Foundation
@testable import Eval
import SynthctlCore

/// Issue 15, a fresh tester's findings on class names: every file's ids are
/// decoded with that file's own names and classes matched by name (answers
/// and gold whose `ClassLabel` names are in other orders score 1.0, not
/// 0.33); bare ids beside names are refused in one line; −1 is no label in
/// every format and role; a manifest beside a file is checked against its
/// SHA-256 wherever it names the file's classes, and a copy renamed with its
/// table still names it when its one table has the same bytes. Fixtures:
/// `Tests/Oracles/class_names.py` (`datasets`, pandas).
extension CommandLineTests {
    /// A copy of the class-name fixtures in a fresh directory (reports are written beside them).
    func classNameFixtures() throws -> String {
        let dir = tempDir(), from = Self.evalFixtures + "/class_names"
        for name in try FileManager.default.contentsOfDirectory(atPath: from) {
            try FileManager.default.copyItem(atPath: "\(from)/\(name)", toPath: "\(dir)/\(name)")
        }
        return dir
    }

    /// Majority-vote accuracy against gold in a `score --json` report.
    func majorityAccuracy(_ dir: String, _ report: String) throws -> Double? {
        let o = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(report)"))) as? [String: Any]
        return ((o?["annotations"] as? [String: Any])?["majority_vote"] as? [String: Any])?["accuracy"] as? Double
    }

    @Test func eachFileIsDecodedWithItsOwnNamesAndClassesMatchByName() throws {
        let dir = try classNameFixtures()
        // datasets-written ClassLabel names in two orders; names as text; bare ids in both.
        for gold in ["gold_reordered.parquet", "gold_names.csv"] {
            let r = try run(["score", "--answers", "answers.parquet", "--gold", gold, "--item-column", "task", "--json", "\(gold).json"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            #expect(try majorityAccuracy(dir, "\(gold).json") == 1, "\(gold)")  // was 0.33 with the answers' names
        }
        let (set, gold) = try AnswerReader.read(answers: "\(dir)/answers.parquet", gold: "\(dir)/gold_reordered.parquet", columns: AnswerColumns(item: "task"))
        #expect(set.classNames == ["cat", "dog", "bird"])
        #expect(gold?.truth.map { set.classNames[Int($0)] } == ["cat", "dog", "bird", "cat", "dog", "bird"])
        let ids = try run(["score", "--answers", "answers_ids.jsonl", "--gold", "gold_ids.jsonl", "--item-column", "task", "--json", "ids.json"], in: dir)
        #expect(ids.code == 0, "\(ids.stderr)")
        #expect(try majorityAccuracy(dir, "ids.json") == 1)
        #expect(ids.stdout.hasPrefix("""
            note: answers_ids.jsonl: 1 answer has label -1 (no label), left out (-1 is a class only where the class order lists it)
            note: gold_ids.jsonl: 1 row has label -1 (no label), read as missing (no gold for its item) (-1 is a class only where the class order lists it)

            """), "\(ids.stdout)")
        #expect(ids.stdout.contains("accuracy 1.0000 on 5 gold items"))
    }

    @Test func bareIdsBesideNamesAreRefusedInOneLineNamingBothFiles() throws {
        let dir = try classNameFixtures()
        let textGold = try run(["score", "--answers", "answers_ids.jsonl", "--gold", "gold_names.csv", "--item-column", "task"], in: dir)
        #expect(textGold.code == 2)
        #expect(textGold.stderr == Self.oneLine("answers_ids.jsonl: expected class names, as gold_names.csv gives them (bird, cat, dog), found bare class ids that nothing names (0, 1, 2); give names in both files, or ids in both"))
        let idGold = try run(["score", "--answers", "answers.parquet", "--gold", "gold_ids.jsonl", "--item-column", "task"], in: dir)
        #expect(idGold.code == 2)
        #expect(idGold.stderr == Self.oneLine("gold_ids.jsonl: expected class names, as answers.parquet gives them (cat, dog, bird), found bare class ids that nothing names (0, 1, 2); give names in both files, or ids in both"))
        // Hand-built: CSV ids beside CSV names; names that are integers meet ids by name.
        try "item,worker,label\n1,a,0\n1,b,1\n2,a,1\n".write(toFile: "\(dir)/a.csv", atomically: false, encoding: .utf8)
        try "item,truth\n1,yes\n2,no\n".write(toFile: "\(dir)/g.csv", atomically: false, encoding: .utf8)
        let csv = try run(["score", "--answers", "a.csv", "--gold", "g.csv"], in: dir)
        #expect(csv.stderr == Self.oneLine("a.csv: expected class names, as g.csv gives them (no, yes), found bare class ids that nothing names (0, 1); give names in both files, or ids in both"))
        try "item,truth\n1,0\n2,1\n".write(toFile: "\(dir)/g.csv", atomically: false, encoding: .utf8)
        #expect(try run(["score", "--answers", "a.csv", "--gold", "g.csv"], in: dir).code == 0)
        // compare: a human set of bare ids against a synthetic set of names.
        let h = (0..<40).map { "\(Double($0 % 7)),\($0 % 2)" }, s = (0..<40).map { "\(Double($0 % 5)),\($0 % 2 == 0 ? "cat" : "dog")" }
        try ("x0,label\n" + h.joined(separator: "\n") + "\n").write(toFile: "\(dir)/h.csv", atomically: false, encoding: .utf8)
        try ("x0,label\n" + s.joined(separator: "\n") + "\n").write(toFile: "\(dir)/s.csv", atomically: false, encoding: .utf8)
        let compare = try run(["compare", "--human", "h.csv", "--synthetic", "s.csv"], in: dir)
        #expect(compare.code == 2)
        #expect(compare.stderr == Self.oneLine("h.csv: expected class names, as s.csv gives them (cat, dog), found bare class ids that nothing names (0, 1); give names in both files, or ids in both"))
    }

    @Test func minusOneIsNoLabelInEveryFormatAndRole() throws {
        let dir = try classNameFixtures()
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/expected.json"))) as? [String: Any] ?? [:]
        // A table's −1 is a missing label: refused naming its row, or dropped and counted.
        for (name, at) in [("table.csv", "line 4"), ("table.jsonl", "line 3"), ("table.parquet", "row 2")] {
            let refused = try run(["score", "--table", name, "--folds", "2"], in: dir)
            #expect(refused.code == 2)
            #expect(refused.stderr == Self.oneLine("\(name): \(at), column \"label\": expected a label, found a missing value (-1, no label); --drop-missing drops such rows"), "\(refused.stderr)")
            let read = try LabeledFeatures.read(table: "\(dir)/\(name)", labelColumn: "label", dropMissing: true)
            let want = (expected[name] as? [Any])?.compactMap { $0 is NSNull ? nil : "\($0)" }
            #expect(read.labels.map { read.classNames[Int($0)] } == want, "\(name)")
            // A file naming its ids (the Parquet's ClassLabel): no order makes a stored -1 a class.
            let why = name.hasSuffix(".parquet") ? ": a stored -1 is no label (the file names its classes)" : " (-1 is a class only where the class order lists it)"
            #expect(read.readingNotes.contains("2 rows have label -1 (no label), read as missing\(why)"), "\(read.readingNotes)")
        }
        let dropped = try run(["score", "--table", "table.csv", "--folds", "2", "--drop-missing"], in: dir)
        #expect(dropped.stdout.hasPrefix("note: table.csv: 2 of 12 rows dropped for a missing value (--drop-missing)\nnote: table.csv: 2 rows have label -1 (no label), read as missing (-1 is a class only where the class order lists it)\n"), "\(dropped.stdout)")
        // Gold −1 in CSV: no gold for that item, whatever --drop-missing says; other negative ids are refused.
        try "item,worker,label\n1,a,0\n1,b,-1\n2,a,1\n2,b,1\n".write(toFile: "\(dir)/a.csv", atomically: false, encoding: .utf8)
        try "item,truth\n1,0\n2,-1\n".write(toFile: "\(dir)/g.csv", atomically: false, encoding: .utf8)
        let (set, gold) = try AnswerReader.read(answers: "\(dir)/a.csv", gold: "\(dir)/g.csv")
        #expect(set.answerCount == 3 && set.droppedAnswers == 0 && gold?.knownCount == 1 && gold?.droppedRows == 0)
        try "item,truth\n1,0\n2,-2\n".write(toFile: "\(dir)/g.csv", atomically: false, encoding: .utf8)
        let negative = try run(["score", "--answers", "a.csv", "--gold", "g.csv"], in: dir)
        #expect(negative.code == 2)
        #expect(negative.stderr == Self.oneLine("g.csv: line 3, column \"truth\": expected a class id ≥ 0 (-1 is no label), found -2"))
        try "f,label\n1,0\n2,1\n3,-3\n4,1\n".write(toFile: "\(dir)/t.csv", atomically: false, encoding: .utf8)
        #expect(try run(["score", "--table", "t.csv", "--folds", "2"], in: dir).stderr
                == Self.oneLine("t.csv: line 4, column \"label\": expected a class id ≥ 0 (-1 is no label), found -3"))
        // A --label-order that lists -1 keeps it a class.
        try "item,worker,label\n1,a,-1\n1,b,0\n2,a,1\n".write(toFile: "\(dir)/s.csv", atomically: false, encoding: .utf8)
        #expect(try AnswerReader.read(answers: "\(dir)/s.csv", labelOrder: ["-1", "0", "1"]).0.answerCount == 3)
    }

    @Test func manifestsBesideAFileAreCheckedAndARenamedCopyStillNamesItsTable() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "60", "--out", "d"], in: dir).code == 0)
        // labels.npy alone whose manifest lists other bytes: refused, as a table is.
        try FileManager.default.createDirectory(atPath: "\(dir)/e", withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: "\(dir)/d/manifest.json", toPath: "\(dir)/e/manifest.json")
        let p = try pythonIn(dir, "import numpy as np; np.save('e/labels.npy', (np.load('d/labels.npy') + 1) % 3)")
        #expect(p.code == 0, "\(p.stderr)")
        let changed = try run(["score", "--labels", "e/labels.npy", "--features", "d/features.npy", "--folds", "2"], in: dir)
        #expect(changed.code == 2)
        #expect(changed.stderr.hasPrefix("synthctl: error: e/labels.npy: expected the SHA-256 its manifest lists (") && changed.stderr.split(separator: "\n").count == 1
                && changed.stderr.hasSuffix("the file changed after gen wrote it, so the manifest's names are not its own (remove its entry from manifest.json, or that manifest, to read it without them)\n"), "\(changed.stderr)")
        // An id table copied with its manifest, both renamed: the manifest's one table has these bytes, so it names them.
        #expect(try run(["gen", "--rows", "60", "--format", "csv", "--label-format", "id", "--out", "data.csv"], in: dir).code == 0)
        try FileManager.default.copyItem(atPath: "\(dir)/data.csv", toPath: "\(dir)/x.csv")
        try FileManager.default.copyItem(atPath: "\(dir)/data.csv.manifest.json", toPath: "\(dir)/x.csv.manifest.json")
        let original = try LabeledFeatures.read(table: "\(dir)/data.csv", labelColumn: "label")
        let copy = try LabeledFeatures.read(table: "\(dir)/x.csv", labelColumn: "label")
        #expect(copy.classNames == original.classNames && !copy.labelsAreBareIDs && copy.classNames.first != "0")
        // Other bytes: the ids have no names, and the run says why.
        let text = try String(contentsOfFile: "\(dir)/x.csv", encoding: .utf8)
        try String(text.split(separator: "\n").dropLast().joined(separator: "\n") + "\n").write(toFile: "\(dir)/x.csv", atomically: false, encoding: .utf8)
        let bare = try LabeledFeatures.read(table: "\(dir)/x.csv", labelColumn: "label")
        #expect(bare.labelsAreBareIDs && bare.classNames.allSatisfy { Int($0) != nil })
        #expect(bare.readingNotes.contains("the manifest beside it (x.csv.manifest.json) does not list this file (it lists data.csv), so its class ids have no names"))
    }

    /// A fresh tester's findings on the second round: a `--label-order` names
    /// a ClassLabel file's classes by its declared names (or, listing none of
    /// them, by its ids); `-1` listed keeps it as a class beside the names;
    /// the gold schema lists the gold file's own declared order; messages
    /// list a file's classes in its declared or label order, never in the
    /// order they first appeared.
    @Test func aLabelOrderMatchesAClassLabelFilesNamesOrItsIds() throws {
        let dir = try classNameFixtures()
        let named = try run(["score", "--answers", "answers.parquet", "--gold", "gold_reordered.parquet", "--item-column", "task",
                             "--label-order", "bird,cat,dog", "--json", "named.json"], in: dir)
        #expect(named.code == 0, "\(named.stderr)")
        #expect(try majorityAccuracy(dir, "named.json") == 1)
        let (set, gold) = try AnswerReader.read(answers: "\(dir)/answers.parquet", gold: "\(dir)/gold_reordered.parquet",
                                                labelOrder: ["bird", "cat", "dog"], columns: AnswerColumns(item: "task"))
        #expect(set.classNames == ["bird", "cat", "dog"])
        #expect(gold?.truth.map { set.classNames[Int($0)] } == ["cat", "dog", "bird", "cat", "dog", "bird"])
        // Without an order the gold schema keeps the gold file's own declared order.
        let (_, plainGold) = try AnswerReader.read(answers: "\(dir)/answers.parquet", gold: "\(dir)/gold_reordered.parquet", columns: AnswerColumns(item: "task"))
        #expect(plainGold?.schema?.columns.last?.type == .categorical(categories: ["bird", "cat", "dog"]))
        // With an order too, the gold schema lists the gold file's own declared classes.
        #expect(gold?.schema?.columns.last?.type == .categorical(categories: ["bird", "cat", "dog"]))
        let (_, goldUnderOrder) = try AnswerReader.read(answers: "\(dir)/answers.parquet", gold: "\(dir)/gold_reordered.parquet",
                                                        labelOrder: ["dog", "cat", "bird"], columns: AnswerColumns(item: "task"))
        #expect(goldUnderOrder?.schema?.columns.last?.type == .categorical(categories: ["bird", "cat", "dog"]))
        // An order of ids: the ids in that order are the classes, named as the file names them.
        let ids = try AnswerReader.read(answers: "\(dir)/answers.parquet", labelOrder: ["2", "1", "0"], columns: AnswerColumns(item: "task")).0
        #expect(ids.classNames == ["bird", "dog", "cat"])
        // -1 listed beside the names would be a class nobody can give (the ClassLabel's stored -1 stays no label): refused.
        #expect(throws: InputError.self) {
            try AnswerReader.read(answers: "\(dir)/answers.parquet", labelOrder: ["-1", "cat", "dog", "bird"], columns: AnswerColumns(item: "task"))
        }
        // A name the order lacks is refused where it first appears, decoded.
        let lacking = try run(["score", "--answers", "answers.parquet", "--item-column", "task", "--label-order", "cat,dog"], in: dir)
        #expect(lacking.code == 2)
        #expect(lacking.stderr == Self.oneLine("answers.parquet: row 6, column \"label\": expected one of the labels of the given order (cat, dog), found \"bird\""))
        // The labels path: a ClassLabel table with its names as the order.
        let table = try LabeledFeatures.read(table: "\(dir)/table.parquet", labelColumn: "label", dropMissing: true, labelOrder: ["bird", "dog", "cat"])
        #expect(table.classNames == ["bird", "dog", "cat"])
        #expect(table.labels.map { table.classNames[Int($0)] } == ["cat", "dog", "cat", "dog", "bird", "cat", "bird", "cat", "dog", "bird"])
        let tableRun = try run(["score", "--table", "table.parquet", "--drop-missing", "--label-order", "cat,dog,bird", "--json", "t.json"], in: dir)
        #expect(tableRun.code == 0, "\(tableRun.stderr)")
    }

    /// What a directory given where a table or a dataset goes is, said.
    @Test func aDirectoryThatIsNoTableSaysWhyAndAPositionalTableSaysWhereItGoes() throws {
        let dir = try classNameFixtures()
        try FileManager.default.createDirectory(atPath: "\(dir)/parts", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(dir)/table.parquet", toPath: "\(dir)/parts/part-0.parquet")
        let parts = try run(["score", "parts"], in: dir)
        #expect(parts.code == 2)
        #expect(parts.stderr == Self.oneLine("parts: expected a synthctl dataset directory, found a directory of Parquet parts (give it with --table, or --answers)"))
        let file = try run(["score", "table.parquet"], in: dir)
        #expect(file.stderr == Self.oneLine("table.parquet: expected a synthctl dataset directory, found a file (give a table with --table, or answers with --answers)"))
        try "hi\n".write(toFile: "\(dir)/parts/notes.txt", atomically: true, encoding: .utf8)
        let stray = try run(["score", "--table", "parts", "--drop-missing"], in: dir)
        #expect(stray.code == 2)
        #expect(stray.stderr == Self.oneLine("parts: expected a directory of Parquet parts (.parquet files and key=value folders only), found notes.txt (not a Parquet file)"))
        let answers = try run(["score", "--answers", "parts"], in: dir)
        #expect(answers.stderr == Self.oneLine("parts: expected a directory of Parquet parts (.parquet files and key=value folders only), found notes.txt (not a Parquet file)"))
        for command in [["compare", "--human", "parts", "--synthetic", "table.parquet"], ["fit", "parts", "--out", "m.json"]] {
            let labeled = try run(command, in: dir)
            #expect(labeled.code == 2)
            #expect(labeled.stderr == Self.oneLine("parts: expected a directory of Parquet parts (.parquet files and key=value folders only), found notes.txt (not a Parquet file)"), "\(command)")
        }
        try FileManager.default.removeItem(atPath: "\(dir)/parts/notes.txt")
        try FileManager.default.createDirectory(atPath: "\(dir)/parts/extra", withIntermediateDirectories: true)
        let folder = try run(["score", "--table", "parts"], in: dir)
        #expect(folder.stderr == Self.oneLine("parts: expected a directory of Parquet parts (.parquet files and key=value folders only), found the folder extra (not a key=value folder)"))
        try FileManager.default.createDirectory(atPath: "\(dir)/empty", withIntermediateDirectories: true)
        let empty = try run(["score", "--table", "empty"], in: dir)
        #expect(empty.code == 2)
        #expect(empty.stderr == Self.oneLine("empty: expected a table file or a directory of Parquet parts (.parquet files and key=value folders only), found an empty directory"))
    }
}
