#!/usr/bin/env python3
"""Text tables as the real writers write them, for synthctl's text readers
(issue 15): compressed, with a byte-order mark, with another delimiter.
- pandas to_csv(compression="gzip") (mtime 0, so the bytes are reproducible),
  to_csv(encoding="utf-8-sig") (a UTF-8 byte-order mark, as Excel wants),
  to_csv(sep=";");
- Polars write_csv; DuckDB COPY … TO 'x.csv.gz' (gzip by the suffix);
- Hugging Face datasets Dataset.to_json (JSON Lines);
- a crowd-kit-layout answers table (columns task, worker, label) as CSV, TSV,
  JSON Lines and Parquet, with crowd-kit's MajorityVote over it.
Writes Tests/EvalTests/Fixtures/text_tables/* and expected.json: for each
table file, the columns and rows as pandas (pyarrow for Parquet) reads them
back, and for the answers the counts and majority vote. A few hundred bytes each.

Usage: pip install pandas pyarrow polars duckdb datasets crowd-kit
       python3 Tests/Oracles/text_tables.py
"""
import json, os
import numpy as np
import pandas as pd
import polars as pl
import duckdb
import datasets
from crowdkit.aggregation import MajorityVote

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "text_tables")
os.makedirs(out, exist_ok=True)
for f in os.listdir(out):
    os.remove(os.path.join(out, f))
rng = np.random.default_rng(15)
n = 12
df = pd.DataFrame({
    "x0": np.round(rng.normal(size=n), 6),
    "x1": np.round(rng.normal(size=n) * 100, 3),
    "label": rng.choice(["cat", "dog", "café"], size=n),
})
def p(name): return os.path.join(out, name)

written = {}
df.to_csv(p("pandas_gzip.csv.gz"), index=False, compression={"method": "gzip", "mtime": 0})
written["pandas_gzip.csv.gz"] = dict(reader="csv", compression="gzip")
df.to_csv(p("pandas_bom.csv"), index=False, encoding="utf-8-sig")
written["pandas_bom.csv"] = dict(reader="csv", encoding="utf-8-sig")
df.to_csv(p("pandas_semicolon.csv"), index=False, sep=";")
written["pandas_semicolon.csv"] = dict(reader="csv", sep=";")
df.to_csv(p("pandas_gzip.tsv.gz"), index=False, sep="\t", compression={"method": "gzip", "mtime": 0})
written["pandas_gzip.tsv.gz"] = dict(reader="csv", sep="\t", compression="gzip")
pl.from_pandas(df).write_csv(p("polars.csv"))
written["polars.csv"] = dict(reader="csv")
con = duckdb.connect()
con.register("df", df)
con.execute(f"COPY df TO '{p('duckdb.csv.gz')}' (HEADER)")
written["duckdb.csv.gz"] = dict(reader="csv", compression="gzip")
datasets.Dataset.from_pandas(df).to_json(p("hf_datasets.jsonl"))
written["hf_datasets.jsonl"] = dict(reader="json")

expected = {"tables": {}, "answers": {}}
for name, how in written.items():
    path = p(name)
    if how["reader"] == "csv":
        back = pd.read_csv(path, sep=how.get("sep", ","), encoding=how.get("encoding", "utf-8"),
                           compression=how.get("compression", "infer"))
    else:
        back = pd.read_json(path, lines=True, precise_float=True)
    expected["tables"][name] = {
        "columns": list(back.columns),
        "rows": [[v.item() if hasattr(v, "item") else v for v in row] for row in back.itertuples(index=False)],
    }

answers = pd.DataFrame({
    "task": ["t1", "t1", "t1", "t2", "t2", "t2", "t3", "t3", "t3", "t4", "t4"],
    "worker": ["w1", "w2", "w3", "w1", "w2", "w3", "w1", "w2", "w3", "w1", "w3"],
    "label": ["a", "a", "b", "b", "b", "b", "c", "a", "c", "a", "a"],
})
answers.to_csv(p("crowd.csv"), index=False)
answers.to_csv(p("crowd.tsv"), index=False, sep="\t")
answers.to_json(p("crowd.jsonl"), orient="records", lines=True)
answers.to_parquet(p("crowd.parquet"), index=False)
vote = MajorityVote().fit_predict(answers)
for name in ["crowd.csv", "crowd.tsv", "crowd.jsonl", "crowd.parquet"]:
    expected["answers"][name] = {
        "answers": len(answers), "items": int(answers.task.nunique()), "workers": int(answers.worker.nunique()),
        "majority_vote": {k: v for k, v in sorted(vote.items())},
    }
with open(p("expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True, ensure_ascii=False)
    f.write("\n")
print("wrote", sorted(os.listdir(out)))
