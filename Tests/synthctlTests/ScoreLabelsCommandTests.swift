import Testing
import Foundation

/// `synthctl score` on labeled data: label issues end to end.
extension CommandLineTests {
    static var cleanlabFixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EvalTests/Fixtures/cleanlab").path
    }

    @Test func scoreFindsTheNoiseOfASyntheticSet() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "6000", "--out", "d"], in: dir).code == 0)
        let r = try run(["score", "d", "--json", "r.json", "--issues", "issues.csv", "--min-health", "0.5", "--html", "r.html"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("labels: 6000 rows, 3 classes, probabilities from 5-fold logistic regression"))
        #expect(r.stdout.contains("against the truth: "))
        #expect(r.stdout.contains("answers: 18000 from 10 annotators"))
        let html = try String(contentsOfFile: "\(dir)/r.html", encoding: .utf8)
        #expect(html.contains("Estimated noise matrix") && html.contains("True noise matrix") && html.contains("given label →"))
        let check = try python("""
        import json, numpy as np, pandas as pd
        r = json.load(open('\(dir)/r.json'))
        li = r['label_issues']
        assert li['metric_definitions_version'] == 1 and li['parameters']['filter_by'] == 'prune_by_noise_rate'
        t = li['truth']
        assert t['precision'] > 0.6 and t['recall'] > 0.7, t
        # the flagged rows are the issues file's rows, and the truth column is the dataset's
        issues = pd.read_csv('\(dir)/issues.csv')
        assert len(issues) == li['flagged'] == t['flagged']
        truth = np.load('\(dir)/d/true_labels.npy'); labels = np.load('\(dir)/d/labels.npy')
        wrong = set(np.flatnonzero(truth != labels))
        assert t['actual_label_errors'] == len(wrong) and t['correctly_flagged'] == len(wrong & set(issues['row']))
        assert issues['self_confidence'].is_monotonic_increasing
        # the estimated noise matrix sits beside the true one, rows summing to one
        est, true = np.array(li['estimated_noise_matrix']), np.array(t['true_noise_matrix'])
        assert est.shape == true.shape == (3, 3) and np.allclose(est.sum(axis=1), 1) and np.abs(est - true).max() < 0.1
        assert 'annotations' in r
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    @Test func scoreWithPredProbsFlagsWhatCleanlabFlags() throws {
        let dir = tempDir(), fixture = "\(Self.cleanlabFixtures)/controlled"
        for mode in ["prune_by_noise_rate", "both", "low_self_confidence"] {
            let r = try run(["score", "--labels", "\(fixture)/labels.npy", "--pred-probs", "\(fixture)/pred_probs.npy",
                             "--filter-by", mode, "--issues", "\(mode).csv"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            let check = try python("""
            import json, pandas as pd
            e = json.load(open('\(fixture)/expected.json'))
            rows = sorted(pd.read_csv('\(dir)/\(mode).csv')['row'])
            assert rows == e['issues']['\(mode)'], (len(rows), len(e['issues']['\(mode)']))
            print('ok')
            """)
            #expect(check.code == 0, "\(mode): \(check.stderr)")
        }
    }

    @Test func scoreReadsTablesAsItReadsDirectories() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "3000", "--out", "d"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "3000", "--format", "csv", "--out", "d.csv"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "3000", "--format", "jsonl", "--out", "d.jsonl"], in: dir).code == 0)
        // The same table as pandas users write it: Parquet, Snappy.
        let convert = try python("import pandas as pd; pd.read_csv('\(dir)/d.csv').to_parquet('\(dir)/d.parquet'); print('ok')")
        #expect(convert.code == 0, "\(convert.stderr)")
        let outputs = try ["d", "--table d.csv", "--table d.jsonl", "--table d.parquet"].map { source in
            let r = try run(["score"] + source.split(separator: " ").map(String.init) + ["--issues", "i.csv", "--force"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            // Rows and scores (class names differ: the directory's manifest names its classes).
            return try String(contentsOfFile: "\(dir)/i.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { line in
                let f = line.split(separator: ","); return "\(f[0]),\(f[3])"
            }
        }
        #expect(outputs[0].count > 100)
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2] && outputs[2] == outputs[3])
        let knn = try run(["score", "d", "--model", "knn", "--neighbors", "15"], in: dir)
        #expect(knn.code == 0, "\(knn.stderr)")
        #expect(knn.stdout.contains("probabilities from 5-fold 15-nearest neighbours"))
    }

    @Test func labelGatesExitWithOne() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "2000", "--out", "d"], in: dir).code == 0)
        let r = try run(["score", "d", "--min-health", "0.99", "--max-noise-rate", "0.01"], in: dir)
        #expect(r.code == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("synthctl: gate failed: --min-health: label health is 0.") == true)
        #expect(lines.first?.hasSuffix(", below 0.9900") == true)
        #expect(lines.last?.hasPrefix("synthctl: gate failed: --max-noise-rate: estimated noise rate is 0.") == true)
    }

    @Test func badLabelInputExitsWithTwo() throws {
        let dir = tempDir()
        let made = try python("""
        import numpy as np
        d = '\(dir)/'
        np.save(d + 'y.npy', np.array([0, 1, 2, 1, 0, 2, 1, 0, 1, 2], dtype=np.int64))
        np.save(d + 'y9.npy', np.array([0, 1, 2, 1, 0, 2, 1, 0, 1], dtype=np.int64))
        np.save(d + 'yneg.npy', np.array([0, 1, -2, 1, 0, 2, 1, 0, 1, 2]))
        np.save(d + 'yfrac.npy', np.array([0, 1, 0.5, 1, 0, 2, 1, 0, 1, 2]))
        x = np.ones((10, 3), dtype=np.float32); x[4, 2] = np.nan
        np.save(d + 'xnan.npy', x)
        np.save(d + 'x.npy', np.random.default_rng(0).normal(size=(10, 3)).astype(np.float32))
        p = np.full((10, 3), 1 / 3); np.save(d + 'p.npy', p)
        q = p.copy(); q[7] = [0.5, 0.4, 0.3]; np.save(d + 'psum.npy', q)
        np.save(d + 'p2.npy', np.full((10, 2), 0.5))
        np.save(d + 'p1d.npy', np.full(10, 0.5))
        np.save(d + 'pneg.npy', np.where(np.arange(30).reshape(10, 3) == 4, -0.1, p))
        open(d + 't.csv', 'w').write('a,b,label\\n1,2,x\\n3,oops,y\\n')
        open(d + 'empty.csv', 'w').write('a,b,label\\n')
        open(d + 't.jsonl', 'w').write('{"a": 1, "label": "x"}\\n{"a": 2}\\n')
        open(d + 'bad.jsonl', 'w').write('{"a": 1, "label": "x"}\\nnot json\\n')
        open(d + 'blank.csv', 'w').write('')
        np.save(d + 'x1d.npy', np.ones(10, dtype=np.float32))
        np.save(d + 'yempty.npy', np.zeros(0, dtype=np.int64))
        np.save(d + 'y2d.npy', np.zeros((10, 2), dtype=np.int64))
        np.save(d + 'yone.npy', np.zeros(10, dtype=np.int64))
        np.save(d + 'pint.npy', np.zeros((10, 3), dtype=np.int32))
        np.save(d + 'p1col.npy', np.ones((10, 1)))
        np.save(d + 'p0.npy', np.zeros((0, 3)))
        open(d + 'empty.jsonl', 'w').write(chr(10))
        nl = chr(10)
        open(d + 'a.csv', 'w').write('item,worker,label' + nl + '1,u,x' + nl + '2,v,y' + nl)
        open(d + 'gempty.csv', 'w').write('item,truth' + nl + '1,' + nl)
        open(d + 'gdup.csv', 'w').write('item,truth' + nl + '9,x' + nl + '9,y' + nl)
        open(d + 'gcol.csv', 'w').write('item,answer' + nl + '1,x' + nl)
        open(d + 'latin1.csv', 'wb').write(b'item,worker,label' + nl.encode() + b'1,w' + bytes([233]) + b',x' + nl.encode())
        open(d + 'quote.csv', 'w').write('item,worker,label' + nl + '1,"w"x,y' + nl)
        import os, shutil
        os.makedirs(d + 'ds'); shutil.copy(d + 'x.npy', d + 'ds/features.npy'); shutil.copy(d + 'y.npy', d + 'ds/labels.npy')
        np.save(d + 'ds/true_labels.npy', np.zeros(9, dtype=np.int64))
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let cases: [([String], String)] = [
            (["--labels", "y.npy", "--features", "xnan.npy"], "xnan.npy: row 4, column 2: expected a finite number, found nan"),
            (["--labels", "y9.npy", "--features", "x.npy"], "x.npy: expected 9 rows (one per label in y9.npy), found 10"),
            (["--labels", "yneg.npy", "--features", "x.npy"], "yneg.npy: row 2: expected a class id (an integer ≥ 0), found -2"),
            (["--labels", "yfrac.npy", "--features", "x.npy"], "yfrac.npy: row 2: expected a class id (an integer ≥ 0), found 0.5"),
            (["--labels", "y9.npy", "--pred-probs", "p.npy"], "p.npy: expected 9 rows (one per label in y9.npy), found 10"),
            (["--labels", "y.npy", "--pred-probs", "psum.npy"], "psum.npy: row 7: expected probabilities summing to 1, found a sum of 1.2"),
            (["--labels", "y.npy", "--pred-probs", "pneg.npy"], "pneg.npy: row 1, column 1: expected a probability in [0, 1], found -0.1"),
            (["--labels", "y.npy", "--pred-probs", "p2.npy"], "y.npy: row 2: expected a class id below 2 (the columns of p2.npy), found 2"),
            (["--labels", "y.npy", "--pred-probs", "p1d.npy"], "p1d.npy: expected an N × K matrix of probabilities, found shape [10]"),
            (["--labels", "y.npy"], "--labels needs --features (to train a model) or --pred-probs"),
            (["--features", "x.npy", "--answers", "a.csv"], "--features goes with --labels"),
            (["--pred-probs", "p.npy", "--answers", "a.csv"], "--pred-probs needs the labels it scores"),
            (["--labels", "y.npy", "--table", "t.csv"], "give labels once: --labels FILE or --table FILE"),
            (["--table", "t.csv"], "t.csv: line 3, column \"b\": expected a finite number, found \"oops\""),
            (["--table", "t.csv", "--label-column", "class"], "t.csv: expected a label column \"class\", found columns a, b, label (3 columns)"),
            (["--table", "t.csv", "--feature-columns", "a,c"], "t.csv: expected a feature column \"c\", found columns a, b, label (3 columns)"),
            (["--table", "empty.csv"], "empty.csv: expected at least one row, found only the header"),
            (["--table", "blank.csv"], "blank.csv: expected a header row"),
            (["--table", "t.jsonl"], "t.jsonl: line 2, column \"label\": expected a label, found no key \"label\""),
            (["--table", "bad.jsonl"], "bad.jsonl: line 2: expected one JSON object per line, found not json"),
            (["--labels", "y.npy", "--features", "x.npy", "--folds", "1"], "--folds: expected an integer ≥ 2, found 1"),
            (["--labels", "y.npy", "--features", "x.npy", "--filter-by", "vibes"], "--filter-by: expected one of prune_by_noise_rate, prune_by_class, both, confident_learning, predicted_neq_given, low_normalized_margin, low_self_confidence, found vibes"),
            (["--labels", "y.npy", "--features", "x.npy", "--rank-by", "x"], "--rank-by: expected one of self_confidence, normalized_margin, confidence_weighted_entropy, found x"),
            (["--labels", "y.npy", "--features", "x.npy", "--model", "forest"], "--model: expected logistic, knn or gbdt, found forest"),
            (["--labels", "y.npy", "--features", "x.npy", "--frac-noise", "0"], "--frac-noise: expected a number in (0, 1], found 0"),
            (["--labels", "y.npy", "--features", "x.npy", "--c=-1"], "--c: expected a number in [1e-08, 1e+16], found -1"),
            (["--labels", "y.npy", "--features", "x.npy", "--neighbors", "0"], "--neighbors: expected an integer ≥ 1, found 0"),
            (["--labels", "y.npy", "--features", "x.npy", "--min-examples-per-class=-1"], "--min-examples-per-class: expected an integer ≥ 0, found -1"),
            (["--labels", "y.npy", "--features", "x.npy", "--min-agreement", "0.5"], "--min-agreement: expected annotations (a dataset directory with annotations.npy, or --answers), found none"),
            (["--answers", "\(Self.crowd)/dog/label.csv", "--min-health", "0.5"], "--min-health: expected labels to check (a dataset directory with labels.npy, --labels or --table), found none"),
            (["--answers", "\(Self.crowd)/dog/label.csv", "--issues", "i.csv"], "--issues: expected labels to check"),
            (["--labels", "y.npy", "--features", "x.npy", "--folds", "11"], "y.npy: expected at least 11 rows for 11-fold cross-validation, found 10"),
            (["missing-dir"], "missing-dir: expected a synthctl dataset directory, found nothing"),
            (["y.npy"], "y.npy: expected a synthctl dataset directory, found a file (give a table with --table, or answers with --answers)"),
            (["ds"], "ds/true_labels.npy: expected 10 true labels (one per row of labels.npy), found 9"),
            (["--labels", "y.npy", "--features", "x1d.npy"], "x1d.npy: expected an N × D feature matrix, found shape [10]"),
            (["--labels", "yempty.npy", "--features", "x.npy"], "yempty.npy: expected at least one label, found none"),
            (["--labels", "y2d.npy", "--features", "x.npy"], "y2d.npy: expected one label per row (1 dimension), found shape [10, 2]"),
            (["--labels", "yone.npy", "--features", "x.npy"], "yone.npy: expected at least 2 classes among the labels, found 1"),
            (["--labels", "y.npy", "--pred-probs", "pint.npy"], "pint.npy: expected float32 or float64 probabilities, found dtype '<i4'"),
            (["--labels", "yone.npy", "--pred-probs", "p1col.npy"], "p1col.npy: expected at least 2 classes (columns), found 1"),
            (["--labels", "y.npy", "--pred-probs", "p0.npy"], "p0.npy: expected at least one row of probabilities, found none"),
            (["--table", "empty.jsonl"], "empty.jsonl: expected at least one row, found an empty file"),
            (["--answers", "a.csv", "--gold", "gempty.csv"], "gempty.csv: line 2, column \"truth\": expected a gold label, found a missing value (an empty field); --drop-missing drops such rows"),
            (["--answers", "a.csv", "--gold", "gdup.csv"], "gdup.csv: line 3: expected one gold label per item, found item 9 again (first on line 2)"),
            (["--answers", "a.csv", "--gold", "gcol.csv"], "gcol.csv: line 1: expected a column named \"truth\" or \"label\" or \"gold\" for the gold labels, found columns item, answer (2 columns)"),
            (["--answers", "latin1.csv"], "latin1.csv: line 2: expected UTF-8 text, found bytes that are not"),
            (["--answers", "quote.csv"], "quote.csv: line 2: expected a comma or a line end after a quoted field, found \"x\""),
        ]
        for (args, message) in cases {
            let r = try run(["score"] + args, in: dir)
            #expect(r.code == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("synthctl: error: ") && r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 || r.stderr.contains("Usage:"), "\(args): \(r.stderr)")
        }
    }
}
