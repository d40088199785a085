"""Class orders that Parquet files declare (an ordered dictionary), as the
real writers write them: the reference for `synthctl score --answers X.parquet
--alpha-level ordinal` without --label-order. Written into
Tests/EvalTests/Fixtures/declared_order/:
- pandas.parquet: pandas `pd.Categorical(..., categories=["low", "medium",
  "high"], ordered=True)` -> `to_parquet` (pyarrow engine), "medium" never
  answered (a declared, unused category)
- pyarrow.parquet: a `pa.DictionaryArray` with `ordered=True`, categories
  [high, medium, low] (the reverse: byte order is not the declared order)
- polars.parquet: a Polars `pl.Enum(["low", "medium", "high"])` ->
  `write_parquet` (Polars writes an ARROW:schema whose dictionary is ordered,
  and the whole Enum, unused values included, as the dictionary page)
- unordered.parquet: an unordered pandas Categorical: no declared order
- duckdb.parquet: DuckDB `CREATE TYPE level AS ENUM (...)` -> `COPY ... TO`:
  plain strings, no ARROW:schema, no declared order
- row_groups.parquet: pandas' ordered Categorical in 3 row groups (every row
  group carries the whole dictionary): one order
- row_groups_differ.parquet: two row groups whose ordered dictionaries
  differ ([low, medium, high], then [low, high]): refused
- integers.parquet: pandas `pd.Categorical(..., categories=[3, 1, 2, 7],
  ordered=True)` -> `to_parquet`: the ARROW:schema says an ordered
  dictionary, but pyarrow writes the integer values (INT64), and the
  dictionary page is Parquet's own, in order of first appearance, not the
  categories (pandas and pyarrow read the column back as plain int64): no
  order the file keeps. `kept_order` is false, `order` the numeric order,
  `declared_alpha` krippendorff's α under the categories' order 3 < 1 < 2 < 7
  (what `--label-order 3,1,2,7` gives)
and expected.json: for every file, the categories pyarrow reads, whether
they are ordered, the dictionary page of every row group (read here from
the file's bytes), and krippendorff's ordinal and nominal alpha with the
labels mapped to their positions in the declared order (byte order for the
files that declare none).

Run: python3 Tests/Oracles/declared_order.py
"""
import base64, json, os

import duckdb
import krippendorff
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "EvalTests", "Fixtures", "declared_order")
os.makedirs(out, exist_ok=True)

rng = np.random.default_rng(26)
levels = ["low", "medium", "high"]


def answers(n_items, given):
    """item, worker, label rows: 3 workers of 5 per item, mostly the truth, sometimes one level off."""
    rows = []
    for item in range(n_items):
        truth = int(rng.integers(0, len(given)))
        for worker in rng.choice(5, size=3, replace=False):
            level = int(np.clip(truth + rng.choice([-1, 0, 0, 0, 1]), 0, len(given) - 1))
            rows.append((f"i{item}", f"w{worker}", given[level]))
    return rows


def frame(rows):
    return pd.DataFrame({"item": [r[0] for r in rows], "worker": [r[1] for r in rows], "label": [r[2] for r in rows]})


files = {}
# pandas: "medium" declared, never answered.
rows = answers(60, ["low", "high"])
df = frame(rows)
df["label"] = pd.Categorical(df["label"], categories=levels, ordered=True)
df.to_parquet(f"{out}/pandas.parquet", engine="pyarrow")
files["pandas.parquet"] = rows

# pyarrow: an ordered DictionaryArray, categories high > medium > low.
rows = answers(60, levels)
reverse = ["high", "medium", "low"]
labels = pa.DictionaryArray.from_arrays(pa.array([reverse.index(r[2]) for r in rows], pa.int32()), pa.array(reverse), ordered=True)
pq.write_table(pa.table({"item": [r[0] for r in rows], "worker": [r[1] for r in rows], "label": labels}), f"{out}/pyarrow.parquet")
files["pyarrow.parquet"] = rows

# Polars: an Enum.
rows = answers(60, levels)
pl.DataFrame({"item": [r[0] for r in rows], "worker": [r[1] for r in rows],
              "label": pl.Series([r[2] for r in rows], dtype=pl.Enum(levels))}).write_parquet(f"{out}/polars.parquet")
files["polars.parquet"] = rows

# An unordered pandas Categorical.
rows = answers(60, levels)
df = frame(rows)
df["label"] = pd.Categorical(df["label"], categories=levels, ordered=False)
df.to_parquet(f"{out}/unordered.parquet", engine="pyarrow")
files["unordered.parquet"] = rows

# DuckDB: an ENUM type, copied to Parquet.
rows = answers(60, levels)
con = duckdb.connect()
con.execute("CREATE TYPE level AS ENUM ('low', 'medium', 'high')")
con.execute("CREATE TABLE a (item VARCHAR, worker VARCHAR, label level)")
con.executemany("INSERT INTO a VALUES (?, ?, ?)", rows)
con.execute(f"COPY (SELECT * FROM a) TO '{out}/duckdb.parquet' (FORMAT PARQUET)")
files["duckdb.parquet"] = rows

# Three row groups of one ordered Categorical.
rows = answers(60, levels)
df = frame(rows)
df["label"] = pd.Categorical(df["label"], categories=levels, ordered=True)
df.to_parquet(f"{out}/row_groups.parquet", engine="pyarrow", row_group_size=60)
files["row_groups.parquet"] = rows

# Two row groups whose ordered dictionaries differ.
first, second = answers(20, levels), answers(20, ["low", "high"])
def chunk(rows, categories):
    return pa.DictionaryArray.from_arrays(pa.array([categories.index(r[2]) for r in rows], pa.int32()), pa.array(categories), ordered=True)
