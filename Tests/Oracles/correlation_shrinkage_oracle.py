#!/usr/bin/env python3
"""Reference numbers for synthctl fit's shrinkage of the correlation
(Sources/Synth/Fitted/ShrunkCorrelation.swift): a table whose columns are in
different units (thousandths, hundredths, ones, tens, thousands), three
classes, one of 40 rows; per class, scikit-learn's `ledoit_wolf` applied to
the class's columns standardized by their own (maximum-likelihood) standard
deviations gives the intensity λ and the shrunk correlation
(1 − λ)·R + λ·I. Writes Tests/EvalTests/Fixtures/correlation_shrinkage.json.

Usage: pip install scikit-learn numpy
       python3 Tests/Oracles/correlation_shrinkage_oracle.py
"""
import json, os
import numpy as np
from sklearn.covariance import ledoit_wolf

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "correlation_shrinkage.json")
rng = np.random.default_rng(16)
names = ["rate", "share", "score", "age", "income"]
# Per class: rows, means and standard deviations of the five columns (every
# mean at least 4 standard deviations above 0: the human values are positive).
classes = {
    "low": (300, [0.004, 0.05, 3.0, 35.0, 2500.0], [0.001, 0.01, 0.6, 6.0, 500.0]),
    "mid": (200, [0.006, 0.08, 5.0, 45.0, 4000.0], [0.0012, 0.015, 1.0, 8.0, 900.0]),
    "rare": (40, [0.009, 0.12, 7.0, 55.0, 7000.0], [0.002, 0.02, 1.2, 9.0, 1500.0]),
}
rows, labels, expected = [], [], {}
for c, (name, (n, mean, sd)) in enumerate(classes.items()):
    a = rng.normal(size=(5, 5))
    cov = a @ a.T + 2 * np.eye(5)
    corr = cov / np.sqrt(np.outer(np.diag(cov), np.diag(cov)))
    z = rng.multivariate_normal(np.zeros(5), corr, size=n)
    x = (np.array(mean) + z * np.array(sd)).astype(np.float32)
    rows += x.tolist()
    labels += [c] * n
    xd = x.astype(np.float64)
    centred = xd - xd.mean(axis=0)
    s = np.sqrt((centred ** 2).mean(axis=0))
    shrunk, shrinkage = ledoit_wolf(centred / s)
    expected[name] = {"ledoit_wolf_shrinkage": float(shrinkage), "shrunk_correlation": shrunk.tolist(),
                      "standard_deviations": s.tolist()}
with open(out, "w") as f:
    json.dump({"feature_names": names, "class_names": list(classes), "x": rows, "labels": labels, "classes": expected}, f)
    f.write("\n")
print("wrote", out)
