import Testing
import Foundation

/// Issue 15, "Class names travel with the data", from the side of reading:
/// integer ids in a table's label column get their names back from the
/// file (a Parquet footer's `synthctl.class_names` or Hugging Face
/// `ClassLabel`) or from the synthctl manifest beside it; and the smaller
/// findings of the same tester: schema errors name the value as written,
/// `score --answers` reports record their schemas, a reader closing
/// standard output early is no error, and text labels meet probability
/// columns in a stated order.
extension CommandLineTests {
    /// A JSON report's object.
    func jsonObject(_ dir: String, _ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: contents(dir, name) ?? Data()) as? [String: Any] ?? [:]
    }

    /// The class names a `score --json` report gives the labels' schema.
    func labelCategories(_ dir: String, _ report: String) throws -> [String]? {
        let schemas = try jsonObject(dir, report)["schemas"] as? [String: Any]
        let columns = (schemas?["labels"] as? [String: Any])?["columns"] as? [[String: Any]]
        return columns?.first { $0["name"] as? String == "label" }?["categories"] as? [String]
    }

    @Test func idTablesFromGenGetTheirNamesBackAndCompareFindsTheCommonClasses() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--seed", "7", "--out", "human"], in: dir).code == 0)
        for (format, out) in [("csv", "ids.csv"), ("jsonl", "ids.jsonl"), ("parquet", "ids.parquet")] {
            let g = try run(["gen", "--rows", "300", "--format", format, "--label-format", "id", "--out", out], in: dir)
            #expect(g.code == 0, "\(g.stderr)")
            // Until now: "found none in common (0, 1, 2)".
            let c = try run(["compare", "--human", "human", "--synthetic", out, "--json", "\(out).json"], in: dir)
            #expect(c.code == 0, "\(format): \(c.stderr)")
            #expect(String(decoding: contents(dir, "\(out).json") ?? Data(), as: UTF8.self).contains(#""classes": ["class_0", "class_1", "class_2"]"#))
            let s = try run(["score", "--table", out, "--folds", "2", "--json", "\(out).score.json"], in: dir)
            #expect(s.code == 0, "\(s.stderr)")
            #expect(try labelCategories(dir, "\(out).score.json") == ["class_0", "class_1", "class_2"], "\(format)")
        }
        // The directory form (data.csv beside manifest.json) too.
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--label-format", "id", "--directory", "--out", "idsdir"], in: dir).code == 0)
        #expect(try run(["score", "--table", "idsdir/data.csv", "--folds", "2", "--json", "dir.json"], in: dir).code == 0)
        #expect(try labelCategories(dir, "dir.json") == ["class_0", "class_1", "class_2"])

        // A manifest vouches only for the bytes it hashed: an edited table is refused,
        // and without its manifest keeps its ids.
        var text = String(decoding: contents(dir, "ids.csv")!, as: UTF8.self)
        text += text.split(separator: "\n").last! + "\n"
        try text.write(toFile: "\(dir)/ids.csv", atomically: true, encoding: .utf8)
        let edited = try run(["score", "--table", "ids.csv", "--folds", "2", "--json", "edited.json"], in: dir)
        #expect(edited.code == 2 && edited.stderr.hasPrefix("synthctl: error: ids.csv: expected the SHA-256 its manifest lists (")
                && edited.stderr.hasSuffix("the file changed after gen wrote it, so its class ids have no names (remove its entry from ids.csv.manifest.json, or that manifest, to read the ids as the classes)\n"), "\(edited.stderr)")
        try FileManager.default.removeItem(atPath: "\(dir)/ids.csv.manifest.json")
        #expect(try run(["score", "--table", "ids.csv", "--folds", "2", "--json", "edited.json"], in: dir).code == 0)
        #expect(try labelCategories(dir, "edited.json") == ["0", "1", "2"])
        // Without the manifest, a Parquet file still carries its names in the footer.
        try FileManager.default.removeItem(atPath: "\(dir)/ids.parquet.manifest.json")
        #expect(try run(["score", "--table", "ids.parquet", "--folds", "2", "--json", "pq.json"], in: dir).code == 0)
        #expect(try labelCategories(dir, "pq.json") == ["class_0", "class_1", "class_2"])
    }

    @Test func footersWrittenByPyarrowAndDatasetsNameTheIdsAndAnIdOutOfRangeIsOneLine() throws {
        let dir = tempDir()
        let write = try pythonIn(dir, """
        import json, numpy as np, pyarrow as pa, pyarrow.parquet as pq
        r = np.random.default_rng(1); n = 60
        y = np.arange(n) % 3
        cols = {'x0': (r.normal(size=n) + y).astype(np.float32), 'x1': r.normal(size=n).astype(np.float32)}
        def table(labels, **meta):
            t = pa.table(dict(cols, label=pa.array(labels, pa.int64())))
            return t.replace_schema_metadata({k.replace('__', '.'): v for k, v in meta.items()})
        pq.write_table(table(y, synthctl__class_names=json.dumps(['cat', 'dog', 'bird'])), 'synthctl.parquet')
        pq.write_table(table(np.where(np.arange(n) == 5, 3, y), synthctl__class_names=json.dumps(['cat', 'dog', 'bird'])), 'out_of_range.parquet')
        # Both keys: synthctl's comes first.
        hf = json.dumps({'info': {'features': {'label': {'names': ['x', 'y', 'z'], '_type': 'ClassLabel'}}}})
        pq.write_table(table(y, synthctl__class_names=json.dumps(['cat', 'dog', 'bird']), huggingface=hf), 'both.parquet')
        """)
        #expect(write.code == 0, "\(write.stderr)")
        let s = try run(["score", "--table", "synthctl.parquet", "--folds", "2", "--json", "a.json"], in: dir)
        #expect(s.code == 0, "\(s.stderr)")
        #expect(try labelCategories(dir, "a.json") == ["cat", "dog", "bird"])
        #expect(try run(["score", "--table", "both.parquet", "--folds", "2", "--json", "b.json"], in: dir).code == 0)
        #expect(try labelCategories(dir, "b.json") == ["cat", "dog", "bird"])
        let bad = try run(["score", "--table", "out_of_range.parquet", "--folds", "2"], in: dir)
        #expect(bad.code == 2)
        #expect(bad.stderr == Self.oneLine("out_of_range.parquet: row 5, column \"label\": expected a class id in 0..<3 (the classes named in the Parquet footer's synthctl.class_names), found 3"))
        // --label-order of ids orders the classes, which keep the file's names.
        let ordered = try run(["score", "--table", "synthctl.parquet", "--folds", "2", "--label-order", "2,1,0", "--json", "o.json"], in: dir)
        #expect(ordered.code == 0, "\(ordered.stderr)")
        #expect(try labelCategories(dir, "o.json") == ["bird", "dog", "cat"])

        guard pythonHasDatasets else { return }
        let hf = try pythonIn(dir, """
        import numpy as np
        from datasets import Dataset, Features, ClassLabel, Value
        r = np.random.default_rng(2); n = 60; y = (np.arange(n) % 3).tolist()
        x0 = (r.normal(size=n) + np.array(y)).tolist(); x1 = r.normal(size=n).tolist()
        f = Features({'x0': Value('float32'), 'x1': Value('float32'), 'label': ClassLabel(names=['ant', 'bee', 'cow'])})
        Dataset.from_dict({'x0': x0, 'x1': x1, 'label': y}, features=f).to_parquet('hf.parquet')
        """)
        #expect(hf.code == 0, "\(hf.stderr)")
        let h = try run(["score", "--table", "hf.parquet", "--folds", "2", "--json", "hf.json"], in: dir)
        #expect(h.code == 0, "\(h.stderr)")
        #expect(try labelCategories(dir, "hf.json") == ["ant", "bee", "cow"])
    }

    @Test func schemaIntegerErrorsNameTheValueAsWritten() throws {
        let dir = tempDir()
        try #"{"columns": [{"name": "a", "type": "integer"}]}"#.write(toFile: "\(dir)/s.json", atomically: true, encoding: .utf8)
        // Each rounded through float32 to a whole number or a shorter spelling.
        for value in ["123456789.5", "0.30000001", "2.5e-3", "16777217.25"] {
            try "a,label\n1,x\n\(value),y\n3,x\n".write(toFile: "\(dir)/t.csv", atomically: true, encoding: .utf8)
            let r = try run(["score", "--table", "t.csv", "--schema", "s.json"], in: dir)
            #expect(r.stderr == Self.oneLine("t.csv: line 3, column \"a\": expected an integer (its type in the schema), found \(value)"))
        }
    }

    @Test func scoreAnswersReportsRecordTheAnswersAndGoldSchemas() throws {
        let dir = tempDir()
        try "task,worker,label\nt1,w1,cat\nt1,w2,dog\nt2,w1,dog\nt2,w2,dog\nt3,w1,cat\nt3,w2,cat\n"
            .write(toFile: "\(dir)/answers.csv", atomically: true, encoding: .utf8)
        try "task,gold\nt1,cat\nt2,dog\n".write(toFile: "\(dir)/gold.csv", atomically: true, encoding: .utf8)
        let r = try run(["score", "--answers", "answers.csv", "--gold", "gold.csv", "--item-column", "task", "--worker-column", "worker",
                         "--json", "r.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let schemas = try jsonObject(dir, "r.json")["schemas"] as? [String: [String: [[String: Any]]]]
        let answers = schemas?["answers"]?["columns"] ?? []
        #expect(answers.map { $0["name"] as? String } == ["task", "worker", "label"])
        #expect(answers.map { $0["type"] as? String } == ["categorical", "categorical", "categorical"])
        #expect(answers.last?["categories"] as? [String] == ["cat", "dog"])
        let gold = schemas?["gold"]?["columns"] ?? []
        #expect(gold.map { $0["name"] as? String } == ["task", "gold"])
        #expect(gold.map { $0["type"] as? String } == ["categorical", "categorical"])
        // Integer ids are integer columns.
        try "item,worker,label\n1,7,a\n1,8,b\n2,7,a\n".write(toFile: "\(dir)/numbered.csv", atomically: true, encoding: .utf8)
        #expect(try run(["score", "--answers", "numbered.csv", "--json", "n.json"], in: dir).code == 0)
        let numbered = (try jsonObject(dir, "n.json")["schemas"] as? [String: [String: [[String: Any]]]])?["answers"]?["columns"] ?? []
        #expect(numbered.map { $0["type"] as? String } == ["integer", "integer", "categorical"])
        // Gold ids are integers when the answers' items are and no unmatched gold id is other text.
        for (goldText, types) in [("item,truth\n1,a\n2,b\n", ["integer", "categorical"]),
                                  ("item,truth\n1,a\nx9,b\n", ["categorical", "categorical"])] {
            try goldText.write(toFile: "\(dir)/numbered-gold.csv", atomically: true, encoding: .utf8)
            let r = try run(["score", "--answers", "numbered.csv", "--gold", "numbered-gold.csv", "--json", "g.json", "--force"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            let columns = (try jsonObject(dir, "g.json")["schemas"] as? [String: [String: [[String: Any]]]])?["gold"]?["columns"] ?? []
            #expect(columns.map { $0["type"] as? String } == types, "\(goldText)")
        }
    }

    /// Runs synthctl with its standard output a pipe whose read end is
    /// already closed: every write meets EPIPE (SIGPIPE, if not ignored).
    func runIntoClosedPipe(_ args: [String], in dir: String) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try out.fileHandleForReading.close()
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let code = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
        return Result(code: code, stdout: "", stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func aReaderThatClosesStandardOutputEarlyIsNoError() throws {
        let dir = tempDir()
        for format in ["csv", "jsonl", "parquet"] {
            let r = try runIntoClosedPipe(["gen", "--rows", "20000", "--format", format, "--out", "-", "--quiet"], in: dir)
            #expect(r.code == 0 && r.stderr.isEmpty, "\(format): \(r.code) \(r.stderr)")
        }
        // Nothing left behind, not even the manifest's lock.
        let m = try runIntoClosedPipe(["gen", "--rows", "20000", "--format", "csv", "--out", "-", "--manifest", "m.json", "--quiet"], in: dir)
        #expect(m.code == 0 && m.stderr.isEmpty, "\(m.stderr)")
        #expect(leftovers(dir).isEmpty)
        // `head -c 100` on a real pipe, as a shell runs it.
        let head = try launch("/bin/bash", ["-c", "'\(Self.binary)' gen --rows 20000 --format csv --out - --quiet | head -c 100 >/dev/null; echo ${PIPESTATUS[0]}"], in: dir)
        #expect(head.stdout == "0\n", "\(head.stderr)")

        // Reports, tables and models written to standard output; the summary too.
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        let score = ["score", "--table", "t.csv", "--folds", "2"]
        for extra in [["--json", "-"], ["--rows-out", "-"], ["--issues", "-"], ["--markdown", "-"], ["--html", "-"], []] {
            let r = try runIntoClosedPipe(score + extra, in: dir)
            #expect(r.code == 0, "\(extra): \(r.code) \(r.stderr)")
            #expect(!r.stderr.contains("error"), "\(extra): \(r.stderr)")
        }
        // A failed gate still says so: the closed pipe ends the writing, not the run.
        let gated = try runIntoClosedPipe(score + ["--json", "-", "--min-health", "1"], in: dir)
        #expect(gated.code == 1, "\(gated.stderr)")
        let fit = try runIntoClosedPipe(["fit", "t.csv", "--out", "-"], in: dir)
        #expect(fit.code == 0 && !fit.stderr.contains("error"), "\(fit.stderr)")
        let items = try runIntoClosedPipe(["score", "--answers", "answers.csv", "--items-out", "-"], in: dir)
        #expect(items.code == 2)  // no such file: still an error, once
        try "item,worker,label\n1,a,x\n1,b,y\n2,a,x\n2,b,x\n".write(toFile: "\(dir)/answers.csv", atomically: true, encoding: .utf8)
        let items2 = try runIntoClosedPipe(["score", "--answers", "answers.csv", "--items-out", "-"], in: dir)
        #expect(items2.code == 0 && !items2.stderr.contains("error"), "\(items2.stderr)")
    }

    @Test func textLabelsMeetProbabilityColumnsInAStatedOrderOrAreRefusedWhenAmbiguous() throws {
        let dir = tempDir()
        let write = try pythonIn(dir, """
        import numpy as np
        r = np.random.default_rng(4); n = 90
        P = r.dirichlet([1, 1, 1], size=n); np.save('P.npy', P)
        y = np.arange(n) % 3
        for name, labels in (('text.csv', ['dog', 'ant', 'cow']), ('numbers.csv', ['2.5', '10.5', 'other']), ('all_numbers.csv', ['2.5', '10.5', '7.5']), ('plain.csv', ['0.5', '1.5', '2.5'])):
            open(name, 'w').write('x0,label\\n' + ''.join(f'{i},{labels[k]}\\n' for i, k in enumerate(y)))
        """)
        #expect(write.code == 0, "\(write.stderr)")
        let text = try run(["score", "--table", "text.csv", "--pred-probs", "P.npy", "--json", "t.json"], in: dir)
        #expect(text.code == 0, "\(text.stderr)")
        let note = "the 3 columns of P.npy are the labels in byte order (ant, cow, dog), as cleanlab takes them; --label-order to give another"
        #expect(text.stdout.contains("note: text.csv: \(note)\n"))
        let notes = try jsonObject(dir, "t.json")["input_notes"] as? [String: [String]]
        #expect(notes?["labels"] == [note])
        let plain = try run(["score", "--table", "plain.csv", "--pred-probs", "P.npy"], in: dir)
        #expect(plain.code == 0 && plain.stdout.contains("labels in numeric order (0.5, 1.5, 2.5)"), "\(plain.stderr)")
        // Numbers only: sorted as numbers, as pandas reads them and cleanlab sorts them.
        let allNumbers = try run(["score", "--table", "all_numbers.csv", "--pred-probs", "P.npy"], in: dir)
        #expect(allNumbers.code == 0 && allNumbers.stdout.contains("labels in numeric order (2.5, 7.5, 10.5)"), "\(allNumbers.stderr)")
        // Numbers among text, whose text order is not their numeric order: which column is "10.5"?
        let numbers = try run(["score", "--table", "numbers.csv", "--pred-probs", "P.npy"], in: dir)
        #expect(numbers.code == 2)
        #expect(numbers.stderr == Self.oneLine("numbers.csv: expected labels whose order says which of the 3 columns of P.npy each is, or --label-order giving it, found numbers among text labels, which sort one way as text and another as numbers (\"10.5\" before \"2.5\" as text)"))
        // --label-order settles it, and no note is needed.
        let ordered = try run(["score", "--table", "numbers.csv", "--pred-probs", "P.npy", "--label-order", "2.5,10.5,other"], in: dir)
        #expect(ordered.code == 0, "\(ordered.stderr)")
        #expect(!ordered.stdout.contains("as cleanlab takes them"))
    }
}
