#!/usr/bin/env python3
"""DECIMAL columns stored as BYTE_ARRAY, written by parquet-mr (Apache
Parquet's Java implementation, the one Spark, Hive, Flink and Kafka Connect
embed), for synthctl's Parquet reader and `split` (issue 15).

Why this writer: pyarrow, Polars, DuckDB and Spark's own DataFrame writer
store a DECIMAL in INT32, INT64 or FIXED_LEN_BYTE_ARRAY, never BYTE_ARRAY;
parquet-mr writes BYTE_ARRAY when the schema says so (an Avro `bytes`
decimal, as parquet-avro maps it, comes out this way). Its example Group
writer (`ExampleParquetWriter`, in the parquet-hadoop jar that pyspark
ships) is driven here through pyspark's JVM gateway: the bytes of every
value are parquet-mr's own, as in a file those pipelines leave.

Writes under Tests/EvalTests/Fixtures/parquet-mr/:
- binary_decimal_v1.parquet: Parquet v1 pages, dictionary encoding on
  (parquet-mr's default), Snappy;
- binary_decimal_v2.parquet: v2 pages, no dictionary (DELTA_BYTE_ARRAY for
  the binary columns), gzip;
- binary_decimal_beyond_precision.parquet: as v1, but row 3 of `cents`
  holds 2^40 (6 bytes), beyond DECIMAL(5, 2)'s 5 digits (3 bytes);
  parquet-mr does not check precision, pyarrow reads the value as stored;
  all with the columns
  - id: INT32;
  - price: optional binary DECIMAL(20, 4), with nulls, negatives, values
    beyond 2^64 and repeats (so the dictionary holds fewer entries than rows);
  - cents: required binary DECIMAL(5, 2), its values stored in the fewest
    bytes (1 or 2) as parquet-mr's Binary takes them;
  - huge: optional binary DECIMAL(45, 3) (pyarrow reads decimal256), one
    value padded with a redundant sign byte;
  - x: double; label: binary UTF8.
- expected.json: each file's columns as pyarrow reads them: decimals as
  exact text (`str(Decimal)`) and as the nearest float64, null as None.

Usage: pip install 'pyspark>=3.5,<3.6' pyarrow   (needs Java 17)
       python3 Tests/Oracles/parquet_mr_fixtures.py
"""
import decimal, glob, json, os, shutil
import pyarrow.parquet as pq
from pyspark.sql import SparkSession

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "parquet-mr")
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)

spark = (SparkSession.builder.master("local[1]").appName("synthctl-fixtures")
         .config("spark.ui.enabled", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
jvm = spark._jvm
schema = jvm.org.apache.parquet.schema.MessageTypeParser.parseMessageType("""
message m {
  required int32 id;
  optional binary price (DECIMAL(20,4));
  required binary cents (DECIMAL(5,2));
  optional binary huge (DECIMAL(45,3));
  required double x;
  required binary label (UTF8);
}""")

def twos_complement(unscaled, pad=0):
    """The fewest big-endian two's-complement bytes of `unscaled` (as
    BigInteger.toByteArray gives them), with `pad` redundant sign bytes first."""
    n = max(1, (unscaled.bit_length() + 8) // 8)
    body = unscaled.to_bytes(n, "big", signed=True)
    return (b"\xff" if unscaled < 0 else b"\x00") * pad + body

decimal.getcontext().prec = 80
D = decimal.Decimal
rows = []
for i in range(48):
    price = None if i % 11 == 3 else [D("12.3400"), D("-0.0700"), D("98765432109876.5432"),
                                      D("-9999999999999999.9999"), D(i) / 8][i % 5]
    huge = None if i % 13 == 5 else D((-1) ** i * (10 ** 41 + i * 7919)).scaleb(-3)
    rows.append(dict(id=i, price=price, cents=D(i * 37 - 900).scaleb(-2),
                     huge=huge, pad=1 if i == 7 else 0, x=i / 4 - 3, label=["cat", "dog", "émeu"][i % 3]))

def write(name, version, dictionary, codec):
    path = os.path.join(out, name)
    Path = jvm.org.apache.hadoop.fs.Path
    P = jvm.org.apache.parquet
    builder = (P.hadoop.example.ExampleParquetWriter.builder(Path("file://" + os.path.abspath(path)))
               .withType(schema).withConf(jvm.org.apache.hadoop.conf.Configuration())
               .withWriterVersion(getattr(P.column.ParquetProperties.WriterVersion, version))
               .withDictionaryEncoding(dictionary)
               .withCompressionCodec(getattr(P.hadoop.metadata.CompressionCodecName, codec)))
    writer = builder.build()
    factory = P.example.data.simple.SimpleGroupFactory(schema)
    Binary = P.io.api.Binary
    for r in rows:
        g = factory.newGroup()
        g.append("id", r["id"])
        if r["price"] is not None:
            g.append("price", Binary.fromConstantByteArray(twos_complement(int(r["price"].scaleb(4)))))
        g.append("cents", Binary.fromConstantByteArray(twos_complement(int(r["cents"].scaleb(2)))))
        if r["huge"] is not None:
            g.append("huge", Binary.fromConstantByteArray(twos_complement(int(r["huge"].scaleb(3)), r["pad"])))
        g.append("x", float(r["x"]))
        g.append("label", Binary.fromString(r["label"]))
        writer.write(g)
    writer.close()
    for crc in glob.glob(os.path.join(out, ".*.crc")):
        os.remove(crc)

write("binary_decimal_v1.parquet", "PARQUET_1_0", True, "SNAPPY")
write("binary_decimal_v2.parquet", "PARQUET_2_0", False, "GZIP")
# One value beyond its column's precision (parquet-mr does not check): 2^40
# in a DECIMAL(5, 2), whose values take at most 3 bytes; pyarrow reads it.
rows[3]["cents"] = D(2 ** 40).scaleb(-2)
write("binary_decimal_beyond_precision.parquet", "PARQUET_1_0", True, "SNAPPY")
spark.stop()

expected = {}
for name in ("binary_decimal_v1.parquet", "binary_decimal_v2.parquet", "binary_decimal_beyond_precision.parquet"):
    f = pq.ParquetFile(os.path.join(out, name))
    for c in ("price", "cents", "huge"):
        k = f.schema_arrow.get_field_index(c)
        assert f.schema.column(k).physical_type == "BYTE_ARRAY", (name, c)
    encodings = set(f.metadata.row_group(0).column(1).encodings)
    assert ("RLE_DICTIONARY" in encodings or "PLAIN_DICTIONARY" in encodings) == ("v2" not in name), encodings
    t = f.read()
    columns = {}
    for c in t.column_names:
        values = t.column(c).to_pylist()
        if isinstance(next(v for v in values if v is not None), D):
            columns[c] = {"decimals": [None if v is None else str(v) for v in values],
                          "numbers": [None if v is None else float(v) for v in values],
                          "type": str(t.schema.field(c).type)}
        elif c == "label":
            columns[c] = {"strings": values}
        else:
            columns[c] = {"numbers": [float(v) for v in values]}
    expected[name] = columns
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, ensure_ascii=False)
    f.write("\n")
