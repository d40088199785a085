#!/usr/bin/env python3
"""Side by side: crowd-kit's MajorityVote and DawidSkene, and the krippendorff
package's alpha, against `synthctl score`, on the same answers in one run.

The answers come from `synthctl gen` (a pool of 200 simulated annotators, 5
answers per item) and are exported to long-form CSV, the layout both sides
read. Two comparisons, each like for like:

- per method: the Python calls alone, with the data already in pandas /
  NumPy, against synthctl's own stage times (`score --timings`: the method
  alone, on answers already in memory). Dawid–Skene runs to convergence of
  the log-likelihood (relative 1e-6), a tighter stop than crowd-kit's.
- whole: the sum of the Python calls against the whole `synthctl score`
  process (reading the CSV, every statistic, the report).

Every time is the median of --repeats runs (the machine is a noisy 2-core VM).
Peak memory is each process's own (GNU time). The reading rate is the bytes of
both input files (answers and gold) over the `reading the input` stage time.
Every figure is printed with the machine it was measured on: CPU model
(/proc/cpuinfo), cores, the OpenBLAS kernels synthctl runs (machine.py's
machine_tag: the library's own choice, or the kernels synthctl re-executes
for where the library falls back to Prescott) and the date, with the load
average (`uptime`) before and after.

Usage: python3 benchmarks/annotators_side_by_side.py [--items 100000] [--pool 200] [--per-item 5]
Needs: pip install crowd-kit krippendorff pandas numpy; swift build -c release
"""
import argparse, json, os, shutil, subprocess, sys, tempfile
from machine import machine_tag
from process_timing import timed


def load():
    """The 1, 5 and 15 minute load averages, as uptime prints them."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


PYTHON_SIDE = r"""
import json, sys, time
import numpy as np, pandas as pd
from crowdkit.aggregation import DawidSkene, MajorityVote
import krippendorff
df = pd.read_csv(sys.argv[1]).rename(columns={"item": "task"})
gold = pd.read_csv(sys.argv[2]).set_index("item")["truth"]
repeats = int(sys.argv[3])
out = {}
def median_time(f):
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); result = f(); times.append(time.perf_counter() - t)
    return float(np.median(times)), result
out["mv_seconds"], _ = median_time(lambda: MajorityVote().fit_predict(df))
def fit_ds():
    model = DawidSkene(n_iter=100, tol=1e-5)
    labels = model.fit_predict(df)
    return model, labels
out["ds_seconds"], (model, ds) = median_time(fit_ds)
out["ds_iterations"] = len(model.loss_history_)
out["ds_accuracy"] = float((ds.sort_index() == gold.loc[ds.sort_index().index]).mean())
matrix = df.pivot(index="worker", columns="task", values="label").to_numpy(dtype=float)
out["alpha_seconds"], alpha = median_time(lambda: krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
out["alpha"] = float(alpha)
print(json.dumps(out))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--pool", type=int, default=200)
    ap.add_argument("--per-item", type=int, default=5)
    ap.add_argument("--synthctl", default=".build/release/synthctl")
    ap.add_argument("--repeats", type=int, default=5)
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

    import statistics
    tag = machine_tag()
    load_before = load()
    _, py_peak, py_out = timed([sys.executable, "-c", PYTHON_SIDE, answers, gold, str(a.repeats)])
    py = json.loads(py_out)
    report = os.path.join(tmp, "report.json")
    command = [a.synthctl, "score", "--answers", answers, "--gold", gold, "--json", report, "--force"]
    runs = [timed(command) for _ in range(a.repeats)]
    sw_seconds = statistics.median(r[0] for r in runs)
    sw_peak = max(r[1] for r in runs)
    stages = {}
    for _ in range(a.repeats):
        err = subprocess.run(command + ["--timings"], check=True, capture_output=True, text=True).stderr
        for line in err.splitlines():
            if line.startswith("synthctl: time: "):
                stage, value = line[len("synthctl: time: "):].rsplit(": ", 1)
                stages.setdefault(stage, []).append(float(value.split()[0]))
    stage = {k: statistics.median(v) for k, v in stages.items()}
    r = json.load(open(report))["annotations"]
    print(f"{a.items} items x {a.per_item} answers from a pool of {a.pool} ({len(items)} answers); medians of {a.repeats} runs")
    print(f"{'':26}{'Python':>10}{'synthctl':>10}{'ratio':>8}")
    for name, py_key, sw_key in [("majority vote", "mv_seconds", "majority vote"),
                                 ("Dawid-Skene", "ds_seconds", "Dawid-Skene"),
                                 ("Krippendorff alpha", "alpha_seconds", "Krippendorff's alpha")]:
        print(f"{name:26}{py[py_key]:9.3f}s{stage[sw_key]:9.3f}s{py[py_key] / stage[sw_key]:7.1f}x  {tag}")
    print(f"crowd-kit DawidSkene: {py['ds_iterations']} iterations, accuracy {py['ds_accuracy']:.4f}; synthctl: "
          f"{r['dawid_skene']['iterations']} iterations to relative 1e-6, accuracy {r['dawid_skene']['accuracy']:.4f}")
    print(f"alpha: krippendorff {py['alpha']:.6f}, synthctl {r['agreement']['krippendorff_alpha']['value']:.6f}")
    python_total = py["mv_seconds"] + py["ds_seconds"] + py["alpha_seconds"]
    print(f"whole: Python MV + DS + alpha calls {python_total:.3f} s (process peak {py_peak:.0f} MiB); "
          f"synthctl score process {sw_seconds:.3f} s (reading {stage['reading the input']:.3f} s; peak {sw_peak:.0f} MiB): "
          f"{python_total / sw_seconds:.1f}x  {tag}")
    size = os.path.getsize(answers) + os.path.getsize(gold)
    reading = stage["reading the input"]
    print(f"reading: {size / 1e6:.2f} MB (answers {os.path.getsize(answers) / 1e6:.2f} MB, gold {os.path.getsize(gold) / 1e6:.2f} MB) "
          f"in {reading:.3f} s: {size / 1e6 / reading:.0f} MB/s  {tag}")
    print(f"load average (uptime) before {load_before}, after {load()}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
