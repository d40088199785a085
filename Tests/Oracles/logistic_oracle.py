#!/usr/bin/env python3
"""Reference probabilities (and nearest neighbours) for synthctl's logistic regression from
scikit-learn's LogisticRegression (multinomial, lbfgs, C=1 and C=0.05),
fitted to convergence (tol 1e-10) on raw features and on standardized ones
(StandardScaler, population standard deviation). Both problems are strictly
convex, so any exact solver reaches the same optimum: the Swift test
requires the same objective value to 1e-7 and the same probabilities to
2e-4 (standardized) or 1e-3 (raw: one feature has scale 30, a flat valley
that float32 products cannot resolve further).

Writes Tests/EvalTests/Fixtures/logistic/{features.npy, labels.npy, expected.json}.
Usage: pip install scikit-learn numpy; python3 Tests/Oracles/logistic_oracle.py
"""
import json, os
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import log_loss

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "logistic")
os.makedirs(out, exist_ok=True)
X, y = make_classification(n_samples=600, n_features=8, n_informative=5, n_classes=3, flip_y=0.1, random_state=4)
X[:, 2] = X[:, 2] * 30 + 100  # one feature on a very different scale
X = X.astype(np.float32)
np.save(os.path.join(out, "features.npy"), X)
np.save(os.path.join(out, "labels.npy"), y.astype(np.int32))
Xd = X.astype(np.float64)
expected = {}
for C in [1.0, 0.05]:
    raw = LogisticRegression(C=C, tol=1e-10, max_iter=100000).fit(Xd, y)
    Xs = StandardScaler().fit_transform(Xd)
    std = LogisticRegression(C=C, tol=1e-10, max_iter=100000).fit(Xs, y)
    def objective(model, Z):
        return log_loss(y, model.predict_proba(Z)) + (model.coef_ ** 2).sum() / (2 * C * len(y))
    expected[str(C)] = {"raw": raw.predict_proba(Xd).tolist(), "standardized": std.predict_proba(Xs).tolist(),
                        "objective_raw": objective(raw, Xd), "objective_standardized": objective(std, Xs)}
# k nearest neighbours of the first 100 rows among all 600 (scikit-learn, brute force, Euclidean).
from sklearn.neighbors import NearestNeighbors
dist, idx = NearestNeighbors(n_neighbors=6, algorithm="brute").fit(Xd).kneighbors(Xd[:100])
with open(os.path.join(out, "neighbors.json"), "w") as f:
    json.dump({"indices": idx.tolist(), "distances": dist.tolist()}, f)
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f)
print("wrote", out)
