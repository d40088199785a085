#!/usr/bin/env python3
"""Long-form annotator answers as pandas and Polars write them, for the
answer reader that reads CSV in pieces on several threads (issue 17): a
piece boundary can fall inside a quoted name holding a delimiter, a quote or
a line end, so the files are made to hold all three.

Writes Tests/EvalTests/Fixtures/answer_writers/*:
- pandas_index.csv: pandas to_csv with its index (a first column with an
  empty header, which is not an answer column);
- pandas_crlf_quoted.csv: pandas to_csv(quoting=QUOTE_ALL, lineterminator="\\r\\n");
- polars.csv: Polars write_csv (quotes only where needed);
- polars.tsv: Polars write_csv(separator="\\t");
and expected.json: the (task, worker, label) rows as pandas reads each file
back (missing labels dropped), sorted, the same for every file (checked
here), and the counts.

Usage: pip install pandas polars; python3 Tests/Oracles/answer_writers.py
"""
import csv, json, os
import numpy as np
import pandas as pd
import polars as pl

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "answer_writers")
os.makedirs(out, exist_ok=True)
for f in os.listdir(out):
    os.remove(os.path.join(out, f))
def p(name): return os.path.join(out, name)

rng = np.random.default_rng(17)
n = 800
tasks = [f"task {i}" if i % 5 else f'task "{i}", quoted' for i in range(300)]
tasks[7] = "task 7\nacross lines"
workers = [f"w{i}" for i in range(40)] + ["worker, comma", "Zoë", 'say "hi"', "tab\there"]
labels = ["cat", "dog", "eel, electric", 'the "bird"', "émeu", "line\nbreak"]
rows = {
    "task": [tasks[i] for i in rng.integers(0, len(tasks), size=n)],
    "worker": [workers[i] for i in rng.integers(0, len(workers), size=n)],
    "label": [labels[i] if rng.random() > 0.03 else None for i in rng.integers(0, len(labels), size=n)],
}
df = pd.DataFrame(rows)
df.to_csv(p("pandas_index.csv"))
df.to_csv(p("pandas_crlf_quoted.csv"), index=False, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
pl.from_pandas(df).write_csv(p("polars.csv"))
pl.from_pandas(df).write_csv(p("polars.tsv"), separator="\t")

expected = None
for name, sep in [("pandas_index.csv", ","), ("pandas_crlf_quoted.csv", ","), ("polars.csv", ","), ("polars.tsv", "\t")]:
    back = pd.read_csv(p(name), sep=sep, dtype=str, keep_default_na=False, na_values=[""])
    back = back.dropna(subset=["label"])
    read = {
        "answers": len(back), "items": int(back.task.nunique()), "workers": int(back.worker.nunique()),
        "classes": sorted(back.label.unique().tolist()),
        "rows": sorted([t, w, l] for t, w, l in zip(back.task, back.worker, back.label)),
    }
    assert expected is None or read == expected, name
    expected = read
expected["files"] = ["pandas_index.csv", "pandas_crlf_quoted.csv", "polars.csv", "polars.tsv"]
with open(p("expected.json"), "w") as f:
    json.dump(expected, f, indent=None, sort_keys=True, ensure_ascii=False)
    f.write("\n")
print("wrote", sorted(os.listdir(out)))
