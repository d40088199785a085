#!/usr/bin/env python3
"""Reference numbers for synthctl fit's covariance shrinkage, from
scikit-learn's LedoitWolf (shrinkage_ and covariance_) on fixed inputs, and
ShrunkCovariance for a fixed λ. Writes Tests/EvalTests/Fixtures/shrinkage.json.

Usage: pip install scikit-learn numpy
       python3 Tests/Oracles/covariance_oracle.py
"""
import json, os
import numpy as np
from sklearn.covariance import LedoitWolf, ShrunkCovariance

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "shrinkage.json")
rng = np.random.default_rng(11)
cases = {}
for name, (n, d) in {"few_rows": (8, 12), "square": (30, 30), "many_rows": (400, 6)}.items():
    a = rng.normal(size=(d, d))
    x = (rng.normal(size=(n, d)) @ a + rng.normal(size=d) * 3).astype(np.float32)
    lw = LedoitWolf().fit(x.astype(np.float64))
    fixed = ShrunkCovariance(shrinkage=0.25).fit(x.astype(np.float64))
    cases[name] = {"x": x.tolist(), "ledoit_wolf_shrinkage": float(lw.shrinkage_),
                   "ledoit_wolf_covariance": lw.covariance_.tolist(), "fixed_025_covariance": fixed.covariance_.tolist()}
with open(out, "w") as f:
    json.dump(cases, f)
    f.write("\n")
print("wrote", out)
