import Testing
import Foundation

/// Issue 15's last `split` gaps. A directory of Hive partition folders lost
/// its Arrow schema (the key columns appended made its fields differ), so a
/// fixed-size list came back a plain list, a categorical a string, a time
/// zone dropped; Polars' `partition_by` directories, which keep each key in
/// the files too, were refused by every command. A DECIMAL in BYTE_ARRAY
/// (parquet-mr's, Tests/Oracles/parquet_mr_fixtures.py) was refused.
extension CommandLineTests {
    @Test(.enabled(if: pythonHasParquetReaders, "needs python3 with numpy, pandas, pyarrow, polars and duckdb"))
    func splitOfHivePartitionsKeepsTheArrowSchema() throws {
        let dir = tempDir()
        try expectPython(dir, """
        import datetime, numpy as np, polars as pl, pyarrow as pa, pyarrow.parquet as pq
        r = np.random.default_rng(18); n = 60
        t = pa.table({
            'x': r.normal(size=n),
            'emb': pa.array([None if i % 9 == 0 else list(r.normal(size=3)) for i in range(n)], pa.list_(pa.float64(), 3)),
            'city': pa.array([['p', 'q', 'r'][i % 3] for i in range(n)]).dictionary_encode(),
            'at': pa.array([datetime.datetime(2021, 3, 28) + datetime.timedelta(hours=i) for i in range(n)], pa.timestamp('us', tz='Europe/Paris')),
            'label': np.array(['a', 'b'])[r.integers(0, 2, n)],
            'region': [['north', 'south', 'east'][i % 3] for i in range(n)],
            'year': [['2024', '2025'][i % 2] for i in range(n)]})
        pq.write_to_dataset(t, 'hive', partition_cols=['region', 'year'])
        pl.from_arrow(t.drop_columns(['city'])).write_parquet('polars_hive', partition_by=['region'])
        assert 'region' in pq.read_schema(next(__import__('glob').iglob('polars_hive/*/*.parquet'))).names  # Polars keeps the key in the files
        """)
        for input in ["hive", "polars_hive"] {
            try expectSuccess(["split", input, "--feature-columns", "x", "--seed", "4", "--train-out", "\(input)_t.parquet",
                               "--holdout-out", "\(input)_h.parquet", "--record", "\(input).json", "--quiet"], in: dir)
        }
        try expectPython(dir, """
        import polars as pl, pyarrow as pa, pyarrow.dataset as ds, pyarrow.parquet as pq
        def rows(input, part): return [i for a, b in json.load(open(input + '.json'))['split'][part]['source_rows'] for i in range(a, b + 1)]
        # pyarrow's partitions: every column keeps its Arrow type; the keys, which pyarrow reads as
        # dictionary strings (region) and int32 (year), come back as strings.
        whole = ds.dataset('hive', format='parquet', partitioning='hive').to_table()
        for part in ('train', 'holdout'):
            got = pq.read_table('hive_' + part[0] + '.parquet'); want = whole.take(rows('hive', part))
            assert got.column_names == want.column_names
            assert got.schema.field('emb').type == pa.list_(pa.field('element', pa.float64()), 3), got.schema
            assert got.schema.field('city').type == pa.dictionary(pa.int32(), pa.string())
            assert got.schema.field('at').type == pa.timestamp('us', tz='Europe/Paris')
            assert got.schema.field('region').type == got.schema.field('year').type == pa.string()
            for c in ('x', 'emb', 'at', 'label'):
                assert got.column(c).equals(want.column(c)), c
            for c in ('city', 'region', 'year'):
                assert got.column(c).cast(pa.string()).to_pylist() == want.column(c).cast(pa.string()).to_pylist(), c
            assert pl.read_parquet('hive_' + part[0] + '.parquet').schema['emb'] == pl.Array(pl.Float64, 3)
        # Polars' partitions: the parts hold the key, read once, and a part equals Polars' rows.
        whole = pl.read_parquet('polars_hive')
        for part in ('train', 'holdout'):
            got = pl.read_parquet('polars_hive_' + part[0] + '.parquet'); want = whole[rows('polars_hive', part)]
            assert got.schema == want.schema and got.equals(want), (got.schema, want.schema)
        """)
        let scored = try run(["score", "--table", "polars_hive", "--feature-columns", "x", "--json", "s.json"], in: dir)
        #expect(scored.code == 0 && (scored.stdout + scored.stderr).contains(
            "note: polars_hive: region read from the parts, which hold it as well as the Hive partition folders (as Polars writes them, and reads them back)"),
                "exit \(scored.code): \(scored.stderr) \(scored.stdout)")
    }

    /// parquet-mr's DECIMAL in BYTE_ARRAY (dictionary pages v1, and
    /// DELTA_BYTE_ARRAY pages v2) comes back in FIXED_LEN_BYTE_ARRAY as
    /// pyarrow writes a decimal: `pq.read_table(part)` equals the input's
    /// rows, types included (decimal128(20, 4), decimal128(5, 2),
    /// decimal256(45, 3)); a value beyond its precision is refused in one line.
    @Test(.enabled(if: pythonHasParquetReaders, "needs python3 with numpy, pandas, pyarrow, polars and duckdb"))
    func splitWritesBinaryDecimalsBack() throws {
        let dir = tempDir(), fixtures = Self.evalFixtures + "/parquet-mr"
        for name in ["binary_decimal_v1", "binary_decimal_v2", "binary_decimal_beyond_precision"] {
            try FileManager.default.copyItem(atPath: "\(fixtures)/\(name).parquet", toPath: "\(dir)/\(name).parquet")
        }
        for input in ["binary_decimal_v1", "binary_decimal_v2"] {
            try expectSuccess(["split", "\(input).parquet", "--feature-columns", "x", "--seed", "9", "--train-out", "\(input)_t.parquet",
                               "--holdout-out", "\(input)_h.parquet", "--record", "\(input).json", "--quiet"], in: dir)
        }
        try expectPython(dir, """
        import pyarrow as pa, pyarrow.parquet as pq
        for input in ('binary_decimal_v1', 'binary_decimal_v2'):
            whole = pq.read_table(input + '.parquet')
            for part in ('train', 'holdout'):
                rows = [i for a, b in json.load(open(input + '.json'))['split'][part]['source_rows'] for i in range(a, b + 1)]
                got = pq.read_table(input + '_' + part[0] + '.parquet')
                assert got.schema.remove_metadata() == whole.schema.remove_metadata(), got.schema
                assert got.equals(whole.take(rows).replace_schema_metadata(got.schema.metadata)), (input, part)
            assert str(whole.schema.field('huge').type) == 'decimal256(45, 3)'
            stored = pq.ParquetFile(input + '_t.parquet').schema
            assert [stored.column(k).physical_type for k in (1, 2, 3)] == ['FIXED_LEN_BYTE_ARRAY'] * 3
        """)
        let r = try run(["split", "binary_decimal_beyond_precision.parquet", "--feature-columns", "x", "--train-out", "t.parquet",
                         "--holdout-out", "h.parquet", "--record", "r.json"], in: dir)
        #expect(r.code == 2 && r.stderr == "synthctl: error: binary_decimal_beyond_precision.parquet: row 3, column \"cents\": "
                + "expected a DECIMAL(5, 2) value of at most 5 digits (3 bytes, the width it is written back in), found one of 6 bytes\n", "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/t.parquet"))
        // Read for scoring, the same file is fine: the value is read as pyarrow reads it.
        #expect(try run(["score", "--table", "binary_decimal_beyond_precision.parquet", "--feature-columns", "x,cents", "--json", "s.json"], in: dir).code == 0)
    }
}
