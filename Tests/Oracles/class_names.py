"""Class names and Hugging Face's -1 as `datasets`, pandas and pyarrow write them:
the reference for reading each file's ids with that file's own names.

Six items t0..t5 whose true classes are cat, dog, bird, cat, dog, bird;
three workers answer every item correctly, and a fourth answers t0 with
-1 (a ClassLabel's "no label"). Written into Tests/EvalTests/Fixtures/class_names/:
- answers.parquet: `datasets` to_parquet, ClassLabel names [cat, dog, bird]
- gold_reordered.parquet: `datasets` to_parquet, ClassLabel names [bird, cat, dog]
  (the same truth, other ids: decoded with the answers' names it would score 1/3)
- gold_names.csv: pandas to_csv, the truth as text names
- answers_ids.jsonl, gold_ids.jsonl: `datasets` to_json, which writes bare ids
  (no names anywhere); gold_ids.jsonl gives t5 the label -1 (no gold)
- table.csv, table.jsonl, table.parquet: x0 and a label with -1 in rows 2 and 7
  (pandas to_csv, `datasets` to_json and to_parquet)
and expected.json: per file, the labels as `datasets` / pandas decode them
(names where the file has them, -1 as None), so a test can check synthctl
reads the same classes.

Run: python3 Tests/Oracles/class_names.py
"""
import json, os

import datasets
from datasets import ClassLabel, Dataset, Features, Value
import pandas as pd

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "EvalTests", "Fixtures", "class_names")
os.makedirs(out, exist_ok=True)

names = ["cat", "dog", "bird"]
truth = ["cat", "dog", "bird", "cat", "dog", "bird"]
tasks, workers, answers = [], [], []
for t, name in enumerate(truth):
    for w in range(3):
        tasks.append(f"t{t}"); workers.append(f"w{w}"); answers.append(names.index(name))
tasks.append("t0"); workers.append("w3"); answers.append(-1)

a = Features({"task": Value("string"), "worker": Value("string"), "label": ClassLabel(names=names)})
answers_ds = Dataset.from_dict({"task": tasks, "worker": workers, "label": answers}, features=a)
answers_ds.to_parquet(f"{out}/answers.parquet")
answers_ds.to_json(f"{out}/answers_ids.jsonl")

reordered = ["bird", "cat", "dog"]
g = Features({"task": Value("string"), "label": ClassLabel(names=reordered)})
Dataset.from_dict({"task": [f"t{t}" for t in range(6)], "label": [reordered.index(n) for n in truth]},
                  features=g).to_parquet(f"{out}/gold_reordered.parquet")
pd.DataFrame({"task": [f"t{t}" for t in range(6)], "label": truth}).to_csv(f"{out}/gold_names.csv", index=False)
gi = Features({"task": Value("string"), "label": ClassLabel(names=names)})
Dataset.from_dict({"task": [f"t{t}" for t in range(6)], "label": [names.index(n) if t != 5 else -1 for t, n in enumerate(truth)]},
                  features=gi).to_json(f"{out}/gold_ids.jsonl")

y = [t % 3 if t not in (2, 7) else -1 for t in range(12)]
x0 = [float(t % 3) + 0.25 * (t % 2) for t in range(12)]
pd.DataFrame({"x0": x0, "label": y}).to_csv(f"{out}/table.csv", index=False)
tf = Features({"x0": Value("float32"), "label": ClassLabel(names=names)})
table_ds = Dataset.from_dict({"x0": x0, "label": y}, features=tf)
table_ds.to_json(f"{out}/table.jsonl")
table_ds.to_parquet(f"{out}/table.parquet")


def decoded(path, column="label"):
    """The labels as the file's own reader decodes them: ClassLabel ids to names, -1 to None."""
    if path.endswith(".parquet"):
        ds = Dataset.from_parquet(path)
        feature = ds.features[column]
        return [feature.int2str(v) if v >= 0 else None for v in ds[column]] if isinstance(feature, ClassLabel) else ds[column]
    frame = pd.read_json(path, lines=True) if path.endswith(".jsonl") else pd.read_csv(path)
    return [None if v == -1 else (int(v) if not isinstance(v, str) else v) for v in frame[column].tolist()]


expected = {name: decoded(f"{out}/{name}") for name in sorted(os.listdir(out)) if name != "expected.json"}
expected["datasets_version"] = datasets.__version__
with open(f"{out}/expected.json", "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
