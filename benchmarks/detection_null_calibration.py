#!/usr/bin/env python3
"""Is a cross-validated detection AUC's DeLong interval calibrated? (issue 16, D3)

Both classes are drawn from one distribution (571 rows each, 7 columns, one
log-normal), so every "detection" is a false alarm. For each seed the script
fits scikit-learn's HistGradientBoostingClassifier (100 iterations, no early
stopping) and prints, over the seeds, the mean and sd of z = (AUC - 0.5)/SE
and the share with |z| > 1.96 (5% if calibrated), for:

- stratified 5-fold, out-of-fold scores pooled (what compare does);
- stratified 5-fold, the mean of the within-fold AUCs, SE sqrt(sum V_k)/5;
- unstratified 5-fold, pooled;
- one stratified 50/50 split, DeLong on the held-out half (Lopez-Paz & Oquab 2017).

The stop-31 note's figures come from this script (60 and 40 seeds).
Usage: python3 benchmarks/detection_null_calibration.py [--seeds 40]
Needs: pip install scikit-learn scipy numpy
"""
import argparse
import numpy as np
from scipy.stats import rankdata
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split


def delong(pos, neg):
    """AUC of positives over negatives and DeLong's variance (placement values)."""
    m, n = len(pos), len(neg)
    r = rankdata(np.concatenate([pos, neg])); rp = rankdata(pos); rn = rankdata(neg)
    auc = (r[:m].sum() - m * (m + 1) / 2) / (m * n)
    v10 = (r[:m] - rp) / n
    v01 = 1 - (r[m:] - rn) / m
    return auc, v10.var(ddof=1) / m + v01.var(ddof=1) / n


def fit(X, y):
    return HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=0).fit(X, y)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", type=int, default=40)
    p.add_argument("--rows", type=int, default=571)
    args = p.parse_args()
    n, d = args.rows, 7
    z = {k: [] for k in ["stratified 5-fold, pooled", "stratified 5-fold, fold mean", "unstratified 5-fold, pooled", "one 50/50 split"]}
    for seed in range(args.seeds):
        rng = np.random.default_rng(seed)
        X = rng.normal(size=(2 * n, d)); X[:, 1] = np.exp(X[:, 1])
        y = np.r_[np.ones(n), np.zeros(n)]
        scores = np.empty(2 * n); fold_auc, fold_var = [], []
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y):
            s = fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]; scores[te] = s
            a, v = delong(s[y[te] == 1], s[y[te] == 0]); fold_auc.append(a); fold_var.append(v)
        a, v = delong(scores[y == 1], scores[y == 0])
        z["stratified 5-fold, pooled"].append((a - 0.5) / np.sqrt(v))
        z["stratified 5-fold, fold mean"].append((np.mean(fold_auc) - 0.5) / (np.sqrt(np.sum(fold_var)) / 5))
        for tr, te in KFold(5, shuffle=True, random_state=seed).split(X):
            scores[te] = fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
        a, v = delong(scores[y == 1], scores[y == 0])
        z["unstratified 5-fold, pooled"].append((a - 0.5) / np.sqrt(v))
        tr, te = train_test_split(np.arange(2 * n), test_size=0.5, random_state=seed, stratify=y)
        s = fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
        a, v = delong(s[y[te] == 1], s[y[te] == 0])
        z["one 50/50 split"].append((a - 0.5) / np.sqrt(v))
    for name, values in z.items():
        values = np.array(values)
        print(f"{name:<30} z mean {values.mean():+.2f}  sd {values.std(ddof=1):.2f}  |z| > 1.96 in {np.mean(abs(values) > 1.96):.1%}")


if __name__ == "__main__":
    main()
