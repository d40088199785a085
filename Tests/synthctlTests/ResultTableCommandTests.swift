import Testing
import Foundation

/// `score --items-out` (the consensus per item, against crowd-kit) and
/// `--rows-out` (every row's verdict, against cleanlab), end to end.
extension CommandLineTests {
    static var evalFixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EvalTests/Fixtures").path
    }

    @Test func itemsOutIsCrowdKitsDawidSkeneConsensusInEveryFormat() throws {
        let dir = tempDir()
        let answers = "\(Self.evalFixtures)/crowd/dog/label.csv"
        let args = ["score", "--answers", answers, "--max-iterations", "3", "--tolerance", "1e-300"]
        for name in ["items.csv", "items.tsv", "items.jsonl", "items.parquet"] {
            let r = try run(args + ["--items-out", name], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let piped = try run(args + ["--items-out", "-"], input: nil, in: dir)
        #expect(piped.code == 0 && Data(piped.stdout.utf8) == contents(dir, "items.csv"), "\(piped.stderr)")
        #expect(piped.stderr.hasPrefix("answers: "))
        let check = try python("""
        import json, numpy as np, pandas as pd
        ref = json.load(open('\(Self.evalFixtures)/consensus_items.json'))
        d = '\(dir)'
        # The dog answers' ids and classes are integers: int64 columns in every format, as pandas reads the answers.
        tables = [pd.read_csv(d + '/items.csv', float_precision='round_trip'),
                  pd.read_csv(d + '/items.tsv', sep='\\t', float_precision='round_trip'),
                  pd.read_json(d + '/items.jsonl', lines=True, precise_float=True),
                  pd.read_parquet(d + '/items.parquet')]
        for t in tables:
            assert list(t.columns) == ['item', 'label', 'probability'] + ['proba_' + c for c in ref['classes']], list(t.columns)
            assert t['item'].dtype == 'int64' and t['label'].dtype == 'int64', t.dtypes
            assert list(t['item'].astype(str)) == ref['items'], 'rows in item order'
            assert list(t['label'].astype(str)) == ref['labels']
            p = t[['proba_' + c for c in ref['classes']]].to_numpy()
            assert np.abs(p - np.array(ref['probas'])).max() < 1e-4, np.abs(p - np.array(ref['probas'])).max()
            assert np.allclose(p.sum(1), 1, atol=1e-12)
            chosen = p[np.arange(len(p)), [ref['classes'].index(str(l)) for l in t['label']]]
            assert (t['probability'].to_numpy() == chosen).all()
        assert tables[0].equals(tables[1]) and tables[0].equals(tables[2]) and tables[0].equals(tables[3])
        import pyarrow.parquet as pq
        schema = pq.read_schema(d + '/items.parquet')
        assert [str(t) for t in schema.types] == ['int64', 'int64'] + ['double'] * (1 + len(ref['classes'])), schema
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    @Test func rowsOutIsCleanlabsIssuesTableForEveryRow() throws {
        let dir = tempDir()
        let fixture = "\(Self.evalFixtures)/cleanlab/controlled"
        let args = ["score", "--labels", "\(fixture)/labels.npy", "--pred-probs", "\(fixture)/pred_probs.npy"]
        for name in ["rows.csv", "rows.jsonl", "rows.parquet"] {
            let r = try run(args + ["--rows-out", name], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let check = try python("""
        import json, numpy as np, pandas as pd
        f = '\(fixture)'
        ref = json.load(open(f + '/expected.json'))
        y = np.load(f + '/labels.npy'); pp = np.load(f + '/pred_probs.npy')
        tables = [pd.read_csv('\(dir)/rows.csv', float_precision='round_trip'), pd.read_json('\(dir)/rows.jsonl', lines=True, precise_float=True),
                  pd.read_parquet('\(dir)/rows.parquet')]
        for t in tables:
            assert list(t.columns) == ['row', 'is_label_issue', 'label_score', 'given_label', 'predicted_label'], list(t.columns)
            assert list(t['row']) == list(range(len(y)))
            assert t['is_label_issue'].dtype == bool
            assert list(np.flatnonzero(t['is_label_issue'])) == ref['issues']['prune_by_noise_rate']
            assert np.abs(t['label_score'].to_numpy() - np.array(ref['scores']['self_confidence'])).max() < 1e-12
            assert t['given_label'].dtype == 'int64' and t['predicted_label'].dtype == 'int64', t.dtypes  # class names 0, 1, …
            assert (t['given_label'].to_numpy() == y).all()
            assert (t['predicted_label'].to_numpy() == pp.argmax(1)).all()
        # Every format reads back to the same frame, integer labels included.
        assert tables[2].equals(tables[0]) and tables[1].equals(tables[0])
        import pyarrow.parquet as pq
        assert [str(t) for t in pq.read_schema('\(dir)/rows.parquet').types] == ['int64', 'bool', 'double', 'int64', 'int64']
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    @Test(arguments: [
        (["--answers", "a.csv", "--items-out", "items.xlsx"], "--items-out: expected a file name ending in .csv, .tsv, .jsonl or .parquet, or - for standard output, found items.xlsx"),
        (["--table", "t.csv", "--rows-out", "rows.xlsx"], "--rows-out: expected a file name ending in .csv, .tsv, .jsonl or .parquet, or - for standard output, found rows.xlsx"),
        (["--answers", "a.csv", "--items-out", "nowhere/items.parquet"], "nowhere/items.parquet: expected an existing directory DIR/nowhere to write into, found none"),
        (["--answers", "a.csv", "--items-out", "old.parquet"], "old.parquet: already exists (pass --force to replace it)"),
        (["--table", "t.csv", "--rows-out", "t.parquet"], "t.parquet: already exists (pass --force to replace it)"),
        (["--answers", "a.csv", "--items-out", "-", "--json", "-"], "--json and --items-out: expected at most one output to standard output (-), found 2"),
        (["--table", "t.csv", "--rows-out", "-", "--issues", "-"], "--issues and --rows-out: expected at most one output to standard output (-), found 2"),
        (["--table", "t.csv", "--items-out", "items.csv"], "--items-out: expected annotations (a dataset directory with annotations.npy, or --answers), found none"),
        (["--answers", "a.csv", "--rows-out", "rows.csv"], "--rows-out: expected labels to check (a dataset directory with labels.npy, --labels or --table), found none"),
        (["--answers", "a.csv", "--junit", "-", "--json", "-"], "--json and --junit: expected at most one output to standard output (-), found 2"),
    ])
    func resultTableMisusesAreOneLine(args: [String], message: String) throws {
        let dir = tempDir()
        try "a,label\n1,0\n2,1\n3,0\n4,1\n".write(toFile: "\(dir)/t.csv", atomically: true, encoding: .utf8)
        try "item,worker,label\n1,a,x\n1,b,y\n".write(toFile: "\(dir)/a.csv", atomically: true, encoding: .utf8)
        for old in ["old.parquet", "t.parquet"] { try "PAR1".write(toFile: "\(dir)/\(old)", atomically: true, encoding: .utf8) }
        let r = try run(["score"] + args, in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: \(message.replacingOccurrences(of: "DIR", with: dir))\n")
        #expect(r.stdout.isEmpty)
    }
}
