#!/usr/bin/env python3
"""Two builds of synthctl, the same workloads, one run: did a change make any
command slower?

A restructuring (issue 14) must leave every benchmark where it was. This
script runs the synthctl side of the benchmarks in `benchmarks/` — `gen`
(1M × 128 by default), the PRDC kernel (`bench --real --synthetic`), a whole
`compare`, `score` on labels (logistic and k-NN) and on answers, `limits`,
and `fit` (Gaussian, copula, mixture) — with a base binary and a new one,
alternating the two so that drifting machine load falls on both, and prints
the best wall time and user CPU of each with the ratio new / base.

Both builds read the same inputs, made once by the new binary (the inputs
are data, not what is measured). The figures are best-of-`--repeat` wall
times of whole processes on a machine that may be shared: a ratio within
about 5% of 1 is noise; the user CPU column is steadier than wall time.

    benchmarks/build_speed.py --base-binary OLD --binary NEW [--repeat 3] [--scale 1.0]

Build the binaries with `swift build -c release` (a base revision in a
temporary worktree: `git worktree add /tmp/base REV && (cd /tmp/base &&
swift build -c release)`). Exit status 0 when no workload is slower than
`--tolerance` (default 1.10) on both wall and CPU time, 1 otherwise.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from machine import machine_line

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def workloads(scale):
    """(name, argument list) per workload; {data} holds the shared inputs,
    {out} the run's own output directory."""
    n = lambda x: str(max(100, int(x * scale)))
    return [
        ("gen 1M x 128 npy", ["gen", "--preset", "bench", "--rows", n(1_000_000), "--out", "{out}/ds"]),
        ("gen 200k crowd", ["gen", "--preset", "crowd", "--rows", n(200_000), "--out", "{out}/ds"]),
        ("PRDC kernel 8k x 384", ["bench", "--real", "{data}/emb_h.npy", "--synthetic", "{data}/emb_s.npy", "--k", "5"]),
        ("compare 8k x 384", ["compare", "--human", "{data}/emb_h_ds", "--synthetic", "{data}/emb_s_ds",
                              "--json", "{out}/r.json"]),
        ("score logistic 20k x 64", ["score", "{data}/labels", "--model", "logistic", "--json", "{out}/r.json"]),
        ("score knn 20k x 64", ["score", "{data}/labels", "--model", "knn", "--json", "{out}/r.json"]),
        ("score answers 100k x 5", ["score", "{data}/crowd", "--json", "{out}/r.json"]),
        ("limits 20k x 64", ["limits", "--human", "{data}/labels", "--synthetic", "{data}/labels2", "--json", "{out}/r.json"]),
        ("fit gaussian 50k x 64", ["fit", "{data}/fit", "--out", "{out}/m.json"]),
        ("fit copula 50k x 64", ["fit", "{data}/fit", "--model", "copula", "--out", "{out}/m.json"]),
        ("fit mixture 50k x 64", ["fit", "{data}/fit", "--model", "mixture", "--out", "{out}/m.json"]),
    ]


def setup(binary, data, scale):
    n = lambda x: str(max(100, int(x * scale)))
    runs = [
        ["gen", "--preset", "embeddings", "--rows", n(16_000), "--shard", "1/2", "--seed", "1", "--out", f"{data}/emb_h_ds"],
        ["gen", "--preset", "embeddings", "--rows", n(16_000), "--shard", "2/2", "--seed", "2", "--out", f"{data}/emb_s_ds"],
        ["gen", "--rows", n(20_000), "--set", "generator.features=64", "--seed", "3", "--out", f"{data}/labels"],
        ["gen", "--rows", n(20_000), "--set", "generator.features=64", "--seed", "4", "--out", f"{data}/labels2"],
        ["gen", "--preset", "crowd", "--rows", n(100_000), "--seed", "5", "--out", f"{data}/crowd"],
        ["gen", "--rows", n(50_000), "--set", "generator.features=64", "--seed", "6", "--out", f"{data}/fit"],
    ]
    for args in runs:
        subprocess.run([binary] + args, check=True, stdout=subprocess.DEVNULL)
    shutil.copy(f"{data}/emb_h_ds/features.npy", f"{data}/emb_h.npy")
    shutil.copy(f"{data}/emb_s_ds/features.npy", f"{data}/emb_s.npy")


def timed(binary, args, data, out):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    argv = [binary] + [a.replace("{data}", data).replace("{out}", out) for a in args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0, 1):
        sys.exit(f"build_speed: {' '.join(argv)} failed ({p.returncode}): {p.stderr.strip()[:400]}")
    return wall, after.ru_utime - before.ru_utime


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-binary", required=True)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "synthctl"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every row count (0.1 for a quick look)")
    ap.add_argument("--tolerance", type=float, default=1.10)
    ap.add_argument("--only", help="run only the workloads whose name contains one of these comma-separated texts")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="synthctl-build-speed-")
    try:
        data = os.path.join(work, "data")
        os.makedirs(data)
        setup(a.binary, data, a.scale)
        print(machine_line())
        print(f"best of {a.repeat}, alternating builds")
        print(f"{'workload':<26}{'base s':>8}{'new s':>8}{'ratio':>7}{'base cpu':>10}{'new cpu':>9}{'ratio':>7}")
        slower = []
        for name, args in workloads(a.scale):
            if a.only and not any(o in name for o in a.only.split(",")):
                continue
            best = {"base": (1e9, 1e9), "new": (1e9, 1e9)}
            for _ in range(a.repeat):
                for label, binary in (("base", a.base_binary), ("new", a.binary)):
                    w, c = timed(binary, args, data, os.path.join(work, "out"))
                    best[label] = (min(best[label][0], w), min(best[label][1], c))
            (bw, bc), (nw, nc) = best["base"], best["new"]
            rw, rc = nw / bw, nc / max(bc, 1e-3)
            print(f"{name:<26}{bw:8.2f}{nw:8.2f}{rw:7.2f}{bc:10.2f}{nc:9.2f}{rc:7.2f}", flush=True)
            if rw > a.tolerance and rc > a.tolerance:
                slower.append(name)
        print("slower: " + ", ".join(slower) if slower else f"no workload slower than {a.tolerance}x in both wall and CPU time")
        return 1 if slower else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
