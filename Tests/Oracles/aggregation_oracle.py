#!/usr/bin/env python3
"""Reference runs of crowd-kit's GLAD and MACE for synthctl's aggregation
models. Writes Tests/EvalTests/Fixtures/aggregation.json (committed); the
Swift tests compare against it.

MACE: one restart from crowd-kit's own initial draws (reproduced here exactly
as MACE._initialize makes them, random_state=0), 50 iterations, both the
variational and the EM M-step. The draws, the posteriors and the fitted
parameters are recorded, so the Swift port can replay the same start.
crowd-kit's MACE lines up worker and label rows by two different orders
(pd.factorize for its parameters, sorted groupby output for the expected
strategy counts), which only agree when ids first appear in sorted order; the
answers are therefore renamed to their first-appearance codes before the call,
and the names are recorded.

GLAD: crowd-kit run far past its defaults (n_iter=300, tol=1e-12,
m_step_max_iter=200, m_step_tol=1e-10), so both sides reach the same optimum.

One-coin Dawid-Skene: crowd-kit's OneCoinDawidSkene run to convergence
(n_iter=1000, tol=1e-12): posterior, skills, labels. Also its default run
(n_iter=100, tol=1e-5): its iteration count and labels. The default stops on
an absolute change of 1e-5 in its per-answer ELBO (which adds the log prior
once per answer), after 5 iterations on `gen --preset crowd`, where one item
is still moving; synthctl stops on the relative change of the exact
log-likelihood (1e-6) and lands on the converged labels.

Usage: pip install crowd-kit pandas numpy scipy
       python3 Tests/Oracles/aggregation_oracle.py
"""
import json, os, warnings
import numpy as np, pandas as pd
import scipy.stats as sps
from crowdkit.aggregation import GLAD, MACE, OneCoinDawidSkene

warnings.filterwarnings("ignore")
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..", "EvalTests", "Fixtures", "crowd")
out = os.path.join(here, "..", "EvalTests", "Fixtures", "aggregation.json")


def load(name):
    df = pd.read_csv(os.path.join(root, name, "label.csv")).rename(columns={"item": "task"})
    worker_codes, worker_names = pd.factorize(df["worker"])
    label_codes, label_names = pd.factorize(df["label"])
    coded = pd.DataFrame({"task": df["task"], "worker": worker_codes, "label": label_codes})
    return coded, [str(w) for w in worker_names], [str(l) for l in label_names]


result = {"mace": {}, "glad": {}, "one_coin": {}}
for name in ["bluebird", "dog", "face"]:
    df, workers, labels = load(name)
    w, k = len(workers), len(labels)
    spamming0 = sps.uniform(1, 1.5).rvs(size=(w, 2), random_state=0)
    thetas0 = sps.uniform(1, 1.5).rvs(size=(w, k), random_state=0)
    spamming0 = spamming0 / spamming0.sum(axis=1, keepdims=True)
    thetas0 = thetas0 / thetas0.sum(axis=1, keepdims=True)
    entry = {"workers": workers, "labels": labels, "spamming_start": spamming0.tolist(), "strategy_start": thetas0.tolist()}
    for method in ["vb", "em"]:
        m = MACE(n_restarts=1, n_iter=50, method=method, random_state=0)
        m.fit(df)
        assert np.allclose(np.asarray(m.thetas_).shape, (w, k))
        probas = m.probas_.sort_index()
        probas = probas[sorted(probas.columns)]  # columns = label codes
        entry[method] = {
            "items": [str(t) for t in probas.index],
            "posterior": probas.to_numpy().tolist(),
            "spamming": np.asarray(m.spamming_).tolist(),
            "strategy": np.asarray(m.thetas_).tolist(),
        }
    result["mace"][name] = entry

for name in ["bluebird", "dog"]:
    df = pd.read_csv(os.path.join(root, name, "label.csv")).rename(columns={"item": "task"})
    g = GLAD(n_iter=300, tol=1e-12, m_step_max_iter=200, m_step_tol=1e-10, silent=True)
    probas = g.fit_predict_proba(df).sort_index()
    probas = probas[sorted(probas.columns)]
    result["glad"][name] = {
        "items": [str(t) for t in probas.index],
        "labels": [str(c) for c in probas.columns],
        "posterior": probas.to_numpy().tolist(),
        "alphas": {str(k): float(v) for k, v in g.alphas_.items()},
        "betas": {str(k): float(v) for k, v in g.betas_.items()},
        "iterations": len(g.loss_history_),
    }

for name in ["bluebird", "dog", "face"]:
    df = pd.read_csv(os.path.join(root, name, "label.csv")).rename(columns={"item": "task"})
    m = OneCoinDawidSkene(n_iter=1000, tol=1e-12)
    probas = m.fit_predict_proba(df).sort_index()
    probas = probas[sorted(probas.columns)]
    default = OneCoinDawidSkene()
    default_labels = default.fit_predict(df).sort_index()
    result["one_coin"][name] = {
        "items": [str(t) for t in probas.index],
        "labels": [str(c) for c in probas.columns],
        "posterior": probas.to_numpy().tolist(),
        "skills": {str(k): float(v) for k, v in m.skills_.items()},
        "iterations": len(m.loss_history_),
        "default_iterations": len(default.loss_history_),
        "default_labels": [str(default_labels[t]) for t in probas.index],
    }

with open(out, "w") as f:
    json.dump(result, f)
print("wrote", out)
