#!/usr/bin/env python3
"""Parquet files in the encodings v2 writers use, as the real writers write
them, for synthctl's Parquet reader (issue 15): DELTA_BINARY_PACKED (INT32,
INT64), DELTA_LENGTH_BYTE_ARRAY (BYTE_ARRAY), DELTA_BYTE_ARRAY (BYTE_ARRAY,
FIXED_LEN_BYTE_ARRAY) and BYTE_STREAM_SPLIT (FLOAT, DOUBLE, INT32, INT64,
FIXED_LEN_BYTE_ARRAY), with nulls and lists, in data pages v1 and v2,
uncompressed, Snappy and zstd, in several pages and row groups, written by
pyarrow (column_encoding) and DuckDB (PARQUET_VERSION V2); uint64 up to
2^64 - 1 (plain, dictionary, delta); DECIMAL in FIXED_LEN_BYTE_ARRAY of 17
to 32 bytes (decimal256).

Writes Tests/EvalTests/Fixtures/parquet/encodings/*.parquet and
expected.json: for each file, the encodings pyarrow's metadata shows for
each column and its table (the pyarrow files hold one table), and each
table's columns as pyarrow reads them back, in the form
synthctl reads it: {"integers": decimal text} for integer columns (exact
beyond 2^53 and 2^63), {"numbers": nearest float64} for floats, decimals
(Python's float(Decimal), correctly rounded) and half floats, {"strings":
...} for text, {"vectors": ...} for lists of floats; null as None.

Usage: pip install pyarrow duckdb
       python3 Tests/Oracles/parquet_encodings.py
"""
import decimal, json, os
import pyarrow as pa, pyarrow.parquet as pq
import duckdb

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "parquet", "encodings")
os.makedirs(out, exist_ok=True)
for f in os.listdir(out):
    os.remove(os.path.join(out, f))
def path(name): return os.path.join(out, name + ".parquet")

D = decimal.Decimal
n = 200
def nulls(values, every=7):
    return [None if i % every == 3 else v for i, v in enumerate(values)]

# Integers whose deltas overflow (wrap-around), repeat, and jump; strings
# with shared prefixes, empty and non-ASCII; decimals beyond 16 bytes.
i32 = [(-2**31, 2**31 - 1, 0, -1, 7)[i % 5] if i < 40 else (i * 7919) % 1000 - 500 for i in range(n)]
i64 = [(-2**63, 2**63 - 1, 0, -2**63, 2**62)[i % 5] if i < 30 else i * 3 - 2**40 for i in range(n)]
u64 = [(0, 2**64 - 1, 2**63, 2**63 - 1, 1)[i % 5] if i < 30 else 2**63 + i * 1000 for i in range(n)]
words = [("", "émeu", "https://example.org/a/" + "x" * (i % 40), "prefix-" + str(i), "prefix-" + str(i) + "-tail")[i % 5]
         for i in range(n)]
d128 = [D(i * 123456789) / 1000 - D("12345678.5") for i in range(n)]
d256 = [D(10**34 + i * 987654321987) / 100000 * (1 if i % 3 else -1) for i in range(n)]
floats = [(i - 100) / 7 for i in range(n)]
table = pa.table({
    "i32": pa.array(nulls(i32), pa.int32()),
    "i64": pa.array(i64, pa.int64()),
    "u32": pa.array(nulls([(i * 2654435761) % 2**32 for i in range(n)]), pa.uint32()),
    "u64": pa.array(nulls(u64, 11), pa.uint64()),
    "f32": pa.array(nulls([float(x) for x in floats]), pa.float32()),
    "f64": pa.array([x * 1e10 if i % 9 == 0 else x for i, x in enumerate(floats)], pa.float64()),
    "f16": pa.array(nulls([x / 10 for x in floats], 5), pa.float16()),
    "text": pa.array(nulls(words), pa.string()),
    "text_req": pa.array(words, pa.string()),
    "d128": pa.array(nulls(d128), pa.decimal128(20, 3)),
    "d256": pa.array(nulls(d256, 6), pa.decimal256(40, 5)),
    "emb": pa.array([None if i % 13 == 5 else [x, -x, None if i % 17 == 1 else x / 3] for i, x in enumerate(floats)],
                    pa.list_(pa.float32())),
})
delta = {"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "u32": "DELTA_BINARY_PACKED",
         "u64": "DELTA_BINARY_PACKED", "text": "DELTA_LENGTH_BYTE_ARRAY", "text_req": "DELTA_BYTE_ARRAY",
         "d128": "DELTA_BYTE_ARRAY", "d256": "DELTA_BYTE_ARRAY", "f16": "DELTA_BYTE_ARRAY"}
split = {"i32": "BYTE_STREAM_SPLIT", "i64": "BYTE_STREAM_SPLIT", "u64": "BYTE_STREAM_SPLIT", "f32": "BYTE_STREAM_SPLIT",
         "f64": "BYTE_STREAM_SPLIT", "f16": "BYTE_STREAM_SPLIT", "d128": "BYTE_STREAM_SPLIT", "d256": "BYTE_STREAM_SPLIT",
         "emb.list.element": "BYTE_STREAM_SPLIT", "text": "DELTA_BYTE_ARRAY"}

