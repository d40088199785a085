#!/usr/bin/env python3
"""Parquet files whose columns carry logical types, written by pyarrow, for
synthctl's Parquet reader (issue 13, part 3): what the physical type alone
reads wrong. Unsigned integers must read as pyarrow reads them (uint32
3000000000 is not -1294967296, a uint64 above Int64.max is itself, since
issue 15: parquet_encodings.py has its extremes); strings that
are not UTF-8 must be refused (DECIMAL, DATE, TIME and TIMESTAMP, refused
until issue 15, are decoded: parquet_types_and_lists.py); a frame of zero rows must be
refused as such; an empty row group among others must be skipped.

Writes Tests/EvalTests/Fixtures/parquet/logical/*.parquet and expected.json
(for each readable file, its columns as pyarrow reads them back, null as
None; for each refused file, the column, the row where one is named, and
the logical type as parquet-format spells it).

Usage: pip install pyarrow pandas numpy
       python3 Tests/Oracles/parquet_logical_types.py
"""
import datetime, decimal, json, os
import pandas as pd
import pyarrow as pa, pyarrow.parquet as pq

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "parquet", "logical")
os.makedirs(out, exist_ok=True)

def path(name):
    return os.path.join(out, name + ".parquet")

n = 8
labels = pa.array(["a", "b"] * (n // 2))
unsigned = pa.table({
    "u8": pa.array([255, 0, 1, None, 200, 7, 128, 3], type=pa.uint8()),
    "u16": pa.array([65535, 0, 40000, 1, None, 2, 3, 4], type=pa.uint16()),
    "u32": pa.array([3000000000, 4294967295, 0, 1, 2, None, 2147483648, 5], type=pa.uint32()),
    "u64": pa.array([2**63 - 1, 0, 1, 2**62, None, 5, 6, 7], type=pa.uint64()),
    "label": labels,
})
def frame(column, values, kind=None):
    return pa.table({"x": pa.array(values, type=kind), "label": labels})

readable = {
    "uint64_above_int64_plain": lambda p: pq.write_table(frame("x", [None, 1, 2**64 - 1] + [3] * 5, pa.uint64()), p,
                                                         use_dictionary=False),
    "uint64_above_int64_dictionary": lambda p: pq.write_table(frame("x", [1, None, 1, 2**63] + [1] * 4, pa.uint64()), p,
                                                              use_dictionary=True),
    "unsigned_plain": lambda p: pq.write_table(unsigned, p, use_dictionary=False),
    "unsigned_dictionary": lambda p: pq.write_table(unsigned, p, use_dictionary=True),
    # Parquet format 1.0 has no UINT_32 in INT32: pyarrow widens to INT64.
    "unsigned_format_1": lambda p: pq.write_table(unsigned, p, version="1.0"),
}

def empty_group_first(p):
    with pq.ParquetWriter(p, unsigned.schema) as writer:
        writer.write_table(unsigned.slice(0, 0))
        writer.write_table(unsigned)
readable["empty_row_group_first"] = empty_group_first

expected = {"readable": {}, "refused": {}}
for name, write in readable.items():
    write(path(name))
    back = pq.read_table(path(name))
    assert back.num_rows == n, name
    expected["readable"][name] = {c: back.column(c).to_pylist() for c in back.column_names}

dates = [datetime.date(2020, 1, 1 + i) for i in range(n)]
stamps = [datetime.datetime(2020, 1, 1, 0, 0, i) for i in range(n)]
refused = {
    # (writer, column, row named (counted from 0, as pandas and NumPy count) or None, what the message names)
    "binary_not_utf8_plain": (lambda p: pq.write_table(pa.table({"x": pa.array([1.0] * n), "label": pa.array(
        [b"a", None, b"b", b"\xff\xfe", b"a", b"b", b"a", b"b"], type=pa.binary())}), p, use_dictionary=False),
        "label", 3, "ff fe"),
    "binary_not_utf8_dictionary": (lambda p: pq.write_table(pa.table({"x": pa.array([1.0] * n), "label": pa.array(
        [b"a", b"b", b"a", b"b", b"a", b"\xe9t\xe9", b"a", b"b"], type=pa.binary())}), p, use_dictionary=True),
        "label", 5, "e9 74 e9"),
    "zero_rows": (lambda p: pd.DataFrame({"a": [], "label": []}).to_parquet(p), None, None, None),
}
for name, (write, column, row, what) in refused.items():
    write(path(name))
    expected["refused"][name] = {"column": column, "row": row, "names": what}

with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
print("wrote", out)
