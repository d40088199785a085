import Testing
import Foundation

/// What a new user's try of issue 15 found (session 33's QA), each fixed
/// and checked here with the tools that wrote or read the files.
extension CommandLineTests {
    /// A pandas ordered Categorical and a Polars Enum with an unused
    /// category keep every category, in order, through `split`: a part's
    /// dictionary was its own values in order of appearance, which reordered
    /// the classes (synthctl's ordinal α changed) and dropped unused ones.
    /// A synthctl table's row count in the footer is the part's.
    @Test(.enabled(if: pythonHasParquetReaders, "needs python3 with numpy, pandas, pyarrow, polars and duckdb"))
    func splitKeepsCategoriesAndTheirOrder() throws {
        let dir = tempDir()
        try expectPython(dir, """
        import numpy as np, pandas as pd, polars as pl
        r = np.random.default_rng(33); n = 240
        levels = ['low', 'medium', 'high']
        pd.DataFrame({'x': r.normal(size=n), 'label': pd.Categorical(r.choice(levels, n), categories=levels, ordered=True)}).to_parquet('pd.parquet')
        pl.DataFrame({'item': np.repeat(np.arange(n // 4), 4), 'worker': np.tile(np.arange(4), n // 4), 'x': r.normal(size=n),
                      'label': r.choice(['low', 'high'], n)}, schema_overrides={'label': pl.Enum(levels)}).write_parquet('enum.parquet')
        """)
        try expectSuccess(["gen", "--rows", "300", "--format", "parquet", "--out", "g.parquet", "--quiet"], in: dir)
        for input in ["pd", "enum", "g"] {
            try expectSuccess(["split", "\(input).parquet", "--seed", "2", "--train-out", "\(input)_t.parquet", "--holdout-out", "\(input)_h.parquet",
                               "--record", "\(input).json", "--quiet"] + (input == "enum" ? ["--feature-columns", "x"] : []), in: dir)
        }
        try expectPython(dir, """
        import pandas as pd, pyarrow.parquet as pq
        for part in ('pd_t', 'pd_h', 'enum_t', 'enum_h'):
            cat = pd.read_parquet(part + '.parquet')['label'].cat
            assert list(cat.categories) == ['low', 'medium', 'high'] and cat.ordered, (part, list(cat.categories))
        for part in ('g_t', 'g_h'):
            meta = pq.read_metadata(part + '.parquet')
            assert int(meta.metadata[b'synthctl.total_rows']) == meta.num_rows and meta.metadata[b'synthctl.row_offset'] == b'0', part
        """)
        let scored = try run(["score", "--answers", "enum_t.parquet", "--alpha-level", "ordinal", "--json", "s.json"], in: dir)
        #expect(scored.code == 0 && (scored.stdout + scored.stderr).contains("low < medium < high"), "\(scored.stdout)\(scored.stderr)")
    }

    /// A sharded Parquet dataset (`gen --shard k/n`) splits as one table of
    /// its parts; it was refused, pointing at its part files one by one.
    @Test(.enabled(if: pythonHasParquetReaders, "needs python3 with numpy, pandas, pyarrow, polars and duckdb"))
    func splitReadsAShardedParquetDataset() throws {
        let dir = tempDir()
        for k in 1...3 {
            try expectSuccess(["gen", "--rows", "90", "--seed", "8", "--format", "parquet", "--shard", "\(k)/3", "--out", "shards", "--quiet"], in: dir)
        }
        try expectSuccess(["split", "shards", "--seed", "1", "--train-out", "t.parquet", "--holdout-out", "h.parquet", "--record", "r.json", "--quiet"], in: dir)
        try expectPython(dir, """
        import glob, pyarrow as pa, pyarrow.parquet as pq
        whole = pa.concat_tables([pq.read_table(p) for p in sorted(glob.glob('shards/part-*.parquet'))])
        rec = json.load(open('r.json'))['split']
        for part, f in (('train', 't.parquet'), ('holdout', 'h.parquet')):
            rows = [i for a, b in rec[part]['source_rows'] for i in range(a, b + 1)]
            got = pq.read_table(f)
            assert got.num_rows == len(rows) and got.drop_columns([]).select(whole.column_names).to_pylist() == whole.take(rows).to_pylist(), part
            assert int(pq.read_metadata(f).metadata[b'synthctl.total_rows']) == len(rows)
        """)
    }

