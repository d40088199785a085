#!/usr/bin/env python3
"""Directories of Parquet parts as pyarrow and DuckDB write them,
for synthctl's reading of such a directory as one table (issue 15; Spark's
df.write.parquet directory comes from spark_fixtures.py):
- pyarrow_dataset/: pyarrow.dataset.write_dataset, several files (max_rows_per_file);
- pyarrow_hive/: pq.write_to_dataset(partition_cols=["split", "source"]),
  Hive folders split=…/source=…/ (one value needing percent-encoding);
- duckdb_threads/: DuckDB COPY … TO 'dir' (FORMAT parquet, PER_THREAD_OUTPUT)
  (a table this small gives one data_0.parquet);
- duckdb_hive/: DuckDB COPY … TO 'dir' (FORMAT parquet, PARTITION_BY (split)).
Writes Tests/EvalTests/Fixtures/parquet/directories/ and expected.json: each
directory's part count and columns as pyarrow.dataset reads the directory
(partitioning="hive"; partition values as strings, as pandas' categories
print them), null as None.

Usage: pip install pyarrow duckdb
       python3 Tests/Oracles/parquet_directories.py
"""
import json, os, shutil
import numpy as np
import pyarrow as pa, pyarrow.parquet as pq, pyarrow.dataset as ds
import duckdb

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "parquet", "directories")
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
rng = np.random.default_rng(24)
n = 40
table = pa.table({
    "x": pa.array(rng.normal(size=n)),
    "f": pa.array(rng.normal(size=n).astype(np.float32)),
    "k": pa.array([None if i % 7 == 3 else int(i * 3 - 50) for i in range(n)], type=pa.int64()),
    "label": pa.array(rng.choice(["cat", "dog"], n)),
    "split": pa.array(["train" if i % 3 else "test" for i in range(n)]),
    "source": pa.array(["web" if i % 2 else "a b/c" for i in range(n)]),
})
ds.write_dataset(table.drop(["split", "source"]), os.path.join(out, "pyarrow_dataset"), format="parquet",
                 max_rows_per_file=15, max_rows_per_group=15, basename_template="part-{i}.parquet")
pq.write_to_dataset(table, os.path.join(out, "pyarrow_hive"), partition_cols=["split", "source"],
                    basename_template="part-{i}.parquet")
con = duckdb.connect()
con.execute("SET threads TO 2")
con.register("t", table.drop(["split", "source"]))
con.execute(f"COPY (SELECT * FROM t) TO '{os.path.join(out, 'duckdb_threads')}' (FORMAT parquet, PER_THREAD_OUTPUT)")
con.register("s", table.drop(["source"]))
con.execute(f"COPY (SELECT * FROM s) TO '{os.path.join(out, 'duckdb_hive')}' (FORMAT parquet, PARTITION_BY (split))")

def plain(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    return v

expected = {}
for name in sorted(os.listdir(out)):
    root = os.path.join(out, name)
    parts = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".parquet")]
    read = ds.dataset(root, format="parquet", partitioning="hive").to_table()
    columns = {}
    for c in read.column_names:
        column = read.column(c)
        if pa.types.is_dictionary(column.type) or c in ("split", "source"):
            columns[c] = {"strings": [None if v is None else str(v) for v in column.to_pylist()]}
        elif pa.types.is_string(column.type):
            columns[c] = {"strings": column.to_pylist()}
        else:
            columns[c] = {"numbers": [plain(None if v is None else float(v)) for v in column.to_pylist()]}
    expected[name] = {"parts": len(parts), "header": read.column_names, "columns": columns}
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, sort_keys=True, indent=1)
    f.write("\n")
print("wrote", out)
