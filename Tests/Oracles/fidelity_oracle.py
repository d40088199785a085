#!/usr/bin/env python3
"""Reference numbers for synthctl's fidelity metrics (synthctl compare), from
the tools people use: prdc (precision, recall, density, coverage), SciPy
(Fréchet distance by sqrtm, as pytorch-fid computes it; ks_2samp;
wasserstein_distance), scikit-learn (roc_auc_score, f1_score), and NumPy
written out directly where no package computes the quantity (unbiased RBF
MMD² with the median-distance bandwidth, KID's polynomial-kernel MMD², the
DeLong variance of an AUC, Pearson correlation matrices).

The inputs are drawn here with a fixed NumPy seed, rounded to float32, and
stored in the fixture beside the expected numbers, so the Swift tests read
exactly what the references saw. Writes Tests/EvalTests/Fixtures/fidelity.json.

Usage: pip install prdc scipy scikit-learn numpy
       python3 Tests/Oracles/fidelity_oracle.py
"""
import io, contextlib, json, os
import numpy as np
import scipy.linalg, scipy.stats
from prdc import compute_prdc
from sklearn.metrics import roc_auc_score, f1_score, accuracy_score

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "fidelity.json")
rng = np.random.default_rng(20261122)

def f32(a):
    return np.asarray(a, dtype=np.float32)

def prdc(real, fake, k):
    with contextlib.redirect_stdout(io.StringIO()):  # prdc prints the set sizes
        r = compute_prdc(real_features=real, fake_features=fake, nearest_k=k)
    return {key: float(v) for key, v in r.items()}

fixture = {}

# --- precision / recall / density / coverage --------------------------------
real = f32(rng.normal(size=(500, 16)))
fake = f32(rng.normal(loc=0.3, scale=1.2, size=(400, 16)))
fixture["prdc"] = {"real": real.tolist(), "fake": fake.tolist(),
                   "k5": prdc(real, fake, 5), "k3": prdc(real, fake, 3)}
# Repeated rows: prdc's strict comparison scores identical sets zero (prdc#7).
ones = f32(np.ones((10, 4)))
fixture["prdc_repeated"] = {"rows": ones.tolist(), "k5": prdc(ones, ones, 5)}

# --- Fréchet distance: pytorch-fid's route (np.cov, sqrtm of the product) ---
a = f32(rng.normal(size=(300, 6)) @ rng.normal(size=(6, 6)))
b = f32(rng.normal(loc=0.5, size=(250, 6)) @ rng.normal(size=(6, 6)))
def frechet(x, y):
    x, y = x.astype(np.float64), y.astype(np.float64)
    mu1, mu2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    covmean = scipy.linalg.sqrtm(s1 @ s2)
    covmean = covmean.real
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))
fixture["frechet"] = {"a": a.tolist(), "b": b.tolist(), "distance": frechet(a, b)}

# --- MMD² (RBF, unbiased, median bandwidth) and KID, in NumPy ---------------
x = f32(rng.normal(size=(200, 5)))
y = f32(rng.normal(loc=0.2, scale=1.1, size=(150, 5)))
def sqdist(p, q):
    p, q = p.astype(np.float64), q.astype(np.float64)
    return ((p[:, None, :] - q[None, :, :]) ** 2).sum(-1)
pooled = np.vstack([x, y])
dp = sqdist(pooled, pooled)
iu = np.triu_indices(len(pooled), 1)
sigma = float(np.median(np.sqrt(dp[iu])))
def unbiased(kxx, kyy, kxy):
    n, m = len(kxx), len(kyy)
    return float((kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
                 - 2 * kxy.mean())
rbf = lambda d: np.exp(-d / (2 * sigma ** 2))
mmd = unbiased(rbf(sqdist(x, x)), rbf(sqdist(y, y)), rbf(sqdist(x, y)))
d = x.shape[1]
poly = lambda p, q: (p.astype(np.float64) @ q.astype(np.float64).T / d + 1) ** 3
kid = unbiased(poly(x, x), poly(y, y), poly(x, y))
# The linear-time estimator (Gretton et al. 2012, lemma 14) on the first
# 2·⌊min(n, m)/2⌋ rows of each set, in order.
h = min(len(x), len(y)) // 2
x1, x2, y1, y2 = x[0:2*h:2], x[1:2*h:2], y[0:2*h:2], y[1:2*h:2]
pair = lambda p, q: rbf(((p.astype(np.float64) - q.astype(np.float64)) ** 2).sum(-1))
linear = float(np.mean(pair(x1, x2) + pair(y1, y2) - pair(x1, y2) - pair(x2, y1)))
fixture["mmd"] = {"x": x.tolist(), "y": y.tolist(), "bandwidth": sigma, "mmd2_unbiased": mmd,
                  "mmd2_linear": linear, "kid_one_subset": kid}

# --- marginals: KS and Wasserstein-1 per column, label total variation -------
u = f32(np.column_stack([rng.normal(size=300), rng.exponential(size=300), rng.integers(0, 4, 300)]))
v = f32(np.column_stack([rng.normal(0.1, 1, size=220), rng.exponential(1.3, size=220), rng.integers(0, 5, 220)]))
fixture["marginals"] = {
    "u": u.tolist(), "v": v.tolist(),
    "ks": [float(scipy.stats.ks_2samp(u[:, j], v[:, j]).statistic) for j in range(3)],
    "wasserstein": [float(scipy.stats.wasserstein_distance(u[:, j].astype(np.float64), v[:, j].astype(np.float64)))
                    for j in range(3)],
    "corr_u": np.corrcoef(u.astype(np.float64), rowvar=False).tolist(),
    "corr_v": np.corrcoef(v.astype(np.float64), rowvar=False).tolist(),
}

# --- AUC with ties, its DeLong variance; accuracy and macro-F1 --------------
pos = np.round(rng.normal(0.4, 1, 90), 1)
neg = np.round(rng.normal(0.0, 1, 70), 1)
scores = np.concatenate([pos, neg]); labels = np.concatenate([np.ones(90), np.zeros(70)])
vpos = np.array([np.mean((p > neg) + 0.5 * (p == neg)) for p in pos])
vneg = np.array([np.mean((pos > q) + 0.5 * (pos == q)) for q in neg])
auc = float(roc_auc_score(labels, scores))
delong = float(np.var(vpos, ddof=1) / len(pos) + np.var(vneg, ddof=1) / len(neg))
truth = rng.integers(0, 4, 120); pred = np.where(rng.random(120) < 0.7, truth, rng.integers(0, 4, 120))
fixture["classification"] = {
    "scores": scores.tolist(), "labels": labels.astype(int).tolist(), "auc": auc, "delong_variance": delong,
    "truth": truth.tolist(), "predicted": pred.tolist(), "accuracy": float(accuracy_score(truth, pred)),
    "macro_f1": float(f1_score(truth, pred, average="macro")),
    "per_class_f1": f1_score(truth, pred, average=None).tolist(),
}

with open(out, "w") as f:
    json.dump(fixture, f)
    f.write("\n")
print("wrote", out)
