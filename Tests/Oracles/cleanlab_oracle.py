#!/usr/bin/env python3
"""Reference outputs of cleanlab's confident learning for synthctl's port.

For each case, writes Tests/EvalTests/Fixtures/cleanlab/<case>/ with
labels.npy (int64), pred_probs.npy (float64) and expected.json: the
thresholds, the confident joint (raw and calibrated), the off-diagonal
indices, the latent estimates (prior, noise and inverse noise matrices), the
joint, both label-issue counts, the flagged indices of every filter_by mode,
the ranked orders, the three label-quality scores (plain and adjusted), the
per-class quality table, the overlapping classes and the health score.
The Swift tests require the same flagged sets and counts exactly and the
floating-point numbers to 1e-12.

Cases:
  controlled  make_classification N=4000, K=4, a noise matrix of trace 3.2,
              5-fold cross-validated LogisticRegression probabilities (the
              run described in ../shared/research/label-quality.md, 2.2.9).
  many        N=1500, K=7 with class 6 never given (threshold 2, empty rows),
              Dirichlet-perturbed probabilities.
  tiny        N=40, K=3 with one class given once (cleanlab skips classes of
              one example when pruning) and min_examples_per_class=5.
  issue13     the four rows of issue 13: labels [0, 0, 1, 1], probabilities
              over three columns (class 2 never given); cleanlab flags rows 1
              and 3 by default.
  unused      N=600, K=5: class 2 is predicted but never given, class 4 is
              given but never the most probable class (no predictions).
  unused_first N=300, K=4: classes 0 and 3 never given (the first and the
              last column), min_examples_per_class=3.
  rare        N=600, K=5: three classes of make_classification with 20%
              random labels, and two rare classes of 1 and 2 rows; 5-fold
              cross-validated LogisticRegression probabilities. Calibrating
              the confident joint scales the rare classes' rows to equal
              values ([0, 0.5, 0, 0.5, 0], [0, 0.67, 0, 0.67, 0.67]), and which
              of them round_preserving_sum rounds up or down is NumPy's
              argsort order of the ties, which is not index order: with index
              order, filter_by="both" flags 101 rows instead of cleanlab's 100.

Also writes argsort.json: tie-heavy float64 arrays of 1 to 300 values and
numpy.argsort's permutation of each, for synthctl's emulation of NumPy's
order (x86-simd-sort's bitonic network up to 256 values; beyond that the
tests check only that the result sorts). The script refuses to write it where
NumPy's argsort is not x86-simd-sort's (no AVX2, or another architecture).

Usage: pip install cleanlab==2.9.* scikit-learn numpy
       python3 Tests/Oracles/cleanlab_oracle.py [case ...]   (default: every case)
"""
import json, os, sys, warnings
import numpy as np
import cleanlab
from cleanlab import count, filter as clfilter, rank, dataset
from cleanlab.benchmarking.noise_generation import generate_noise_matrix_from_trace, generate_noisy_labels
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

warnings.filterwarnings("ignore")
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..", "EvalTests", "Fixtures", "cleanlab")
MODES = ["prune_by_noise_rate", "prune_by_class", "both", "confident_learning",
         "predicted_neq_given", "low_normalized_margin", "low_self_confidence"]
SCORES = ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]


def controlled():
    X, y = make_classification(n_samples=4000, n_features=20, n_informative=10, n_classes=4,
                               n_clusters_per_class=1, random_state=0)
    nm = generate_noise_matrix_from_trace(4, 3.2, py=np.bincount(y) / len(y), valid_noise_matrix=True, seed=0)
    np.random.seed(0)
    noisy = generate_noisy_labels(y, nm)
    pp = cross_val_predict(LogisticRegression(max_iter=1000), X, noisy, cv=5, method="predict_proba")
    return noisy.astype(np.int64), pp.astype(np.float64), {}


def many():
    rng = np.random.default_rng(7)
    n, k = 1500, 7
    truth = rng.choice(6, size=n, p=[0.3, 0.25, 0.2, 0.1, 0.1, 0.05])
    given = truth.copy()
    flip = rng.random(n) < 0.25
    given[flip] = rng.integers(0, 6, size=flip.sum())
    logits = rng.normal(0, 1, size=(n, k))
    logits[np.arange(n), truth] += 2.5
    logits[:, 6] -= 1.0
    pp = np.exp(logits)
    pp /= pp.sum(axis=1, keepdims=True)
    return given.astype(np.int64), pp, {}


def tiny():
    rng = np.random.default_rng(3)
    n, k = 40, 3
    given = np.array([0] * 24 + [1] * 15 + [2])
    rng.shuffle(given)
    pp = rng.dirichlet([1.0, 1.0, 1.0], size=n)
    target = given.copy()
    target[:12] = rng.integers(0, k, size=12)
    pp[np.arange(n), target] += 0.6
    pp /= pp.sum(axis=1, keepdims=True)
    return given.astype(np.int64), pp, {"min_examples_per_class": 5}


def issue13():
    given = np.array([0, 0, 1, 1], dtype=np.int64)
    pp = np.array([[.1, .7, .2], [.1, .8, .1], [.7, .2, .1], [.8, .1, .1]])
    return given, pp, {}


def unused():
    rng = np.random.default_rng(11)
    n, k = 600, 5
    truth = rng.choice([0, 1, 3, 4], size=n, p=[0.35, 0.3, 0.2, 0.15])
    given = truth.copy()
    flip = rng.random(n) < 0.2
    given[flip] = rng.choice([0, 1, 3, 4], size=flip.sum())
    logits = rng.normal(0, 1, size=(n, k))
    logits[np.arange(n), truth] += 2.0
    logits[truth == 1, 2] += 1.5          # the model often sees class 2 in class 1's items
    pp = np.exp(logits)
    pp /= pp.sum(axis=1, keepdims=True)
    # Class 4 is never the most probable class: halve its column below the row's top.
    top = np.delete(pp, 4, axis=1).max(axis=1)
    pp[:, 4] = np.minimum(pp[:, 4], 0.5 * top)
    pp /= pp.sum(axis=1, keepdims=True)
    assert not (pp.argmax(axis=1) == 4).any() and not (given == 2).any()
    return given.astype(np.int64), pp, {}


