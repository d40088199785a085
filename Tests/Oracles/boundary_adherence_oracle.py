#!/usr/bin/env python3
"""Reference numbers for synthctl's boundary adherence (synthctl compare,
JSON key validity.boundary_adherence), from SDMetrics itself:
sdmetrics.single_column.BoundaryAdherence.compute on each feature column
(real = the human rows, synthetic = the compared rows), then the mean and
the lowest column over features.

The inputs are drawn here with a fixed NumPy seed, rounded to float32, and
stored in the fixture beside the expected numbers, so the Swift test reads
exactly what SDMetrics saw. They include values equal to the real column's
minimum and maximum (the range includes its ends), a column wholly inside,
one mostly outside, and an integer-valued column.
Writes Tests/EvalTests/Fixtures/boundary_adherence.json.

Usage: pip install sdmetrics numpy pandas
       python3 Tests/Oracles/boundary_adherence_oracle.py
"""
import json, os
import numpy as np
import sdmetrics
from sdmetrics.single_column import BoundaryAdherence

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "boundary_adherence.json")
rng = np.random.default_rng(20261129)

def f32(a):
    return np.asarray(a, dtype=np.float32)

def case(real, synthetic):
    per_feature = [float(BoundaryAdherence.compute(real[:, j], synthetic[:, j])) for j in range(real.shape[1])]
    return {"real": real.tolist(), "synthetic": synthetic.tolist(), "per_feature": per_feature,
            "mean": float(np.mean(per_feature)), "min": float(min(per_feature)), "min_feature": int(np.argmin(per_feature))}

real = f32(rng.normal(size=(120, 5)))
synthetic = f32(rng.normal(loc=[0, 0.5, 0, 3, 0], scale=[1, 1.5, 0.2, 1, 1], size=(90, 5)))
synthetic[0, 0], synthetic[1, 0] = real[:, 0].min(), real[:, 0].max()   # the ends count as inside
real[:, 4] = np.round(real[:, 4] * 3)                                    # an integer column
synthetic[:, 4] = np.round(synthetic[:, 4] * 4)
fixture = {"sdmetrics_version": sdmetrics.__version__, "mixed": case(real, synthetic)}

# Everything inside: 1 on every feature.
inner = f32(rng.uniform(-1, 1, size=(60, 3)))
fixture["inside"] = case(np.vstack([inner, f32([[-2, -2, -2], [2, 2, 2]])]), inner)

with open(out, "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print("wrote", out)
