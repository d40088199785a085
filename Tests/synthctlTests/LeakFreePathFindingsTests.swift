import Testing
import Foundation

/// A fresh tester's findings on the leak-free path (issue 16): a label
/// column that is not called `label` across split → fit → gen → compare,
/// `.npy` pairs from split given to compare, and small messages, each an
/// exact line through the binary.
extension CommandLineTests {
    /// The typed table of ``typedTableDir()`` with its label column renamed `y`.
    func labelYTableDir() throws -> String {
        let dir = try typedTableDir()
        let r = try python("""
        import pandas as pd
        pd.read_csv('\(dir)/h.csv').rename(columns={'label': 'y'}).to_csv('\(dir)/hy.csv', index=False)
        """)
        #expect(r.code == 0, "\(r.stderr)")
        return dir
    }

    /// `gen --model` writes the label as `label`; its table's manifest
    /// declares the columns, so `compare --label-column y` reads the
    /// synthetic table by `label` and says so in a note; a table that
    /// declares nothing (the human holdout renamed) is still refused.
    @Test func labelColumnYAcrossSplitFitGenCompare() throws {
        let dir = try labelYTableDir()
        for args in [["split", "hy.csv", "--label-column", "y", "--train-out", "train.csv", "--holdout-out", "holdout.csv", "--record", "split.json"],
                     ["fit", "train.csv", "--label-column", "y", "--out", "model.json"],
                     ["gen", "--model", "model.json", "--rows", "1000", "--out", "s.csv"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
        let r = try run(["compare", "--human-train", "train.csv", "--human-holdout", "holdout.csv", "--synthetic", "s.csv", "--label-column", "y"]
                        + Self.fastCompare, in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("note: s.csv: no column \"y\": read its label column \"label\", which s.csv.manifest.json declares (synthctl writes the label there)\n"),
                "\(r.stdout)")
        #expect(r.stdout.contains("6 features (4 numeric, 1 boolean, 1 categorical), 3 classes"), "\(r.stdout)")
        // fit and limits take the same table by the same option.
        let fit = try run(["fit", "s.csv", "--label-column", "y", "--out", "m2.json"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
        // The user's own table without `y` keeps its refusal.
        let mine = try run(["compare", "--human-train", "train.csv", "--human-holdout", "holdout.csv", "--synthetic", "h.csv", "--label-column", "y"]
                           + Self.fastCompare, in: dir)
        #expect(mine.code == 2 && mine.stderr == "synthctl: error: h.csv: expected a label column \"y\", found columns age, income, rate, visits, member, region, label (7 columns)\n",
                "\(mine.stderr)")
    }

    /// `split x.npy --labels y.npy` writes two pairs; compare takes them
    /// with `--human-train-labels` and `--human-holdout-labels`.
    @Test func npyPairsFromSplitGoToCompare() throws {
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
        let r = try run(["compare", "--human-train", "xtr.npy", "--human-train-labels", "ytr.npy", "--human-holdout", "xho.npy",
                         "--human-holdout-labels", "yho.npy", "--synthetic", "x.npy", "--synthetic-labels", "y.npy"] + Self.fastCompare, in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("126 training rows, 54 held out in xho.npy"), "\(r.stdout)")
        let cases: [([String], String)] = [
            (["--human-train", "xtr.npy", "--human-holdout", "xho.npy", "--human-holdout-labels", "yho.npy"],
             "--human-train xtr.npy is a features .npy: give its labels with --human-train-labels FILE"),
            (["--human", "x.npy", "--human-labels", "y.npy", "--human-train-labels", "ytr.npy"],
             "--human-train-labels goes with --human-train and --human-holdout features .npy files"),
            (["--human-train", "xtr.npy", "--human-labels", "ytr.npy", "--human-holdout", "xho.npy"],
             "--human-labels goes with a --human features .npy (a --human-train or --human-holdout .npy takes --human-train-labels or --human-holdout-labels)"),
        ]
        for (args, message) in cases {
            let bad = try run(["compare"] + args + ["--synthetic", "x.npy", "--synthetic-labels", "y.npy"], in: dir)
            #expect(bad.code == 2 && bad.stderr == "synthctl: error: \(message)\n", "\(args): \(bad.stderr)")
        }
    }

    /// A holdout without the boolean column `member`: counted and named as
    /// the user sees the columns (six features, numeric and categorical).
    @Test func aHoldoutMissingAColumnIsNamedAndCounted() throws {
        let dir = try typedTableDir()
        let split = try run(["split", "h.csv", "--train-out", "train.csv", "--holdout-out", "holdout.csv", "--record", "split.json"], in: dir)
        #expect(split.code == 0, "\(split.stderr)")
        let make = try python("""
        import pandas as pd
        h = pd.read_csv('\(dir)/holdout.csv')
        h.drop(columns=['member']).to_csv('\(dir)/no_member.csv', index=False)
        h.rename(columns={'income': 'Income'}).to_csv('\(dir)/renamed.csv', index=False)
        """)
        #expect(make.code == 0, "\(make.stderr)")
        let cases = [("no_member.csv", "no_member.csv: expected the columns of the training part train.csv (6), found 5 columns; no column \"member\""),
                     ("renamed.csv", "renamed.csv: expected the columns of the training part train.csv (6), found 6 columns; no column \"income\"; not in the training part: \"Income\"")]
        for (holdout, message) in cases {
            let r = try run(["compare", "--human-train", "train.csv", "--human-holdout", holdout, "--synthetic", "train.csv"] + Self.fastCompare, in: dir)
            #expect(r.code == 2 && r.stderr == "synthctl: error: \(message)\n", "\(r.stderr)")
        }
    }

    /// split without --record says why the record is required; a column
    /// split cannot write back (FLOAT16) gets a remedy, while pyarrow's
    /// default DECIMAL (FIXED_LEN_BYTE_ARRAY), refused until issue 15's
    /// last gaps, splits into parts of the same decimals.
    @Test func splitRefusalsSayWhatToDo() throws {
        let dir = try typedTableDir()
        let noRecord = try run(["split", "h.csv", "--train-out", "train.csv", "--holdout-out", "holdout.csv"], in: dir)
        #expect(noRecord.code == 2 && noRecord.stderr == "synthctl: error: Missing expected argument '--record <record>': the record (source and parts with their SHA-256, seed, fraction) shows which rows the holdout holds; give a file, or - for standard output\n",
                "\(noRecord.stderr)")
        let make = try python("""
        import decimal, numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
        h = pd.read_csv('\(dir)/h.csv')
        t = pa.table({'amount': pa.array([decimal.Decimal(f'{v:.2f}') for v in h['income']], pa.decimal128(12, 2)),
                      'age': h['age'], 'label': h['label']})
        pq.write_table(t, '\(dir)/dec.parquet')
        pq.write_table(t.append_column('half', pa.array(np.arange(len(h), dtype=np.float16))), '\(dir)/half.parquet')
        """)
        #expect(make.code == 0, "\(make.stderr)")
        let r = try run(["split", "half.parquet", "--train-out", "t.parquet", "--holdout-out", "o.parquet", "--record", "r.json"], in: dir)
        #expect(r.code == 2 && r.stderr == "synthctl: error: half.parquet: column \"half\": expected a column type split writes back (booleans, integers, DECIMAL, DATE, TIMESTAMP, floats, strings, lists of floats), found FIXED_LEN_BYTE_ARRAY(2) FLOAT16; cast it to one of those types before splitting\n",
                "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/t.parquet"))
        let d = try run(["split", "dec.parquet", "--train-out", "t.parquet", "--holdout-out", "o.parquet", "--record", "r.json"], in: dir)
        #expect(d.code == 0, "\(d.stderr)")
        let check = try python("""
        import json, pandas as pd
        rec = json.load(open('\(dir)/r.json'))['split']
        rows = [i for a, b in rec['holdout']['source_rows'] for i in range(a, b + 1)]
        got, whole = pd.read_parquet('\(dir)/o.parquet'), pd.read_parquet('\(dir)/dec.parquet')
        assert got['amount'].tolist() == whole['amount'].iloc[rows].tolist() and got.dtypes.equals(whole.dtypes), got.dtypes
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }
}
