import Testing
import Foundation

/// `synthctl split` and `compare --human-train/--human-holdout` end to end
/// (issue 16, "The workflow leaks"): fitting on a human set and comparing
/// against the same set lets the model see compare's holdout; splitting
/// first gives a holdout no model saw.
extension CommandLineTests {
    /// Parts of every table format pandas reads back, row for row, as the
    /// source's rows the record names: values, column names and dtypes
    /// (class names included) unchanged; synthctl fits the parts.
    @Test(arguments: ["h.csv", "h.tsv", "h.jsonl", "h.csv.gz", "h.jsonl.zst"])
    func splitPartsReadBackAsTheSourceRows(_ name: String) throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--out", name, "--quiet"], in: dir).code == 0)
        let ext = String(name.dropFirst(2))
        let r = try run(["split", name, "--holdout-fraction", "0.25", "--seed", "5", "--train-out", "t.\(ext)",
                         "--holdout-out", "v.\(ext)", "--record", "split.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let check = try python("""
        import json, pandas as pd
        d = '\(dir)'
        def read(p):
            return pd.read_json(p, lines=True) if '.jsonl' in p else pd.read_csv(p, sep='\\t' if '.tsv' in p else ',')
        whole = read(d + '/\(name)')
        rec = json.load(open(d + '/split.json'))['split']
        rows = {}
        for part in ('train', 'holdout'):
            rows[part] = [r for a, b in rec[part]['source_rows'] for r in range(a, b + 1)]
            got = read(d + '/' + rec[part]['file'])
            want = whole.iloc[rows[part]].reset_index(drop=True)
            assert list(got.columns) == list(whole.columns) and list(got.dtypes) == list(whole.dtypes)
            assert got.equals(want), part
            assert rec[part]['rows'] == len(got)
            assert rec[part]['rows_per_class'] == got['label'].value_counts().to_dict()
        assert sorted(rows['train'] + rows['holdout']) == list(range(300))
        """)
        #expect(check.code == 0, "\(check.stderr)")
        #expect(try run(["fit", "t.\(ext)", "--out", "m.json"], in: dir).code == 0)
    }

    /// Classes of 200 rows split 0.3 hold out 60 each; the same seed writes
    /// the same bytes (parts and record), another seed other parts; a
    /// 1-row class stays in the training part and is named in the record.
    @Test func splitIsStratifiedAndDeterministic() throws {
        let dir = try featureSpaceDir()
        func split(_ seed: Int, _ tag: String) throws -> [Data] {
            let r = try run(["split", "human.csv", "--seed", "\(seed)", "--train-out", "t\(tag).csv", "--holdout-out", "h\(tag).csv",
                             "--record", "r\(tag).json"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            return try ["t", "h"].map { try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\($0)\(tag).csv")) }
        }
        let a = try split(7, "a"), b = try split(7, "b"), c = try split(8, "c")
        #expect(a == b && a != c)
        let record = try String(contentsOfFile: "\(dir)/ra.json", encoding: .utf8)
        #expect(record.replacingOccurrences(of: "ta.csv", with: "tb.csv").replacingOccurrences(of: "ha.csv", with: "hb.csv")
                == (try String(contentsOfFile: "\(dir)/rb.json", encoding: .utf8)))
        let check = try python("""
        import json
        r = json.load(open('\(dir)/ra.json'))['split']
        assert r['holdout']['rows_per_class'] == {'low': 60, 'mid': 60, 'high': 60}, r['holdout']['rows_per_class']
        assert r['train']['rows_per_class'] == {'low': 140, 'mid': 140, 'high': 140}
        assert r['seed'] == 7 and r['holdout_fraction'] == 0.3 and r['single_row_classes'] == []
        """)
        #expect(check.code == 0, "\(check.stderr)")
        try "x,label\n1,a\n2,a\n3,b\n4,b\n5,c\n".write(toFile: "\(dir)/small.csv", atomically: true, encoding: .utf8)
        #expect(try run(["split", "small.csv", "--holdout-fraction", "0.1", "--train-out", "st.csv", "--holdout-out", "sh.csv",
                         "--record", "sr.json"], in: dir).code == 0)
        // The header and one row of a and of b, in the source's order.
        let held = try String(contentsOfFile: "\(dir)/sh.csv", encoding: .utf8).components(separatedBy: "\n")
        #expect(held.count == 4 && held[0] == "x,label" && held[1].hasSuffix(",a") && held[2].hasSuffix(",b") && held[3].isEmpty, "\(held)")
        let small = try python("""
        import json
        r = json.load(open('\(dir)/sr.json'))['split']
        assert r['holdout']['rows_per_class'] == {'a': 1, 'b': 1, 'c': 0} and r['train']['rows_per_class'] == {'a': 1, 'b': 1, 'c': 1}, r
        assert r['single_row_classes'] == ['c']
        """)
        #expect(small.code == 0, "\(small.stderr)")
    }

    /// Exactly one form of the human set: both, or half of the split form,
    /// is refused in one line with exit 2.
    @Test func compareRefusesTwoHumanForms() throws {
        let dir = try featureSpaceDir()
        for args in [["--human", "human.csv", "--human-train", "human.csv", "--human-holdout", "human.csv"],
                     ["--human-train", "human.csv"], ["--human-holdout", "human.csv"], []] {
            let r = try run(["compare"] + args + ["--synthetic", "synthetic_small_wrong.csv"], in: dir)
            #expect(r.code == 2, "\(args)")
            #expect(r.stderr.contains("--human"), "\(r.stderr)")
            #expect(r.stderr.trimmingCharacters(in: .newlines).components(separatedBy: "\n").count <= 3, "\(r.stderr)")
        }
    }

    /// The README's old path — fit on the whole human table, compare
    /// against it — is warned about: the model was fitted on all 600 rows,
    /// and compare holds out 180 of them (60 per class). The split path
    /// (split, fit on the 420 training rows, compare with the given
    /// holdout) says nothing, and reports the holdout's file.
    @Test func overlapWarningOnTheLeakyPathOnly() throws {
        let dir = try featureSpaceDir()
        for args in [["fit", "human.csv", "--out", "leaky.json"], ["gen", "--model", "leaky.json", "--rows", "600", "--out", "leaky.csv"],
                     ["split", "human.csv", "--train-out", "train.csv", "--holdout-out", "holdout.csv", "--record", "split.json"],
                     ["fit", "train.csv", "--out", "model.json"], ["gen", "--model", "model.json", "--rows", "600", "--out", "synthetic.csv"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
        let fast = ["--no-per-class", "--no-baselines", "--kid-subsets", "5", "--detector", "logistic"]
        let leaky = try run(["compare", "--human", "human.csv", "--synthetic", "leaky.csv", "--json", "leaky-report.json"] + fast, in: dir)
        #expect(leaky.code == 0, "\(leaky.stderr)")
        let warning = "the synthetic set's model was fitted on 600 rows, 180 of them in the human holdout: train-on-synthetic and privacy numbers are optimistic; use synthctl split"
        #expect(leaky.stderr.contains("synthctl: warning: " + warning), "\(leaky.stderr)")
        #expect(leaky.stdout.contains(warning))
        let fair = try run(["compare", "--human-train", "train.csv", "--human-holdout", "holdout.csv", "--synthetic", "synthetic.csv",
                            "--json", "fair-report.json"] + fast, in: dir)
        #expect(fair.code == 0, "\(fair.stderr)")
        #expect(!fair.stderr.contains("warning") && !fair.stdout.contains("fitted on"), "\(fair.stderr)")
        #expect(fair.stdout.contains("420 training rows, 180 held out in holdout.csv"))
        let check = try python("""
        import json
        leaky = json.load(open('\(dir)/leaky-report.json'))
        fair = json.load(open('\(dir)/fair-report.json'))
        assert 'fitted on 600 rows, 180 of them' in leaky['input_notes']['synthetic'][0]
        assert 'input_notes' not in fair
        h = fair['compare']['input']['human']
        assert h == {'source': 'train.csv', 'holdout_source': 'holdout.csv', 'split': 'given', 'rows': 600,
                     'training_rows': 420, 'holdout_rows': 180}, h
        assert fair['compare']['parameters']['holdout_fraction'] is None
        assert 'split' not in leaky['compare']['input']['human']
        m = json.load(open('\(dir)/model.json'))['fitted_rows']
        assert m['rows'] == 420 and m['tensor'] == 'fitted_rows.hashes', m
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }
}
