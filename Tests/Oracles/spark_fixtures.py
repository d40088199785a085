#!/usr/bin/env python3
"""Tables as Apache Spark 3.5 writes them, for synthctl's table readers
(issue 15): Spark is the one writer of the ecosystem no other fixture came
from. Spark runs here in local mode to write the files, and only here: it is
no dependency of the tests or of synthctl.

Writes under Tests/EvalTests/Fixtures/spark/:
- spark_snappy.parquet: Spark's defaults (snappy, INT96 timestamps as Spark 3
  writes them, DecimalType(10,2) as INT64, DecimalType(25,4) as
  FIXED_LEN_BYTE_ARRAY, DateType, array<float> and array<double> embeddings,
  strings, booleans, a null in every column); spark_legacy.parquet the same
  with spark.sql.parquet.writeLegacyFormat=true (decimals as
  FIXED_LEN_BYTE_ARRAY, lists in the legacy 2-level layout);
  spark_micros.parquet with outputTimestampType=TIMESTAMP_MICROS;
  spark_zstd.parquet and spark_gzip.parquet under those codecs;
- spark.csv (header=True, Spark's quoting, nulls as empty cells, timestamps
  in its default timestampFormat) and spark.jsonl (Spark's JSON Lines, which
  leaves null fields out), without the list columns, which neither holds;
- labeled.parquet: a labeled table (features, label, true_label) for
  score and compare through the binary;
- parts/: df.write.parquet as Spark leaves it, three
  part-0000k-<uuid>-c000.snappy.parquet files beside _SUCCESS and .crc files.
- expected.json: every file's columns as pyarrow reads them back (Parquet;
  CSV and JSON Lines through pyarrow.csv and pyarrow.json, then pandas), in synthctl's units: decimals as the nearest
  float64, dates as days since 1970-01-01, timestamps as seconds since
  1970-01-01 00:00:00 UTC (the session time zone is UTC), lists as lists,
  null as None; each column as {"numbers"|"strings"|"booleans"|"vectors": […]}.

Usage: pip install 'pyspark>=3.5,<3.6' pyarrow pandas   (needs Java 17)
       python3 Tests/Oracles/spark_fixtures.py
"""
import datetime, decimal, glob, json, os, shutil
from fractions import Fraction
import pandas as pd
import pyarrow as pa, pyarrow.csv, pyarrow.json, pyarrow.parquet as pq, pyarrow.dataset as ds
from pyspark.sql import SparkSession
from pyspark.sql import types as T

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "spark")
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
scratch = os.path.join(out, "_scratch")

