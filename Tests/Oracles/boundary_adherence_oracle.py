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
one mostly outside, and an integer-valued column. The with_boolean case
adds a boolean (0/1) column: SDMetrics' DiagnosticReport applies
BoundaryAdherence to numerical and datetime columns only (a boolean column
gets CategoryAdherence; sdmetrics 0.32 reports/single_table/_properties/
data_validity.py), so its numbers come from that report's Data Validity
details with the column typed boolean, and the mean is over the numeric
columns.
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

# A boolean column (index 1) beside three numeric ones, one of them partly
# outside: the mean is over the numeric columns only, as the report's.
import pandas as pd
from sdmetrics.reports.single_table import DiagnosticReport  # single-table metadata
numeric = f32(rng.normal(size=(80, 3)))
flags = f32(rng.random(80) < 0.4)
real_b = np.column_stack([numeric[:, 0], flags, numeric[:, 1], numeric[:, 2]]).astype(np.float32)
synthetic_b = f32(rng.normal(loc=[0, 0, 1.2], scale=[1, 1, 1.3], size=(70, 3)))
synthetic_b = np.column_stack([synthetic_b[:, 0], f32(rng.random(70) < 0.6), synthetic_b[:, 1], synthetic_b[:, 2]]).astype(np.float32)
names = ["x0", "flag", "x2", "x3"]
def frame(a):
    d = pd.DataFrame({n: a[:, j].astype(np.float64) for j, n in enumerate(names)})
    d["flag"] = a[:, 1] == 1
    return d
metadata = {"columns": {n: {"sdtype": "boolean" if n == "flag" else "numerical"} for n in names}}
report = DiagnosticReport()
report.generate(frame(real_b), frame(synthetic_b), metadata, verbose=False)
details = report.get_details("Data Validity")
bounded = details[details["Metric"] == "BoundaryAdherence"]
by_column = dict(zip(bounded["Column"], bounded["Score"]))
numeric_columns = [j for j, n in enumerate(names) if n != "flag"]
per_feature = [float(by_column[names[j]]) for j in numeric_columns]
assert sorted(by_column) == sorted(names[j] for j in numeric_columns), by_column
fixture["with_boolean"] = {"real": real_b.tolist(), "synthetic": synthetic_b.tolist(), "boolean_columns": [1],
                           "numeric_columns": numeric_columns, "per_feature": per_feature,
                           "mean": float(np.mean(per_feature)), "min": float(min(per_feature)),
                           "min_feature": numeric_columns[int(np.argmin(per_feature))]}

with open(out, "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print("wrote", out)
