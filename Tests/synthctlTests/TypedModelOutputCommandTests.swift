import Testing
import Foundation

/// Whether python3 can import pandas and pyarrow (the test script installs
/// them; a machine without them skips these tests).
let pythonHasPandasAndPyarrow: Bool = pythonImports("numpy, pandas, pyarrow")

/// `fit` on a table with integer, boolean and categorical columns, and
/// `gen --model` writing those types (issue 16): the tables pandas and
/// pyarrow read back with integer, boolean and string dtypes.
extension CommandLineTests {
    /// A table of 300 rows: a log-normal income, a ratio in hundredths, a
    /// 0–16 count, a boolean and a categorical city, three classes of 150,
    /// 110 and 40 rows (seeded NumPy).
    static let typedHumanTable = """
    import numpy as np, pandas as pd
    rng = np.random.default_rng(1)
    parts = []
    for c, (n, p, shares) in enumerate([(150, 0.3, [0.6, 0.3, 0.1]), (110, 0.5, [0.2, 0.5, 0.3]), (40, 0.7, [0.1, 0.1, 0.8])]):
        parts.append(pd.DataFrame(dict(income=np.exp(rng.normal(10 + 0.2 * c, 0.5, n)), ratio=0.05 + 0.01 * rng.normal(size=n),
                                       visits=rng.binomial(16, p, size=n), member=rng.random(n) < 0.3 + 0.2 * c,
                                       city=rng.choice(['north', 'south', 'east'], p=shares, size=n), label=f'c{c}')))
    pd.concat(parts).to_csv('h.csv', index=False)

    """

    @Test(.enabled(if: pythonHasPandasAndPyarrow, "needs python3 with numpy, pandas and pyarrow"),
          arguments: ["gaussian", "mixture", "copula"])
    func fittedModelWritesTypedColumnsThatPandasReads(_ model: String) throws {
        let dir = tempDir()
        let made = try pythonIn(dir, Self.typedHumanTable)
        #expect(made.code == 0, "\(made.stderr)")
        let fit = try run(["fit", "h.csv", "--model", model, "--out", "m.json"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
        #expect(fit.stdout.contains("to 300 rows of h.csv: 3 classes, 5 features"), "\(fit.stdout)")
        for out in ["t.csv", "t.tsv", "t.jsonl", "t.parquet"] {
            let gen = try run(["gen", "--model", "m.json", "--rows", "3000", "--out", out], in: dir)
            #expect(gen.code == 0, "\(out): \(gen.stderr)")
        }
        let check = try pythonIn(dir, """
        import json, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
        h = pd.read_csv('h.csv')
        m = json.load(open('m.json'))
        assert m['format_version'] == 3, m['format_version']
        assert [c['kind'] for c in m['columns']] == ['continuous', 'continuous', 'integer', 'boolean', 'categorical'], m['columns']
        assert m['feature_names'] == ['income', 'ratio', 'visits', 'member', 'city']
        assert m['columns'][4]['categories'] == ['east', 'north', 'south']
        tables = {'csv': pd.read_csv('t.csv'), 'tsv': pd.read_csv('t.tsv', sep='\\t'), 'jsonl': pd.read_json('t.jsonl', lines=True),
                  'parquet': pd.read_parquet('t.parquet')}
        for name, t in tables.items():
            assert t['visits'].dtype.kind == 'i', (name, t.dtypes)
            assert t['member'].dtype == bool and t['noisy'].dtype == bool, (name, t.dtypes)
            assert pd.api.types.is_string_dtype(t['city'].dtype) and set(t['city']) <= set(h['city']), (name, set(t['city']))
            assert t['income'].dtype.kind == 'f', (name, t.dtypes)
            assert t['visits'].min() >= h['visits'].min() and t['visits'].max() <= h['visits'].max(), name
            assert (t['income'] > 0).all(), name  # a positive column: the copula's lower tail stays above 0
            # Every table holds the same rows.
            assert (t['city'] == tables['csv']['city']).all() and (t['visits'] == tables['csv']['visits']).all(), name
            assert (t['member'] == tables['csv']['member']).all(), name
        s = pq.read_schema('t.parquet')
        # As pandas writes and reads the human table: integers INT64, a column with learned decimals DOUBLE.
        assert t['visits'].dtype == 'int64' and tables['csv']['visits'].dtype == 'int64'
        assert s.field('visits').type == pa.int64() and s.field('income').type == pa.float64() and m['columns'][0].get('decimals') is not None and s.field('member').type == pa.bool_() and s.field('city').type == pa.string(), s
        manifest = json.load(open('t.parquet.manifest.json'))
        types = {c['name']: c['type'] for c in manifest['schema']['columns']}
        assert types['visits'] == 'integer' and types['member'] == 'boolean' and types['city'] == 'categorical' and types['income'] == 'numeric', types
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
        // synthctl reads its own typed table back: the city column is categorical again.
        let again = try run(["fit", "t.parquet", "--model", model, "--out", "again.json"], in: dir)
        #expect(again.code == 0 && again.stdout.contains("3 classes, 5 features"), "\(again.stdout) \(again.stderr)")
        // The directory form's features.npy holds numbers: refused in one line, nothing written.
        let npy = try run(["gen", "--model", "m.json", "--rows", "10", "--out", "d"], in: dir)
        #expect(npy.code == 2)
        #expect(npy.stderr == "synthctl: error: d: expected a table (--format csv, jsonl or parquet) for a model with categorical columns (\"city\"), found npy, whose features.npy holds numbers only\n")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/d"))
    }
}
