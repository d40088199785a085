import Testing
import Foundation

/// Whether python3 can import the Parquet readers people use (the test
/// script installs them; a machine without them skips these tests).
let pythonHasParquetReaders: Bool = pythonImports("numpy, pandas, pyarrow, polars, duckdb")

/// `gen --format parquet` end to end (issue 15): the table pyarrow, pandas,
/// Polars and DuckDB read, with the types and values of the directory form;
/// each codec; shards as parts of one dataset directory; synthctl's own
/// reader (`score --table`, `compare`); `--label-format` for every table.
extension CommandLineTests {
    /// The checks the Python readers share: `t` is a pandas DataFrame read
    /// from the table of `gen --rows 3000 --seed 3` (default preset), `d` the
    /// directory form of the same rows.
    static let sameRowsAsTheDirectory = """
    import json, numpy as np, pandas as pd
    def same(t, d='d', labels='name'):
        X = np.load(d + '/features.npy'); y = np.load(d + '/labels.npy'); tr = np.load(d + '/true_labels.npy')
        A = np.load(d + '/annotations.npy'); m = np.load(d + '/noise_mask.npy')
        names = np.array(json.load(open(d + '/manifest.json'))['class_names'], dtype=object)
        assert len(t) == len(y), (len(t), len(y))
        assert np.array_equal(t[[f'x{j}' for j in range(X.shape[1])]].to_numpy(np.float32), X)
        if labels == 'name':
            assert list(t['label']) == list(names[y]) and list(t['true_label']) == list(names[tr])
            assert np.array_equal(t['label_id'].to_numpy(), y) and np.array_equal(t['true_label_id'].to_numpy(), tr)
        else:
            assert np.array_equal(t['label'].to_numpy(), y) and np.array_equal(t['true_label'].to_numpy(), tr)
        assert np.array_equal(t['noisy'].to_numpy().astype(np.uint8), m)
        for a in range(A.shape[1]):
            col = t[f'annotator_{a}']
            assert np.array_equal(col.isna().to_numpy(), A[:, a] < 0), a
            given = A[:, a] >= 0
            want = names[A[given, a]] if labels == 'name' else A[given, a]
            assert list(col[given]) == list(want), a
        assert (A < 0).any(), 'the test needs some nulls'

    """

