#!/usr/bin/env python3
"""Reference numbers for synthctl's agreement statistics, from the tools people
use: krippendorff (alpha, all four levels), statsmodels (Fleiss' kappa) and
scikit-learn (Cohen's kappa). Writes Tests/EvalTests/Fixtures/agreement.json,
which is committed; the Swift tests compare against it.

Inputs: Krippendorff's own 4-coder x 12-unit example with missing values, and
the real crowd sets in Tests/EvalTests/Fixtures/crowd (a copy of ../shared/data/crowd) (those without repeated
(item, worker) pairs, which a reliability matrix cannot hold).

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

with open(out, "w") as f:
    json.dump(fixture, f, indent=1, sort_keys=True)
print("wrote", os.path.relpath(out))
