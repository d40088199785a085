#!/usr/bin/env python3
"""Side by side: precision/recall/density/coverage with prdc against synthctl,
on the same rows in one run; then synthctl's whole compare at a scale prdc
cannot reach.

1. PRDC at N = M rows x D (default 10,000 x 384, k = 5): real ~ N(0, I),
   synthetic ~ N(0.05, 1.1² I), float32. prdc.compute_prdc is timed in
   process (data already in NumPy; it builds the three full distance
   matrices through scikit-learn). synthctl is timed two ways: the metric
   alone (`synthctl bench --real --synthetic`, which reports its own seconds
   for the computation, like for like), and the whole process (reading the
   .npy files included). Both runs use the strict d < r comparison prdc
   uses, and the four numbers must agree exactly (they are ratios of counts).
   Medians of --repeats runs.
2. The full `synthctl compare` of --scale-rows x D human rows against as many
   synthetic rows (default 100,000 x 384): wall time and peak memory (GNU
   time's maximum resident set), and the time of each stage (`--timings`),
   once per detector in --scale-detectors (default gbdt, the default, and
   logistic). prdc would need three 100,000² float32 matrices (120 GB) for
   the manifold part alone.
3. The distance kernel's rate beside this machine's sgemm (`synthctl bench`),
   and beside the library's own sgemm with nothing of synthctl around it
   (benchmarks/sgemm_rate.c, compiled here: cblas_sgemm 2048³, best of 5,
   under the kernels synthctl uses). Issue 17's goal: the tiles at 75% or
   more of that rate.
4. prdc's published example (its README: N(0, I) in 1000 dimensions, 10,000
   rows each, k = 5: precision 0.4772, recall 0.4705, density 1.0555,
   coverage 0.9735, "may fluctuate"), reproduced over --published-seeds
   independent draws: mean ± sd beside the published numbers. In 1000
   dimensions density and coverage move a lot from draw to draw (hubness),
   so one draw is not a check; the spread says how far they may move.

Usage: python3 benchmarks/compare_side_by_side.py [--rows 10000] [--dims 384] [--repeats 3] [--scale-rows 100000]
       [--scale-detectors gbdt,logistic]
Needs: pip install prdc scikit-learn numpy; swift build -c release; a C compiler
(the library's own sgemm rate; skipped, said so, without one)
"""
import argparse, io, contextlib, json, os, shutil, statistics, subprocess, sys, tempfile, time
import numpy as np
from machine import machine_line
from process_timing import timed, timed_with_stderr

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=10_000)
ap.add_argument("--dims", type=int, default=384)
ap.add_argument("--repeats", type=int, default=3)
ap.add_argument("--scale-rows", type=int, default=100_000)
ap.add_argument("--scale-detectors", default="gbdt,logistic")
ap.add_argument("--published-seeds", type=int, default=8)
ap.add_argument("--binary", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release", "synthctl"))
args = ap.parse_args()
# Each figure as soon as it is measured: the scale run can take many minutes.
sys.stdout.reconfigure(line_buffering=True)

from prdc import compute_prdc

def library_sgemm(sgemm_line):
    """(GFLOP/s, kernel) of benchmarks/sgemm_rate.c, compiled here and run
    with the kernel family synthctl reports in `sgemm_line` (synthctl may
    have re-executed itself with OPENBLAS_CORETYPE set); None, said why,
    when no C compiler or OpenBLAS header is at hand."""
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sgemm_rate.c")
    program = os.path.join(work, "sgemm_rate")
    built = subprocess.run(["cc", "-O2", source, "-o", program, "-lopenblas"], capture_output=True, text=True)
    if built.returncode != 0:
        print("                 (the library's own sgemm not measured: " + (built.stderr.strip().splitlines() or ["cc failed"])[-1] + ")")
        return None
    env = dict(os.environ)
    if "OPENBLAS_CORETYPE" not in env and " kernels" in sgemm_line:
        env["OPENBLAS_CORETYPE"] = sgemm_line.split("OpenBLAS ")[1].split(" kernels")[0]
    words = subprocess.run([program, "2048", "5"], check=True, capture_output=True, text=True, env=env).stdout.split()
    return float(words[2]), words[3]


work = tempfile.mkdtemp(prefix="compare-bench-")
try:
    rng = np.random.default_rng(0)
    real = rng.normal(size=(args.rows, args.dims)).astype(np.float32)
    fake = (rng.normal(size=(args.rows, args.dims)) * 1.1 + 0.05).astype(np.float32)
    np.save(f"{work}/real.npy", real); np.save(f"{work}/fake.npy", fake)

    python_times, reference = [], None
    for _ in range(args.repeats):
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            reference = compute_prdc(real_features=real, fake_features=fake, nearest_k=5)
        python_times.append(time.perf_counter() - t)

    metric_times, process_times, mine = [], [], None
    for _ in range(args.repeats):
        wall, _, out = timed([args.binary, "bench", "--real", f"{work}/real.npy", "--synthetic", f"{work}/fake.npy", "--strict-balls"])
        words = out.split()
        mine = {words[i]: float(words[i + 1]) for i in range(0, 8, 2)}
        metric_times.append(float(out.split("seconds")[1]))
        process_times.append(wall)
    for key in ("precision", "recall", "density", "coverage"):
        assert abs(mine[key] - float(reference[key])) < 1e-9, (key, mine[key], reference[key])
    py, me, proc = statistics.median(python_times), statistics.median(metric_times), statistics.median(process_times)
    print(machine_line())
    print(f"PRDC {args.rows} x {args.rows} x {args.dims}, k=5: identical values {json.dumps({k: round(float(v), 4) for k, v in reference.items()})}")
    print(f"  prdc (in process)          {py:8.2f} s")
    print(f"  synthctl (the metric)      {me:8.2f} s   {py / me:5.1f}x")
    print(f"  synthctl (whole process)   {proc:8.2f} s   {py / proc:5.1f}x")

    if args.scale_rows > 0:
        n = args.scale_rows
        h = rng.normal(size=(n, args.dims)).astype(np.float32)
        s = (rng.normal(size=(n, args.dims)) * 1.05).astype(np.float32)
        y = (np.arange(n) % 10).astype(np.int32)
        np.save(f"{work}/hx.npy", h); np.save(f"{work}/sx.npy", s); np.save(f"{work}/y.npy", y)
        del h, s
        print(f"Full compare {n} x {args.dims} against {n} x {args.dims} (10 classes, baselines and per-class metrics included):")
        for detector in [d for d in args.scale_detectors.split(",") if d]:
            wall, peak, _, err = timed_with_stderr([args.binary, "compare", "--human", f"{work}/hx.npy", "--human-labels", f"{work}/y.npy",
                                                    "--synthetic", f"{work}/sx.npy", "--synthetic-labels", f"{work}/y.npy",
                                                    "--json", f"{work}/c-{detector}.json", "--detector", detector, "--timings"])
            print(f"  synthctl compare --detector {detector:8s} {wall:8.1f} s   peak {peak:,.0f} MiB")
            for line in err.splitlines():
                if line.startswith("synthctl: time: "):
                    print("      " + line[len("synthctl: time: "):])

    out = subprocess.run([args.binary, "bench", "--rows", "100000"], check=True, capture_output=True, text=True).stdout
    tiles_line = next(l for l in out.splitlines() if l.startswith("distance tiles"))
    sgemm_line = next(l for l in out.splitlines() if l.startswith("sgemm"))
    print("Distance kernel: " + tiles_line)
    print("                 " + sgemm_line)
    library = library_sgemm(sgemm_line)
    if library is not None:
        rate, kernel = library
        tiles = float(tiles_line.split("): ")[1].split(" GFLOP/s")[0])
        print(f"                 the library's own sgemm (benchmarks/sgemm_rate.c: cblas_sgemm 2048³ from C, "
              f"{kernel} kernels, best of 5): {rate:.1f} GFLOP/s; the tiles run at {100 * tiles / rate:.0f}% of it (goal: 75%)")

    if args.published_seeds > 0:
        published = {"precision": 0.4772, "recall": 0.4705, "density": 1.0555, "coverage": 0.9735}
        runs = []
        for seed in range(args.published_seeds):
            r = np.random.default_rng(1000 + seed)
            np.save(f"{work}/pr.npy", r.normal(size=(10_000, 1000)).astype(np.float32))
            np.save(f"{work}/pf.npy", r.normal(size=(10_000, 1000)).astype(np.float32))
            out = subprocess.run([args.binary, "bench", "--real", f"{work}/pr.npy", "--synthetic", f"{work}/pf.npy", "--strict-balls"],
                                 check=True, capture_output=True, text=True).stdout.split()
            runs.append({out[i]: float(out[i + 1]) for i in range(0, 8, 2)})
        # For one distribution, exchangeability gives E[density] = 1 and
        # E[coverage] = 1 − Π_{i=1..k} (N−i)/(2N−i); precision and recall have no closed form.
        n, k = 10_000, 5
        expected_coverage = 1 - np.prod([(n - i) / (2 * n - i) for i in range(1, k + 1)])
        print(f"prdc's published example (N(0, I), 1000 dims, 10,000 rows each, k=5), {len(runs)} draws; "
              f"expected density 1, coverage {expected_coverage:.4f}:")
        for key, value in published.items():
            xs = [run[key] for run in runs]
            mean, sd = statistics.mean(xs), statistics.stdev(xs) if len(xs) > 1 else 0.0
            print(f"  {key:<10} synthctl {mean:.4f} ± {sd:.4f} (range {min(xs):.4f}–{max(xs):.4f})   prdc README {value:.4f}")
finally:
    shutil.rmtree(work)