def unused_first():
    rng = np.random.default_rng(5)
    n, k = 300, 4
    truth = rng.choice([1, 2], size=n, p=[0.6, 0.4])
    given = np.where(rng.random(n) < 0.25, 3 - truth, truth)
    pp = rng.dirichlet([1.0, 2.0, 2.0, 0.5], size=n)
    pp[np.arange(n), truth] += 0.5
    pp /= pp.sum(axis=1, keepdims=True)
    return given.astype(np.int64), pp, {"min_examples_per_class": 3}


def rare():
    X, y = make_classification(n_samples=600, n_features=10, n_informative=5, n_classes=3,
                               n_clusters_per_class=1, random_state=8)
    rng = np.random.default_rng(8)
    y = y.copy()
    flip = rng.random(len(y)) < 0.2
    y[flip] = rng.integers(0, 3, size=flip.sum())
    few = rng.choice(len(y), 3, replace=False)
    y[few[0]] = 3
    y[few[1:]] = 4
    pp = cross_val_predict(LogisticRegression(max_iter=1000), X, y, cv=5, method="predict_proba")
    return y.astype(np.int64), pp.astype(np.float64), {}


def argsort_cases():
    if np.argsort(np.array([0.3, 0.1, 0.3, 0.3, 0.1])).tolist() != [1, 4, 2, 0, 3]:
        sys.exit("numpy.argsort here is not x86-simd-sort's (AVX2 or AVX-512): argsort.json not written")
    rng = np.random.default_rng(13)
    out = []
    for n in list(range(1, 65)) + [100, 127, 128, 129, 200, 255, 256, 257, 300]:
        for _ in range(12):
            a = rng.integers(0, 4, size=n) / 4 - rng.integers(0, 2) * 0.5
            out.append({"values": a.tolist(), "argsort": np.argsort(a).tolist()})
    return out


def listify(a):
    return np.asarray(a).tolist()


def expected(labels, pp, extra):
    mepc = extra.get("min_examples_per_class", 1)
    cj_raw, offdiag = count.compute_confident_joint(labels, pp, calibrate=False, return_indices_of_off_diagonals=True)
    cj = count.compute_confident_joint(labels, pp)
    py, nm, inv, _ = count.estimate_py_and_noise_matrices_from_probabilities(labels, pp)
    py_once, nm_once, inv_once = count.estimate_latent(cj, labels)
    joint = count.estimate_joint(labels, pp)
    out = {
        "cleanlab_version": cleanlab.__version__,
        "min_examples_per_class": mepc,
        "thresholds": listify(count.get_confident_thresholds(labels, pp)),
        "confident_joint_raw": listify(cj_raw),
        "off_diagonal_indices": listify(offdiag),
        "confident_joint": listify(cj),
        "latent": {"py": listify(py), "noise_matrix": listify(nm), "inverse_noise_matrix": listify(inv)},
        "latent_unconverged": {"py": listify(py_once), "noise_matrix": listify(nm_once),
                               "inverse_noise_matrix": listify(inv_once)},
        "joint": listify(joint),
        "num_label_issues": int(count.num_label_issues(labels, pp)),
        "num_label_issues_calibrated": int(count.num_label_issues(labels, pp, estimation_method="off_diagonal_calibrated")),
        "issues": {m: listify(np.flatnonzero(clfilter.find_label_issues(labels, pp, filter_by=m, n_jobs=1,
                                                                        min_examples_per_class=mepc)))
                   for m in MODES},
        "issues_frac_noise_half": listify(np.flatnonzero(clfilter.find_label_issues(
            labels, pp, frac_noise=0.5, n_jobs=1, min_examples_per_class=mepc))),
        "ranked": {s: listify(clfilter.find_label_issues(labels, pp, return_indices_ranked_by=s, n_jobs=1,
                                                         min_examples_per_class=mepc)) for s in SCORES},
        "scores": {s: listify(rank.get_label_quality_scores(labels, pp, method=s)) for s in SCORES},
        "adjusted_scores": {s: listify(rank.get_label_quality_scores(labels, pp, method=s, adjust_pred_probs=True))
                            for s in SCORES[:2]},
        "classes": dataset.rank_classes_by_label_quality(labels, pp).to_dict(orient="list"),
        "overlapping": dataset.find_overlapping_classes(labels, pp).to_dict(orient="list"),
        "health": float(dataset.overall_label_health_score(labels, pp, verbose=False)),
    }
    return out


cases = [("controlled", controlled), ("many", many), ("tiny", tiny), ("issue13", issue13), ("unused", unused),
         ("unused_first", unused_first), ("rare", rare)]
chosen = sys.argv[1:] or [name for name, _ in cases]
for name, make in cases:
    if name not in chosen:
        continue
    labels, pp, extra = make()
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, "labels.npy"), labels)
    np.save(os.path.join(d, "pred_probs.npy"), pp)
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump(expected(labels, pp, extra), f)
    print(name, len(labels), "rows,", pp.shape[1], "classes")
if not sys.argv[1:] or "argsort" in chosen:
    with open(os.path.join(root, "argsort.json"), "w") as f:
        json.dump({"numpy_version": np.__version__, "cases": argsort_cases()}, f)
    print("argsort.json")
