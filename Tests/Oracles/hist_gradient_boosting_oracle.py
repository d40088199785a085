#!/usr/bin/env python3
"""Reference predictions for synthctl's HistGradientBoostingClassifier from
scikit-learn's HistGradientBoostingClassifier with its defaults
(learning_rate 0.1, max_iter 100, max_leaf_nodes 31, min_samples_leaf 20,
l2_regularization 0, max_bins 255, early_stopping "auto", random_state 0),
trained on each data set's first 70 % of rows and scored on the rest.

Data sets (float32 features, int32 labels):
- linear: make_classification, 2,000 x 8, two classes;
- xor: 2,000 x 5, class = sign(x0·x1), three noise columns (no linear model
  beats 0.5);
- rings: 1,800 x 4, three classes on concentric rings (radius 1, 2, 3, noise
  0.3), two noise columns;
- large: make_classification, 16,000 x 6, two classes: more than 10,000
  training rows, so early stopping runs;
- missing: the linear set with 15 % of two columns NaN and the class
  shifting where a value is missing.

The Swift test (HistGradientBoostingTests) requires its AUC (macro
one-vs-rest for three classes) and accuracy on the test rows within 0.01 of
scikit-learn's. Writes Tests/EvalTests/Fixtures/gbdt/{NAME_features.npy,
NAME_labels.npy, expected.json}.
Usage: pip install scikit-learn numpy; python3 Tests/Oracles/hist_gradient_boosting_oracle.py
"""
import json, os
import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score, accuracy_score

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "gbdt")
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(16)


def linear():
    x, y = make_classification(2000, 8, n_informative=4, random_state=1)
    return x, y


def xor():
    x = rng.uniform(-1, 1, size=(2000, 5))
    return x, (x[:, 0] * x[:, 1] > 0).astype(int)


def rings():
    y = np.repeat([0, 1, 2], 600)
    angle = rng.uniform(0, 2 * np.pi, size=1800)
    radius = 1.0 + y + rng.normal(0, 0.3, size=1800)
    x = np.column_stack([radius * np.cos(angle), radius * np.sin(angle), rng.normal(size=(1800, 2))])
    order = rng.permutation(1800)
    return x[order], y[order]


def large():
    return make_classification(16000, 6, n_informative=3, random_state=2)


def missing():
    x, y = make_classification(2000, 8, n_informative=4, random_state=3)
    for column in (0, 1):
        mask = rng.uniform(size=2000) < 0.15
        x[mask, column] = np.nan
        y = np.where(mask & (rng.uniform(size=2000) < 0.5), 1, y)
    return x, y


expected = {"sklearn_version": sklearn.__version__}
for name, make in [("linear", linear), ("xor", xor), ("rings", rings), ("large", large), ("missing", missing)]:
    x, y = make()
    x = x.astype(np.float32)
    y = y.astype(np.int32)
    np.save(os.path.join(out, f"{name}_features.npy"), x)
    np.save(os.path.join(out, f"{name}_labels.npy"), y)
    n_train = int(0.7 * len(y))
    model = HistGradientBoostingClassifier(random_state=0).fit(x[:n_train].astype(np.float64), y[:n_train])
    p = model.predict_proba(x[n_train:].astype(np.float64))
    test = y[n_train:]
    auc = roc_auc_score(test, p[:, 1]) if p.shape[1] == 2 else roc_auc_score(test, p, multi_class="ovr", average="macro")
    expected[name] = {"train_rows": n_train, "auc": auc, "accuracy": accuracy_score(test, p.argmax(axis=1)),
                      "iterations": int(model.n_iter_)}
    print(name, expected[name])
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
