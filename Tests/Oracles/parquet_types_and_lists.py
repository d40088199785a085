#!/usr/bin/env python3
"""Parquet logical types and embedding lists as the ecosystem writes them,
for synthctl's Parquet reader (issue 15): DECIMAL in every physical type,
DATE, TIME, TIMESTAMP (ms/us/ns, with and without a time zone), INT96
timestamps, FLOAT16, and lists of floats (list, large_list,
fixed_size_list; Polars Array and List; Hugging Face datasets Sequence;
DuckDB FLOAT[] and DECIMAL(10,2)).

Writes Tests/EvalTests/Fixtures/parquet/types/*.parquet and expected.json:
for each readable file, each column as pyarrow reads it back, converted to
the unit synthctl reads it in -- decimals as the nearest float64 (Python's
float(Decimal), correctly rounded), dates as days since 1970-01-01,
times as seconds since midnight and timestamps as seconds since
1970-01-01 00:00:00, each the nearest float64 to the exact tick count
over 10^digits -- lists as lists, null as None; for each refused file the
column, the row named, and a fragment of the message.

Usage: pip install pyarrow polars duckdb datasets
       python3 Tests/Oracles/parquet_types_and_lists.py
"""
import datetime, decimal, json, os
from fractions import Fraction
import pyarrow as pa, pyarrow.parquet as pq

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "parquet", "types")
os.makedirs(out, exist_ok=True)
def path(name): return os.path.join(out, name + ".parquet")

D = decimal.Decimal
labels = ["a", "b", "a", "b", "a", "b"]
n = len(labels)

def unit_values(column):
    """A pyarrow column's values in synthctl's units."""
    t = column.type
    if pa.types.is_decimal(t):
        return [None if v is None else float(v) for v in column.to_pylist()]
    if pa.types.is_date32(t):
        return column.cast(pa.int32()).to_pylist()
    if pa.types.is_timestamp(t) or pa.types.is_time(t):
        digits = {"s": 0, "ms": 3, "us": 6, "ns": 9}[t.unit]
        ticks = column.cast(pa.int32() if pa.types.is_time32(t) else pa.int64()).to_pylist()
        return [None if v is None else float(Fraction(v, 10 ** digits)) for v in ticks]
    if pa.types.is_float16(t):
        return [None if v is None else float(v) for v in column.cast(pa.float32()).to_pylist()]
    return column.to_pylist()

decimals = pa.table({
    "d9_2": pa.array([D("1.25"), D("-3.10"), None, D("9999999.99"), D("0.01"), D("-0.07")], pa.decimal128(9, 2)),
    "d18_4": pa.array([D("12345678901234.5678"), None, D("-1.0001"), D("0"), D("3.1416"), D("-99999999999999.9999")],
                      pa.decimal128(18, 4)),
    "d20_3": pa.array([D("12345678901234567.891"), D("-1.5"), D("0.001"), None, D("-99999999999999999.999"), D("7")],
                      pa.decimal128(20, 3)),
    "d38_10": pa.array([D("1234567890123456789012345678.0123456789"), D("-0.0000000001"), None, D("1"),
                        D("-9999999999999999999999999999.9999999999"), D("0.1")], pa.decimal128(38, 10)),
    "d5_0": pa.array([-32768, 5, 99999, -99999, None, 0], pa.decimal128(5, 0)),
    "label": labels,
})
stamps = [datetime.datetime(2021, 3, 4, 5, 6, 7, 123456), datetime.datetime(1969, 12, 31, 23, 59, 59, 999999), None,
          datetime.datetime(1970, 1, 1), datetime.datetime(2262, 4, 11, 23, 47, 16), datetime.datetime(1900, 1, 1, 0, 0, 0, 1)]
