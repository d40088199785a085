#!/usr/bin/env python3
"""Side by side: label-issue detection with scikit-learn + cleanlab against
`synthctl score`, on the same labeled set in one run.

The data come from `synthctl gen` (make_classification semantics; by default
100,000 rows x 128 features, 10 classes, 20% flip noise, so the truth is
known). The Python pipeline is what cleanlab's documentation recommends:
out-of-sample probabilities from scikit-learn's cross_val_predict of
LogisticRegression (5 folds, lbfgs, default C=1 and max_iter=100) on the
features, then cleanlab.filter.find_label_issues (prune_by_noise_rate). Its
time is the calls alone, data already in NumPy. synthctl's is the whole
process: reading the .npy files, 5-fold logistic regression (L-BFGS,
standardized features), confident learning, the report. Both sides'
flagged items are scored against the true noise mask: precision and recall.

Usage: python3 benchmarks/label_issues_side_by_side.py [--rows 100000] [--features 128] [--classes 10]
Needs: pip install cleanlab scikit-learn numpy; swift build -c release
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from machine import machine_line
from process_timing import timed

PYTHON_SIDE = r"""
import json, sys, time, warnings
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict
from cleanlab.filter import find_label_issues
warnings.filterwarnings("ignore")
d = sys.argv[1]
X = np.load(d + "/features.npy"); y = np.load(d + "/labels.npy")
t = time.perf_counter()
p = cross_val_predict(LogisticRegression(), X, y, cv=5, method="predict_proba")
fit = time.perf_counter() - t
t = time.perf_counter()
issues = find_label_issues(y, p)
find = time.perf_counter() - t
np.save(d + "/python_issues.npy", np.flatnonzero(issues))
print(json.dumps({"cv_seconds": fit, "find_seconds": find}))
"""


def quality(flagged, wrong):
    hit = len(flagged & wrong)
    return hit / max(len(flagged), 1), hit / max(len(wrong), 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--features", type=int, default=128)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--noise", type=float, default=0.2)
    ap.add_argument("--synthctl", default=".build/release/synthctl")
    a = ap.parse_args()
    import numpy as np
    tmp = tempfile.mkdtemp(prefix="synthctl-label-issues-")
    data = os.path.join(tmp, "set")
    spec = {"rows": a.rows, "seed": 0,
            "generator": {"type": "classification", "features": a.features, "informative": a.features // 4,
                          "classes": a.classes, "class_sep": 2.0},
            "noise": {"type": "flip", "rate": a.noise}}
    with open(os.path.join(tmp, "spec.json"), "w") as f:
        json.dump(spec, f)
    subprocess.run([a.synthctl, "gen", "--spec", os.path.join(tmp, "spec.json"), "--out", data],
                   check=True, capture_output=True)
    truth, labels = np.load(data + "/true_labels.npy"), np.load(data + "/labels.npy")
    wrong = set(np.flatnonzero(truth != labels).tolist())

    py_wall, py_mem, out = timed([sys.executable, "-c", PYTHON_SIDE, data])
    py = json.loads(out)
    py_flagged = set(np.load(data + "/python_issues.npy").tolist())

    report, issues = os.path.join(tmp, "r.json"), os.path.join(tmp, "issues.csv")
    sw_wall, sw_mem, _ = timed([a.synthctl, "score", data, "--json", report, "--issues", issues])
    sw_flagged = set(int(line.split(",")[0]) for line in open(issues).read().splitlines()[1:])

    py_p, py_r = quality(py_flagged, wrong)
    sw_p, sw_r = quality(sw_flagged, wrong)
    py_time = py["cv_seconds"] + py["find_seconds"]
    print(machine_line())
    print(f"label issues, {a.rows:,} rows x {a.features} features, {a.classes} classes, {len(wrong):,} wrong labels")
    print(f"  scikit-learn cross_val_predict(LogisticRegression, cv=5): {py['cv_seconds']:.2f} s")
    print(f"  cleanlab find_label_issues:                               {py['find_seconds']:.2f} s")
    print(f"  Python pipeline: {py_time:.2f} s (process {py_wall:.2f} s, {py_mem:.0f} MiB); "
          f"flagged {len(py_flagged):,}, precision {py_p:.3f}, recall {py_r:.3f}")
    print(f"  synthctl score (whole process): {sw_wall:.2f} s, {sw_mem:.0f} MiB; "
          f"flagged {len(sw_flagged):,}, precision {sw_p:.3f}, recall {sw_r:.3f}")
    print(f"  ratio: {py_time / sw_wall:.1f}x (Python calls alone vs synthctl whole process)")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
