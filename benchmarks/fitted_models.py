#!/usr/bin/env python3
"""What each `synthctl fit` model keeps, and what a large model costs to load.

1. Fidelity: a human-like table with an exponential, a log-normal (dependent
   on the first) and a bimodal feature, two classes, 6,000 rows (NumPy seed
   1). Each model (gaussian, mixture with 4 components, copula) is fitted,
   6,000 rows are sampled from it, and `synthctl compare` scores them against
   the table: mean KS, precision, coverage, detection AUC.
2. Size: a Gaussian model of the `embeddings` preset (384 dimensions, 50
   classes): the sizes of the model's two files (its JSON and its
   safetensors) and of the manifest of a dataset sampled from it, and the
   wall time of `synthctl gen --model` for 6,000 rows and for 1 row (the
   start-up: reading the model until the first row; before the model moved
   out of JSON, 88 MB of it, about 12 s).

Usage: python3 benchmarks/fitted_models.py
Needs: numpy pandas; swift build -c release
"""
import json, os, shutil, subprocess, tempfile, time
import numpy as np, pandas as pd
from machine import machine_line

binary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release", "synthctl")
work = tempfile.mkdtemp(prefix="fit-bench-")
run = lambda *a: subprocess.run([binary, *a], check=True, capture_output=True, text=True, cwd=work).stdout
try:
    r = np.random.default_rng(1); n = 6000
    y = r.integers(0, 2, n)
    x0 = r.exponential(1 + y, n); x1 = np.exp(0.5 * r.normal(size=n) + 0.3 * x0)
    x2 = np.where(r.random(n) < 0.5, -2, 2) + 0.3 * r.normal(size=n)
    pd.DataFrame({"x0": x0, "x1": x1, "x2": x2, "label": y}).to_csv(f"{work}/human.csv", index=False)
    print(machine_line())
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
    def timed(*a):
        t = time.perf_counter()
        run(*a)
        return time.perf_counter() - t
    seconds = timed("gen", "--model", "emb-model.json", "--rows", "6000", "--out", "emb-sampled")
    start = min(timed("gen", "--model", "emb-model.json", "--rows", "1", "--out", f"emb-one-{i}") for i in range(3))
    mb = lambda name: os.path.getsize(f"{work}/{name}") / 1e6
    print(f"Gaussian model of 384 dimensions x 50 classes: {mb('emb-model.json'):.3f} MB of JSON + "
          f"{mb('emb-model.safetensors'):.1f} MB of safetensors; manifest of a sample {mb('emb-sampled/manifest.json'):.3f} MB")
    print(f"gen --model: 6,000 rows in {seconds:.2f} s; 1 row (start-up) in {start:.2f} s (best of 3)")
finally:
    shutil.rmtree(work)
