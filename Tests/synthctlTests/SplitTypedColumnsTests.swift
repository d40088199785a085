import Testing
import Foundation

/// Issue 15's last gaps in `split`: columns it reads and, until this
/// version, could not write back. A DECIMAL in FIXED_LEN_BYTE_ARRAY (pyarrow,
/// DuckDB and Spark store `decimal128(p, s)` so; p > 18 has no INT64 form)
/// was refused; a Polars `Array(Float64, n)` (in Parquet a LIST, its fixed
/// size only in the Arrow schema) came back as a variable-length list.
/// Both now come back as pyarrow and Polars read the input's rows.
extension CommandLineTests {
    @Test(.enabled(if: pythonHasParquetReaders, "needs python3 with numpy, pandas, pyarrow, polars and duckdb"))
    func splitWritesWideDecimalsAndFixedSizeListsBack() throws {
        let dir = tempDir()
        try expectPython(dir, """
        import decimal, numpy as np, polars as pl, pyarrow as pa, pyarrow.parquet as pq
        r = np.random.default_rng(15); n = 80
        decimal.getcontext().prec = 80
        def D(unscaled, scale): return decimal.Decimal(unscaled).scaleb(-scale)  # exact: 80 digits
        wide = lambda digits: [int(v) * 10**(digits - 18) + i for i, v in enumerate(r.integers(-10**17, 10**17, n))]
        lab = np.array(['a', 'b', 'c'])[r.integers(0, 3, n)]
        t = pa.table({
            'd22': pa.array([None if i % 7 == 0 else D(v, 2) for i, v in enumerate(wide(22))], pa.decimal128(22, 2)),
            'd38': pa.array([D(v, 10) for v in wide(38)], pa.decimal128(38, 10)),
            'd9': pa.array([D(i - 40, 2) for i in range(n)], pa.decimal128(9, 2)),
            'd50': pa.array([D(v, 3) for v in wide(50)], pa.decimal256(50, 3)),
            'x': r.normal(size=n), 'label': lab})
        k = t.schema.get_field_index('d38')  # REQUIRED: a column of no nulls written without definition levels
        pq.write_table(t.cast(t.schema.set(k, t.schema.field(k).with_nullable(False))), 'dec.parquet')
        emb = r.normal(size=(n, 4))
        pl.DataFrame({'emb': [None if i % 9 == 0 else list(emb[i]) for i in range(n)], 'x': r.normal(size=n),
                      'price': [D(v, 4) for v in wide(25)],
                      'label': lab.tolist()},
                     schema={'emb': pl.Array(pl.Float64, 4), 'x': pl.Float64, 'price': pl.Decimal(25, 4), 'label': pl.String}
                     ).write_parquet('arr.parquet')
        assert pq.read_schema('arr.parquet').field('emb').type == pa.list_(pa.field('element', pa.float64()), 4)
        assert pq.ParquetFile('dec.parquet').schema.column(0).physical_type == 'FIXED_LEN_BYTE_ARRAY'
        assert pq.ParquetFile('dec.parquet').schema.column(1).max_definition_level == 0
        """)
        for input in ["dec", "arr"] {
            try expectSuccess(["split", "\(input).parquet", "--feature-columns", "x", "--seed", "5", "--train-out", "\(input)_t.parquet",
                               "--holdout-out", "\(input)_h.parquet", "--record", "\(input).json", "--quiet"], in: dir)
        }
        try expectPython(dir, """
        import polars as pl, pyarrow.parquet as pq
        def rows(rec, part): return [i for a, b in rec[part]['source_rows'] for i in range(a, b + 1)]
        for input in ('dec', 'arr'):
            rec = json.load(open(input + '.json'))['split']
            whole = pq.read_table(input + '.parquet')
            polars_columns = [c for c in whole.column_names if c != 'd50']  # Polars reads decimals of up to 38 digits
            polars_whole = pl.read_parquet(input + '.parquet', columns=polars_columns)
            for part, out in (('train', input + '_t.parquet'), ('holdout', input + '_h.parquet')):
                got, want = pq.read_table(out), whole.take(rows(rec, part))
                assert got.schema.remove_metadata() == want.schema.remove_metadata(), (got.schema, want.schema)
                assert got.equals(want.replace_schema_metadata(got.schema.metadata)), (input, part)
                got, want = pl.read_parquet(out, columns=polars_columns), polars_whole[rows(rec, part)]
                assert got.schema == want.schema and got.equals(want), (input, part, got.schema, want.schema)
        assert pl.read_parquet('arr_h.parquet').schema['emb'] == pl.Array(pl.Float64, 4)
        assert str(pq.read_schema('dec_t.parquet').field('d22').type) == 'decimal128(22, 2)'
        """)
    }
}
