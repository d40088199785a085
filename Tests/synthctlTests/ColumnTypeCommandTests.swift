import Testing
import Foundation

/// Column types end to end (issue 15): every command that reads a labeled
/// set has `--categorical` and `--schema`, refuses categorical features in
/// one line naming them, and records each input's schema in its JSON
/// report, `fit`'s model file and `gen`'s manifest; a schema a report
/// recorded can be given to the next run.
extension CommandLineTests {
    func writeColumnTypeTables(_ dir: String) throws {
        var csv = "x,n,city,label\n"
        for i in 0..<60 { csv += "\(Double(i % 7) * 0.5 + Double(i % 3)),\(i % 4),\(["Paris", "Rome", "Oslo"][i % 3]),\(["a", "b"][i % 2])\n" }
        try csv.write(toFile: "\(dir)/t.csv", atomically: true, encoding: .utf8)
    }

    @Test func categoricalFeaturesAreRefusedInOneLineByEveryCommand() throws {
        let dir = tempDir()
        try writeColumnTypeTables(dir)
        // Text categories cannot be read as numbers: the hint offers --schema only for number codes.
        let line = "t.csv: column \"city\": expected a numeric feature column, found a categorical one; give --feature-columns without it"
        // fit models them (issue 16: TypedModelOutputCommandTests); compare and limits encode them
        // (CategoricalCompareTests, LimitsCategoricalCommandTests); the others refuse them.
        let fit = try run(["fit", "t.csv", "--out", "m.json"], in: dir)
        #expect(fit.code == 0 && fit.stdout.contains("3 features"), "\(fit.stdout) \(fit.stderr)")
        let limits = try run(["limits", "--human", "t.csv", "--synthetic", "t.csv", "--points", "3", "--seeds", "1"], in: dir)
        #expect(limits.code == 0 && limits.stdout.contains("): city (3 levels)\n"), "\(limits.stdout) \(limits.stderr)")
        for args in [["score", "--table", "t.csv"],
                     ["score", "--table", "t.csv", "--categorical", "n,city"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 2, "\(args): \(r.stderr)")
            let want = args.contains("--categorical")
                ? "t.csv: columns \"n\", \"city\": expected numeric feature columns, found categorical ones; give --feature-columns without them, or --schema to read \"n\" as numbers"
                : line
            #expect(r.stderr == "synthctl: error: \(want)\n", "\(args): \(r.stderr)")
        }
        let codes = try run(["score", "--table", "t.csv", "--feature-columns", "x,n", "--categorical", "n"], in: dir)
        #expect(codes.code == 2 && codes.stderr == "synthctl: error: t.csv: column \"n\": expected a numeric feature column, found a categorical one; give --feature-columns without it, or --schema to read it as numbers\n",
                "\(codes.stderr)")
        // compare takes them (one-hot in the feature space, by-type column fidelity).
        let compared = try run(["compare", "--human", "t.csv", "--synthetic", "t.csv", "--kid-subsets", "2"], in: dir)
        #expect(compared.code == 0 && compared.stdout.contains("city TVComplement "), "\(compared.stderr)")
        let unknown = try run(["score", "--table", "t.csv", "--categorical", "zip"], in: dir)
        #expect(unknown.code == 2 && unknown.stderr == "synthctl: error: t.csv: expected a column \"zip\" (given as categorical), found columns x, n, city, label (4 columns)\n", "\(unknown.stderr)")
    }

    @Test func reportsRecordTheSchemaAndTheNextRunReadsIt() throws {
        let dir = tempDir()
        try writeColumnTypeTables(dir)
        let r = try run(["score", "--table", "t.csv", "--feature-columns", "x,n", "--json", "r.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let check = try python("""
        import json
        r = json.load(open('\(dir)/r.json'))
        s = r['schemas']['labels']
        assert s['columns'] == [
            {'name': 'x', 'type': 'numeric', 'missing': 0},
            {'name': 'n', 'type': 'integer', 'missing': 0},
            {'name': 'label', 'type': 'categorical', 'categories': ['a', 'b'], 'missing': 0}], s
        # Read back as the next run's --schema: n as numeric, x as a timestamp
        # (numbers, so in a unit the schema states: without one they are refused).
        s['columns'][0]['type'] = 'timestamp'; s['columns'][1]['type'] = 'numeric'
        s['columns'][0]['unit'] = 'seconds since 1970-01-01'
        json.dump(s, open('\(dir)/schema.json', 'w'))
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        let again = try run(["fit", "t.csv", "--feature-columns", "x,n", "--schema", "schema.json", "--out", "m.json", "--json", "f.json"], in: dir)
        #expect(again.code == 0, "\(again.stderr)")
        let model = try python("""
        import json
        m = json.load(open('\(dir)/m.json')); f = json.load(open('\(dir)/f.json'))
        types = [c['type'] for c in m['schema']['columns']]
        assert types == ['timestamp', 'numeric', 'categorical'], types
        assert m['schema']['columns'][0]['unit'] == 'seconds since 1970-01-01 00:00:00'
        assert f['schemas']['input'] == m['schema']
        print('ok')
        """)
        #expect(model.code == 0, "\(model.stderr)")
        // The model file, schema and all, samples; its manifest records what gen wrote.
        let gen = try run(["gen", "--model", "m.json", "--rows", "50", "--out", "d"], in: dir)
        #expect(gen.code == 0, "\(gen.stderr)")
        let manifest = try python("""
        import json
        m = json.load(open('\(dir)/d/manifest.json'))
        cols = m['schema']['columns']
        assert [c['name'] for c in cols] == ['x', 'n', 'label', 'true_label', 'noisy'], cols
        assert cols[2] == {'name': 'label', 'type': 'categorical', 'categories': ['a', 'b'], 'missing': 0}
        assert cols[4]['type'] == 'boolean' and 'schema' not in m['spec']
        print('ok')
        """)
        #expect(manifest.code == 0, "\(manifest.stderr)")
    }

    @Test func badSchemaFilesAreOneLine() throws {
        let dir = tempDir()
        try writeColumnTypeTables(dir)
        try #"{"columns": [{"name": "x", "type": "float"}]}"#.write(toFile: "\(dir)/bad.json", atomically: true, encoding: .utf8)
        try #"{"columns": [{"name": "zip", "type": "integer"}]}"#.write(toFile: "\(dir)/unknown.json", atomically: true, encoding: .utf8)
        try #"{"columns": [{"name": "city", "type": "integer"}]}"#.write(toFile: "\(dir)/text.json", atomically: true, encoding: .utf8)
        let cases = [
            ("bad.json", "bad.json: columns[0].type: expected one of numeric, integer, boolean, categorical, date, timestamp, found \"float\""),
            ("unknown.json", "unknown.json: columns[0].name: expected a column of t.csv (x, n, city, label), found \"zip\""),
            ("text.json", "t.csv: line 2, column \"city\": expected an integer (its type in the schema), found \"Paris\""),
        ]
        for (file, message) in cases {
            let r = try run(["score", "--table", "t.csv", "--schema", file], in: dir)
            #expect(r.code == 2 && r.stderr == "synthctl: error: \(message)\n", "\(file): \(r.stderr)")
        }
    }

    /// A model file written before schemas existed (no `schema` field) still samples.
    @Test func modelFilesWithoutASchemaStillLoad() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--out", "h"], in: dir).code == 0)
        #expect(try run(["fit", "h", "--out", "m.json"], in: dir).code == 0)
        let strip = try python("""
        import json
        m = json.load(open('\(dir)/m.json')); assert m['schema']['columns'][-1]['name'] == 'label'
        del m['schema']; json.dump(m, open('\(dir)/old.json', 'w'))
        print('ok')
        """)
        #expect(strip.code == 0, "\(strip.stderr)")
        let gen = try run(["gen", "--model", "old.json", "--rows", "40", "--out", "d"], in: dir)
        #expect(gen.code == 0, "\(gen.stderr)")
    }
}
