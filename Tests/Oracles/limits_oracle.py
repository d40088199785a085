#!/usr/bin/env python3
"""Reference fits for synthctl's learning-curve plateaus: SciPy's curve_fit
of err(n) = c + a·n^(−b) with per-point sigmas (absolute_sigma=False, the
default), on fixed noisy curves. Writes Tests/EvalTests/Fixtures/power_law.json.

Usage: pip install scipy numpy
       python3 Tests/Oracles/limits_oracle.py
"""
import json, os
import numpy as np
from scipy.optimize import curve_fit

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "power_law.json")
rng = np.random.default_rng(3)
law = lambda n, c, a, b: c + a * n ** (-b)
cases = []
for c, a, b, noise in [(0.10, 2.0, 0.5, 0.003), (0.25, 1.0, 0.8, 0.005), (0.02, 0.6, 0.35, 0.002)]:
    n = np.array([50, 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600], dtype=float)
    sigma = noise * (1 + rng.random(len(n)))
    err = law(n, c, a, b) + rng.normal(size=len(n)) * sigma
    p, cov = curve_fit(law, n, err, p0=[0.9 * err.min(), 1.0, 0.5], sigma=sigma, maxfev=100000)
    cases.append({"sizes": n.tolist(), "errors": err.tolist(), "sigmas": sigma.tolist(),
                  "params": p.tolist(), "standard_errors": np.sqrt(np.diag(cov)).tolist(), "covariance": cov.tolist()})
with open(out, "w") as f:
    json.dump(cases, f)
    f.write("\n")
print("wrote", out)
