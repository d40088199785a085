import Testing
import Foundation

/// `score --items-out` and `--rows-out` join back onto the user's data in
/// pandas: integer ids and labels come back as int64 (Parquet INT64,
/// numbers in JSON Lines, bare digits in CSV), and the item column keeps
/// the answers table's header.
extension CommandLineTests {
    /// crowd-kit's layout (`task`, `worker`, `label`) with integer ids: the
    /// items table's first column is `task`, and `merge` onto the user's
    /// int64 task ids works from every format.
    @Test func itemsOutMergesOntoIntegerTaskIds() throws {
        let dir = tempDir()
        try expectPython(dir, """
        import numpy as np, pandas as pd
        rng = np.random.default_rng(3)
        task = np.repeat(np.arange(100, 160), 3)
        truth = rng.integers(0, 3, 60)
        label = np.where(rng.random(180) < 0.8, np.repeat(truth, 3), rng.integers(0, 3, 180))
        pd.DataFrame({'task': task, 'worker': np.tile(['w1', 'w2', 'w3'], 60), 'label': label}).to_parquet('answers.parquet', index=False)
        pd.DataFrame({'task': np.arange(100, 160), 'truth': truth}).to_csv('mine.csv', index=False)
        """)
        for name in ["items.csv", "items.jsonl", "items.parquet"] {
            _ = try expectSuccess(["score", "--answers", "answers.parquet", "--items-out", name], in: dir)
        }
        try expectPython(dir, """
        import pandas as pd, pyarrow.parquet as pq
        mine = pd.read_csv('mine.csv')
        assert mine['task'].dtype == 'int64'
        tables = [pd.read_csv('items.csv', float_precision='round_trip'), pd.read_json('items.jsonl', lines=True, precise_float=True),
                  pd.read_parquet('items.parquet')]
        for t in tables:
            assert list(t.columns[:3]) == ['task', 'label', 'probability'], list(t.columns)
            assert t['task'].dtype == 'int64' and t['label'].dtype == 'int64', t.dtypes
            joined = mine.merge(t, on='task', validate='one_to_one')
            assert len(joined) == 60 and (joined['label'] == joined['truth']).mean() > 0.8
        assert tables[0].equals(tables[1]) and tables[0].equals(tables[2])
        assert [str(t) for t in pq.read_schema('items.parquet').types][:3] == ['int64', 'int64', 'double']
        assert '"task":100,"label":' in open('items.jsonl').readline()
        """)
    }

    /// Ids that are not all canonical integers ("007", a word, "-0") stay
    /// text in every format, and so do class names that are words; the
    /// item column keeps the header `--item-column` named.
    @Test(arguments: [["007", "8", "9"], ["7", "8", "x"], ["-0", "1", "2"], ["1", "2", "99999999999999999999"]])
    func itemIdsThatAreNotAllIntegersStayText(ids: [String]) throws {
        let dir = tempDir()
        var csv = "id,who,answer\n"
        for id in ids { for (w, a) in [("a", "cat"), ("b", "cat"), ("c", "dog")] { csv += "\(id),\(w),\(a)\n" } }
        try csv.write(toFile: "\(dir)/a.csv", atomically: true, encoding: .utf8)
        let args = ["score", "--answers", "a.csv", "--item-column", "id", "--worker-column", "who", "--label-column", "answer"]
        for name in ["items.csv", "items.jsonl", "items.parquet"] {
            _ = try expectSuccess(args + ["--items-out", name], in: dir)
        }
        try expectPython(dir, """
        import pandas as pd, pyarrow.parquet as pq
        ids = \(ids)
        t = pd.read_parquet('items.parquet')
        assert list(t.columns[:2]) == ['id', 'label'], list(t.columns)
        assert sorted(t['id']) == sorted(ids), list(t['id'])
        assert [str(x) for x in pq.read_schema('items.parquet').types][:2] == ['string', 'string']
        assert set(t['label']) <= {'cat', 'dog'}
        rows = [json.loads(line) for line in open('items.jsonl')]
        assert sorted(r['id'] for r in rows) == sorted(ids), rows
        assert open('items.csv').readline().startswith('id,label,probability,')
        """)
    }

    /// An item column whose name is one of the table's own columns
    /// (`label`) falls back to `item`, and answers not read from a table (a
    /// dataset's annotations.npy) are under `item`.
    @Test func itemColumnNamesThatCannotBeKeptAreItem() throws {
        let dir = tempDir()
        try "label,worker,answer\n1,a,x\n1,b,x\n2,a,y\n2,b,y\n".write(toFile: "\(dir)/a.csv", atomically: true, encoding: .utf8)
        _ = try expectSuccess(["score", "--answers", "a.csv", "--item-column", "label", "--label-column", "answer", "--items-out", "items.csv"], in: dir)
        #expect(try String(contentsOfFile: "\(dir)/items.csv", encoding: .utf8).hasPrefix("item,label,probability,proba_x,proba_y\n1,x,"))
        _ = try expectSuccess(["gen", "--preset", "crowd", "--rows", "30", "--out", "c"], in: dir)
        _ = try expectSuccess(["score", "c", "--items-out", "c.parquet"], in: dir)
        try expectPython(dir, """
        import pandas as pd, numpy as np
        t = pd.read_parquet('c.parquet')
        assert list(t.columns[:2]) == ['item', 'label'] and t['item'].dtype == 'int64', t.dtypes
        assert list(t['item']) == list(range(30))
        """)
    }

    /// `--rows-out` on integer labels: the given, predicted and true labels
    /// are int64 in Parquet and numbers in JSON Lines, so they compare with
    /// the user's own labels as they are.
    @Test func rowsOutLabelsAreIntegersWhenTheClassesAre() throws {
        let dir = tempDir()
        try expectPython(dir, """
        import numpy as np, pandas as pd
        rng = np.random.default_rng(0)
        y = rng.choice([10, 2, 1], size=300)
        x = rng.normal(size=(300, 2)) + np.array([[{10: 0, 2: 3, 1: 6}[v], 0] for v in y])
        pd.DataFrame({'x0': x[:, 0], 'x1': x[:, 1], 'label': y}).to_csv('h.csv', index=False)
        """)
        _ = try expectSuccess(["fit", "h.csv", "--out", "m.json"], in: dir)
        _ = try expectSuccess(["gen", "--model", "m.json", "--rows", "300", "--set", "noise.rate=0.1", "--out", "d"], in: dir)
        for name in ["rows.jsonl", "rows.parquet"] {
            _ = try expectSuccess(["score", "d", "--rows-out", name], in: dir)
        }
        try expectPython(dir, """
        import numpy as np, pandas as pd, pyarrow.parquet as pq
        names = np.array([int(c) for c in json.load(open('d/manifest.json'))['class_names']])
        y = names[np.load('d/labels.npy')]; truth = names[np.load('d/true_labels.npy')]
        assert (y != truth).any(), 'noise: the given and true labels differ somewhere'
        for t in [pd.read_json('rows.jsonl', lines=True), pd.read_parquet('rows.parquet')]:
            assert list(t.columns) == ['row', 'is_label_issue', 'label_score', 'given_label', 'predicted_label', 'true_label'], list(t.columns)
            for c in ['given_label', 'predicted_label', 'true_label']:
                assert t[c].dtype == 'int64', (c, t.dtypes)
            assert (t['given_label'].to_numpy() == y).all() and (t['true_label'].to_numpy() == truth).all()
        assert [str(x) for x in pq.read_schema('rows.parquet').types] == ['int64', 'bool', 'double', 'int64', 'int64', 'int64']
        """)
    }
}
