#!/usr/bin/env python3
"""Reference consensus per item for `synthctl score --answers … --items-out`:
crowd-kit's DawidSkene `labels_` and `probas_` on the dog answers (807
items, 109 workers, 4 classes) after a fixed 3 EM iterations (n_iter=3,
tol=0; synthctl: --max-iterations 3 --tolerance 1e-300), so that both follow
the same path whatever their stopping rules (which differ: crowd-kit stops on
its per-answer ELBO, synthctl on the relative change of the log-likelihood;
run to their own convergence the two land on different optima on bluebird).
Measured: the posteriors agree to 1.6e-5 (9.4e-5 after one iteration), the
labels exactly. Rows sorted by item id (numeric), as synthctl writes them.
Writes Tests/EvalTests/Fixtures/consensus_items.json (committed).

Usage: pip install crowd-kit pandas numpy
       python3 Tests/Oracles/items_oracle.py
"""
import json, os, warnings
import pandas as pd
from crowdkit.aggregation import DawidSkene

warnings.filterwarnings("ignore")
here = os.path.dirname(os.path.abspath(__file__))
src = os.path.join(here, "..", "EvalTests", "Fixtures", "crowd", "dog", "label.csv")
out = os.path.join(here, "..", "EvalTests", "Fixtures", "consensus_items.json")

df = pd.read_csv(src).rename(columns={"item": "task"})
ds = DawidSkene(n_iter=3, tol=0).fit(df)
probas = ds.probas_.sort_index()
probas = probas[sorted(probas.columns)]
labels = ds.labels_.sort_index()
result = {
    "source": "crowd/dog/label.csv",
    "crowdkit": "DawidSkene(n_iter=3, tol=0)",
    "items": [str(t) for t in probas.index],
    "classes": [str(c) for c in probas.columns],
    "labels": [str(l) for l in labels.loc[probas.index]],
    "probas": probas.to_numpy().tolist(),
}
with open(out, "w") as f:
    json.dump(result, f, indent=1)
    f.write("\n")
print("wrote", out)
