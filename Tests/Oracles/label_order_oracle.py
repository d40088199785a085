#!/usr/bin/env python3
"""Reference values for ordinal Krippendorff's alpha on text labels put in a
given order (synthctl score --label-order). Writes
Tests/EvalTests/Fixtures/label_order.json, which is committed; the Swift tests
read the answers from it and compare against krippendorff's alpha.

krippendorff works on numbers, so each text label is replaced by its position
in the given order (low -> 0, medium -> 1, high -> 2): that mapping is what
--label-order means. Cases:
  issue13   issue 13's example (2.5, 5, 10) spelled low, medium, high:
            ordinal alpha must be 0.7083, as for the numbers;
  severity  300 items x 3 answers from 12 workers over none < mild <
            moderate < severe, with "extreme" listed in the order but never
            given and "trace" (between none and mild) never given either:
            unused values change no ordinal distance;
  both      alpha at nominal level too (the order does not change it).

Usage: pip install krippendorff numpy
       python3 Tests/Oracles/label_order_oracle.py
"""
import json, os
import numpy as np
import krippendorff

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "label_order.json")


def alpha(rows, order, level):
    items = sorted({r[0] for r in rows}, key=lambda s: int(s))
    workers = sorted({r[1] for r in rows})
    data = np.full((len(workers), len(items)), np.nan)
    for item, worker, label in rows:
        data[workers.index(worker), items.index(item)] = order.index(label)
    return krippendorff.alpha(reliability_data=data, level_of_measurement=level)


cases = []
issue13 = [("1", "a", "low"), ("1", "b", "medium"), ("2", "a", "medium"), ("2", "b", "high"),
           ("3", "a", "high"), ("3", "b", "high"), ("4", "a", "low"), ("4", "b", "low")]
cases.append({"name": "issue13", "order": ["low", "medium", "high"], "answers": issue13})

rng = np.random.default_rng(13)
given = ["none", "mild", "moderate", "severe"]
order = ["none", "trace", "mild", "moderate", "severe", "extreme"]
rows = []
for item in range(300):
    truth = rng.integers(0, 4)
    for worker in rng.choice(12, size=3, replace=False):
        shift = rng.choice([-1, 0, 0, 0, 1])
        rows.append((str(item), f"w{worker}", given[int(np.clip(truth + shift, 0, 3))]))
cases.append({"name": "severity", "order": order, "answers": rows})

for case in cases:
    case["alpha"] = {level: alpha(case["answers"], case["order"], level) for level in ["ordinal", "nominal"]}
    case["answers"] = [list(r) for r in case["answers"]]

from importlib.metadata import version
json.dump({"krippendorff_version": version("krippendorff"), "cases": cases}, open(out, "w"), separators=(",", ":"))
print(out, [(c["name"], c["alpha"]) for c in cases])
