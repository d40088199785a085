import Testing
import Foundation

/// A fresh tester's findings on input reading and messages (issues 15/16,
/// QA27 items 3, 4, 6, 7, 8 and 11), each an exact line and exit code
/// through the binary on ``typedTableDir()``'s table (age, income, rate,
/// visits, boolean member, categorical region, label) or a pyarrow-written one.
extension CommandLineTests {
    /// The typed table split (seed 0), with synthetic look-alikes whose
    /// columns differ from it: `rate` dropped, `region` as codes, `income`
    /// renamed, an extra column.
    func mismatchedColumnsDir() throws -> String {
        let dir = try typedTableDir()
        let split = try run(["split", "h.csv", "--train-out", "train.csv", "--holdout-out", "holdout.csv", "--record", "split.json"], in: dir)
        #expect(split.code == 0, "\(split.stderr)")
        let make = try python("""
        import pandas as pd
        t = pd.read_csv('\(dir)/train.csv')
        t.drop(columns=['rate']).to_csv('\(dir)/no_rate.csv', index=False)
        t.assign(region=t.region.map({'north': 0, 'south': 1, 'east': 2, 'west': 3})).to_csv('\(dir)/region_codes.csv', index=False)
        t.rename(columns={'income': 'Income'}).to_csv('\(dir)/renamed.csv', index=False)
        t.assign(extra=1.5).to_csv('\(dir)/extra.csv', index=False)
        t[['age', 'income', 'label']].to_parquet('\(dir)/num.parquet')
        t[['age', 'label']].to_parquet('\(dir)/num_missing.parquet')
        """)
        #expect(make.code == 0, "\(make.stderr)")
        return dir
    }

    /// compare and limits count every column the user sees (numeric,
    /// boolean and categorical) and name those only one side has, for
    /// CSV, Parquet and dataset directories alike; a column categorical on
    /// one side and numeric on the other is named with the `--categorical`
    /// that reads it alike. One line, exit 2, nothing written.
    @Test func columnMismatchesAreCountedAndNamed() throws {
        let dir = try mismatchedColumnsDir()
        let gen = try run(["fit", "train.csv", "--out", "m.json"], in: dir)
        #expect(gen.code == 0, "\(gen.stderr)")
        let directory = try run(["gen", "--model", "m.json", "--rows", "200", "--format", "parquet", "--directory", "--out", "sdir"], in: dir)
        #expect(directory.code == 0, "\(directory.stderr)")
        let parts = ["--human-train", "train.csv", "--human-holdout", "holdout.csv"]
        let cases: [([String], String)] = [
            (parts + ["--synthetic", "no_rate.csv"], "no_rate.csv: expected the feature columns of train.csv (6), found 5 columns; no column \"rate\""),
            (parts + ["--synthetic", "renamed.csv"], "renamed.csv: expected the feature columns of train.csv (6), found 6 columns; no column \"income\"; not in train.csv: \"Income\""),
            (parts + ["--synthetic", "extra.csv"], "extra.csv: expected the feature columns of train.csv (6), found 7 columns; not in train.csv: \"extra\""),
            (parts + ["--synthetic", "region_codes.csv"],
             "region_codes.csv: column \"region\": expected a categorical feature column (as in train.csv), found a numeric one; read it as categorical in both sets with --categorical region"),
            (["--human", "region_codes.csv", "--synthetic", "train.csv"],
             "train.csv: column \"region\": expected a numeric feature column (as in region_codes.csv), found a categorical one; read it as categorical in both sets with --categorical region"),
            (["--human", "num.parquet", "--synthetic", "num_missing.parquet"], "num_missing.parquet: expected the feature columns of num.parquet (2), found 1 column; no column \"income\""),
            (["--human", "sdir", "--synthetic", "no_rate.csv"], "no_rate.csv: expected the feature columns of sdir (6), found 5 columns; no column \"rate\""),
            (["--human", "no_rate.csv", "--synthetic", "sdir"], "sdir: expected the feature columns of no_rate.csv (5), found 6 columns; not in no_rate.csv: \"rate\""),
        ]
        for (args, message) in cases {
            for command in [["compare"] + Self.fastCompare, ["limits"] + Self.fastLimits] {
                let r = try run(command + args + ["--json", "r.json"], in: dir)
                #expect(r.code == 2 && r.stderr == "synthctl: error: \(message)\n", "\(command[0]) \(args): \(r.stderr)")
                #expect(r.stdout.isEmpty && !FileManager.default.fileExists(atPath: "\(dir)/r.json"), "\(command[0]) \(args)")
            }
        }
        // Given as the README says: --categorical reads both alike, and the run goes through.
        let alike = try run(["compare"] + parts + ["--synthetic", "region_codes.csv", "--categorical", "region"] + Self.fastCompare, in: dir)
        #expect(alike.code == 0, "\(alike.stderr)")
    }