    /// A date in one set and a timestamp in the other (pandas writes
    /// midnights to CSV as dates, to Parquet as TIMESTAMP) were compared as
    /// days against seconds: refused in one line naming the column, for the
    /// synthetic set and for a given holdout; the schema the line suggests reads them alike.
    @Test(.enabled(if: pythonHasParquetReaders, "needs python3 with numpy, pandas, pyarrow, polars and duckdb"))
    func timesOfAnotherKindAreRefused() throws {
        let dir = tempDir()
        try expectPython(dir, """
        import numpy as np, pandas as pd
        r = np.random.default_rng(3); n = 200
        d = pd.DataFrame({'x': r.normal(size=n), 'day': pd.Timestamp('2024-01-01') + pd.to_timedelta(r.integers(0, 300, n), unit='D'),
                          'label': r.choice(['a', 'b'], n)})
        d.to_parquet('h.parquet'); d.to_csv('s.csv', index=False)
        d.iloc[:150].to_parquet('t.parquet'); d.iloc[150:].to_csv('ho.csv', index=False)
        open('day.json', 'w').write('{"columns": [{"name": "day", "type": "timestamp"}]}')
        """)
        let line = "expected a timestamp column (seconds since 1970-01-01 00:00:00), as in"
        for (args, file, role) in [(["compare", "--human", "h.parquet", "--synthetic", "s.csv"], "s.csv", "the human set h.parquet"),
                                   (["limits", "--human", "h.parquet", "--synthetic", "s.csv"], "s.csv", "the human set h.parquet"),
                                   (["compare", "--human-train", "t.parquet", "--human-holdout", "ho.csv", "--synthetic", "h.parquet"], "ho.csv", "the training part t.parquet")] {
            let r = try run(args, in: dir)
            #expect(r.code == 2 && r.stderr == "synthctl: error: \(file): column \"day\": \(line) \(role), found a date column (days since 1970-01-01); "
                    + "state its type for both with --schema (a file of {\"columns\": [{\"name\": \"day\", \"type\": \"timestamp\"}]})\n", "\(args): \(r.stderr)")
        }
        #expect(try run(["compare", "--human", "h.parquet", "--synthetic", "s.csv", "--schema", "day.json", "--no-per-class", "--size-draws", "0"], in: dir).code == 0)
        // A model's own output agrees with the human table: its manifest states the time
        // types of features.npy's columns, and a CSV writes ISO timestamps.
        try expectSuccess(["fit", "h.parquet", "--out", "m.json"], in: dir)
        for out in ["g", "g.csv"] {
            try expectSuccess(["gen", "--model", "m.json", "--rows", "200", "--out", out, "--quiet"], in: dir)
            let r = try run(["compare", "--human", "h.parquet", "--synthetic", out, "--no-per-class", "--size-draws", "0", "--quiet"], in: dir)
            #expect(r.code == 0, "\(out): \(r.stderr)")
        }
    }

    /// A time-zone-aware Parquet timestamp is UTC in the fitted model, so
    /// that `gen` writes it back with its `Z` (CSV) and isAdjustedToUTC (Parquet).
    @Test(.enabled(if: pythonHasParquetReaders, "needs python3 with numpy, pandas, pyarrow, polars and duckdb"))
    func zonedTimestampsStayUTCThroughAModel() throws {
        let dir = tempDir()
        try expectPython(dir, """
        import numpy as np, pandas as pd
        r = np.random.default_rng(4); n = 120
        pd.DataFrame({'x': r.normal(size=n), 'at': pd.Timestamp('2024-01-01', tz='Europe/Paris') + pd.to_timedelta(r.integers(0, 10**6, n), unit='s'),
                      'label': r.choice(['a', 'b'], n)}).to_parquet('tz.parquet')
        """)
        try expectSuccess(["fit", "tz.parquet", "--out", "m.json"], in: dir)
        try expectSuccess(["gen", "--model", "m.json", "--rows", "20", "--out", "g.parquet", "--quiet"], in: dir)
        try expectSuccess(["gen", "--model", "m.json", "--rows", "20", "--out", "g.csv", "--quiet"], in: dir)
        try expectPython(dir, """
        import pandas as pd
        assert '"timestamp_utc"' in open('m.json').read()
        assert str(pd.read_parquet('g.parquet')['at'].dtype).endswith('UTC]'), pd.read_parquet('g.parquet').dtypes
        assert all(v.endswith('Z') for v in pd.read_csv('g.csv', dtype=str)['at']), pd.read_csv('g.csv', dtype=str)['at'][:3]
        """)
    }

    /// Names that promise another format than the bytes are refused in one
    /// line: `gen --format npy` (a directory) named as a table, a model
    /// named as a table; `split` to standard output says why.
    @Test func namesOfAnotherFormatAreRefused() throws {
        let dir = tempDir()
        try expectSuccess(["gen", "--rows", "50", "--out", "t.csv", "--quiet"], in: dir)
        let cases: [([String], String)] = [
            (["gen", "--format", "npy", "--rows", "10", "--out", "u.csv"],
             "--out u.csv: expected a directory name for --format npy (a directory of .npy arrays), found .csv (csv): name it u, or give --format csv"),
            (["gen", "--format", "npy", "--rows", "10", "--out", "v.parquet"],
             "--out v.parquet: expected a directory name for --format npy (a directory of .npy arrays), found .parquet (parquet): name it v, or give --format parquet"),
            (["fit", "t.csv", "--out", "m.parquet"],
             "--out m.parquet: expected a .json name (a fitted model is JSON, its tensors in a .safetensors file beside it), found a name of another format"),
            (["split", "t.csv", "--train-out", "-", "--holdout-out", "h.csv", "--record", "r.json"],
             "--train-out: expected a file name, found - (standard output): split writes its parts, and the record naming their rows, as files"),
        ]
        for (args, message) in cases {
            let r = try run(args, in: dir)
            #expect(r.code == 2 && r.stderr.hasPrefix("synthctl: error: ") && r.stderr.contains(message) && r.stderr.filter { $0 == "\n" }.count == 1,
                    "\(args): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/u.csv") && !FileManager.default.fileExists(atPath: "\(dir)/m.parquet"))
    }

    /// `--issues` writes the format its name asks for (it wrote CSV bytes
    /// into `.parquet`); `--input-format` is honoured whatever the name
    /// (it was ignored for a known extension), except for Parquet bytes;
    /// ids beyond Int64 (pandas' uint64) come back as uint64 from every
    /// form of `--items-out` (JSON Lines quoted them, and pandas read one float for all).
    @Test(.enabled(if: pythonHasParquetReaders, "needs python3 with numpy, pandas, pyarrow, polars and duckdb"))
    func outputsAndInputFormatsAsNamed() throws {
        let dir = tempDir()
        try expectPython(dir, """
        import numpy as np, pandas as pd
        r = np.random.default_rng(5); n = 160
        d = pd.DataFrame({'x': r.normal(size=n), 'y': r.normal(size=n), 'label': r.choice(['a', 'b', 'c'], n)})
        d.to_json('jl.csv', orient='records', lines=True)
        d.to_parquet('p.csv')
        items = np.array([2**64 - 60 + i for i in range(40)], dtype=np.uint64)
        a = pd.DataFrame([(i, w, r.choice(['a', 'b'])) for i in items for w in range(5)], columns=['item', 'worker', 'label'])
        a['item'] = a['item'].astype('uint64'); a.to_parquet('ans.parquet')
        """)
        try expectSuccess(["score", "--table", "jl.csv", "--input-format", "jsonl", "--issues", "i.parquet", "--json", "a.json"], in: dir)
        try expectSuccess(["score", "--table", "p.csv", "--input-format", "csv", "--json", "b.json"], in: dir)  // Parquet bytes stay Parquet
        for ext in ["parquet", "jsonl", "csv"] {
            try expectSuccess(["score", "--answers", "ans.parquet", "--items-out", "it.\(ext)", "--json", "c_\(ext).json"], in: dir)
        }
        try expectPython(dir, """
        import pandas as pd
        issues = pd.read_parquet('i.parquet')
        assert list(issues.columns[:3]) == ['row', 'given_label', 'predicted_label'] and len(issues) == json.load(open('a.json'))['label_issues']['flagged'], issues
        src = pd.read_parquet('ans.parquet')
        for ext, read in (('parquet', pd.read_parquet), ('jsonl', lambda f: pd.read_json(f, lines=True)), ('csv', pd.read_csv)):
            items = read('it.' + ext)
            assert str(items['item'].dtype) == 'uint64' and len(src.merge(items, on='item')) == len(src), (ext, items.dtypes)
        """)
    }
}