spark = (SparkSession.builder.master("local[1]").appName("synthctl-fixtures")
         .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

D = decimal.Decimal
schema = T.StructType([
    T.StructField("id", T.IntegerType()),
    T.StructField("big", T.LongType()),
    T.StructField("x", T.DoubleType()),
    T.StructField("f", T.FloatType()),
    T.StructField("price", T.DecimalType(10, 2)),
    T.StructField("wide", T.DecimalType(25, 4)),
    T.StructField("day", T.DateType()),
    T.StructField("at", T.TimestampType()),
    T.StructField("flag", T.BooleanType()),
    T.StructField("label", T.StringType()),
    T.StructField("emb", T.ArrayType(T.FloatType())),
    T.StructField("emb64", T.ArrayType(T.DoubleType())),
])
ts = datetime.datetime
rows = [
    (0, 9007199254740993, 1.5, 0.25, D("12.34"), D("123456789012345678901.2345"), datetime.date(2024, 3, 1),
     ts(2021, 3, 4, 5, 6, 7, 123456), True, "cat", [0.5, -1.0, 2.0], [0.1, 0.2, 0.3]),
    (1, -3, -2.25, -0.5, D("-0.07"), D("-1.0001"), datetime.date(1969, 12, 31),
     ts(1969, 12, 31, 23, 59, 59), False, "dog, big", [1.5, 0.0, -0.25], [1e-3, 2.0, -4.5]),
    (2, None, None, None, None, None, None, None, None, None, None, None),
    (3, 42, 1e10, 3.5, D("99999999.99"), D("0.0001"), datetime.date(2000, 2, 29),
     ts(2000, 2, 29, 12, 0, 0), True, "émeu", [0.0, 0.0, 0.0], [7.0, 8.0, 9.0]),
    (4, 7, 0.1, 1e-3, D("0.00"), D("-999999999999999999999.9999"), datetime.date(1970, 1, 1),
     ts(1970, 1, 1, 0, 0, 0, 1), False, "cat", [2.0, 3.0, 4.0], [0.5, 0.25, 0.125]),
    (5, 0, -0.0, 6.0, D("1.25"), D("3.1416"), datetime.date(2038, 1, 19),
     ts(2038, 1, 19, 3, 14, 7), True, "dog, big", [-1.0, -2.0, -3.0], [3.0, 2.0, 1.0]),
]
df = spark.createDataFrame(rows, schema)
flat = df.drop("emb", "emb64")

def single(name, frame, kind, **options):
    """Writes `frame` as one file called `name` (coalesced to one part, moved out of Spark's directory)."""
    shutil.rmtree(scratch, ignore_errors=True)
    writer = frame.coalesce(1).write.options(**options)
    getattr(writer, kind)(scratch)
    [part] = [p for p in glob.glob(os.path.join(scratch, "part-*")) if not p.endswith(".crc")]
    shutil.move(part, os.path.join(out, name))
    shutil.rmtree(scratch)

single("spark_snappy.parquet", df, "parquet")
single("spark_zstd.parquet", df, "parquet", compression="zstd")
single("spark_gzip.parquet", df, "parquet", compression="gzip")
spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
single("spark_micros.parquet", df, "parquet")
spark.conf.unset("spark.sql.parquet.outputTimestampType")
spark.conf.set("spark.sql.parquet.writeLegacyFormat", "true")
single("spark_legacy.parquet", df, "parquet")
spark.conf.unset("spark.sql.parquet.writeLegacyFormat")
single("spark.csv", flat, "csv", header=True)
single("spark.jsonl", flat, "json")

# A labeled table: two features, the label and the truth, for score and compare.
labeled = spark.createDataFrame(
    [(float(i % 7) / 3 + (i % 2) * 4, float(i % 5) / 2 - (i % 2) * 3, "even" if i % 2 == 0 else "odd",
      "even" if (i % 2 == 0) != (i % 17 == 0) else "odd") for i in range(60)],
    "x0 double, x1 double, true_label string, label string")
single("labeled.parquet", labeled, "parquet")
# df.write.parquet as Spark leaves it: several parts, _SUCCESS and .crc files.
df.repartitionByRange(3, "id").sortWithinPartitions("id").write.parquet(os.path.join(out, "parts"))
spark.stop()

def seconds(column):
    digits = {"s": 0, "ms": 3, "us": 6, "ns": 9}[column.type.unit]
    return [None if v is None else float(Fraction(v, 10 ** digits)) for v in column.cast(pa.int64()).to_pylist()]

def arrow_values(column):
    """A pyarrow column as {"numbers"|"strings"|"booleans"|"vectors": values} in synthctl's units."""
    t = column.type
    if pa.types.is_decimal(t):
        return {"numbers": [None if v is None else float(v) for v in column.to_pylist()]}
    if pa.types.is_date32(t):
        return {"numbers": column.cast(pa.int32()).to_pylist()}
    if pa.types.is_timestamp(t):
        return {"numbers": seconds(column)}
    if pa.types.is_list(t):
        return {"vectors": [None if v is None else [float(x) for x in v] for v in column.to_pylist()]}
    if pa.types.is_string(t) or pa.types.is_dictionary(t):
        return {"strings": [None if v is None else str(v) for v in column.to_pylist()]}
    if pa.types.is_boolean(t):
        return {"booleans": column.to_pylist()}
    return {"numbers": [None if v is None else float(v) for v in column.to_pylist()]}

expected = {"parquet": {}, "text": {}, "directories": {}}
for name in ["spark_snappy", "spark_zstd", "spark_gzip", "spark_micros", "spark_legacy", "labeled"]:
    table = pq.read_table(os.path.join(out, name + ".parquet"))
    expected["parquet"][name] = {c: arrow_values(table.column(c)) for c in table.column_names}
# The parts read as one table, as pyarrow.dataset reads the directory (it skips _SUCCESS and .crc files).
table = ds.dataset(os.path.join(out, "parts"), format="parquet").to_table()
expected["directories"]["parts"] = {"parts": len(glob.glob(os.path.join(out, "parts", "part-*.parquet"))),
                                    "columns": {c: arrow_values(table.column(c)) for c in table.column_names}}

def pandas_values(series, kind):
    if kind == "day":
        return {"numbers": [None if pd.isna(v) else (pd.Timestamp(v) - pd.Timestamp("1970-01-01")).days for v in series]}
    if kind == "at":
        return {"numbers": [None if pd.isna(v) else float(Fraction(pd.Timestamp(v).value, 10 ** 9))
                            for v in pd.to_datetime(series, utc=True)]}
    if series.dtype == object:
        if all(isinstance(v, bool) or pd.isna(v) for v in series):
            return {"booleans": [None if pd.isna(v) else bool(v) for v in series]}
        return {"strings": [None if pd.isna(v) else str(v) for v in series]}
    if series.dtype == bool:
        return {"booleans": [bool(v) for v in series]}
    return {"numbers": [None if pd.isna(v) else float(v) for v in series]}

# pandas cannot read the DecimalType(25,4) numbers (read_csv keeps them as text, read_json's ujson
# refuses them): pyarrow's CSV and JSON readers read the files (an empty CSV cell null, as pandas
# reads it), pandas converts the columns.
for name, frame in [("spark.csv", pyarrow.csv.read_csv(
                        os.path.join(out, "spark.csv"), convert_options=pyarrow.csv.ConvertOptions(strings_can_be_null=True)).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)),
                    ("spark.jsonl", pa.json.read_json(os.path.join(out, "spark.jsonl")).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get))]:
    columns = {}
    for c in frame.columns:
        kind = c if c in ("day", "at") else None
        columns[c] = pandas_values(frame[c], kind)
    expected["text"][name] = {"header": list(frame.columns), "rows": len(frame), "columns": columns}

with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, sort_keys=True, indent=1)
    f.write("\n")
print("wrote", out)
