#!/usr/bin/env python3
"""Side by side: crowd-kit's MajorityVote and DawidSkene, and the krippendorff
package's alpha, against `synthctl score`, on the same answers in one run.

The answers come from `synthctl gen` (a pool of 200 simulated annotators, 5
answers per item) and are exported to long-form CSV, the layout both sides
read. The Python times are the calls alone, with the data already in pandas /
NumPy; synthctl's is the whole process: reading the CSV, majority vote,
Dawid–Skene to convergence of the log-likelihood (relative 1e-6, a tighter
stop than crowd-kit's), Fleiss' kappa, Krippendorff's alpha and the report.
Peak memory is each process's own (GNU time).

Usage: python3 benchmarks/annotators_side_by_side.py [--items 100000] [--pool 200] [--per-item 5]
Needs: pip install crowd-kit krippendorff pandas numpy; swift build -c release
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from process_timing import timed


PYTHON_SIDE = r"""
import json, sys, time
import numpy as np, pandas as pd
from crowdkit.aggregation import DawidSkene, MajorityVote
import krippendorff
df = pd.read_csv(sys.argv[1]).rename(columns={"item": "task"})
gold = pd.read_csv(sys.argv[2]).set_index("item")["truth"]
out = {}
t = time.perf_counter(); mv = MajorityVote().fit_predict(df); out["mv_seconds"] = time.perf_counter() - t
t = time.perf_counter(); ds_model = DawidSkene(n_iter=100, tol=1e-5); ds = ds_model.fit_predict(df)
out["ds_seconds"] = time.perf_counter() - t
out["ds_accuracy"] = float((ds.sort_index() == gold.loc[ds.sort_index().index]).mean())
matrix = df.pivot(index="worker", columns="task", values="label").to_numpy(dtype=float)
t = time.perf_counter(); out["alpha"] = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
out["alpha_seconds"] = time.perf_counter() - t
print(json.dumps(out))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--pool", type=int, default=200)
    ap.add_argument("--per-item", type=int, default=5)
    ap.add_argument("--synthctl", default=".build/release/synthctl")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="synthctl-annotators-")
    data = os.path.join(tmp, "pool")
    subprocess.run([a.synthctl, "gen", "--preset", "crowd", "--rows", str(a.items), "--set", f"annotators.count={a.pool}",
                    "--set", f"annotators.per_item={a.per_item}", "--out", data], check=True, capture_output=True)
    import numpy as np
    A = np.load(os.path.join(data, "annotations.npy")); y = np.load(os.path.join(data, "true_labels.npy"))
    items, workers = np.nonzero(A >= 0)
    answers, gold = os.path.join(tmp, "answers.csv"), os.path.join(tmp, "gold.csv")
    np.savetxt(answers, np.column_stack([items, workers, A[items, workers]]), fmt="%d", delimiter=",",
               header="item,worker,label", comments="")
    np.savetxt(gold, np.column_stack([np.arange(len(y)), y]), fmt="%d", delimiter=",", header="item,truth", comments="")

    _, py_peak, py_out = timed([sys.executable, "-c", PYTHON_SIDE, answers, gold])
    py = json.loads(py_out)
    report = os.path.join(tmp, "report.json")
    sw_seconds, sw_peak, _ = timed([a.synthctl, "score", "--answers", answers, "--gold", gold, "--json", report])
    r = json.load(open(report))["annotations"]
    print(f"{a.items} items x {a.per_item} answers from a pool of {a.pool} ({len(items)} answers)")
    print(f"crowd-kit MajorityVote   {py['mv_seconds']:8.2f} s")
    print(f"crowd-kit DawidSkene     {py['ds_seconds']:8.2f} s   accuracy {py['ds_accuracy']:.4f}")
    print(f"krippendorff.alpha       {py['alpha_seconds']:8.2f} s   alpha {py['alpha']:.4f}")
    print(f"Python side peak memory  {py_peak:8.0f} MiB")
    print(f"synthctl score (all)     {sw_seconds:8.2f} s   DS accuracy {r['dawid_skene']['accuracy']:.4f} "
          f"({r['dawid_skene']['iterations']} iterations), alpha {r['agreement']['krippendorff_alpha']['value']:.4f}, "
          f"peak {sw_peak:.0f} MiB")
    python_total = py["mv_seconds"] + py["ds_seconds"] + py["alpha_seconds"]
    print(f"ratio (Python MV + DS + alpha calls / synthctl whole process): {python_total / sw_seconds:.1f}x")
    print(f"ratio DS alone vs synthctl whole process: {py['ds_seconds'] / sw_seconds:.1f}x; "
          f"alpha alone: {py['alpha_seconds'] / sw_seconds:.1f}x")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
