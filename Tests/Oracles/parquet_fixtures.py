#!/usr/bin/env python3
"""Parquet files written by pyarrow, the way pandas, Spark and Hugging Face
users produce them, for synthctl's Parquet reader: every layout the reader
supports (Snappy or no compression, dictionary or plain encoding, data pages
v1 and v2, several row groups and pages, nulls, every supported type), and
files it must refuse with a clear message (nested and list columns; gzip
was refused until issue 15 and is now read: parquet_codecs.py covers the
codecs).
Writes Tests/EvalTests/Fixtures/parquet/*.parquet and expected.json (each
readable file's columns as pandas reads them; NaN and null as None).

Usage: pip install pyarrow pandas numpy
       python3 Tests/Oracles/parquet_fixtures.py
"""
import json, os
import numpy as np
import pyarrow as pa, pyarrow.parquet as pq

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "parquet")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(7)
n = 300
table = pa.table({
    "x0": pa.array(rng.normal(size=n).astype(np.float32)),
    "x1": pa.array(rng.normal(size=n)),                                      # float64
    "x2": pa.array(rng.integers(-5, 5, n).astype(np.int32)),                 # small ints: dictionary-friendly
    "x3": pa.array(rng.integers(-10**12, 10**12, n).astype(np.int64)),
    "flag": pa.array(rng.random(n) < 0.3),
    "label": pa.array(rng.choice(["cat", "dog", "émeu"], n)),
    "code": pa.array(rng.integers(0, 4, n).astype(np.int64)),
    "maybe": pa.array([None if i % 7 == 3 else float(i) / 3 for i in range(n)], type=pa.float64()),
    "maybe_text": pa.array([None if i % 5 == 1 else f"t{i % 11}" for i in range(n)]),
})
layouts = {
    "snappy_dictionary_v1": dict(compression="snappy", use_dictionary=True, data_page_version="1.0"),
    "none_plain_v1": dict(compression="none", use_dictionary=False, data_page_version="1.0"),
    "snappy_plain_v2": dict(compression="snappy", use_dictionary=False, data_page_version="2.0"),
    "none_dictionary_v2": dict(compression="none", use_dictionary=True, data_page_version="2.0"),
    # several row groups and small pages: values continue across both
    "snappy_groups_pages": dict(compression="snappy", row_group_size=70, data_page_size=256, write_batch_size=32),
}
expected = {}
def plain(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (np.floating, float)):
        return float(v)
    if isinstance(v, (np.integer, int)) and not isinstance(v, bool):
        return int(v)
    return v
for name, options in layouts.items():
    pq.write_table(table, os.path.join(out, name + ".parquet"), **options)
    back = pq.read_table(os.path.join(out, name + ".parquet"))
    expected[name] = {c: [plain(v) for v in back.column(c).to_pylist()] for c in back.column_names}

# Files to refuse (gzip.parquet now reads: the same x0 and label).
pq.write_table(table.select(["x0", "label"]), os.path.join(out, "gzip.parquet"), compression="gzip")
pq.write_table(pa.table({"point": pa.array([{"a": 1.0, "b": 2.0}] * 4), "label": ["a"] * 4}), os.path.join(out, "nested.parquet"))
pq.write_table(pa.table({"vec": pa.array([[1.0, 2.0]] * 4), "label": ["a"] * 4}), os.path.join(out, "list.parquet"))
pq.write_table(pa.table({"x": pa.array(np.arange(40, dtype=np.int64)), "label": ["a"] * 40}), os.path.join(out, "delta.parquet"),
               use_dictionary=False, column_encoding={"x": "DELTA_BINARY_PACKED"}, compression="none")
pq.write_table(pa.table({"x": pa.array([b"abcd"] * 4, type=pa.binary(4)), "label": ["a"] * 4}), os.path.join(out, "fixed.parquet"))
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f)
    f.write("\n")
print("wrote", out)
