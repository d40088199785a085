import Testing
import Foundation

/// A fresh tester's smaller report gaps: `score --labels --pred-probs` had
/// no `schemas`; `limits` did not say which classes only one set has;
/// a `unit` on a column that is not a date or timestamp was ignored; a
/// JSON Lines key a row does not have was reported as a null.
extension CommandLineTests {
    @Test func scoreOnLabelsAndPredictedProbabilitiesReportsTheLabelsSchema() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "200", "--out", "d", "--quiet"], in: dir).code == 0)
        let probabilities = try launch("/usr/bin/env", ["python3", "-c", """
        import numpy as np
        np.save('P.npy', np.random.default_rng(0).dirichlet(np.ones(3), 200).astype(np.float32))
        """], in: dir)
        #expect(probabilities.code == 0, "\(probabilities.stderr)")
        let r = try run(["score", "--labels", "d/labels.npy", "--pred-probs", "P.npy", "--json", "r.json", "--quiet"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let schemas = try jsonObject(dir, "r.json")["schemas"] as? [String: Any]
        let columns = (schemas?["labels"] as? [String: Any])?["columns"] as? [[String: Any]]
        #expect(columns?.count == 1 && columns?.first?["name"] as? String == "label" && columns?.first?["type"] as? String == "categorical"
                && columns?.first?["categories"] as? [String] == ["class_0", "class_1", "class_2"], "\(String(describing: schemas))")
    }

    @Test func limitsSaysWhichClassesOnlyOneSetHasAsCompareDoes() throws {
        let dir = tempDir()
        try writeFile(dir, "human.csv", Self.classOverlapTable([1, 2, 3], shift: 0))
        try writeFile(dir, "synthetic.csv", Self.classOverlapTable([0, 1, 2], shift: 0.05))
        let note = "classes only in the human set (human.csv): 3; only in the synthetic set: 0"
        let r = try run(["limits", "--human", "human.csv", "--synthetic", "synthetic.csv", "--points", "3", "--seeds", "1", "--json", "l.json", "--quiet"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("note: synthetic.csv: \(note)\n"), "\(r.stdout)")
        #expect(((try jsonObject(dir, "l.json")["input_notes"] as? [String: Any])?["synthetic"] as? [String]) == [note])
        // The same classes: nothing said.
        try writeFile(dir, "same.csv", Self.classOverlapTable([1, 2, 3], shift: 0.05))
        let same = try run(["limits", "--human", "human.csv", "--synthetic", "same.csv", "--points", "3", "--seeds", "1", "--quiet"], in: dir)
        #expect(same.code == 0 && !same.stdout.contains("classes only in"), "\(same.stderr)")
    }

    @Test func aUnitOnAColumnThatIsNoDateOrTimestampIsRefused() throws {
        let dir = tempDir()
        try writeFile(dir, "t.csv", "x0,x1,label\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n")
        for (type, unit) in [("numeric", "\"days since 1970-01-01\""), ("integer", "\"seconds since 1970-01-01\""), ("categorical", "3")] {
            try writeFile(dir, "schema.json", "{\"columns\": [{\"name\": \"x1\", \"type\": \"\(type)\", \"unit\": \(unit)}]}")
            let r = try run(["score", "--table", "t.csv", "--schema", "schema.json"], in: dir)
            #expect(r.code == 2 && r.stdout.isEmpty, "\(type): \(r.stdout)")
            #expect(r.stderr == "synthctl: error: schema.json: columns[0].unit: expected no unit for \"x1\", a \(type) column (a unit applies to date and timestamp columns only), found \(unit)\n", "\(r.stderr)")
        }
    }

    @Test func aJSONLinesKeyARowDoesNotHaveIsSaidAsSuchNotAsNull() throws {
        let dir = tempDir()
        let rows = (0..<10).map { "{\"a\": \($0 % 4 + $0 / 3), \"b\": \($0 % 3 * 2 - $0 % 5), \"label\": \"\($0 % 2 == 0 ? "x" : "y")\"}" }
        try writeFile(dir, "absent.jsonl", (["{\"a\": 1, \"b\": 2, \"label\": \"x\"}", "{\"a\": 3, \"label\": \"y\"}"] + rows).joined(separator: "\n") + "\n")
        try writeFile(dir, "null.jsonl", (["{\"a\": 1, \"b\": 2, \"label\": \"x\"}", "{\"a\": 3, \"b\": null, \"label\": \"y\"}"] + rows).joined(separator: "\n") + "\n")
        // A key first seen on a later line: the lines before it have none.
        try writeFile(dir, "later.jsonl", (["{\"a\": 1, \"label\": \"x\"}", "{\"a\": 3, \"b\": 2, \"label\": \"y\"}"] + rows).joined(separator: "\n") + "\n")
        try writeFile(dir, "answers.jsonl", "{\"task\": 1, \"worker\": \"a\", \"label\": \"x\"}\n{\"task\": 1, \"worker\": \"b\"}\n")
        try writeFile(dir, "items.jsonl", "{\"task\": 1, \"worker\": \"a\", \"label\": \"x\"}\n{\"worker\": \"b\", \"label\": \"x\"}\n")
        for (args, message) in [
            (["score", "--table", "absent.jsonl"], "absent.jsonl: line 2, column \"b\": expected a number, found no key \"b\"; --drop-missing drops such rows"),
            (["score", "--table", "null.jsonl"], "null.jsonl: line 2, column \"b\": expected a number, found a missing value (null); --drop-missing drops such rows"),
            (["score", "--table", "later.jsonl"], "later.jsonl: line 1, column \"b\": expected a number, found no key \"b\"; --drop-missing drops such rows"),
            (["score", "--answers", "answers.jsonl"], "answers.jsonl: line 2, column \"label\": expected a label, found no key \"label\"; --drop-missing drops such rows"),
            (["score", "--answers", "items.jsonl"], "items.jsonl: line 2: expected an item id in column \"task\", found no key \"task\""),
        ] {
            let r = try run(args, in: dir)
            #expect(r.code == 2 && r.stderr == "synthctl: error: \(message)\n", "\(args): \(r.stderr)")
        }
        // Still a missing value: --drop-missing drops its row, as a null's.
        for name in ["absent.jsonl", "null.jsonl"] {
            let r = try run(["fit", name, "--drop-missing", "--shrinkage", "0.1", "--out", "\(name).model.json", "--quiet"], in: dir)
            #expect(r.code == 0 && r.stdout.contains("1 of 12 rows dropped for a missing value"), "\(name): \(r.stdout) \(r.stderr)")
        }
    }
}
