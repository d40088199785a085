#!/usr/bin/env python3
"""Reference probabilities (and nearest neighbours) for synthctl's logistic regression from
scikit-learn's LogisticRegression (multinomial, lbfgs, C=1 and C=0.05),
fitted to convergence (tol 1e-10) on raw features and on standardized ones
(StandardScaler, population standard deviation). Both problems are strictly
convex, so any exact solver reaches the same optimum: the Swift test
requires the same objective value to 1e-7 and the same probabilities to
2e-4 (standardized) or 1e-3 (raw: one feature has scale 30, a flat valley
that float32 products cannot resolve further).

Two classes (binary.json, binary_features.npy, binary_labels.npy): scikit-learn's
binary LogisticRegression (one weight vector and intercept, lbfgs, tol 1e-10) at
C = 1 (the default), 0.1 and 10, on standardized features and on centred raw ones
(the two forms synthctl fits), with the coefficients, intercept and probabilities
in that parametrization and mu, the smallest eigenvalue of the objective's Hessian
at the optimum: the Swift test turns its own stopping rule into a distance to the
optimum through it (LogisticRegressionTests.binaryMatchesScikitLearn).

Writes Tests/EvalTests/Fixtures/logistic/{features.npy, labels.npy, expected.json, neighbors.json,
binary_features.npy, binary_labels.npy, binary.json}.
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

# Two classes: the binary form. One feature has an offset and scale of its own,
# so that centring (which synthctl always does) matters to the intercept.
X, y = make_classification(n_samples=500, n_features=6, n_informative=4, n_redundant=0, n_classes=2,
                           flip_y=0.1, random_state=11)
X[:, 1] = X[:, 1] * 5 + 40
X = X.astype(np.float32)
np.save(os.path.join(out, "binary_features.npy"), X)
np.save(os.path.join(out, "binary_labels.npy"), y.astype(np.int32))
Xd = X.astype(np.float64)
n = len(y)
binary = {}
for C in [1.0, 0.1, 10.0]:
    for form in ["standardized", "raw"]:
        mean = Xd.mean(axis=0)
        scale = Xd.std(axis=0) if form == "standardized" else np.ones(Xd.shape[1])
        Z = (Xd - mean) / scale
        model = LogisticRegression(C=C, tol=1e-10, max_iter=100000).fit(Z, y)
        assert model.coef_.shape == (1, Xd.shape[1])
        w, b = model.coef_[0], model.intercept_[0]
        # On uncentred raw features the fit is the same model (only the intercept
        # moves), which scikit-learn's own solver reaches less exactly.
        if form == "raw":
            plain = LogisticRegression(C=C, tol=1e-10, max_iter=100000).fit(Xd, y)
            assert np.abs(plain.predict_proba(Xd)[:, 1] - model.predict_proba(Z)[:, 1]).max() < 1e-5
        p = model.predict_proba(Z)[:, 1]
        lam = 1 / (C * n)
        Z1 = np.hstack([Z, np.ones((n, 1))])
        hessian = Z1.T @ (Z1 * (p * (1 - p))[:, None]) / n + lam * np.diag([1.0] * Z.shape[1] + [0.0])
        objective = np.mean(np.logaddexp(0, Z1 @ np.append(w, b)) - y * (Z1 @ np.append(w, b))) + lam * (w @ w) / 2
        binary[f"{C}/{form}"] = {"C": C, "standardize": form == "standardized", "mean": mean.tolist(),
                                 "scale": scale.tolist(), "coef": w.tolist(), "intercept": b,
                                 "probabilities": p.tolist(), "objective": objective,
                                 "mu": float(np.linalg.eigvalsh(hessian)[0])}
with open(os.path.join(out, "binary.json"), "w") as f:
    json.dump(binary, f)
print("wrote", out)
