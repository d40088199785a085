#!/usr/bin/env python3
"""What each `synthctl fit` model keeps, and what a large model costs to load.

1. Fidelity: a human-like table with an exponential, a log-normal (dependent
   on the first) and a bimodal feature, two classes, 6,000 rows (NumPy seed
   1). Each model (gaussian, mixture with 4 components, copula) is fitted,
   6,000 rows are sampled from it, and `synthctl compare` scores them against
   the table: mean KS, precision, coverage, detection AUC.
2. Size: a Gaussian model of the `embeddings` preset (384 dimensions, 50
   classes): the model file's size and the wall time of
   `synthctl gen --model` for 6,000 rows, most of which is reading the JSON.

Usage: python3 benchmarks/fitted_models.py
Needs: numpy pandas; swift build -c release
"""
import json, os, shutil, subprocess, tempfile, time
import numpy as np, pandas as pd

binary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release", "synthctl")
work = tempfile.mkdtemp(prefix="fit-bench-")
run = lambda *a: subprocess.run([binary, *a], check=True, capture_output=True, text=True, cwd=work).stdout
try:
    r = np.random.default_rng(1); n = 6000
    y = r.integers(0, 2, n)
    x0 = r.exponential(1 + y, n); x1 = np.exp(0.5 * r.normal(size=n) + 0.3 * x0)
    x2 = np.where(r.random(n) < 0.5, -2, 2) + 0.3 * r.normal(size=n)
    pd.DataFrame({"x0": x0, "x1": x1, "x2": x2, "label": y}).to_csv(f"{work}/human.csv", index=False)
    print("model      mean KS  precision  coverage  detection AUC")
    for model in ("gaussian", "mixture", "copula"):
        run("fit", "human.csv", "--model", model, "--components", "4", "--out", f"{model}.json")
        run("gen", "--model", f"{model}.json", "--rows", "6000", "--format", "csv", "--out", f"{model}.csv")
        run("compare", "--human", "human.csv", "--synthetic", f"{model}.csv", "--no-baselines", "--no-per-class",
            "--kid-subsets", "5", "--json", f"{model}-compare.json")
        s = json.load(open(f"{work}/{model}-compare.json"))["compare"]["synthetic"]
        print(f"{model:<10} {s['marginals']['mean_ks']:7.4f}  {s['manifold']['precision']:9.4f}  "
              f"{s['manifold']['coverage']:8.4f}  {s['detection']['auc']:13.4f}")

    run("gen", "--preset", "embeddings", "--rows", "6000", "--out", "emb")
    run("fit", "emb", "--out", "emb-model.json")
    t = time.perf_counter()
    run("gen", "--model", "emb-model.json", "--rows", "6000", "--out", "emb-sampled")
    seconds = time.perf_counter() - t
    size = os.path.getsize(f"{work}/emb-model.json") / 1e6
    print(f"Gaussian model of 384 dimensions x 50 classes: {size:.0f} MB of JSON; gen --model of 6,000 rows took {seconds:.1f} s")
finally:
    shutil.rmtree(work)
