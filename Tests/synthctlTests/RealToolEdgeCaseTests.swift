import Testing
import Foundation
@testable import Eval
import SynthctlCore

/// Issue 15, a fresh tester's findings with files real tools write: numbers
/// in a column forced to a date or timestamp never recorded in a unit they
/// are not in; Hugging Face `ClassLabel` names (and its −1, no label) for
/// `--answers` and gold; JSON Lines rows whose keys differ (Spark leaves
/// null fields out), read as pandas reads them; `compare` saying which
/// classes only one set has.
extension CommandLineTests {
    func writeFile(_ dir: String, _ name: String, _ text: String) throws {
        try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
    }

    @Test(.enabled(if: pythonHasDatasets, "needs python3 with datasets"))
    func numbersForcedToATimeTypeNeedTheirUnitAndParquetTimesConvert() throws {
        let dir = tempDir()
        let w = try pythonIn(dir, """
        import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq, datetime as dt
        from datasets import Dataset
        n = 40; y = np.arange(n) % 2
        ts = pd.to_datetime('2024-01-05 13:30:00') + pd.to_timedelta(np.arange(n), unit='h')
        df = pd.DataFrame({'x0': np.random.default_rng(1).normal(size=n) + y, 'ts': ts, 'label': np.where(y == 1, 'b', 'a')})
        Dataset.from_pandas(df).to_json('hf.jsonl')  # ts as epoch milliseconds
        pq.write_table(pa.table({'x0': df['x0'], 'ts': pa.array(ts, pa.timestamp('us')),
                                 'd': pa.array([dt.date(2024, 1, 5)] * n, pa.date32()),
                                 'v': pa.array(np.full(n, 19727.0)), 'label': df['label']}), 't.parquet')
        """)
        #expect(w.code == 0, "\(w.stderr)")
        try writeFile(dir, "ts.json", #"{"columns": [{"name": "ts", "type": "timestamp"}]}"#)
        let refused = try run(["score", "--table", "hf.jsonl", "--schema", "ts.json", "--folds", "2"], in: dir)
        #expect(refused.code == 2)
        #expect(refused.stderr == Self.oneLine("hf.jsonl: line 1, column \"ts\": expected an ISO 8601 timestamp (its type in the schema), found 1704461400000"))
        // With the unit stated, the milliseconds are read as seconds.
        try writeFile(dir, "ms.json", #"{"columns": [{"name": "ts", "type": "timestamp", "unit": "milliseconds since 1970-01-01"}]}"#)
        let ms = try LabeledFeatures.read(table: "\(dir)/hf.jsonl", labelColumn: "label", types: ColumnTypeOverrides(schemaFile: "\(dir)/ms.json"))
        #expect(ms.features![0, 1] == Float(1_704_461_400) && ms.features![3, 1] == Float(1_704_472_200))
        #expect(ms.schema?["ts"]?.unit == "seconds since 1970-01-01 00:00:00")
        #expect(ms.readingNotes.contains("column \"ts\": numbers in milliseconds since 1970-01-01 (as the schema states) read as seconds since 1970-01-01 00:00:00"))
        let ok = try run(["score", "--table", "hf.jsonl", "--schema", "ms.json", "--folds", "2"], in: dir)
        #expect(ok.code == 0, "\(ok.stderr)")
        // A unit no reader knows is refused where it is written.
        try writeFile(dir, "bad.json", #"{"columns": [{"name": "ts", "type": "timestamp", "unit": "fortnights since 1970-01-01"}]}"#)
        let bad = try run(["score", "--table", "hf.jsonl", "--schema", "bad.json", "--folds", "2"], in: dir)
        #expect(bad.stderr == Self.oneLine("bad.json: columns[0].unit: expected a unit such as \"milliseconds since 1970-01-01\" (days, seconds, milliseconds, microseconds or nanoseconds), found \"fortnights since 1970-01-01\""))

        // A CSV 20240105 forced to a date is no day 20,240,105.
        try writeFile(dir, "d.csv", "x0,day,label\n1,20240105,a\n2,20240106,b\n3,20240107,a\n4,20240108,b\n")
        try writeFile(dir, "day.json", #"{"columns": [{"name": "day", "type": "date"}]}"#)
        let csv = try run(["score", "--table", "d.csv", "--schema", "day.json", "--folds", "2"], in: dir)
        #expect(csv.stderr == Self.oneLine("d.csv: line 2, column \"day\": expected an ISO 8601 date (its type in the schema), found 20240105"))

        // Parquet: a TIMESTAMP forced to date is its day (floored), a DATE forced to timestamp its midnight, a DOUBLE needs a unit.
        let schema = TableSchema(columns: [.init(name: "ts", type: .date, missing: nil), .init(name: "d", type: .timestamp, missing: nil)])
        let p = try LabeledFeatures.read(table: "\(dir)/t.parquet", labelColumn: "label", featureColumns: ["ts", "d"],
                                         types: ColumnTypeOverrides(schema: schema, schemaSource: "s.json"))
        #expect(p.features![0, 0] == 19727 && p.features![39, 0] == 19729 && p.features![0, 1] == Float(19727 * 86_400))
        #expect(p.schema?["ts"]?.unit == "days since 1970-01-01" && p.schema?["d"]?.unit == "seconds since 1970-01-01 00:00:00")
        #expect(p.readingNotes.contains("column \"ts\": Parquet timestamps read as dates (the day each falls on) (days since 1970-01-01), the type the schema gives it"))
        #expect(p.readingNotes.contains("column \"d\": Parquet dates read as timestamps at their midnight (seconds since 1970-01-01 00:00:00), the type the schema gives it"))
        // Each converted column is said once: by its conversion, not also by the reader's unit note.
        #expect(p.readingNotes.filter { $0.hasPrefix("column \"ts\": ") || $0.hasPrefix("column \"d\": ") }.count == 2, "\(p.readingNotes)")
        let v = TableSchema(columns: [.init(name: "v", type: .date, missing: nil)])
        #expect(throws: InputError(file: "\(dir)/t.parquet", row: 0, columnName: .named("v"), expected: "an ISO 8601 date (its type in the schema)", found: "19727.0")) {
            try LabeledFeatures.read(table: "\(dir)/t.parquet", labelColumn: "label", featureColumns: ["v"], types: ColumnTypeOverrides(schema: v, schemaSource: "s.json"))
        }
        let days = TableSchema(columns: [.init(name: "v", type: .date, missing: nil, unit: "days since 1970-01-01")])
        let stated = try LabeledFeatures.read(table: "\(dir)/t.parquet", labelColumn: "label", featureColumns: ["v"],
                                              types: ColumnTypeOverrides(schema: days, schemaSource: "s.json", units: ["v": "days since 1970-01-01"]))
        #expect(stated.features![0, 0] == 19727)
    }

    @Test(.enabled(if: pythonHasDatasets, "needs python3 with datasets"))
    func classLabelNamesAndNoLabelApplyToAnswersGoldAndTables() throws {
        let dir = tempDir()
        let w = try pythonIn(dir, """
        import numpy as np
        from datasets import Dataset, Features, ClassLabel, Value
        names = ['ant', 'bee', 'cow']
        tasks, workers, labels = [], [], []
        for t in range(12):
            for k in range(3):
                tasks.append(f't{t}'); workers.append(f'w{k}'); labels.append(t % 3 if (t, k) != (4, 1) else -1)
        f = Features({'task': Value('string'), 'worker': Value('string'), 'label': ClassLabel(names=names)})
        Dataset.from_dict({'task': tasks, 'worker': workers, 'label': labels}, features=f).to_parquet('answers.parquet')
        g = Features({'task': Value('string'), 'label': ClassLabel(names=names)})
        Dataset.from_dict({'task': [f't{t}' for t in range(12)], 'label': [t % 3 if t != 7 else -1 for t in range(12)]}, features=g).to_parquet('gold.parquet')
        r = np.random.default_rng(2); n = 60; y = [i % 3 if i != 5 else -1 for i in range(n)]
        x = Features({'x0': Value('float32'), 'label': ClassLabel(names=names)})
        Dataset.from_dict({'x0': r.normal(size=n).tolist(), 'label': y}, features=x).to_parquet('table.parquet')
        """)
        #expect(w.code == 0, "\(w.stderr)")
        let (set, gold) = try AnswerReader.read(answers: "\(dir)/answers.parquet", gold: "\(dir)/gold.parquet", dropMissing: true)
        #expect(set.classNames == ["ant", "bee", "cow"])  // until now "0", "1", "2"
        // −1 is no label: the answer left out, the item without gold, each said in a note (not dropped for --drop-missing).
        #expect(set.droppedAnswers == 0 && gold?.droppedRows == 0 && set.answerCount == 35 && gold?.knownCount == 11)
        #expect(set.readingNotes == ["1 answer has label -1 (no label), left out: a stored -1 is no label (the file names its classes)"])
        #expect(gold?.readingNotes == ["1 row has label -1 (no label), read as missing (no gold for its item): a stored -1 is no label (the file names its classes)"])
        let r = try run(["score", "--answers", "answers.parquet", "--gold", "gold.parquet", "--item-column", "task", "--drop-missing", "--json", "a.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let categories = ((try jsonObject(dir, "a.json")["schemas"] as? [String: Any])?["answers"] as? [String: Any])
            .flatMap { ($0["columns"] as? [[String: Any]])?.last?["categories"] as? [String] }
        #expect(categories == ["ant", "bee", "cow"])
        // Without --drop-missing too: an answer −1 is no answer, as crowd-kit leaves out a NaN answer.
        let noLabel = try run(["score", "--answers", "answers.parquet", "--item-column", "task"], in: dir)
        #expect(noLabel.code == 0, "\(noLabel.stderr)")
        #expect(noLabel.stdout.hasPrefix("note: answers.parquet: 1 answer has label -1 (no label), left out: a stored -1 is no label (the file names its classes)\n"), "\(noLabel.stdout)")
        // A table's ClassLabel column too: −1 dropped with --drop-missing, not "expected a class id in 0..<3".
        let table = try LabeledFeatures.read(table: "\(dir)/table.parquet", labelColumn: "label", dropMissing: true)
        #expect(table.droppedRows == 1 && table.classNames == ["ant", "bee", "cow"])
        #expect(throws: MissingValueError(InputError(file: "\(dir)/table.parquet", row: 5, columnName: .named("label"), expected: "a label",
                                                     found: "a missing value (-1, no label)"))) {
            try LabeledFeatures.read(table: "\(dir)/table.parquet", labelColumn: "label")
        }
    }

    @Test(.enabled(if: pythonHasDatasets, "needs python3 with pandas"))
    func jsonLinesRowsWithOtherKeysReadAsPandasReadsThem() throws {
        let dir = tempDir()
        // As Spark's JSON writer leaves null fields out; a key first seen late; keys in another order.
        var lines = [String]()
        for i in 0..<120 {
            var fields = [String]()
            if i % 7 != 3 { fields.append("\"b\": \(Double(i) * 0.5)") }
            if i % 5 != 1 { fields.append("\"a\": \(i)") }
            if i >= 50 && i % 2 == 0 { fields.append("\"late\": \(i * 3)") }
            fields.append("\"label\": \"\(i % 2 == 0 ? "x" : "y")\"")
            if i % 11 == 10 { fields.reverse() }
            lines.append("{" + fields.joined(separator: ", ") + "}")
        }
        try writeFile(dir, "spark.jsonl", lines.joined(separator: "\n") + "\n")
        let p = try pythonIn(dir, """
        import json, pandas as pd
        df = pd.read_json('spark.jsonl', lines=True)
        print(json.dumps({'columns': list(df.columns), 'values': df.astype(object).where(df.notna(), None).values.tolist()}))
        """)
        #expect(p.code == 0, "\(p.stderr)")
        let expected = try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any] ?? [:]
        let table = try TableSource("\(dir)/spark.jsonl")
        #expect(table.header == expected["columns"] as? [String])
        #expect(table.header == ["b", "a", "label", "late"])
        let values = expected["values"] as? [[Any]] ?? []
        #expect(values.count == table.rows)
        for (r, row) in values.enumerated() {
            for (c, value) in row.enumerated() {
                let cell = table.cell(r, c)
                switch value {
                case is NSNull: #expect(cell.isNull || cell.isAbsent, "row \(r), column \(c)")  // a null, or a key the line lacks
                case let text as String: #expect(cell.label.valueText == text, "row \(r), column \(c)")
                case let number as NSNumber:
                    guard case .value(let v) = cell.featureValue else { Issue.record("row \(r), column \(c): \(cell)"); continue }
                    #expect(Double(v) == number.doubleValue, "row \(r), column \(c)")
                default: Issue.record("row \(r), column \(c): \(value)")
                }
            }
        }
        // Scored: rows missing a feature dropped, as any missing value.
        let s = try run(["score", "--table", "spark.jsonl", "--feature-columns", "b,a", "--drop-missing", "--folds", "2", "--json", "s.json"], in: dir)
        #expect(s.code == 0, "\(s.stderr)")
    }

    /// A small CSV set of 90 rows with `classes` (ids), one cluster per
    /// class, moved by `shift`: two of them that share some classes only.
    static func classOverlapTable(_ classes: [Int], shift: Double) -> String {
        var text = "x0,x1,label\n"
        for i in 0..<90 {
            let c = classes[i % classes.count]
            text += "\(Double(c) * 2 + shift + Double(i % 9) * 0.1),\(Double(i % 5) * 0.3 - Double(c)),\(c)\n"
        }
        return text
    }

    @Test func compareSaysWhichClassesOnlyOneSetHas() throws {
        let dir = tempDir()
        try writeFile(dir, "human.csv", Self.classOverlapTable([1, 2, 3], shift: 0))
        try writeFile(dir, "synthetic.csv", Self.classOverlapTable([0, 1, 2], shift: 0.05))
        let r = try run(["compare", "--human", "human.csv", "--synthetic", "synthetic.csv", "--json", "c.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let note = "classes only in the human set (human.csv): 3; only in the synthetic set: 0"
        #expect(r.stdout.contains("note: synthetic.csv: \(note)"))
        #expect(((try jsonObject(dir, "c.json")["input_notes"] as? [String: Any])?["synthetic"] as? [String]) == [note])
        // The same classes: nothing said.
        try writeFile(dir, "same.csv", Self.classOverlapTable([1, 2, 3], shift: 0.05))
        let same = try run(["compare", "--human", "human.csv", "--synthetic", "same.csv"], in: dir)
        #expect(same.code == 0 && !same.stdout.contains("classes only in"))
    }
}

extension TableCell.Reading where Value == String {
    /// The text of a value, or nil.
    var valueText: String? { if case .value(let text) = self { return text } else { return nil } }
}