    /// `score DIR` (a table directory `gen --model --directory` writes, and
    /// the `.npy` form) chooses its features with `--feature-columns` as
    /// `--table` does: the same report as `--table DIR/data.parquet`, a
    /// name that is no column refused in one line, and a categorical
    /// column refused with the hint `--table` gives.
    @Test func scoreDirectoryHonoursFeatureColumns() throws {
        let dir = try typedTableDir()
        for args in [["fit", "h.csv", "--out", "m.json"],
                     ["gen", "--model", "m.json", "--rows", "300", "--format", "parquet", "--directory", "--out", "sdir"],
                     ["gen", "--rows", "300", "--out", "npydir"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
        let chosen = ["--feature-columns", "age,income,visits"]
        let fromDirectory = try run(["score", "sdir", "--json", "d.json"] + chosen, in: dir)
        let fromTable = try run(["score", "--table", "sdir/data.parquet", "--json", "t.json"] + chosen, in: dir)
        #expect(fromDirectory.code == 0 && fromTable.code == 0, "\(fromDirectory.stderr) \(fromTable.stderr)")
        let check = try python("""
        import json
        d, t = (json.load(open('\(dir)/' + f)) for f in ('d.json', 't.json'))
        # The same scores on the same columns; the source named and the directory's noise matrix apart.
        for r in (d, t):
            r['label_issues'].pop('input'); r['label_issues'].pop('truth', None)
        assert d['label_issues'] == t['label_issues'], 'differ'
        names = [[c['name'] for c in r['schemas']['labels']['columns']][:3] for r in (d, t)]
        assert names[0] == names[1] == ['age', 'income', 'visits'], names
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
        let everything = try run(["score", "sdir", "--json", "all.json"], in: dir)
        #expect(everything.code == 2 && everything.stderr
            == "synthctl: error: sdir: column \"region\": expected a numeric feature column, found a categorical one; give --feature-columns without it\n",
                "\(everything.stderr)")
        let unknown = try run(["score", "sdir", "--feature-columns", "nonexistent"], in: dir)
        #expect(unknown.code == 2 && unknown.stderr
            == "synthctl: error: sdir/data.parquet: expected a feature column \"nonexistent\", found columns age, income, rate, visits, member, region, label, label_id, … (11 columns)\n",
                "\(unknown.stderr)")
        #expect(unknown.stdout.isEmpty)
        // The .npy form picks its columns by the manifest's names.
        let npyTwo = try run(["score", "npydir", "--feature-columns", "x0,x1", "--json", "n.json"], in: dir)
        #expect(npyTwo.code == 0, "\(npyTwo.stderr)")
        let width = try python("""
        import json; r = json.load(open('\(dir)/n.json'))
        print([c['name'] for c in r['schemas']['labels']['columns']])
        """)
        #expect(width.code == 0 && width.stdout == "['x0', 'x1', 'label']\n", "\(width.stdout) \(width.stderr)")
        let npyUnknown = try run(["score", "npydir", "--feature-columns", "x0,nope"], in: dir)
        #expect(npyUnknown.code == 2 && npyUnknown.stderr.hasPrefix("synthctl: error: npydir: expected a feature column \"nope\", found columns x0, x1, "),
                "\(npyUnknown.stderr)")
        let npyTwice = try run(["score", "npydir", "--feature-columns", "x0,x0"], in: dir)
        #expect(npyTwice.code == 2 && npyTwice.stderr == "synthctl: error: npydir: expected each feature column once, found \"x0\" twice among the feature columns\n",
                "\(npyTwice.stderr)")
    }

    /// A column Parquet types INT64 whose values reach 2^63 − 1 (float32
    /// rounds it to 2^63) is fitted as integer and written back as INT64,
    /// its values within INT64's range.
    @Test func anInt64ColumnAtItsMaximumStaysInteger() throws {
        let dir = tempDir()
        let make = try python("""
        import numpy as np, pyarrow as pa, pyarrow.parquet as pq
        rng = np.random.default_rng(5)
        n = 200
        big = rng.integers(0, 2**62, n, dtype=np.int64); big[7] = np.iinfo(np.int64).max
        small = rng.integers(-2**62, 0, n, dtype=np.int64); small[9] = np.iinfo(np.int64).min
        pq.write_table(pa.table({'big': big, 'small': small, 'x': rng.normal(size=n), 'label': np.where(np.arange(n) % 2 == 0, 'a', 'b')}),
                       '\(dir)/b.parquet')
        """)
        #expect(make.code == 0, "\(make.stderr)")
        for args in [["fit", "b.parquet", "--out", "m.json"], ["gen", "--model", "m.json", "--rows", "500", "--out", "s.parquet"],
                     ["gen", "--model", "m.json", "--rows", "50", "--out", "s.csv"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
        let check = try python("""
        import json, pyarrow.parquet as pq, pandas as pd
        m = json.load(open('\(dir)/m.json'))
        kinds = dict(zip(m['feature_names'], (c['kind'] for c in m['columns'])))
        assert kinds == {'big': 'integer', 'small': 'integer', 'x': 'continuous'}, kinds
        s = pq.read_table('\(dir)/s.parquet')
        assert str(s.schema.field('big').type) == 'int64', s.schema
        assert str(s.schema.field('small').type) == 'int64', s.schema
        v = s.column('big').to_pylist(); assert max(v) <= 2**63 - 1 and max(v) > 2**62, max(v)
        c = pd.read_csv('\(dir)/s.csv', dtype=str)
        assert all('e' not in x and '.' not in x for x in c.big), c.big.head()
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    /// `split x.npy --labels y.npy` writes two pairs; limits takes them
    /// with `--human-train-labels` and `--human-holdout-labels`, as compare
    /// does, and refuses them alike.
    @Test func npyPairsFromSplitGoToLimits() throws {
        let dir = tempDir()
        let make = try python("""
        import numpy as np
        rng = np.random.default_rng(7)
        y = np.repeat(np.arange(3, dtype=np.int32), 60)
        x = (rng.normal(size=(180, 4)) + y[:, None]).astype(np.float32)
        np.save('\(dir)/x.npy', x); np.save('\(dir)/y.npy', y)
        """)
        #expect(make.code == 0, "\(make.stderr)")
        let split = try run(["split", "x.npy", "--labels", "y.npy", "--train-out", "xtr.npy", "--train-labels-out", "ytr.npy",
                             "--holdout-out", "xho.npy", "--holdout-labels-out", "yho.npy", "--record", "r.json"], in: dir)
        #expect(split.code == 0, "\(split.stderr)")
        let r = try run(["limits", "--human-train", "xtr.npy", "--human-train-labels", "ytr.npy", "--human-holdout", "xho.npy",
                         "--human-holdout-labels", "yho.npy", "--synthetic", "x.npy", "--synthetic-labels", "y.npy"] + Self.fastLimits, in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("tested on 54 held-out human rows (the given holdout xho.npy)"), "\(r.stdout)")
        let cases: [([String], String)] = [
            (["--human-train", "xtr.npy", "--human-holdout", "xho.npy", "--human-holdout-labels", "yho.npy"],
             "--human-train xtr.npy is a features .npy: give its labels with --human-train-labels FILE"),
            (["--human-train", "xtr.npy", "--human-train-labels", "ytr.npy", "--human-holdout", "xho.npy"],
             "--human-holdout xho.npy is a features .npy: give its labels with --human-holdout-labels FILE"),
            (["--human", "x.npy", "--human-labels", "y.npy", "--human-train-labels", "ytr.npy"],
             "--human-train-labels goes with --human-train and --human-holdout features .npy files"),
            (["--human-train", "xtr.npy", "--human-labels", "ytr.npy", "--human-holdout", "xho.npy"],
             "--human-labels goes with a --human features .npy (a --human-train or --human-holdout .npy takes --human-train-labels or --human-holdout-labels)"),
        ]
        for (args, message) in cases {
            let bad = try run(["limits"] + args + ["--synthetic", "x.npy", "--synthetic-labels", "y.npy"], in: dir)
            #expect(bad.code == 2 && bad.stderr == "synthctl: error: \(message)\n", "\(args): \(bad.stderr)")
        }
    }

    /// A class only the given holdout has is the holdout's (its own note,
    /// left out of the test rows), never blamed on the training part; a
    /// class only the training part has is named with the training part's
    /// file. limits and compare say it alike.
    @Test func aClassOnlyOnePartHasIsNamedWithItsFile() throws {
        let dir = try typedTableDir()
        let split = try run(["split", "h.csv", "--train-out", "train.csv", "--holdout-out", "holdout.csv", "--record", "split.json"], in: dir)
        #expect(split.code == 0, "\(split.stderr)")
        let make = try python("""
        import pandas as pd
        h = pd.read_csv('\(dir)/holdout.csv')
        pd.concat([h, h.head(5).assign(label='delta')]).to_csv('\(dir)/holdout_delta.csv', index=False)
        """)
        #expect(make.code == 0, "\(make.stderr)")
        let fit = try run(["fit", "train.csv", "--out", "m.json"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
        let gen = try run(["gen", "--model", "m.json", "--rows", "300", "--out", "s.csv"], in: dir)
        #expect(gen.code == 0, "\(gen.stderr)")
        for command in [["limits"] + Self.fastLimits, ["compare"] + Self.fastCompare] {
            let holdoutOnly = try run(command + ["--human-train", "train.csv", "--human-holdout", "holdout_delta.csv", "--synthetic", "s.csv"], in: dir)
            #expect(holdoutOnly.code == 0, "\(holdoutOnly.stderr)")
            #expect(!holdoutOnly.stdout.contains("classes only in the human set"), "\(command[0]): \(holdoutOnly.stdout)")
            #expect(holdoutOnly.stdout.contains("note: holdout_delta.csv: the human holdout has a class the training "), "\(command[0]): \(holdoutOnly.stdout)")
            let trainOnly = try run(command + ["--human-train", "holdout_delta.csv", "--human-holdout", "train.csv", "--synthetic", "s.csv"], in: dir)
            #expect(trainOnly.code == 0, "\(trainOnly.stderr)")
            #expect(trainOnly.stdout.contains("note: s.csv: classes only in the human set (holdout_delta.csv): delta; only in the synthetic set: none\n"),
                    "\(command[0]): \(trainOnly.stdout)")
        }
    }

    /// fit and compare count a boolean column as the column shapes, the
    /// charts and the model type it; a null in a Parquet BOOLEAN column
    /// expects a boolean; gen --model names a model file it cannot read as one.
    @Test func booleanColumnsAndModelFilesAreNamedAsWhatTheyAre() throws {
        let dir = try typedTableDir()
        let fit = try run(["fit", "h.csv", "--out", "m.json"], in: dir)
        #expect(fit.code == 0 && fit.stdout.contains("240 rows of h.csv: 3 classes, 6 features (4 numeric, 1 boolean, 1 categorical)"), "\(fit.stdout)")
        let gen = try run(["gen", "--model", "m.json", "--rows", "300", "--out", "s.csv"], in: dir)
        #expect(gen.code == 0, "\(gen.stderr)")
        let compare = try run(["compare", "--human", "h.csv", "--synthetic", "s.csv", "--markdown", "c.md"] + Self.fastCompare, in: dir)
        #expect(compare.code == 0 && compare.stdout.contains("; 6 features (4 numeric, 1 boolean, 1 categorical), 3 classes"), "\(compare.stdout)")
        let markdown = try String(contentsOfFile: "\(dir)/c.md", encoding: .utf8)
        #expect(markdown.contains("6 features (4 numeric, 1 boolean, 1 categorical), 3 classes."), "\(markdown.prefix(800))")
        let make = try python("""
        import pandas as pd, pyarrow as pa, pyarrow.parquet as pq
        t = pa.Table.from_pandas(pd.read_csv('\(dir)/h.csv'), preserve_index=False)
        m = t.column('member').to_pylist(); m[3] = None
        pq.write_table(t.set_column(t.schema.get_field_index('member'), 'member', pa.array(m, pa.bool_())), '\(dir)/null.parquet')
        """)
        #expect(make.code == 0, "\(make.stderr)")
        let null = try run(["fit", "null.parquet", "--out", "n.json"], in: dir)
        #expect(null.code == 2 && null.stderr
            == "synthctl: error: null.parquet: row 3, column \"member\": expected a boolean (true, false, 1 or 0), found a missing value (null); --drop-missing drops such rows\n",
                "\(null.stderr)")
        let missing = try run(["gen", "--model", "missing.json", "--rows", "10", "--out", "x.csv"], in: dir)
        #expect(missing.code == 2 && missing.stderr == "synthctl: error: missing.json: cannot read the model file (no such file or directory)\n", "\(missing.stderr)")
        let limits = try run(["limits", "--human", "h.csv", "--model", "missing.json"], in: dir)
        #expect(limits.code == 2 && limits.stderr == "synthctl: error: missing.json: cannot read the model file (no such file or directory)\n", "\(limits.stderr)")
    }
}
