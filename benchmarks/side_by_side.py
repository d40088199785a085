#!/usr/bin/env python3
"""Side by side: scikit-learn's generators against `synthctl gen`, same shapes, one run.

scikit-learn makes float64 arrays in memory; synthctl generates float32 and
*writes* the dataset directory (features, labels, manifest with SHA-256), so
the comparison is generous to scikit-learn. Peak memory is each side's own
maximum resident set, measured by GNU time (`/usr/bin/time -f %M`) around
that process alone.

Each side runs --repeat times (default 3), alternating, and the median time
and the largest peak are reported: writing half a gigabyte through the page
cache takes a different time on every run.

Usage: python3 benchmarks/side_by_side.py [--rows 1000000] [--features 128]
       [--classes 10] [--repeat 3] [--synthctl .build/release/synthctl]
Needs: scikit-learn (pip install scikit-learn).
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time
from process_timing import timed


def sklearn_run(kind, rows, features, classes):
    code = f"""
import time, json
from sklearn.datasets import make_classification, make_blobs
t = time.perf_counter()
if '{kind}' == 'classification':
    X, y = make_classification(n_samples={rows}, n_features={features}, n_informative=16, n_redundant=8,
                               n_classes={classes}, flip_y=0.0, random_state=0)
else:
    X, y = make_blobs(n_samples={rows}, n_features={features}, centers={classes}, random_state=0)
dt = time.perf_counter() - t
print(json.dumps({{"seconds": dt}}))
"""
    _, peak, out = timed([sys.executable, "-c", code])
    # Time inside the process (generation only, not the interpreter's start-up).
    return {"seconds": json.loads(out)["seconds"], "peak_mib": peak}


def synthctl_run(binary, kind, rows, features, classes, out_dir):
    spec = {"rows": rows, "seed": 0}
    if kind == "classification":
        spec["generator"] = {"type": "classification", "features": features, "informative": 16,
                             "redundant": 8, "classes": classes}
    else:
        spec["generator"] = {"type": "blobs", "features": features, "centers": classes}
    spec_path = os.path.join(out_dir, f"{kind}.json")
    json.dump(spec, open(spec_path, "w"))
    target = os.path.join(out_dir, kind)
    # Wall time of the whole process: start-up, generation, writing, hashing.
    dt, peak, _ = timed([binary, "gen", "--spec", spec_path, "--out", target, "--force"])
    shutil.rmtree(target)
    return {"seconds": dt, "peak_mib": peak}


def median_run(runs):
    return {"seconds": statistics.median(r["seconds"] for r in runs), "peak_mib": max(r["peak_mib"] for r in runs)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--features", type=int, default=128)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--synthctl", default=".build/release/synthctl")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="synthctl-bench-")
    print(f"{a.rows} rows x {a.features} features, {a.classes} classes")
    print(f"{'generator':<16}{'sklearn s':>10}{'MiB':>8}{'synthctl s':>12}{'MiB':>8}{'speed-up':>10}")
    for kind in ["classification", "blobs"]:
        runs = [(sklearn_run(kind, a.rows, a.features, a.classes),
                 synthctl_run(a.synthctl, kind, a.rows, a.features, a.classes, tmp)) for _ in range(a.repeat)]
        s, o = (median_run([r[i] for r in runs]) for i in (0, 1))
        print(f"{kind:<16}{s['seconds']:>10.2f}{s['peak_mib']:>8.0f}{o['seconds']:>12.2f}{o['peak_mib']:>8.0f}"
              f"{s['seconds'] / o['seconds']:>9.1f}x")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
