#!/usr/bin/env python3
"""Does `synthctl compare`'s verdict hold its stated false-alarm levels?

Under the null — the "synthetic" set is a fresh sample of the process that
made the human rows — each finding of the verdict should fire at its stated
level: the held-out detection AUC's 95% interval misses 0.5 in 5% of runs
(2.5% a side), a class is named above or below 0.5 in at most 5% (the
Bonferroni correction over the classes), and by the union bound the verdict
names something in at most 17.5% (README, "Reading the verdict").

The table is real-looking: a years column, an income in thousands
(log-normal, correlated with age), a share in hundredths (Beta), a bounded
count (Binomial(16, p)), a categorical region, a temperature and a
heavy-tailed non-negative column; classes low (62%), high (38%) and rare
(1.5%). Each run draws human training rows (1,333), a holdout (571) and a
synthetic set, each with its own seed, and compares them. With
`--fixed-human` the human rows are drawn once and only the synthetic set
changes: the question a user with one human set asks, but then the runs
share the human sample's chance features, so the z's spread less than
N(0, 1) around a shifted mean (DeLong's variance includes the human side's,
which is frozen), and only their variance beside the stated one says
something.

Usage: verdict_null_calibration.py [--runs 100] [--rows 571]
           [--synthctl .build/release/synthctl] [--work DIR] [--detector gbdt]
           [--fixed-human]

Prints, over the runs: the verdict kinds; how often each finding fired; the
held-out AUC's z = (AUC − 0.5)/SE (mean, sd, share |z| > 1.96), which is
N(0, 1) when the interval is calibrated; each class's z; and the
cross-validated AUC's mean and sd beside the held-out one's.
"""
import argparse, collections, json, os, subprocess, sys, tempfile

import numpy as np
import pandas as pd

REGIONS = ["north", "south", "east", "west"]
REGION_SHARES = {"low": [0.4, 0.3, 0.2, 0.1], "high": [0.1, 0.2, 0.3, 0.4], "rare": [0.25] * 4}


def table(n, seed):
    """n rows of the process, 1.5% of them class rare, seeded."""
    rng = np.random.default_rng(seed)
    rare = int(round(0.015 * n)); low = int(round((n - rare) * 0.62)); high = n - rare - low
    y = np.array(["low"] * low + ["high"] * high + ["rare"] * rare)
    rng.shuffle(y)
    def by_class(lo, hi, ra):
        return np.select([y == "low", y == "high"], [lo, hi], ra)
    age = np.clip(rng.normal(by_class(38.0, 52.0, 45.0), 11.0), 18, 90)
    income = np.exp(10.3 + by_class(0.0, 0.5, 0.25) + 0.025 * (age - 45) + rng.normal(0, 0.55, n))
    ratio = rng.beta(by_class(2.0, 4.0, 3.0), 6.0)
    visits = rng.binomial(16, by_class(0.15, 0.45, 0.3))
    region = np.array([rng.choice(REGIONS, p=REGION_SHARES[c]) for c in y])
    temp = rng.normal(by_class(20.0, 23.0, 21.0), 4.0)
    claims = np.abs(rng.standard_t(3, n)) * 250.0
    return pd.DataFrame({"age": np.round(age, 1), "income": np.round(income / 1000, 2), "ratio": np.round(ratio, 3),
                         "visits": visits, "region": region, "temp": np.round(temp, 2), "claims": np.round(claims, 2),
                         "y": y})


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--runs", type=int, default=100)
    a.add_argument("--rows", type=int, default=571, help="synthetic rows per run (the holdout has 571)")
    a.add_argument("--synthctl", default=".build/release/synthctl")
    a.add_argument("--work", default=None, help="keep the tables and reports here")
    a.add_argument("--detector", default="gbdt")
    a.add_argument("--fixed-human", action="store_true", help="draw the human rows once, not per run")
    o = a.parse_args()
    work = o.work or tempfile.mkdtemp(prefix="verdict-null-")
    os.makedirs(work, exist_ok=True)
    if o.fixed_human:
        train, holdout = os.path.join(work, "train.csv"), os.path.join(work, "holdout.csv")
        table(1333, 1).to_csv(train, index=False)
        table(571, 2).to_csv(holdout, index=False)
    kinds, fired = collections.Counter(), collections.Counter()
    z, cv, held, class_z = [], [], [], collections.defaultdict(list)
    for run in range(o.runs):
        synthetic, report = os.path.join(work, f"synthetic-{run}.csv"), os.path.join(work, f"compare-{run}.json")
        if not o.fixed_human:
            train, holdout = os.path.join(work, f"train-{run}.csv"), os.path.join(work, f"holdout-{run}.csv")
        if not os.path.exists(report):
            if not o.fixed_human:
                table(1333, 2 * run + 1).to_csv(train, index=False)
                table(571, 2 * run + 2).to_csv(holdout, index=False)
            table(o.rows, 1000 + run).to_csv(synthetic, index=False)
            subprocess.run([o.synthctl, "compare", "--human-train", train, "--human-holdout", holdout, "--synthetic", synthetic,
                            "--label-column", "y", "--detector", o.detector, "--json", report, "--force"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        c = json.load(open(report))["compare"]
        v = c["verdict"]
        kinds[v["kind"]] += 1
        for key in ("distinguishable_classes", "closer_than_human_classes", "missing_classes", "shifted_classes"):
            if v[key]: fired[key] += 1
        if v["copies"]: fired["copies"] += 1
        d = c["synthetic"]["detection"]
        lo, hi = d["held_out_auc_ci95"]
        if lo > 0.5: fired["overall_above"] += 1
        if hi < 0.5: fired["overall_below"] += 1
        z.append((d["held_out_auc"] - 0.5) / d["held_out_auc_standard_error"])
        cv.append(d["auc"]); held.append(d["held_out_auc"])
        for k in c["per_class"]:
            if k.get("detection_held_out_auc") is None or k.get("detection_auc_unreliable", True): continue
            lo, hi = k["detection_held_out_auc_ci95"]
            class_z[k["class"]].append((k["detection_held_out_auc"] - 0.5) / ((hi - lo) / (2 * 1.959964)))
        print(f"\r{run + 1}/{o.runs}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    n = o.runs
    named = n - kinds["indistinguishable"] - kinds["indistinguishable_lower_coverage"]
    z = np.array(z)
    human = "the same" if o.fixed_human else "fresh"
    print(f"{n} runs of {o.rows} synthetic rows against {human} 1,333 training and 571 holdout rows ({o.detector}); work: {work}")
    print(f"  verdict kinds: {dict(kinds)}; something named in {named} ({named / n:.1%}; stated at most 17.5%)")
    print("  findings fired: " + ", ".join(f"{k} {v} ({v / n:.1%})" for k, v in sorted(fired.items())))
    print(f"  held-out AUC z: mean {z.mean():+.3f} sd {z.std(ddof=1):.3f}; |z| > 1.96 in {(np.abs(z) > 1.96).mean():.1%} (5% stated)")
    print(f"  AUC over runs: cross-validated {np.mean(cv):.4f} ± {np.std(cv, ddof=1):.4f}, held-out {np.mean(held):.4f} ± {np.std(held, ddof=1):.4f}")
    for k, v in sorted(class_z.items()):
        v = np.array(v)
        print(f"  class {k} (reliable in {len(v)} runs): z mean {v.mean():+.3f} sd {v.std(ddof=1):.3f}; |z| > 2.394 in {(np.abs(v) > 2.394).mean():.1%}")


if __name__ == "__main__":
    main()
