import Testing
import Foundation

/// A fresh tester's smaller report gaps: `score --labels --pred-probs` had
/// no `schemas`; `limits` did not say which classes only one set has;
/// a `unit` on a column that is not a date or timestamp was ignored.
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
        func table(_ classes: [Int], shift: Double) -> String {
            var text = "x0,x1,label\n"
            for i in 0..<90 {
                let c = classes[i % classes.count]
                text += "\(Double(c) * 2 + shift + Double(i % 9) * 0.1),\(Double(i % 5) * 0.3 - Double(c)),\(c)\n"
            }
            return text
        }
        try writeFile(dir, "human.csv", table([1, 2, 3], shift: 0))
        try writeFile(dir, "synthetic.csv", table([0, 1, 2], shift: 0.05))
        let note = "classes only in the human set (human.csv): 3; only in the synthetic set: 0"
        let r = try run(["limits", "--human", "human.csv", "--synthetic", "synthetic.csv", "--points", "3", "--seeds", "1", "--json", "l.json", "--quiet"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("note: synthetic.csv: \(note)\n"), "\(r.stdout)")
        #expect(((try jsonObject(dir, "l.json")["input_notes"] as? [String: Any])?["synthetic"] as? [String]) == [note])
        // The same classes: nothing said.
        try writeFile(dir, "same.csv", table([1, 2, 3], shift: 0.05))
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
}
