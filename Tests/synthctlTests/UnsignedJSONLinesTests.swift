import Testing
import Foundation

/// Issue 15: a JSON Lines column of unsigned 64-bit integers, as pandas'
/// `to_json(orient='records', lines=True)` writes a uint64 column, is read
/// as its values, as the same frame's Parquet file is: ids beyond Int64.max
/// keep every digit (until this version 18446744073709551614 and
/// 18446744073709551615 were one item, 1.8446744073709552e+19), and a
/// feature column stays integer.
extension CommandLineTests {
    @Test(.enabled(if: pythonHasPandasAndPyarrow, "needs python3 with numpy, pandas and pyarrow"))
    func unsignedIntegersInJSONLinesReadAsPandasReadsThem() throws {
        let dir = tempDir()
        try expectPython(dir, """
        import numpy as np, pandas as pd
        r = np.random.default_rng(15)
        ids = np.array([2**64 - 1, 2**64 - 2, 2**63, 2**63 - 1, 7] + list(r.integers(2**63, 2**64 - 1, 35, dtype=np.uint64, endpoint=True)), dtype=np.uint64)
        truth = r.integers(0, 2, len(ids))
        rows = [(i, w, ['cat', 'dog'][t if r.random() < .85 else 1 - t]) for i, t in zip(ids, truth) for w in range(3)]
        answers = pd.DataFrame({'item': np.array([a for a, _, _ in rows], dtype=np.uint64), 'worker': [b for _, b, _ in rows],
                                'label': [c for _, _, c in rows]})
        answers.to_json('answers.jsonl', orient='records', lines=True); answers.to_parquet('answers.parquet')
        assert pd.read_json('answers.jsonl', lines=True)['item'].dtype == np.uint64
        y = r.integers(0, 2, 300)
        table = pd.DataFrame({'u': r.integers(0, 2**64 - 1, 300, dtype=np.uint64, endpoint=True), 'x': r.normal(size=300) + y,
                              'label': np.array(['a', 'b'])[y]})
        table.to_json('t.jsonl', orient='records', lines=True); table.to_parquet('t.parquet')
        """)
        for (input, out) in [("answers.jsonl", "j"), ("answers.parquet", "p")] {
            try expectSuccess(["score", "--answers", input, "--items-out", "items_\(out).csv", "--quiet"], in: dir)
        }
        for (input, out) in [("t.jsonl", "j"), ("t.parquet", "p")] {
            try expectSuccess(["fit", input, "--out", "m_\(out).json", "--quiet"], in: dir)
        }
        try expectPython(dir, """
        import numpy as np, pandas as pd
        want = pd.read_json('answers.jsonl', lines=True)['item']
        got = pd.read_csv('items_j.csv', dtype={'item': str})
        assert sorted(got['item']) == sorted({str(v) for v in want}) and len(got) == 40, got['item'].tolist()
        assert got.equals(pd.read_csv('items_p.csv', dtype={'item': str}))
        j, p = json.load(open('m_j.json')), json.load(open('m_p.json'))
        assert j['schema'] == p['schema'] and j['columns'] == p['columns'], (j['schema'], j['columns'][0], p['columns'][0])
        assert j['schema']['columns'][0] == {'missing': 0, 'name': 'u', 'type': 'integer'}, j['schema']
        u = pd.read_json('t.jsonl', lines=True)['u']
        assert u.dtype == np.uint64 and j['columns'][0]['min'] == float(np.float32(u.min())), (j['columns'][0], u.min())
        """)
    }
}
