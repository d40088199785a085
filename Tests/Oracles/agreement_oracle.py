#!/usr/bin/env python3
"""Reference numbers for synthctl's agreement statistics, from the tools people
use: krippendorff (alpha, all four levels), statsmodels (Fleiss' kappa) and
scikit-learn (Cohen's kappa). Writes Tests/EvalTests/Fixtures/agreement.json,
which is committed; the Swift tests compare against it.

Inputs: Krippendorff's own 4-coder x 12-unit example with missing values, and
the real crowd sets in Tests/EvalTests/Fixtures/crowd (a copy of ../shared/data/crowd) (those without repeated
(item, worker) pairs, which a reliability matrix cannot hold).

Also:
  numeric    answers whose labels are decimal numbers (issue 13: 2.5, 5, 10
             sorted as text gave ordinal alpha 0.1483 instead of 0.7083), alpha
             at every level;
  undefined  every answer the same label: what each reference does with 0/0
             (krippendorff raises, statsmodels and scikit-learn give NaN:
             recorded as null with the message);
  pairwise   Cohen's kappa (scikit-learn) of every pair of workers sharing at
             least 20 items on dog and on zencrowd_us (which repeats some
             (item, worker) pairs: each pair keeps its smallest label, synthctl's
             rule), and how many pairs share 1 to 19 items.

Usage: pip install krippendorff statsmodels scikit-learn pandas
       python3 Tests/Oracles/agreement_oracle.py
"""
import json, os
import numpy as np, pandas as pd
import krippendorff
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa, aggregate_raters

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..", "EvalTests", "Fixtures", "crowd")
out = os.path.join(here, "..", "EvalTests", "Fixtures", "agreement.json")
levels = ["nominal", "ordinal", "interval", "ratio"]

nan = np.nan
example = np.array([  # coders x units (Krippendorff 2011, "Computing Krippendorff's alpha-reliability")
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
])
fixture = {"example": {
    "reliability_data": [[None if np.isnan(v) else int(v) for v in row] for row in example],
    "alpha": {lv: krippendorff.alpha(reliability_data=example, level_of_measurement=lv) for lv in levels},
}}

sets = {}
for name in sorted(os.listdir(root)):
    path = os.path.join(root, name, "label.csv")
    if not os.path.exists(path):
        continue
    df = pd.read_csv(path)
    if df.duplicated(["item", "worker"]).any():
        continue
    matrix = df.pivot(index="worker", columns="item", values="label").to_numpy(dtype=float)
    entry = {"alpha": {lv: krippendorff.alpha(reliability_data=matrix, level_of_measurement=lv)
                       for lv in (levels if df.label.nunique() > 2 else ["nominal", "interval"])}}
    per_item = df.groupby("item").size()
    if per_item.nunique() == 1:
        table, _ = aggregate_raters(df.pivot(index="item", columns="worker", values="label")
                                    .apply(lambda r: r.dropna().to_numpy(), axis=1).tolist())
        entry["fleiss_kappa"] = fleiss_kappa(table, method="fleiss")
    sets[name] = entry
fixture["crowd"] = sets

def pair(name, a, b):
    df = pd.read_csv(os.path.join(root, name, "label.csv"))
    x = df[df.worker == a].set_index("item").label
    y = df[df.worker == b].set_index("item").label
    shared = x.index.intersection(y.index)
    return {"set": name, "a": a, "b": b, "shared": int(len(shared)),
            **{w or "none": cohen_kappa_score(x[shared], y[shared], weights=w) for w in [None, "linear", "quadratic"]}}
fixture["cohen"] = [pair("bluebird", 0, 1), pair("dog", 12, 15), pair("web", 0, 1)]


def alpha_of(rows):
    """rows: (item, worker, label text); krippendorff on the numeric values."""
    df = pd.DataFrame(rows, columns=["item", "worker", "label"])
    df["value"] = df.label.astype(float)
    matrix = df.pivot(index="worker", columns="item", values="value").to_numpy(dtype=float)
    return {lv: krippendorff.alpha(reliability_data=matrix, level_of_measurement=lv) for lv in levels}


issue = [("1", "a", "2.5"), ("1", "b", "5"), ("2", "a", "5"), ("2", "b", "10"), ("3", "a", "10"), ("3", "b", "10"),
         ("4", "a", "2.5"), ("4", "b", "2.5")]
rng = np.random.default_rng(13)
values = ["0.5", "2", "2.5", "10", "100", "1e3"]
scattered = []
for item in range(40):
    base = rng.integers(0, len(values))
    for worker in range(6):
        if rng.random() < 0.25:
            continue
        v = int(np.clip(base + rng.integers(-1, 2), 0, len(values) - 1))
        scattered.append((str(item), "w%d" % worker, values[v]))
fixture["numeric"] = [{"answers": [list(r) for r in rows], "alpha": alpha_of(rows)} for rows in (issue, scattered)]

same = [("1", "a", "x"), ("1", "b", "x"), ("2", "a", "x"), ("2", "b", "x"), ("3", "a", "x"), ("3", "c", "x")]
try:
    krippendorff.alpha(reliability_data=[[1, 1, 1], [1, 1, np.nan], [np.nan, np.nan, 1]], level_of_measurement="nominal")
    alpha_error = None
except ValueError as e:
    alpha_error = str(e)
table, _ = aggregate_raters([[0, 0], [0, 0], [0, 0]])
with np.errstate(all="ignore"):
    fleiss_same = fleiss_kappa(table, method="fleiss")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cohen_same = cohen_kappa_score(["x", "x"], ["x", "x"])
fixture["undefined"] = {"answers": [list(r) for r in same], "krippendorff_error": alpha_error,
                        "fleiss_kappa": None if np.isnan(fleiss_same) else fleiss_same,
                        "cohen_kappa": None if np.isnan(cohen_same) else cohen_same}


def all_pairs(name, minimum=20):
    df = pd.read_csv(os.path.join(root, name, "label.csv"))
    df = df.groupby(["item", "worker"], as_index=False).label.min()
    m = df.merge(df, on="item")
    m = m[m.worker_x < m.worker_y]
    sizes = m.groupby(["worker_x", "worker_y"]).size()
    pairs = []
    import warnings
    for (a, b), g in m.groupby(["worker_x", "worker_y"]):
        if len(g) < minimum:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            k = cohen_kappa_score(g.label_x, g.label_y)
        pairs.append([int(a), int(b), int(len(g)), None if np.isnan(k) else float(k)])
    return {"set": name, "minimum_shared": minimum, "below_minimum": int((sizes < minimum).sum()), "pairs": pairs}


fixture["pairwise"] = [all_pairs("dog"), all_pairs("zencrowd_us")]

with open(out, "w") as f:
    json.dump(fixture, f, indent=1, sort_keys=True)
print("wrote", os.path.relpath(out))
