#!/usr/bin/env python3
"""Side by side: a learning-curve experiment with scikit-learn against
`synthctl limits`, on the same data in one run.

Data: `synthctl gen --preset bench` (make_classification semantics, 128
features, 10 classes), 2 x --rows rows: the first half as the human set, the
second half as the synthetic set. Experiment (the issue's): 10 points x 3
curves (human, synthetic, a tenth of the human rows plus growing synthetic)
x 5 seeds, logistic regression, error on a stratified 30% human holdout, each
curve fitted with c + a·n^(−b) (SciPy curve_fit). The Python side is what a
user writes with scikit-learn: LogisticRegression() (lbfgs, C=1, max_iter=100,
standardized first as synthctl does) per point and seed, sequentially. Its
time is the experiment alone (data already in NumPy); synthctl's is the whole
`synthctl limits` process.

Usage: python3 benchmarks/limits_side_by_side.py [--rows 50000]
Needs: pip install scikit-learn scipy numpy; swift build -c release
"""
import argparse, json, os, shutil, subprocess, tempfile, time, warnings
import numpy as np
from machine import machine_line
from process_timing import timed

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=50_000)
ap.add_argument("--binary", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release", "synthctl"))
args = ap.parse_args()
warnings.filterwarnings("ignore")
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from scipy.optimize import curve_fit

work = tempfile.mkdtemp(prefix="limits-bench-")
try:
    for k, name in ((1, "human"), (2, "synthetic")):
        subprocess.run([args.binary, "gen", "--preset", "bench", "--rows", str(2 * args.rows), "--shard", f"{k}/2",
                        "--out", f"{work}/{name}"], check=True, capture_output=True)
    hx, hy = np.load(f"{work}/human/features.npy"), np.load(f"{work}/human/labels.npy")
    sx, sy = np.load(f"{work}/synthetic/features.npy"), np.load(f"{work}/synthetic/labels.npy")

    t0 = time.perf_counter()
    trx, tex, try_, tey = train_test_split(hx, hy, test_size=0.3, stratify=hy, random_state=0)
    def sizes(top, smallest=50, points=10):
        ratio = (top / smallest) ** (1 / (points - 1))
        out = sorted({int(round(smallest * ratio ** i)) for i in range(points)})
        out[-1] = top
        return out
    mix = len(trx) // 10
    rng = np.random.default_rng(0)
    def error(x, y):
        model = make_pipeline(StandardScaler(), LogisticRegression())
        model.fit(x, y)
        return 1 - model.score(tex, tey)
    curves = {}
    for name, top in (("human", len(trx)), ("synthetic", len(sx)), ("mixed", len(sx))):
        means = []
        for n in sizes(top):
            errs = []
            for s in range(5):
                if name == "human":
                    i = rng.choice(len(trx), n, replace=False); errs.append(error(trx[i], try_[i]))
                elif name == "synthetic":
                    i = rng.choice(len(sx), n, replace=False); errs.append(error(sx[i], sy[i]))
                else:
                    h = rng.choice(len(trx), mix, replace=False); i = rng.choice(len(sx), n, replace=False)
                    errs.append(error(np.vstack([trx[h], sx[i]]), np.concatenate([try_[h], sy[i]])))
            means.append((n, np.mean(errs), np.std(errs, ddof=1) / np.sqrt(5)))
        n, e, se = map(np.array, zip(*means))
        p, _ = curve_fit(lambda n, c, a, b: c + a * n ** (-b), n, e, p0=[0.9 * e.min(), 1, 0.5], sigma=np.maximum(se, 1e-4), maxfev=20000)
        curves[name] = p[0]
    python_seconds = time.perf_counter() - t0

    wall, peak, out = timed([args.binary, "limits", "--human", f"{work}/human", "--synthetic", f"{work}/synthetic",
                             "--points", "10", "--seeds", "5", "--json", f"{work}/l.json"])
    mine = {c["name"]: c["fit"]["plateau"] for c in json.load(open(f"{work}/l.json"))["limits"]["curves"]}
    print(machine_line())
    print(f"Learning curves, {args.rows} x 128 human and {args.rows} x 128 synthetic rows, 10 classes: 10 points x 3 curves x 5 seeds")
    print(f"  scikit-learn (experiment alone)   {python_seconds:8.1f} s   plateaus human {curves['human']:.4f}, synthetic {curves['synthetic']:.4f}")
    print(f"  synthctl limits (whole process)   {wall:8.1f} s   plateaus human {mine['human']:.4f}, synthetic {mine['synthetic']:.4f}; peak {peak:,.0f} MiB")
    print(f"  ratio {python_seconds / wall:.1f}x")
finally:
    shutil.rmtree(work)
