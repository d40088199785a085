import Testing
import Foundation

/// `synthctl split` on every labeled form the other commands read (issue
/// 16): Parquet files and part directories come back as Parquet files of
/// the input's schema, dataset directories as dataset directories, `.npy`
/// pairs as pairs; the rows are those the same table in CSV gives.
extension CommandLineTests {
    /// Writes, in `dir`, `typed.parquet` (every type split writes back,
    /// with nulls), `flba.parquet` (its DECIMAL in FIXED_LEN_BYTE_ARRAY),
    /// `half.parquet` (a FLOAT16 column, which split does not write),
    /// `plain.parquet` with the same rows as `plain.csv`, and `parts/` (two parts).
    func splitFormsInputs(_ dir: String) throws {
        let made = try python("""
        import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq, decimal, datetime, os
        os.chdir('\(dir)')
        rng = np.random.default_rng(0); n = 60
        lab = np.array(['a', 'b', 'c'])[rng.integers(0, 3, n)]
        t = pa.table({
            'x': pa.array(rng.normal(size=n).astype('float32')),
            'y': pa.array([None if i % 7 == 0 else i * 0.5 for i in range(n)], pa.float64()),
            'cnt': pa.array([None if i % 5 == 0 else i for i in range(n)], pa.int64()),
            'small': pa.array(list(range(n)), pa.int8()),
            'u': pa.array([2**63 + i for i in range(n)], pa.uint64()),
            'u32': pa.array([3000000000 + i for i in range(n)], pa.uint32()),
            'd': pa.array([decimal.Decimal(i - 30) / 100 for i in range(n)], pa.decimal128(9, 2)),
            'day': pa.array([datetime.date(2020, 1, 1) + datetime.timedelta(days=i - 30) for i in range(n)], pa.date32()),
            'ts': pa.array([datetime.datetime(2021, 1, 1) + datetime.timedelta(seconds=i) for i in range(n)], pa.timestamp('us', tz='UTC')),
            'tsn': pa.array([datetime.datetime(2021, 1, 1) + datetime.timedelta(seconds=i) for i in range(n)], pa.timestamp('ns')),
            'flag': pa.array([None if i % 4 == 0 else bool(i % 2) for i in range(n)]),
            'city': pa.array([None if i % 6 == 0 else ['x', 'y'][i % 2] for i in range(n)]).dictionary_encode(),
            'emb': pa.array([None if i % 9 == 0 else [float(i), float(i) + 1] for i in range(n)], pa.list_(pa.float32())),
            'label': pa.array(lab)})
        pq.write_table(t, 'typed.parquet', store_decimal_as_integer=True)
        pq.write_table(t, 'flba.parquet')
        pq.write_table(t.append_column('h', pa.array(np.arange(n, dtype=np.float16))), 'half.parquet')
        df = pd.DataFrame({'f1': rng.normal(size=n), 'f2': rng.normal(size=n) * 1000, 'label': lab})
        df.to_parquet('plain.parquet'); df.to_csv('plain.csv', index=False)
        os.mkdir('parts')
        df.iloc[:25].to_parquet('parts/part-0.parquet'); df.iloc[25:].to_parquet('parts/part-1.parquet')
        """)
        #expect(made.code == 0, "\(made.stderr)")
    }

