#!/usr/bin/env python3
"""Parquet files compressed by every codec, as the real writers write them,
for synthctl's Parquet reader (issue 15): pyarrow under each codec (snappy,
gzip, brotli, lz4 — LZ4_RAW in pyarrow — zstd and none) with data pages v1
and v2; Polars' write_parquet (its default, zstd); DuckDB's COPY … TO
(FORMAT parquet, CODEC 'zstd' | 'gzip' | 'snappy').
Writes Tests/EvalTests/Fixtures/parquet/codecs/*.parquet and expected.json:
each file's codecs as pyarrow names them, and the columns pyarrow reads
back from every one of them (the same table; NaN and null as None). Small tables: a few KB each.

Usage: pip install pyarrow numpy polars duckdb
       python3 Tests/Oracles/parquet_codecs.py
"""
import json, os
import numpy as np
import pyarrow as pa, pyarrow.parquet as pq
import polars as pl
import duckdb

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "parquet", "codecs")
os.makedirs(out, exist_ok=True)
for f in os.listdir(out):
    os.remove(os.path.join(out, f))
rng = np.random.default_rng(15)
n = 120
table = pa.table({
    "x": pa.array(rng.normal(size=n)),                                          # float64
    "f": pa.array(rng.normal(size=n).astype(np.float32)),
    "k": pa.array(rng.integers(-1000, 1000, n).astype(np.int64)),
    "maybe": pa.array([None if i % 6 == 2 else int(i * 7) for i in range(n)], type=pa.int32()),
    "flag": pa.array(rng.random(n) < 0.4),
    "label": pa.array(rng.choice(["cat", "dog", "émeu"], n)),
})

files = {}
for codec in ["snappy", "gzip", "brotli", "lz4", "zstd", "none"]:
    for version in ["1.0", "2.0"]:
        name = f"pyarrow_{codec}_v{version[0]}"
        # Two row groups and several pages per chunk; v2 puts levels outside the compressed values.
        pq.write_table(table, os.path.join(out, name + ".parquet"), compression=codec, data_page_version=version,
                       row_group_size=80, data_page_size=512, write_batch_size=40)
        files[name] = name
pl.from_arrow(table).write_parquet(os.path.join(out, "polars_default.parquet"))  # zstd, Polars' default
files["polars_default"] = "polars_default"
con = duckdb.connect()
con.register("t", table)
for codec in ["zstd", "gzip", "snappy"]:
    name = f"duckdb_{codec}"
    con.execute(f"COPY t TO '{os.path.join(out, name + '.parquet')}' (FORMAT parquet, CODEC '{codec}')")
    files[name] = name

def plain(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (np.floating, float)):
        return float(v)
    if isinstance(v, (np.integer, int)) and not isinstance(v, bool):
        return int(v)
    return v

# Every writer wrote the same table: pyarrow must read the same values from
# each file, stored once (with each file's codecs as pyarrow names them).
codecs, columns = {}, None
for name in files:
    path = os.path.join(out, name + ".parquet")
    meta = pq.ParquetFile(path).metadata
    codecs[name] = sorted({meta.row_group(g).column(c).compression for g in range(meta.num_row_groups)
                           for c in range(meta.num_columns)})
    back = pq.read_table(path)
    read = {c: [plain(v) for v in back.column(c).to_pylist()] for c in back.column_names}
    assert columns is None or read == columns, name
    columns = read
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump({"files": codecs, "columns": columns}, f, sort_keys=True)
    f.write("\n")
print("wrote", out)