    @Test(.enabled(if: pythonHasParquetReaders, "needs python3 with numpy, pandas, pyarrow, polars and duckdb"))
    func parquetLoadsInPyarrowPandasPolarsAndDuckDBWithTheDirectorysValues() throws {
        let dir = tempDir()
        for args in [["--out", "d"], ["--format", "parquet", "--out", "t.parquet"], ["--format", "parquet", "--label-format", "id", "--out", "i.parquet"]] {
            let r = try run(["gen", "--rows", "3000", "--seed", "3"] + args, in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let check = try pythonIn(dir, Self.sameRowsAsTheDirectory + """
        import pyarrow as pa, pyarrow.parquet as pq, polars as pl, duckdb, hashlib
        f = pq.ParquetFile('t.parquet'); s = f.schema_arrow
        assert all(s.field(f'x{j}').type == pa.float32() and not s.field(f'x{j}').nullable for j in range(20))
        assert s.field('label').type == pa.string() and s.field('label_id').type == pa.int32() and s.field('noisy').type == pa.bool_()
        assert s.field('annotator_0').type == pa.string() and s.field('annotator_0').nullable
        cc = f.metadata.row_group(0).column(20)
        assert cc.compression == 'SNAPPY' and 'RLE_DICTIONARY' in cc.encodings and cc.statistics.has_min_max, cc
        assert json.loads(s.metadata[b'synthctl.class_names']) == json.load(open('d/manifest.json'))['class_names']
        same(pq.read_table('t.parquet').to_pandas())
        same(pd.read_parquet('t.parquet'))
        same(pl.read_parquet('t.parquet').to_pandas())
        same(duckdb.sql("select * from 't.parquet'").df())
        i = pq.read_table('i.parquet')
        assert i.schema.field('label').type == pa.int32() and i.schema.field('annotator_3').type == pa.int32()
        same(i.to_pandas(), labels='id'); same(pl.read_parquet('i.parquet').to_pandas(), labels='id')
        man = json.load(open('t.parquet.manifest.json'))['files']['t.parquet']
        assert man['sha256'] == hashlib.sha256(open('t.parquet', 'rb').read()).hexdigest() and man['format'] == 'parquet'
        assert man['compression'] == 'snappy' and man['label_format'] == 'name' and man['columns'] == s.names
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    @Test(.enabled(if: pythonHasParquetReaders, "needs python3 with pyarrow and duckdb"))
    func eachCodecAndShardedPartsReadAsOneTable() throws {
        let dir = tempDir()
        for codec in ["zstd", "snappy", "none"] {
            let r = try run(["gen", "--rows", "3000", "--seed", "3", "--format", "parquet", "--compression", codec, "--out", "\(codec).parquet"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            // synthctl's own reader: the label is the label, its id and the truth are not features.
            let score = try run(["score", "--table", "\(codec).parquet"], in: dir)
            #expect(score.code == 0 && score.stdout.hasPrefix("labels: 3000 rows, 3 classes"), "\(score.stdout) \(score.stderr)")
            #expect(score.stdout.contains("against the truth:"), "\(score.stdout)")
        }
        for k in 1...3 {
            let r = try run(["gen", "--rows", "3000", "--seed", "3", "--format", "parquet", "--shard", "\(k)/3", "--out", "ds"], in: dir)
            #expect(r.code == 0 && r.stdout.hasPrefix("wrote ds/part-0000\(k)-of-00003.parquet: 1000 rows"), "\(r.stdout) \(r.stderr)")
        }
        let compare = try run(["compare", "--human", "zstd.parquet", "--synthetic", "ds/part-00002-of-00003.parquet"], in: dir)
        #expect([0, 1].contains(compare.code) && compare.stdout.contains("20 features, 3 classes"), "\(compare.stdout) \(compare.stderr)")
        let check = try pythonIn(dir, """
        import json, hashlib, pyarrow.parquet as pq, duckdb
        whole = pq.read_table('zstd.parquet')
        for codec in ('snappy', 'none'):
            f = pq.ParquetFile(codec + '.parquet')
            assert f.metadata.row_group(0).column(0).compression == {'snappy': 'SNAPPY', 'none': 'UNCOMPRESSED'}[codec]
            assert f.read().equals(whole), codec
        parts = pq.read_table('ds')  # the manifests start with _, which dataset readers skip
        assert parts.equals(whole), 'the parts read as the whole table'
        assert duckdb.sql("select count(*) from 'ds/*.parquet'").fetchall()[0][0] == 3000
        for k in (1, 2, 3):
            name = f'part-0000{k}-of-00003.parquet'
            man = json.load(open(f'ds/_{name}.manifest.json'))
            assert man['row_offset'] == 1000 * (k - 1) and man['shard'] == {'index': k, 'count': 3}
            assert man['files'][name]['sha256'] == hashlib.sha256(open('ds/' + name, 'rb').read()).hexdigest()
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    @Test func labelFormatIdWritesClassIdsInEveryTable() throws {
        let dir = tempDir()
        for (format, out) in [("csv", "n.csv"), ("jsonl", "n.jsonl")] {
            let names = try run(["gen", "--rows", "50", "--format", format, "--out", out], in: dir)
            let ids = try run(["gen", "--rows", "50", "--format", format, "--label-format", "id", "--out", "i." + format], in: dir)
            #expect(names.code == 0 && ids.code == 0, "\(names.stderr) \(ids.stderr)")
            let n = try String(contentsOfFile: "\(dir)/\(out)", encoding: .utf8)
            let i = try String(contentsOfFile: "\(dir)/i.\(format)", encoding: .utf8)
            #expect(n.contains("class_") && !i.contains("class_"), "\(format)")
            // The same rows: replacing each class name by its id gives the id table.
            var replaced = n
            for c in 0..<3 { replaced = replaced.replacingOccurrences(of: format == "csv" ? "class_\(c)" : "\"class_\(c)\"", with: "\(c)") }
            #expect(replaced == i, "\(format)")
            let manifest = try String(contentsOfFile: "\(dir)/i.\(format).manifest.json", encoding: .utf8)
            #expect(manifest.contains("\"label_format\": \"id\""))
            #expect(!(try String(contentsOfFile: "\(dir)/\(out).manifest.json", encoding: .utf8)).contains("label_format"))
        }
        let npy = try run(["gen", "--rows", "50", "--label-format", "id", "--out", "d"], in: dir)
        #expect(npy.code == 2 && npy.stderr.contains("--label-format goes with --format csv, jsonl or parquet"), "\(npy.stderr)")
        let csv = try run(["gen", "--rows", "50", "--format", "csv", "--compression", "zstd", "--out", "c.csv"], in: dir)
        #expect(csv.code == 2 && csv.stderr.contains("--compression goes with --format parquet"), "\(csv.stderr)")
    }
}