    /// Every column of a typed Parquet table comes back as pyarrow reads the
    /// input's rows the record names: names, order, types (a dictionary
    /// column as a dictionary, through the Arrow schema that travels), nulls
    /// and values, its DECIMAL in INT32 or in FIXED_LEN_BYTE_ARRAY; the
    /// pandas RangeIndex is not carried over; the same rows as the same
    /// table in CSV.
    @Test func splitParquetKeepsSchemaAndValues() throws {
        let dir = tempDir()
        try splitFormsInputs(dir)
        for (input, out) in [("typed", ""), ("flba", "f")] {
            let r = try run(["split", "\(input).parquet", "--feature-columns", "x", "--seed", "3", "--train-out", "\(out)t.parquet",
                             "--holdout-out", "\(out)h.parquet", "--record", "\(out)r.json"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        for (input, out) in [("plain.parquet", "p"), ("plain.csv", "c"), ("parts", "d")] {
            let ext = input.hasSuffix(".csv") ? "csv" : "parquet"
            let s = try run(["split", input, "--seed", "7", "--train-out", "\(out)t.\(ext)", "--holdout-out", "\(out)h.\(ext)", "--record", "\(out).json"], in: dir)
            #expect(s.code == 0, "\(s.stderr)")
        }
        let check = try python("""
        import json, pyarrow as pa, pyarrow.parquet as pq, pandas as pd
        d = '\(dir)/'
        def rows(rec, part): return [i for a, b in rec[part]['source_rows'] for i in range(a, b + 1)]
        for input, out in (('typed', ''), ('flba', 'f')):
            rec = json.load(open(d + out + 'r.json'))['split']
            assert rec['source']['format'] == 'parquet'
            whole = pq.read_table(d + input + '.parquet')
            assert whole.schema.field('city').type == pa.dictionary(pa.int32(), pa.string())
            for part, f in (('train', out + 't.parquet'), ('holdout', out + 'h.parquet')):
                got = pq.read_table(d + f); want = whole.take(rows(rec, part))
                assert got.schema.remove_metadata() == want.schema.remove_metadata(), (got.schema, want.schema)
                # A part's dictionary holds its own values, in order of appearance: compared as strings.
                city = lambda t: t.set_column(t.schema.get_field_index('city'), 'city', t.column('city').cast(pa.string()))
                assert city(got).equals(city(want).replace_schema_metadata(got.schema.metadata)), part
        p, c, dd = (json.load(open(d + n + '.json'))['split'] for n in 'pcd')
        assert p['train']['source_rows'] == c['train']['source_rows'] == dd['train']['source_rows'], (p, c, dd)
        assert p['holdout']['source_rows'] == c['holdout']['source_rows']
        whole = pd.read_parquet(d + 'plain.parquet')
        got = pd.read_parquet(d + 'ph.parquet')
        assert got.equals(whole.iloc[rows(p, 'holdout')].reset_index(drop=True))
        assert pd.read_parquet(d + 'dh.parquet').equals(got)
        """)
        #expect(check.code == 0, "\(check.stderr)")
        #expect(try run(["fit", "pt.parquet", "--out", "m.json"], in: dir).code == 0)
        #expect(try run(["gen", "--model", "m.json", "--rows", "200", "--out", "s.csv", "--quiet"], in: dir).code == 0)
        let compare = try run(["compare", "--human-train", "pt.parquet", "--human-holdout", "ph.parquet", "--synthetic", "s.csv"], in: dir)
        #expect(compare.code == 0, "\(compare.stderr)")
    }

    /// A column split cannot write back, an unreadable part, a missing
    /// label column and an existing output: one line each, exit 2.
    @Test func splitRefusesInOneLine() throws {
        let dir = tempDir()
        try splitFormsInputs(dir)
        try Data("not parquet".utf8).write(to: URL(fileURLWithPath: "\(dir)/parts/part-2.parquet"))
        try Data().write(to: URL(fileURLWithPath: "\(dir)/exists.parquet"))
        let cases: [([String], String)] = [
            (["half.parquet", "--feature-columns", "x"], "column \"h\": expected a column type split writes back"),
            (["parts"], "part-2.parquet"),
            (["plain.parquet", "--label-column", "nope"], "nope"),
            (["plain.parquet", "--train-out", "exists.parquet"], "already exists"),
        ]
        for (args, expected) in cases {
            var all = ["split"] + args
            if !all.contains("--train-out") { all += ["--train-out", "t.parquet"] }
            all += ["--holdout-out", "h.parquet", "--record", "r.json"]
            let r = try run(all, in: dir)
            let lines = r.stderr.split(separator: "\n")
            #expect(r.code == 2 && lines.count == 1 && r.stderr.contains(expected), "\(args): \(r.stderr)")
        }
    }

    /// A dataset directory splits into two dataset directories whose arrays
    /// are the input's rows, whose manifests the readers accept (fit and
    /// compare run on them); a `.npy` pair into two pairs.
    @Test func splitDatasetDirectoryAndNpyPair() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--seed", "1", "--out", "ds", "--quiet"], in: dir).code == 0)
        let r = try run(["split", "ds", "--train-out", "dt", "--holdout-out", "dh", "--record", "r.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let again = try run(["split", "ds", "--train-out", "dt", "--holdout-out", "dh", "--record", "r2.json"], in: dir)
        #expect(again.code == 2 && again.stderr.contains("already exists"), "\(again.stderr)")
        let check = try python("""
        import json, numpy as np, os
        d = '\(dir)/'
        rec = json.load(open(d + 'r.json'))['split']
        assert rec['source']['format'] == 'dataset_directory'
        for part, out in (('train', 'dt'), ('holdout', 'dh')):
            rows = [i for a, b in rec[part]['source_rows'] for i in range(a, b + 1)]
            m = json.load(open(d + out + '/manifest.json'))
            assert m['class_names'] == json.load(open(d + 'ds/manifest.json'))['class_names']
            for f in ('features.npy', 'labels.npy', 'true_labels.npy', 'annotations.npy'):
                a = np.load(d + out + '/' + f)
                assert (a == np.load(d + 'ds/' + f)[rows]).all() and a.dtype == np.load(d + 'ds/' + f).dtype, f
                assert list(a.shape) == m['files'][f]['shape']
        np.save(d + 'x.npy', np.load(d + 'ds/features.npy')); np.save(d + 'y.npy', np.load(d + 'ds/labels.npy').astype('int64'))
        """)
        #expect(check.code == 0, "\(check.stderr)")
        #expect(try run(["fit", "dt", "--out", "m.json"], in: dir).code == 0)
        #expect(try run(["gen", "--model", "m.json", "--rows", "300", "--out", "s.csv", "--quiet"], in: dir).code == 0)
        let compare = try run(["compare", "--human-train", "dt", "--human-holdout", "dh", "--synthetic", "s.csv"], in: dir)
        #expect(compare.code == 0, "\(compare.stderr)")
        let npy = try run(["split", "x.npy", "--labels", "y.npy", "--train-out", "xt.npy", "--holdout-out", "xh.npy",
                           "--train-labels-out", "yt.npy", "--holdout-labels-out", "yh.npy", "--record", "rn.json"], in: dir)
        #expect(npy.code == 0, "\(npy.stderr)")
        let pair = try python("""
        import json, numpy as np
        d = '\(dir)/'
        a = json.load(open(d + 'r.json'))['split']; b = json.load(open(d + 'rn.json'))['split']
        assert a['holdout']['source_rows'] == b['holdout']['source_rows']
        rows = [i for x, y in b['holdout']['source_rows'] for i in range(x, y + 1)]
        assert (np.load(d + 'yh.npy') == np.load(d + 'y.npy')[rows]).all() and np.load(d + 'yh.npy').dtype == np.int64
        assert (np.load(d + 'xh.npy') == np.load(d + 'x.npy')[rows]).all()
        """)
        #expect(pair.code == 0, "\(pair.stderr)")
        #expect(try run(["fit", "xt.npy", "--labels", "yt.npy", "--out", "mn.json"], in: dir).code == 0)
    }
}
