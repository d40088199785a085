"""How pandas reads table cells: the reference for synthctl's table readers.

Writes Tests/EvalTests/Fixtures/table_reading.json with
- missing_spellings: pandas' default na_values (read_csv reads them as NaN);
- numbers: cells that pandas' read_csv reads as a finite number in a numeric
  column, with the float64 it reads (and the exact integer when pandas reads
  an int64); synthctl must read the same number as a feature (rounded to
  float32) and spell the label by that value;
- not_numbers: cells pandas keeps as text (synthctl keeps them as labels,
  trimmed, and refuses them as features).

Run: python3 Tests/Oracles/table_reading_oracle.py
"""
import io
import json
import math
import os

import pandas as pd
from pandas._libs.parsers import STR_NA_VALUES

cells = [
    "1", " 1", "1 ", "\t1", "1.0", "01", "001", "1e0", "1E0", "+1", "+01", "-1", "-01", "-0", "0", "-0.0",
    "2.50", "2.5", "1.", ".5", "-.5", "1e2", "1E+2", "1e-2", "-007", "3.000", "12345678901234567",
    "0.1", "1.25e1", "7e-3", "65504", "3.4028234e38", "-1.5e-10",
]
text_cells = ["cat", "0x1", "1_0", "1e", "e1", "--1", "1.2.3", "one", "١", "1 2", "Dog "]

numbers = {}
for c in cells:
    frame = pd.read_csv(io.StringIO("x\n" + c + "\n"), keep_default_na=True)
    value = frame["x"].iloc[0]
    assert frame["x"].dtype.kind in "fi", (c, frame["x"].dtype)
    entry = {"text": c, "value": float(value)}
    if frame["x"].dtype.kind == "i":
        entry["integer"] = str(int(value))  # exact, beyond 2^53 too
    assert math.isfinite(entry["value"])
    numbers[c] = entry

not_numbers = []
for c in text_cells:
    frame = pd.read_csv(io.StringIO("x\n" + c + "\n"), keep_default_na=True)
    assert frame["x"].dtype.kind not in "fi", (c, frame["x"].dtype)
    not_numbers.append(c)

for na in STR_NA_VALUES:
    frame = pd.read_csv(io.StringIO("x,y\n" + na + ",1\n"), keep_default_na=True)
    assert frame["x"].isna().iloc[0], na

fixture = {
    "pandas_version": pd.__version__,
    "missing_spellings": sorted(STR_NA_VALUES),
    "numbers": list(numbers.values()),
    "not_numbers": not_numbers,
}
out = os.path.join(os.path.dirname(__file__), "..", "EvalTests", "Fixtures", "table_reading.json")
with open(out, "w") as f:
    json.dump(fixture, f, indent=1, sort_keys=True)
    f.write("\n")
print("wrote", os.path.normpath(out))
