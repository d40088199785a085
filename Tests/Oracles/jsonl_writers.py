"""JSON Lines as the ecosystem writes it: the reference for synthctl's JSON Lines reader.

Writes one small labeled table (float64 and float32 features with awkward
values, integers up to 2^62, booleans, text with quotes, escapes, control
characters and non-ASCII letters, missing values) with
- pandas `DataFrame.to_json(orient="records", lines=True)` -> pandas.jsonl
- Polars `DataFrame.write_ndjson` -> polars.jsonl
- Hugging Face `datasets` `Dataset.to_json` -> datasets.jsonl
into Tests/EvalTests/Fixtures/jsonl/, and what pandas reads back from each
file (`read_json(lines=True, dtype=False, convert_dates=False,
precise_float=True)`: the values as written, each number correctly
rounded) to expected.json: per file, the columns in file order and each
column's values (null for a missing value). synthctl must read the same
keys and, cell by cell, the same number, boolean or text.

Run: python3 Tests/Oracles/jsonl_writers.py
"""
import json, math, os

import datasets
import numpy as np
import pandas as pd
import polars as pl

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "EvalTests", "Fixtures", "jsonl")
os.makedirs(out, exist_ok=True)

x0 = [0.1, -0.0, 1e-300, 2.2250738585072014e-308, 123456.789, 1 / 3, -2.5e17, 1.5e300, float("nan"), 2.0]
x1 = np.array([0.1, -1.5, 3.4028234e38, 1e-45, 7.0, -0.25, 1 / 3, 65504.0, 1e-8, -9.75], dtype=np.float32)
n = [0, -1, 2**62, -(2**53) - 1, 42, 7, 9007199254740993, -3, 100, 1]
flag = [True, False, True, True, False, False, True, False, True, False]
label = ["cat", "d\"og", "café", "😀", "tab\there", "line\nbreak", "back\\slash", "/slash", "\u0001ctl", None]
columns = {"x0": x0, "x1": x1, "n": n, "flag": flag, "label": label}

pdf = pd.DataFrame(columns)
pdf.to_json(f"{out}/pandas.jsonl", orient="records", lines=True)
pl.DataFrame({k: (list(map(float, v)) if k == "x1" else v) for k, v in columns.items()},
             schema_overrides={"x1": pl.Float32}, strict=False).write_ndjson(f"{out}/polars.jsonl")
datasets.Dataset.from_pandas(pdf).to_json(f"{out}/datasets.jsonl")


def plain(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer, int)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return float(v)
    return str(v)


expected = {}
for name in ("pandas.jsonl", "polars.jsonl", "datasets.jsonl"):
    df = pd.read_json(f"{out}/{name}", lines=True, dtype=False, convert_dates=False, precise_float=True)
    expected[name] = {"columns": list(df.columns),
                      "values": {c: [plain(v) for v in df[c].tolist()] for c in df.columns}}
with open(f"{out}/expected.json", "w") as f:
    json.dump(expected, f, indent=1, ensure_ascii=True)
    f.write("\n")
print("wrote", ", ".join(expected), "and expected.json to", os.path.normpath(out))