table = pa.table({"item": pa.chunked_array([[r[0] for r in first], [r[0] for r in second]]),
                  "worker": pa.chunked_array([[r[1] for r in first], [r[1] for r in second]]),
                  "label": pa.chunked_array([chunk(first, levels), chunk(second, ["low", "high"])])})
pq.write_table(table, f"{out}/row_groups_differ.parquet", row_group_size=len(first))
files["row_groups_differ.parquet"] = first + second

# An ordered Categorical of integers, categories 3 < 1 < 2 < 7 (7 never answered).
integer_categories = [3, 1, 2, 7]
rows = answers(60, [3, 1, 2])
df = frame(rows)
df["label"] = pd.Categorical(df["label"], categories=integer_categories, ordered=True)
df.to_parquet(f"{out}/integers.parquet", engine="pyarrow")
files["integers.parquet"] = rows


def dictionary_pages(path, column):
    """The dictionary page of `column` in each row group, decoded from the file's bytes."""
    f = pq.ParquetFile(path)
    data = open(path, "rb").read()
    pages = []
    for g in range(f.metadata.num_row_groups):
        c = f.metadata.row_group(g).column(column)
        if not c.has_dictionary_page:
            pages.append(None)
            continue
        start = c.dictionary_page_offset
        # The page header (Thrift compact): read with pyarrow's own metadata is not exposed, so parse the sizes.
        pos, fields, last = start, {}, 0
        while True:
            b = data[pos]; pos += 1
            if b == 0:
                break
            delta, kind = b >> 4, b & 0x0F
            fid = last + delta if delta else None
            last = fid
            if kind == 5:  # i32, zigzag varint
                v, shift = 0, 0
                while True:
                    x = data[pos]; pos += 1
                    v |= (x & 0x7F) << shift; shift += 7
                    if x < 0x80:
                        break
                fields[fid] = (v >> 1) ^ -(v & 1)
            elif kind == 12:  # a struct (dictionary_page_header): skip its fields
                depth = 1
                while depth:
                    x = data[pos]; pos += 1
                    if x == 0:
                        depth -= 1
                        continue
                    if x & 0x0F in (5, 6):
                        while data[pos] >= 0x80:
                            pos += 1
                        pos += 1
                    elif x & 0x0F in (1, 2):
                        pass
                    elif x & 0x0F == 12:
                        depth += 1
            else:
                raise ValueError(f"unexpected Thrift type {kind}")
        body = data[pos:pos + fields[3]]
        codec = c.compression
        plain = body if codec == "UNCOMPRESSED" else pa.decompress(body, decompressed_size=fields[2], codec=codec.lower(), asbytes=True)
        values, p = [], 0
        if c.physical_type == "INT64":  # PLAIN: 8-byte little-endian integers
            pages.append([int.from_bytes(plain[k:k + 8], "little", signed=True) for k in range(0, len(plain), 8)])
            continue
        while p < len(plain):
            n = int.from_bytes(plain[p:p + 4], "little")
            values.append(plain[p + 4:p + 4 + n].decode()); p += 4 + n
        pages.append(values)
    return pages


def alpha(rows, order, level):
    items = sorted({r[0] for r in rows})
    workers = sorted({r[1] for r in rows})
    data = np.full((len(workers), len(items)), np.nan)
    for item, worker, label in rows:
        data[workers.index(worker), items.index(item)] = order.index(label)
    return krippendorff.alpha(reliability_data=data, level_of_measurement=level)


expected = {}
for name, rows in files.items():
    path = f"{out}/{name}"
    # The flag as the footer's ARROW:schema states it (pyarrow reads an integer dictionary back as plain int64).
    arrow = (pq.read_metadata(path).metadata or {}).get(b"ARROW:schema")
    field = (pa.ipc.read_schema(pa.py_buffer(base64.b64decode(arrow))) if arrow else pq.read_schema(path)).field("label")
    ordered = pa.types.is_dictionary(field.type) and field.type.ordered
    pages = dictionary_pages(path, 2)
    # Parquet keeps a dictionary's categories only as strings (BYTE_ARRAY): any other type is written as values.
    kept = ordered and pq.ParquetFile(path).metadata.schema.column(2).physical_type == "BYTE_ARRAY"
    entry = {"ordered": bool(ordered), "kept_order": bool(kept), "dictionary_pages": pages,
             "arrow_schema": b"ARROW:schema" in (pq.read_metadata(path).metadata or {})}
    if kept and all(p == pages[0] for p in pages):
        order = pages[0]
    elif all(isinstance(r[2], int) for r in rows):
        order = sorted({r[2] for r in rows})
    else:
        order = sorted({r[2] for r in rows}, key=lambda s: s.encode())
    entry["order"] = [str(v) for v in order]
    entry["alpha"] = {level: alpha(rows, order, level) for level in ["ordinal", "nominal"]}
    if kept:
        entry["categories"] = pq.read_table(path).column("label").chunk(0).dictionary.to_pylist()
    elif ordered:  # the categories are in no part of the file: the ones the script gave pandas
        entry["categories"] = integer_categories
        entry["declared_alpha"] = alpha(rows, integer_categories, "ordinal")
    expected[name] = entry

from importlib.metadata import version
expected["_versions"] = {p: version(p) for p in ["pyarrow", "pandas", "polars", "duckdb", "krippendorff"]}
json.dump(expected, open(f"{out}/expected.json", "w"), indent=1)
for name, entry in expected.items():
    print(name, entry if name == "_versions" else (entry["ordered"], entry["dictionary_pages"], entry["order"], entry["alpha"]))
