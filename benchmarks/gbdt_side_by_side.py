#!/usr/bin/env python3
"""Side by side: synthctl's gradient-boosted trees against scikit-learn's
HistGradientBoostingClassifier, on the same 100,000 x 30 two-class set in
one run.

The data come from `synthctl gen` (make_classification semantics: 30
features, 8 informative, 2 classes, no label noise). The same work runs on
both sides: 5-fold cross-validated probabilities of every row, i.e. five
fits on 80,000 rows (early stopping on, as both default above 10,000 rows)
and five predictions on 20,000. scikit-learn's is `cross_val_predict(
HistGradientBoostingClassifier(), X, y, cv=5, method="predict_proba")`
timed around the call alone, data already in NumPy; synthctl's is the whole
`synthctl score --model gbdt` process (reading the .npy files, the folds,
then confident learning on the probabilities, which takes a small part of
it). scikit-learn's out-of-fold AUC is printed for reference (the
agreement of the two models is checked by the tests, against
Tests/Oracles/hist_gradient_boosting_oracle.py), then the time ratio.

Do not run it on a loaded machine: it measures time.
Usage: python3 benchmarks/gbdt_side_by_side.py [--rows 100000] [--features 30]
Needs: pip install scikit-learn numpy; swift build -c release
"""
import argparse, json, os, shutil, subprocess, sys, tempfile
from machine import machine_line
from process_timing import timed

PYTHON_SIDE = r"""
import json, sys, time
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import cross_val_predict
from sklearn.metrics import roc_auc_score
d = sys.argv[1]
X = np.load(d + "/features.npy"); y = np.load(d + "/labels.npy")
t = time.perf_counter()
p = cross_val_predict(HistGradientBoostingClassifier(), X, y, cv=5, method="predict_proba")
seconds = time.perf_counter() - t
print(json.dumps({"cv_seconds": seconds, "auc": roc_auc_score(y, p[:, 1])}))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--features", type=int, default=30)
    ap.add_argument("--synthctl", default=".build/release/synthctl")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="synthctl-gbdt-")
    data = os.path.join(tmp, "set")
    spec = {"rows": a.rows, "seed": 0,
            "generator": {"type": "classification", "features": a.features, "informative": 8, "classes": 2}}
    with open(os.path.join(tmp, "spec.json"), "w") as f:
        json.dump(spec, f)
    subprocess.run([a.synthctl, "gen", "--spec", os.path.join(tmp, "spec.json"), "--out", data],
                   check=True, capture_output=True)

    py_wall, py_mem, out = timed([sys.executable, "-c", PYTHON_SIDE, data])
    py = json.loads(out)

    sw_wall, sw_mem, _ = timed([a.synthctl, "score", data, "--model", "gbdt", "--json", os.path.join(tmp, "r.json")])

    print(machine_line())
    print(f"gradient-boosted trees, {a.rows:,} rows x {a.features} features, 2 classes, 5-fold out-of-fold probabilities")
    print(f"  scikit-learn cross_val_predict(HistGradientBoostingClassifier(), cv=5): {py['cv_seconds']:.2f} s "
          f"(process {py_wall:.2f} s, {py_mem:.0f} MiB); AUC {py['auc']:.4f}")
    print(f"  synthctl score --model gbdt (whole process): {sw_wall:.2f} s, {sw_mem:.0f} MiB")
    print(f"  ratio: {py['cv_seconds'] / sw_wall:.2f}x (scikit-learn call alone vs synthctl whole process; above 1 synthctl is faster)")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
