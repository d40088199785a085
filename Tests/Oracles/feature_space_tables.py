#!/usr/bin/env python3
"""Tables for compare's feature space (issue 16, "Units decide the answer").

A real-looking labeled table: three classes, 200 human rows each, and
columns in very different units — `ratio` and `rate` in hundredths, `count`
a bounded integer (0–16) in ones, `amount` in thousands. Written to
Tests/EvalTests/Fixtures/feature_space/:

- human.csv: the human rows;
- synthetic_small_wrong.csv: 600 rows right in the large-unit columns
  (`amount`, `count` drawn from the human class distributions) and wrong in
  the small-unit ones (`ratio` shifted by 4 class standard deviations,
  `rate` with 3 times the spread): in the columns' own units every distance
  is the `amount` column's and the set looks good; standardized it is poor.
- human_count_thousandths.csv / synthetic_small_wrong_count_thousandths.csv:
  the same tables with `count` multiplied by 1000 (a unit change; counts are
  integers, so the products are exact in float32).

compare_raw_main.json is written by the build of main before the feature
space existed (`synthctl compare --human human.csv --synthetic
synthetic_small_wrong.csv --label-column label --kid-subsets 10 --json
compare_raw_main.json`): the test checks that `--space raw` gives its numbers
byte for byte.

Usage: python3 Tests/Oracles/feature_space_tables.py   (NumPy)
"""
import os
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "feature_space")
rng = np.random.default_rng(20261130)
classes = ["low", "mid", "high"]
per_class = 200


def draw(n, c, ratio_shift=0.0, rate_spread=1.0):
    ratio = rng.normal(0.10 + 0.04 * c + ratio_shift, 0.02, n)
    rate = 0.50 - 0.05 * c + rate_spread * (0.03 * rng.normal(size=n) + 0.5 * (ratio - ratio.mean()))
    count = np.clip(rng.poisson(4 + 4 * c, n), 0, 16)
    amount = rng.normal(2000 + 1000 * c, 400, n)
    return ratio, count, amount, rate


def table(shift, spread):
    rows = []
    for c, name in enumerate(classes):
        ratio, count, amount, rate = draw(per_class, c, shift, spread)
        for i in range(per_class):
            rows.append((f"{ratio[i]:.4f}", int(count[i]), f"{amount[i]:.1f}", f"{rate[i]:.4f}", name))
    return rows


def write(name, rows, count_scale=1):
    with open(os.path.join(out, name), "w") as f:
        f.write("ratio,count,amount,rate,label\n")
        for ratio, count, amount, rate, label in rows:
            f.write(f"{ratio},{count * count_scale},{amount},{rate},{label}\n")


os.makedirs(out, exist_ok=True)
human = table(0.0, 1.0)
synthetic = table(0.08, 3.0)
write("human.csv", human)
write("synthetic_small_wrong.csv", synthetic)
write("human_count_thousandths.csv", human, 1000)
write("synthetic_small_wrong_count_thousandths.csv", synthetic, 1000)
