#!/usr/bin/env python3
"""End to end on a real-looking typed table: split, fit, gen and compare of
100,000 rows x 30 mixed-type columns, each step's wall time and peak memory,
and SDMetrics' QualityReport on the same human and synthetic rows beside
`compare` (the part of compare it also computes: column shapes and column
pair trends).

The table (seeded, three classes of 60/30/10 %) has 30 feature columns:
  - 18 numeric columns in mixed units: amounts in thousands (log-normal),
    rates in hundredths, scores in ones, correlated within each class;
  - 4 non-negative integer counts (0-16) and 2 booleans;
  - 6 categorical text columns (3 to 12 levels, class-dependent frequencies).
It is written as CSV (the input `split` byte-copies), then:
  synthctl split h.csv --holdout-fraction 0.3 --train-out train.csv --holdout-out holdout.csv --record split.json
  synthctl fit train.csv --model copula --out model.json
  synthctl gen --model model.json --rows 70000 --out s.parquet
  synthctl compare --human-train train.csv --human-holdout holdout.csv --synthetic s.parquet --json compare.json
Each step is one whole process under GNU time (wall seconds, maximum
resident set). SDMetrics' QualityReport (`generate(real=train, synthetic=s)`,
pairs included) is timed in process, data already in pandas, so its time
excludes reading. `--sdmetrics-rows` caps the rows SDMetrics sees (its pair
trends on 100k rows take minutes); the ratio is per row scanned only when
the caps are equal, so by default both sides see every row.

Do not run it on a loaded machine: it measures time.
Usage: python3 benchmarks/compare_mixed_types.py [--rows 100000] [--no-sdmetrics]
Needs: pip install numpy pandas pyarrow sdmetrics; swift build -c release
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
import numpy as np
import pandas as pd
from machine import machine_line
from process_timing import timed


def human_table(rows, seed):
    rng = np.random.default_rng(seed)
    y = rng.choice(3, size=rows, p=[0.6, 0.3, 0.1])
    cols = {}
    base = rng.standard_normal((rows, 6)) + y[:, None] * 0.4
    for j in range(6):
        z = base[:, j] + 0.5 * rng.standard_normal(rows)
        cols[f"amount_{j}"] = np.round(np.exp(6.5 + 0.6 * z), 2)           # thousands
        cols[f"rate_{j}"] = np.round(0.05 + 0.01 * (z + rng.standard_normal(rows)), 4)  # hundredths
        cols[f"score_{j}"] = np.round(3.0 * z + rng.standard_normal(rows), 3)  # ones
    for j in range(4):
        cols[f"count_{j}"] = np.clip(rng.poisson(2 + 2 * y + j), 0, 16)
    for j in range(2):
        cols[f"flag_{j}"] = rng.random(rows) < (0.2 + 0.3 * (y == j))
    for j, levels in enumerate([3, 4, 5, 6, 8, 12]):
        names = np.array([f"c{j}_{k}" for k in range(levels)])
        shift = (y * (j + 1)) % levels
        cols[f"category_{j}"] = names[(rng.geometric(0.35, rows) - 1 + shift) % levels]
    cols["label"] = np.array(["churn", "stay", "upgrade"])[y]
    return pd.DataFrame(cols)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-sdmetrics", action="store_true")
    ap.add_argument("--binary", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release", "synthctl"))
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    tmp = tempfile.mkdtemp(prefix="synthctl-mixed-")
    try:
        h = os.path.join(tmp, "h.csv")
        human_table(a.rows, a.seed).to_csv(h, index=False)
        print(machine_line())
        print(f"table: {a.rows:,} rows x 30 columns (18 numeric in mixed units, 4 counts, 2 booleans, 6 categorical), 3 classes; {os.path.getsize(h) / 2**20:.1f} MiB CSV")
        p = lambda n: os.path.join(tmp, n)
        steps = [
            ("split", [binary, "split", h, "--holdout-fraction", "0.3", "--seed", "7", "--train-out", p("train.csv"), "--holdout-out", p("holdout.csv"), "--record", p("split.json")]),
            ("fit (copula)", [binary, "fit", p("train.csv"), "--model", "copula", "--out", p("model.json")]),
            ("gen 70,000 rows", [binary, "gen", "--model", p("model.json"), "--rows", str(int(a.rows * 0.7)), "--out", p("s.parquet")]),
            ("compare", [binary, "compare", "--human-train", p("train.csv"), "--human-holdout", p("holdout.csv"), "--synthetic", p("s.parquet"), "--json", p("compare.json")]),
        ]
        total = 0.0
        print(f"{'step':<18}{'wall s':>9}{'peak MiB':>10}")
        for name, cmd in steps:
            seconds, mib, _ = timed(cmd)
            total += seconds
            print(f"{name:<18}{seconds:>9.2f}{mib:>10.0f}")
        print(f"{'all four':<18}{total:>9.2f}")
        report = json.load(open(p("compare.json")))["compare"]
        verdict = report["verdict"]["text"]
        print(f"verdict: {verdict}")
        if not a.no_sdmetrics:
            from sdmetrics.reports.single_table import QualityReport
            train = pd.read_csv(p("train.csv"))
            synth = pd.read_parquet(p("s.parquet"))[list(train.columns)]
            meta = {"columns": {c: {"sdtype": "categorical" if train[c].dtype == object or train[c].dtype == bool else "numerical"} for c in train.columns}}
            t = time.perf_counter()
            q = QualityReport()
            q.generate(train, synth, meta, verbose=False)
            sdm = time.perf_counter() - t
            print(f"SDMetrics QualityReport (column shapes + pair trends, in process): {sdm:.2f} s, score {q.get_score():.4f}")
            compare_s = [s for s in steps if s[0] == "compare"][0]
            seconds, _, _ = timed(compare_s[1] + ["--force"])
            print(f"synthctl compare (whole process, every metric): {seconds:.2f} s")
            print("  (not a ratio: SDMetrics' report computes column shapes and pair trends only; synthctl's compare adds")
            print("   PRDC, MMD, KID, Frechet, detection, utility, privacy, three baselines, matched draws and per-class metrics)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
