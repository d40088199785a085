#!/usr/bin/env python3
"""Dates, timestamps and embedding lists in text tables as the real writers
write them, for synthctl's typed text readers (issue 15):
- pandas to_csv: dates `2024-02-29`, timestamps to the nanosecond, UTC
  `+00:00` and local `-08:00`/`-07:00` offsets;
- Polars write_csv (`T`, nine digits, `+0000`/`-0800`) and write_ndjson
  (a `List(Float32)` embedding column);
- DuckDB COPY … (FORMAT csv): DATE, TIMESTAMP_NS, TIMESTAMPTZ (`+00`);
- Hugging Face datasets to_json(date_format="iso") (`Z`, milliseconds) with
  a `Sequence(float32)` embedding column.
Writes Tests/EvalTests/Fixtures/text_types/* and expected.json: per file its
columns in the order pandas reads them, each time column's values as pandas
parses them (`to_datetime(format="ISO8601")`: nanoseconds since 1970-01-01
00:00:00, UTC where the text has an offset; dates as days), each embedding
as pandas' read_json gives it (checked equal to pyarrow.json's), and x0 and
label. A few hundred bytes each.

Usage: pip install pandas pyarrow polars duckdb datasets
       python3 Tests/Oracles/text_types.py
"""
import json, os
import numpy as np
import pandas as pd
import polars as pl
import pyarrow.json as pj
import duckdb
import datasets

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "text_types")
os.makedirs(out, exist_ok=True)
for f in os.listdir(out):
    os.remove(os.path.join(out, f))
def p(name): return os.path.join(out, name)

# Leap days (2024, 2000), a century that is not leap (1900), the epoch and
# the day before it, a far year; fractions down to the nanosecond, before
# the epoch too; offsets on both sides of a daylight-saving change.
df = pd.DataFrame({
    "day": pd.to_datetime(["2024-02-29", "2000-02-29", "1900-03-01", "1970-01-01", "1969-12-31", "2199-12-31"]),
    "at": pd.to_datetime(["2024-03-01 12:34:56.123456789", "2000-02-29 23:59:59.999999999", "1900-03-01 00:00:01",
                          "1970-01-01 00:00:00", "1969-12-31 23:59:59.5", "2199-12-31 06:07:08.000001"], format="ISO8601"),
    "atz": pd.to_datetime(["2024-03-01 12:34:56+05:30", "2000-02-29 23:59:59-08:00", "1900-03-01 00:00:00Z",
                           "1970-01-01 00:00:00Z", "1969-12-31 23:59:59.25+00:00", "2199-12-31 00:00:00-03:30"],
                          utc=True, format="ISO8601"),
    "atl": pd.to_datetime(["2024-03-01 12:34:56", "2024-07-01 00:00:00", "2023-11-05 01:30:00",
                           "2023-03-12 03:30:00", "1999-12-31 23:59:59", "2010-06-15 12:00:00.5"], format="ISO8601").tz_localize(
                           "America/Los_Angeles", ambiguous=[True, True, True, True, True, True]),
    "x0": [0.5, -1.25, 2.0, 3.5, -0.75, 1.0],
    "label": ["a", "b", "a", "b", "a", "b"],
})
rng = np.random.default_rng(23)
emb = rng.normal(size=(len(df), 8)).astype(np.float32)
with_emb = df.assign(emb=list(emb))

written = {}
df.to_csv(p("pandas.csv"), index=False)
written["pandas.csv"] = "csv"
pl.from_pandas(df).with_columns(pl.col("day").dt.date()).write_csv(p("polars.csv"))
written["polars.csv"] = "csv"
pl.from_pandas(with_emb).with_columns(pl.col("day").dt.date()).write_ndjson(p("polars.ndjson"))
written["polars.ndjson"] = "json"
con = duckdb.connect()
con.execute("SET TimeZone='UTC'")
con.register("df", df)
con.execute(f"""COPY (SELECT "day"::DATE AS "day", "at", "atz", "x0", "label" FROM df) TO '{p('duckdb.csv')}' (FORMAT csv, HEADER)""")
written["duckdb.csv"] = "csv"
datasets.Dataset.from_pandas(with_emb).to_json(p("hf_datasets.jsonl"), date_format="iso")
written["hf_datasets.jsonl"] = "json"

expected = {}
for name, how in written.items():
    path = p(name)
    raw = pd.read_csv(path, dtype=str) if how == "csv" else pd.read_json(path, lines=True, dtype=False, convert_dates=False, precise_float=True)
    entry = {"columns": list(raw.columns), "time": {}, "x0": [float(v) for v in raw["x0"]], "label": list(raw["label"])}
    for c in ["day", "at", "atz", "atl"]:
        if c not in raw.columns:
            continue
        text = raw[c].astype(str)
        dates_only = not text.str.contains(r"[T ]").any()
        offset = not dates_only and text.str.contains(r"(?:Z|[+-]\d\d(?::?\d\d)?)$").all()
        parsed = pd.to_datetime(text, format="ISO8601", utc=bool(offset))
        ns = parsed.astype("int64")
        entry["time"][c] = {"kind": "date" if dates_only else "timestamp", "utc": bool(offset),
                            "values": [int(v) // 86_400_000_000_000 for v in ns] if dates_only else [int(v) for v in ns]}
    if "emb" in raw.columns:
        lists = [[float(v) for v in row] for row in raw["emb"]]
        arrow = pj.read_json(path).column("emb").to_pylist()
        assert arrow == lists, name
        entry["emb"] = lists
    expected[name] = entry
with open(p("expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
print("wrote", sorted(os.listdir(out)))
