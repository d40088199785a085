"""Class order, declared classes and Hugging Face's -1 beside a class named "-1",
as `datasets` and pandas write them: the reference for issue 15's last
fresh-tester findings. Written into Tests/EvalTests/Fixtures/class_order/:
- text.csv: 120 rows, x0..x2 and a label neg/neu/pos as text (pandas to_csv),
  about 15% of the labels moved to the next class
- classlabel.parquet: the same rows, `datasets` to_parquet with ClassLabel
  names [pos, neg, neu] (another id order): score must flag the same rows
- answers_cat_dog.parquet, gold_cat_dog_bird.parquet: answers whose
  ClassLabel declares [cat, dog], gold whose ClassLabel declares
  [cat, dog, bird] (bird used by nobody); answers_cat_dog_bird.parquet and
  gold_cat_dog.parquet the other way round
- sentiment.parquet: x0 and a ClassLabel named ["-1", "0", "1"] whose
  stored -1 (no label) is in rows 2 and 7, and whose class "-1" (id 0) is
  used
and expected.json: the labels as `datasets` decodes them (names; the
stored -1 as None).

Run: python3 Tests/Oracles/class_order.py
"""
import json, os

import datasets
from datasets import ClassLabel, Dataset, Features, Value
import numpy as np
import pandas as pd

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "EvalTests", "Fixtures", "class_order")
os.makedirs(out, exist_ok=True)

rng = np.random.default_rng(3)
n = 120
names = ["neg", "neu", "pos"]
y = rng.integers(0, 3, n)
x = (rng.normal(size=(n, 3)) + y[:, None] * 0.8).astype("float32")
flip = rng.random(n) < 0.15
y[flip] = (y[flip] + 1) % 3
columns = {f"x{j}": x[:, j] for j in range(3)}
frame = pd.DataFrame(columns)
frame["label"] = [names[i] for i in y]
frame.to_csv(f"{out}/text.csv", index=False)
other = ["pos", "neg", "neu"]
features = Features({**{f"x{j}": Value("float32") for j in range(3)}, "label": ClassLabel(names=other)})
Dataset.from_dict({**columns, "label": [other.index(names[i]) for i in y]}, features=features).to_parquet(f"{out}/classlabel.parquet")

tasks = [f"t{i}" for i in range(4) for w in range(3)]
workers = [f"w{w}" for i in range(4) for w in range(3)]
answers = [(i + (w == 2)) % 2 for i in range(4) for w in range(3)]
for declared, name in [(["cat", "dog"], "answers_cat_dog"), (["cat", "dog", "bird"], "answers_cat_dog_bird")]:
    f = Features({"task": Value("string"), "worker": Value("string"), "label": ClassLabel(names=declared)})
    Dataset.from_dict({"task": tasks, "worker": workers, "label": answers}, features=f).to_parquet(f"{out}/{name}.parquet")
for declared, name in [(["cat", "dog"], "gold_cat_dog"), (["cat", "dog", "bird"], "gold_cat_dog_bird")]:
    f = Features({"task": Value("string"), "label": ClassLabel(names=declared)})
    Dataset.from_dict({"task": [f"t{i}" for i in range(4)], "label": [i % 2 for i in range(4)]}, features=f).to_parquet(f"{out}/{name}.parquet")

sentiment = ["-1", "0", "1"]
s = [t % 3 if t not in (2, 7) else -1 for t in range(12)]
f = Features({"x0": Value("float32"), "label": ClassLabel(names=sentiment)})
Dataset.from_dict({"x0": [float(t % 3) + 0.25 * (t % 2) for t in range(12)], "label": s}, features=f).to_parquet(f"{out}/sentiment.parquet")


def decoded(path, column="label"):
    """The labels as `datasets` (Parquet) or pandas (CSV) decode them: ClassLabel ids to names, -1 to None."""
    if path.endswith(".parquet"):
        ds = Dataset.from_parquet(path)
        feature = ds.features[column]
        return [feature.int2str(v) if v >= 0 else None for v in ds[column]]
    return pd.read_csv(path)[column].tolist()


expected = {name: decoded(f"{out}/{name}") for name in sorted(os.listdir(out)) if name != "expected.json"}
expected["datasets_version"] = datasets.__version__
with open(f"{out}/expected.json", "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