writers = {}
for kind, encodings in [("delta", delta), ("split", split)]:
    for version in ["1.0", "2.0"]:
        for codec in ["none", "zstd"]:
            writers[f"pyarrow_{kind}_v{version[0]}_{codec}"] = (
                lambda p, e=encodings, v=version, c=codec: pq.write_table(
                    table, p, use_dictionary=False, column_encoding=e, data_page_version=v, compression=c))
# Several pages and row groups: a delta run and the streams start again in each.
writers["pyarrow_delta_pages_snappy"] = lambda p: pq.write_table(
    table, p, use_dictionary=False, column_encoding=delta, data_page_version="2.0", compression="snappy",
    row_group_size=120, data_page_size=200, write_batch_size=50)
writers["pyarrow_split_pages_snappy"] = lambda p: pq.write_table(
    table, p, use_dictionary=False, column_encoding=split, compression="snappy",
    row_group_size=120, data_page_size=200, write_batch_size=50)
# Small and uncompressed, for the fuzz tests: a replaced byte lands in encoded values, not in a codec's stream.
small = table.slice(0, 40)
writers["small_delta_v2"] = lambda p: pq.write_table(small, p, use_dictionary=False, column_encoding=delta,
                                                     data_page_version="2.0", compression="none")
writers["small_split_v1"] = lambda p: pq.write_table(small, p, use_dictionary=False, column_encoding=split, compression="none")
# uint64 extremes in PLAIN and dictionary pages, and decimal256 in PLAIN.
extremes = pa.table({"u64": pa.array([0, 2**64 - 1, None, 2**63, 2**63 - 1, 1, 2**64 - 1, 2**63], pa.uint64()),
                     "d256": pa.array([D("-1" + "0" * 34 + ".12345"), D("99999999999999999999999999999999999.99999"), None,
                                       D("0.00001"), D("-0.00001"), D(0), D("123456789012345678901234567890.5"), D(1)],
                                      pa.decimal256(40, 5)),
                     "d76": pa.array([D("9" * 76), D("-" + "9" * 76), None, D(0), D(1), D(-1), D(2**200), D(-(2**250))],
                                     pa.decimal256(76, 0))})
writers["uint64_decimal256_plain"] = lambda p: pq.write_table(extremes, p, use_dictionary=False)
writers["uint64_decimal256_dictionary"] = lambda p: pq.write_table(extremes, p)

def duckdb_v2(p):
    duckdb.sql(f"""COPY (SELECT CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 7919) % 1000 - 500 END::INTEGER AS i32,
                               (i * 3 - 1099511627776)::BIGINT AS i64,
                               CASE WHEN i % 5 = 0 THEN 18446744073709551615 ELSE 9223372036854775808 + i END::UBIGINT AS u64,
                               ((i - 100) / 7)::FLOAT AS f32, ((i - 100) / 7 * 1e10)::DOUBLE AS f64,
                               CASE WHEN i % 4 = 1 THEN NULL ELSE 'prefix-' || i END AS text,
                               (i * 1234.567)::DECIMAL(18,3) AS d18, (i * 1234.567)::DECIMAL(38,10) AS d38,
                               [i * 0.5, i * 0.25]::FLOAT[] AS emb
                        FROM range({n}) t(i)) TO '{p}' (FORMAT parquet, PARQUET_VERSION V2, CODEC 'zstd')""")
writers["duckdb_v2"] = duckdb_v2

def in_synthctl_form(column):
    t = column.type
    if pa.types.is_integer(t):
        return {"integers": [None if v is None else str(v) for v in column.to_pylist()]}
    if pa.types.is_decimal(t) or pa.types.is_floating(t):
        return {"numbers": [None if v is None else float(v) for v in column.to_pylist()]}
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return {"strings": column.to_pylist()}
    if pa.types.is_list(t):
        return {"vectors": column.to_pylist()}
    raise ValueError(f"no form for {t}")

# Files of one table share its values (what pyarrow reads back from each must be the same).
expected = {"files": {}, "tables": {}}
table_of = lambda name: {"pyarrow": "pyarrow", "small": "small", "uint64": "uint64_decimal256"}.get(name.split("_")[0], name)
for name, write in writers.items():
    write(path(name))
    meta = pq.ParquetFile(path(name)).metadata
    encodings = {}
    for g in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            chunk = meta.row_group(g).column(c)
            top = chunk.path_in_schema.split(".")[0]
            encodings.setdefault(top, set()).update(chunk.encodings)
    back = pq.read_table(path(name))
    columns = {c: in_synthctl_form(back.column(c)) for c in back.column_names}
    key = table_of(name)
    assert expected["tables"].setdefault(key, columns) == columns, name
    expected["files"][name] = {"rows": back.num_rows, "table": key, "encodings": {c: sorted(e) for c, e in encodings.items()}}

# Each encoding is in some file, or the fixtures do not test what they claim.
seen = {e for f in expected["files"].values() for es in f["encodings"].values() for e in es}
for e in ["DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "BYTE_STREAM_SPLIT"]:
    assert e in seen, e
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, sort_keys=True)
    f.write("\n")
print("wrote", out)
