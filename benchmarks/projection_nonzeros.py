#!/usr/bin/env python3
"""How many nonzeros per bucket the hashing embedder's projection needs (issue 18).

On the 1,600 RTE texts and hypotheses (../shared/data/text/rte/pairs.csv),
hashed as synthctl embed hashes them by default (HashingVectorizer, 2^20
buckets, L2), a numpy stand-in for synthctl's projection (each bucket to s
distinct dimensions of 384, signs ±1/√s, drawn by numpy rather than
synthctl's generator: the distribution is what matters) is compared with the
bucket vectors: RMSE of all pairwise inner products, sd of the squared norms
around 1, and recall@10 of each text's nearest neighbours. Theory: the mean
and the variance of ‖Rx‖² do not depend on s; only the tails do.

Usage: python3 benchmarks/projection_nonzeros.py
Needs: pip install scikit-learn scipy numpy pandas
"""
import os
import numpy as np, pandas as pd, scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

here = os.path.dirname(os.path.abspath(__file__))
pairs = pd.read_csv(os.path.join(here, "..", "..", "shared", "data", "text", "rte", "pairs.csv"))
texts = list(pairs.text) + list(pairs.hypothesis)
X = HashingVectorizer(n_features=2**20).transform(texts).tocsc()
cols = np.unique(X.tocoo().col)
Xc = X[:, cols]
S = (Xc @ Xc.T).toarray()
iu = np.triu_indices(len(texts), 1)
D = 384
rng = np.random.default_rng(0)
for s in [1, 2, 4, 8, 20]:
    rows, cs, vals = [], [], []
    for k in range(len(cols)):
        rows += list(rng.choice(D, s, replace=False)); cs += [k] * s; vals += list(rng.choice([-1, 1], s) / np.sqrt(s))
    R = sp.csr_matrix((vals, (rows, cs)), shape=(D, len(cols)))
    Y = (R @ Xc.T).T.toarray()
    T = Y @ Y.T
    rmse = np.sqrt(((T[iu] - S[iu]) ** 2).mean())
    A, B = S.copy(), T.copy(); np.fill_diagonal(A, -9); np.fill_diagonal(B, -9)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(np.argsort(-A, 1)[:, :10], np.argsort(-B, 1)[:, :10])])
    print(f"s = {s:2d}: inner-product RMSE {rmse:.4f}, squared-norm sd {np.std((Y ** 2).sum(1) - 1):.4f}, recall@10 {recall:.3f}")