times = pa.table({
    "date": pa.array([datetime.date(2020, 2, 29), datetime.date(1969, 12, 31), None, datetime.date(1970, 1, 1),
                      datetime.date(2100, 1, 1), datetime.date(1, 1, 1)], pa.date32()),
    "ts_ms": pa.array(stamps, pa.timestamp("ms")),
    "ts_us_utc": pa.array(stamps, pa.timestamp("us", tz="UTC")),
    "ts_ns": pa.array(stamps[:4] + [datetime.datetime(2262, 4, 11, 23, 47, 16, 854775), stamps[5]], pa.timestamp("ns")),
    "ts_ns_tz": pa.array([1_614_834_367_123_456_789, -1, None, 0, 9_223_372_036_854_775_807, 1], pa.timestamp("ns", tz="Europe/Paris")),
    "time_ms": pa.array([datetime.time(1, 2, 3, 4000), None, datetime.time(0), datetime.time(23, 59, 59, 999000),
                         datetime.time(12), datetime.time(0, 0, 0, 1000)], pa.time32("ms")),
    "time_us": pa.array([datetime.time(1, 2, 3, 4), None, datetime.time(0), datetime.time(23, 59, 59, 999999),
                         datetime.time(12), datetime.time(0, 0, 0, 1)], pa.time64("us")),
    "time_ns": pa.array([3_723_000_000_123, None, 0, 86_399_999_999_999, 1, 43_200_000_000_000], pa.time64("ns")),
    "label": labels,
})
f32 = pa.float32()
lists = pa.table({
    "emb": pa.array([[0.5, -1.25, 3.0], [1e-3, None, 2.5], None, [0.0, -0.0, 1e30], [1.1, 2.2, 3.3], [7.0, 8.0, 9.0]],
                    pa.list_(f32)),
    "wide": pa.array([[float(i + j) / 7 for j in range(4)] for i in range(n)], pa.large_list(pa.float64())),
    "fixed": pa.array([[1.5, 2.5], [3.5, 4.5], [5.5, None], None, [9.5, 10.5], [11.5, 12.5]], pa.list_(f32, 2)),
    "x": pa.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
    "label": labels,
})
readable = {
    "decimal_fixed": lambda p: pq.write_table(decimals, p),
    "decimal_plain_v2": lambda p: pq.write_table(decimals, p, use_dictionary=False, data_page_version="2.0"),
    "decimal_integers": lambda p: pq.write_table(decimals, p, store_decimal_as_integer=True),
    "dates_and_times": lambda p: pq.write_table(times, p),
    "dates_and_times_plain_v2": lambda p: pq.write_table(times, p, use_dictionary=False, data_page_version="2.0"),
    "int96": lambda p: pq.write_table(times.select(["ts_ms", "ts_us_utc", "ts_ns", "label"]), p,
                                      use_deprecated_int96_timestamps=True),
    "float16": lambda p: pq.write_table(pa.table({"h": pa.array([1.0, -2.5, None, 65504.0, 6e-5, 0.333], pa.float16()),
                                                  "label": labels}), p),
    "lists": lambda p: pq.write_table(lists, p),
    "lists_plain_v2": lambda p: pq.write_table(lists, p, use_dictionary=False, data_page_version="2.0"),
    "lists_small_pages": lambda p: pq.write_table(lists, p, data_page_size=16, row_group_size=4, write_batch_size=2),
}

def polars_file(p):
    import polars as pl
    pl.DataFrame({
        "emb": pl.Series([[float(i), float(i) / 2, -float(i), 0.25] for i in range(n)], dtype=pl.Array(pl.Float32, 4)),
        "seq": pl.Series([[float(i)] * 3 if i != 2 else None for i in range(n)], dtype=pl.List(pl.Float32)),
        "label": labels,
    }).write_parquet(p)
readable["polars"] = polars_file

def datasets_file(p):
    import datasets
    features = datasets.Features({"embedding": datasets.Sequence(datasets.Value("float32")), "label": datasets.Value("string")})
    datasets.Dataset.from_dict({"embedding": [[i / 4, 1 - i / 4] for i in range(n)], "label": labels},
                               features=features).to_parquet(p)
readable["datasets"] = datasets_file

def duckdb_file(p):
    import duckdb
    duckdb.sql(f"""COPY (SELECT (i * 1.37 - 3)::DECIMAL(10,2) AS price, (i * 123456.789)::DECIMAL(18,3) AS amount,
                        [i * 0.5, i * 0.25]::FLOAT[] AS emb, [i, -i, 0.5]::DOUBLE[3] AS arr,
                        DATE '2024-02-28' + i::INTEGER AS day, TIMESTAMP '2024-01-01 12:00:00' + i::INTEGER * INTERVAL 90 SECOND AS at,
                        CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END AS label
                 FROM range({n}) t(i)) TO '{p}' (FORMAT PARQUET)""")
readable["duckdb"] = duckdb_file

expected = {"readable": {}, "refused": {}}
for name, write in readable.items():
    write(path(name))
    back = pq.read_table(path(name))
    assert back.num_rows == n, name
    columns = {}
    for c in back.column_names:
        if c == "label": continue
        column = back.column(c)
        if pa.types.is_list(column.type) or pa.types.is_large_list(column.type) or pa.types.is_fixed_size_list(column.type):
            columns[c] = {"vectors": column.to_pylist()}
        else:
            columns[c] = {"numbers": unit_values(column)}
    expected["readable"][name] = columns

refused = {
    # (writer, column, row named or None, message fragment)
    "ragged": (lambda p: pq.write_table(pa.table({"emb": pa.array([[1.0, 2.0], None, [1.0, 2.0], [3.0], [1.0, 2.0], [1.0, 2.0]],
                                                                  pa.list_(f32)), "label": labels}), p),
               "emb", 3, "expected a list of 2 numbers, as in row 0 (every row's the same length), found 1"),
    "empty_list": (lambda p: pq.write_table(pa.table({"emb": pa.array([[1.0], [], [1.0], [1.0], [1.0], [1.0]], pa.list_(f32)),
                                                      "label": labels}), p),
                   "emb", 1, "expected a list of 1 numbers, as in row 0 (every row's the same length), found 0"),
    "list_of_strings": (lambda p: pq.write_table(pa.table({"tags": pa.array([["x"]] * n), "label": labels}), p),
                        None, None, "expected flat columns, found the nested column \"tags\""),
    "list_of_lists": (lambda p: pq.write_table(pa.table({"m": pa.array([[[1.0]]] * n), "label": labels}), p),
                      None, None, "expected flat columns, found the nested column \"m\""),
}
for name, (write, column, row, what) in refused.items():
    write(path(name))
    expected["refused"][name] = {"column": column, "row": row, "names": what}

with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
print("wrote", out)
