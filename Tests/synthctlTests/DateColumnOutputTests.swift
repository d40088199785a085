import Testing
import Foundation

/// `gen --model` writes a fitted model's dates and timestamps as dates
/// (``FittedTime``): Parquet DATE and TIMESTAMP, ISO 8601 text in CSV and
/// JSON Lines, so that pandas and pyarrow read them back as dates; and
/// `compare` still sets them against the human table.
extension CommandLineTests {
    /// A human table with a date, a naive timestamp, a UTC one (text with
    /// offsets, as pandas writes a tz-aware column) and a number, two classes.
    func writeDatedHumanTable(_ dir: String) throws {
        try expectPython(dir, """
        import numpy as np, pandas as pd
        r = np.random.default_rng(5); n = 300
        y = np.arange(n) % 2
        day = pd.Timestamp('2024-01-01') + pd.to_timedelta(r.integers(0, 200, n) + 100 * y, unit='D')
        ts = pd.Timestamp('2023-06-01 08:00:00') + pd.to_timedelta(r.integers(0, 86400 * 30, n), unit='s')
        utc = (pd.Timestamp('2022-01-01', tz='UTC') + pd.to_timedelta(r.integers(0, 86400 * 10, n), unit='s'))
        pd.DataFrame({'day': day.date, 'ts': ts, 'utc': utc, 'x': r.normal(size=n) + 3 * y,
                      'label': np.where(y == 0, 'a', 'b')}).to_csv('h.csv', index=False)
        """)
    }

    @Test func genWritesFittedDatesAsDatesInEveryFormat() throws {
        let dir = tempDir()
        try writeDatedHumanTable(dir)
        _ = try expectSuccess(["fit", "h.csv", "--out", "m.json"], in: dir)
        for out in ["t.csv", "t.jsonl", "t.parquet"] {
            _ = try expectSuccess(["gen", "--model", "m.json", "--rows", "400", "--out", out], in: dir)
        }
        try expectPython(dir, """
        import pandas as pd, pyarrow.parquet as pq
        types = {f.name: str(f.type) for f in pq.read_schema('t.parquet')}
        assert types['day'] == 'date32[day]' and types['ts'] == 'timestamp[ms]' and types['utc'] == 'timestamp[ms, tz=UTC]', types
        p = pd.read_parquet('t.parquet')
        assert str(p['ts'].dtype).startswith('datetime64') and str(p['utc'].dtype).startswith('datetime64') and 'UTC' in str(p['utc'].dtype), p.dtypes
        h = pd.read_csv('h.csv', parse_dates=['day', 'ts', 'utc'])
        days = pd.to_datetime(p['day'])
        assert days.min() >= h['day'].min() and days.max() <= h['day'].max(), (days.min(), days.max())
        # Timestamps near 1.7e9 s are float32 in the model: read and sampled in steps of 128 s (fit's note).
        step = pd.Timedelta(seconds=128)
        assert p['ts'].min() >= h['ts'].min() - step and p['ts'].max() <= h['ts'].max() + step
        assert p['utc'].min() >= h['utc'].min() - step and p['utc'].max() <= h['utc'].max() + step
        # The text forms hold the same instants as ISO 8601: parsed by pandas, equal to the Parquet table's.
        c = pd.read_csv('t.csv', parse_dates=['ts', 'utc'])
        j = pd.read_json('t.jsonl', lines=True, dtype=False)
        assert c['day'].iloc[0] == str(p['day'].iloc[0]) and j['day'].iloc[0] == str(p['day'].iloc[0]), (c['day'].iloc[0], p['day'].iloc[0])
        assert (pd.to_datetime(c['day']) == days).all() and (pd.to_datetime(j['day']) == days).all()
        for t in [c, j.assign(ts=pd.to_datetime(j['ts']), utc=pd.to_datetime(j['utc']))]:
            assert (t['ts'].values == p['ts'].values).all() and (t['utc'] == p['utc']).all()
        assert j['utc'].iloc[0].endswith('Z') and 'T' in j['ts'].iloc[0], j.iloc[0]
        """)
        // fit → gen → compare on the dated files, as synthctl reads them: dates and timestamps on both sides.
        for out in ["t.csv", "t.jsonl", "t.parquet"] {
            let r = try run(["compare", "--human", "h.csv", "--synthetic", out, "--json", "\(out).json"], in: dir)
            #expect(r.code == 0 || r.code == 1, "\(out): \(r.stderr)")
        }
        try expectPython(dir, """
        for out in ['t.csv', 't.jsonl', 't.parquet']:
            s = json.load(open(out + '.json'))['schemas']
            cols = {c['name']: c['type'] for c in s['synthetic']['columns']}
            assert cols['day'] == 'date' and cols['ts'] == 'timestamp' and cols['utc'] == 'timestamp', (out, cols)
        m = json.load(open('t.parquet.manifest.json'))
        cols = {c['name']: c for c in m['schema']['columns']}
        assert cols['day']['type'] == 'date' and cols['utc']['unit'].endswith('UTC'), cols
        """)
    }

    /// The table directories (`--directory`) state the dates' types in
    /// their card and croissant.json: `datasets` and `mlcroissant` load
    /// dates and timestamps from every table format.
    @Test(.enabled(if: pythonHasDatasets, "needs python3 with datasets"))
    func datedTableDirectoriesLoadWithDatasetsAndCroissant() throws {
        let dir = tempDir()
        try writeDatedHumanTable(dir)
        _ = try expectSuccess(["fit", "h.csv", "--out", "m.json"], in: dir)
        for format in ["csv", "jsonl", "parquet"] {
            _ = try expectSuccess(["gen", "--model", "m.json", "--rows", "50", "--format", format, "--directory", "--out", "d\(format)"], in: dir)
        }
        try expectPython(dir, """
        import datetime as dt, datasets, mlcroissant as mlc, pandas as pd
        datasets.disable_progress_bars()
        p = pd.read_parquet('dparquet/data.parquet')
        for d in ['dcsv', 'djsonl', 'dparquet']:
            ds = datasets.load_dataset(d, split='train')
            types = [ds.features[c].dtype for c in ['day', 'ts', 'utc']]
            assert types == ['date32', 'timestamp[ms]', 'timestamp[ms, tz=UTC]'], (d, types)
            assert [r['day'] for r in ds] == list(p['day']) and [pd.Timestamp(r['utc']) for r in ds] == list(p['utc']), d
            first = next(iter(mlc.Dataset(jsonld=d + '/croissant.json').records('rows')))
            assert pd.Timestamp(first['rows/day']).date() == p['day'][0] and pd.Timestamp(first['rows/ts']) == p['ts'][0], (d, first)
        """)
    }

    @Test func aModelFileTimeThatCannotBeIsOneLine() throws {
        let dir = tempDir()
        try writeDatedHumanTable(dir)
        _ = try expectSuccess(["fit", "h.csv", "--out", "m.json"], in: dir)
        let text = try String(contentsOfFile: "\(dir)/m.json", encoding: .utf8)
        #expect(text.contains("\"time\": \"date\""))
        try text.replacingOccurrences(of: "\"time\": \"date\"", with: "\"time\": \"week\"").write(toFile: "\(dir)/bad.json", atomically: true, encoding: .utf8)
        let r = try run(["gen", "--model", "bad.json", "--rows", "10", "--out", "t.csv"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr.hasPrefix("synthctl: error: ") && r.stderr.contains("columns[0].time: expected \"date\", \"timestamp\" or \"timestamp_utc\", found \"week\"")
                && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }
}
