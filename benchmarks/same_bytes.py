#!/usr/bin/env python3
"""Same bytes before and after: run a fixed set of synthctl commands with two
builds and require every file they write to be byte-identical.

A restructuring (issue 14: the core target, typed errors, typed options, one
declaration per metric) must not change a dataset, a model or a report. This
script builds a base revision (default: the merge base with `main`, or any
revision given with --base) in a temporary git worktree, runs the same runs
with that binary and with the working tree's, and compares every output file
byte for byte, standard output and the exit code included. Standard error is
compared too, except the lines that report time.

    benchmarks/same_bytes.py --base c18e7b5          # build both, compare
    benchmarks/same_bytes.py --base-binary OLD --binary NEW   # prebuilt

Exit status 0 when everything matched, 1 when something differed (each
difference is listed), 2 when a build or a run could not be made.

It also prints each run's wall time under both builds, so that a restructuring
that slowed a command is seen (the figures are single runs, for a glance; the
side-by-side benchmarks are the measurements).
"""
import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from machine import machine_line

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Each run: (name, argument list). "{out}" is the run's output directory,
# "{data}" the shared inputs made by the first runs (both builds read the
# inputs their own `gen` wrote, so a difference there shows in every run).
RUNS = [
    ("gen-default", ["gen", "--rows", "3000", "--out", "{out}/ds"]),
    ("gen-crowd", ["gen", "--preset", "crowd", "--rows", "2000", "--out", "{out}/ds"]),
    ("gen-embeddings", ["gen", "--preset", "embeddings", "--rows", "600", "--out", "{out}/ds"]),
    ("gen-moons-csv", ["gen", "--preset", "noisy-moons", "--rows", "1000", "--format", "csv", "--out", "{out}/t.csv"]),
    ("gen-regression-jsonl", ["gen", "--preset", "regression", "--rows", "500", "--format", "jsonl", "--out", "{out}/t.jsonl"]),
    ("gen-circles", ["gen", "--generator", "circles", "--rows", "800", "--out", "{out}/ds"]),
    ("gen-blobs", ["gen", "--generator", "blobs", "--rows", "800", "--set", "generator.classes=4", "--out", "{out}/ds"]),
    ("gen-multilabel", ["gen", "--generator", "multilabel", "--rows", "700", "--out", "{out}/ds"]),
    ("gen-shard", ["gen", "--rows", "3000", "--shard", "2/3", "--out", "{out}/ds"]),
    ("fit-gaussian", ["fit", "{data}/human", "--out", "{out}/m.json"]),
    ("fit-copula", ["fit", "{data}/human", "--model", "copula", "--out", "{out}/m.json"]),
    ("fit-mixture", ["fit", "{data}/human", "--model", "mixture", "--out", "{out}/m.json"]),
    ("gen-model", ["gen", "--model", "{data}/model.json", "--rows", "900", "--out", "{out}/ds"]),
    ("score-dataset", ["score", "{data}/crowd", "--json", "{out}/r.json", "--markdown", "{out}/r.md"]),
    ("score-knn", ["score", "{data}/human", "--model", "knn", "--json", "{out}/r.json"]),
    ("score-logistic", ["score", "{data}/human", "--model", "logistic", "--json", "{out}/r.json"]),
    ("compare", ["compare", "--human", "{data}/human", "--synthetic", "{data}/synthetic", "--kid-subsets", "10",
                 "--json", "{out}/r.json", "--markdown", "{out}/r.md", "--html", "{out}/r.html"]),
    ("limits", ["limits", "--human", "{data}/human", "--synthetic", "{data}/synthetic", "--json", "{out}/r.json",
                "--markdown", "{out}/r.md"]),
    ("score-answers", ["score", "--answers", "{data}/answers.csv", "--gold", "{data}/gold.csv", "--json", "{out}/r.json"]),
    ("compare-tables", ["compare", "--human", "{data}/human.csv", "--synthetic", "{data}/synthetic.jsonl",
                        "--kid-subsets", "5", "--json", "{out}/r.json"]),
    ("collapse", ["collapse", "--human", "{data}/human", "--generations", "3", "--json", "{out}/r.json"]),
]

# Inputs shared by the runs above, written by each build's own gen and fit.
SETUP = [
    ["gen", "--rows", "2000", "--shard", "1/2", "--seed", "7", "--out", "{data}/human"],
    ["gen", "--rows", "2000", "--shard", "2/2", "--seed", "8", "--out", "{data}/synthetic"],
    ["gen", "--preset", "crowd", "--rows", "1500", "--out", "{data}/crowd"],
    ["fit", "{data}/human", "--out", "{data}/model.json"],
    ["gen", "--rows", "1200", "--seed", "3", "--format", "csv", "--out", "{data}/human.csv"],
    ["gen", "--rows", "1200", "--seed", "4", "--format", "jsonl", "--out", "{data}/synthetic.jsonl"],
]


def write_answers(data):
    """A fixed long-form answer table (item, worker, label) and its gold, the
    layout crowd-kit reads: 300 items, 7 workers of differing accuracy."""
    import random
    rng = random.Random(20261129)
    labels = ["cat", "dog", "bird"]
    with open(os.path.join(data, "answers.csv"), "w") as a, open(os.path.join(data, "gold.csv"), "w") as g:
        a.write("item,worker,label\n")
        g.write("item,label\n")
        for item in range(300):
            truth = rng.choice(labels)
            g.write(f"i{item},{truth}\n")
            for w, accuracy in enumerate([0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4]):
                if rng.random() < 0.6:
                    label = truth if rng.random() < accuracy else rng.choice(labels)
                    a.write(f"i{item},w{w},{label}\n")


# gen's summary: "wrote out: 100 rows, 27.0 KB in 0.13 s (762 rows/s)".
TIMING = re.compile(rb"in [0-9.]+ s \([0-9.,]+[kMG]? rows/s\)")


def build(tree, log):
    """Release-builds synthctl in `tree`; returns the binary's path."""
    r = subprocess.run(["swift", "build", "-c", "release", "--product", "synthctl"], cwd=tree,
                       stdout=log, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.exit(f"same_bytes: error: building {tree} failed (exit {r.returncode}); see {log.name}")
    path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=tree,
                          capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(path, "synthctl")


def run_all(binary, workdir):
    """Runs SETUP then RUNS with `binary` under `workdir`; returns {name: (exit, stdout, stderr, seconds)}."""
    data = os.path.join(workdir, "data")
    os.makedirs(data)
    env = dict(os.environ)
    write_answers(data)
    for args in SETUP:
        argv = [binary] + [a.format(data=data) for a in args]
        r = subprocess.run(argv, capture_output=True, env=env)
        if r.returncode != 0:
            sys.exit(f"same_bytes: error: {' '.join(argv)} exited {r.returncode}: {r.stderr.decode(errors='replace').strip()}")
    results = {}
    for name, args in RUNS:
        out = os.path.join(workdir, "runs", name)
        os.makedirs(out)
        argv = [binary] + [a.format(out=out, data=data) for a in args]
        t0 = time.perf_counter()
        r = subprocess.run(argv, capture_output=True, env=env)
        seconds = time.perf_counter() - t0
        stderr = b"\n".join(l for l in r.stderr.split(b"\n") if not l.startswith(b"synthctl: time:"))
        # Paths differ between the two work directories, and gen's summary
        # line reports its speed; compare both out.
        stdout = TIMING.sub(b"<timing>", r.stdout.replace(workdir.encode(), b"<work>"))
        stderr = stderr.replace(workdir.encode(), b"<work>")
        results[name] = (r.returncode, stdout, stderr, seconds)
    return results


def differing_files(a, b):
    """Relative paths under a and b whose bytes differ or that exist on one side only."""
    diffs = []
    for dirpath, dirnames, filenames in os.walk(a):
        rel = os.path.relpath(dirpath, a)
        for f in filenames:
            pa, pb = os.path.join(dirpath, f), os.path.join(b, rel, f)
            if not os.path.exists(pb):
                diffs.append(f"{os.path.join(rel, f)}: only in base")
            elif not filecmp.cmp(pa, pb, shallow=False):
                # Files can name their own path (a manifest's spec never does; a report names its inputs).
                da = open(pa, "rb").read().replace(a.encode().rsplit(b"/runs/", 1)[0], b"<work>")
                db = open(pb, "rb").read().replace(b.encode().rsplit(b"/runs/", 1)[0], b"<work>")
                if da != db:
                    diffs.append(f"{os.path.join(rel, f)}: bytes differ")
    for dirpath, dirnames, filenames in os.walk(b):
        rel = os.path.relpath(dirpath, b)
        for f in filenames:
            if not os.path.exists(os.path.join(a, rel, f)):
                diffs.append(f"{os.path.join(rel, f)}: only in new")
    return diffs


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base", help="git revision to compare against (built in a temporary worktree)")
    p.add_argument("--base-binary", help="a prebuilt base synthctl instead of --base")
    p.add_argument("--binary", help="a prebuilt synthctl for the new side (default: release-build this tree)")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    a = p.parse_args()
    if not a.base and not a.base_binary:
        p.error("give --base REV or --base-binary PATH")

    work = tempfile.mkdtemp(prefix="same_bytes.")
    log = open(os.path.join(work, "build.log"), "w")
    try:
        if a.base_binary:
            base_bin = a.base_binary
        else:
            tree = os.path.join(work, "base-tree")
            subprocess.run(["git", "worktree", "add", "--detach", tree, a.base], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            base_bin = build(tree, log)
        new_bin = a.binary or build(ROOT, log)

        base = run_all(base_bin, os.path.join(work, "base"))
        new = run_all(new_bin, os.path.join(work, "new"))

        failures = 0
        print(machine_line())
        print(f"{'run':24} {'base s':>8} {'new s':>8}  result")
        for name, _ in RUNS:
            eb, ob, sb, tb = base[name]
            en, on, sn, tn = new[name]
            problems = []
            if eb != en:
                problems.append(f"exit {eb} vs {en}")
            if ob != on:
                problems.append("stdout differs")
            if sb != sn:
                problems.append("stderr differs")
            problems += differing_files(os.path.join(work, "base", "runs", name), os.path.join(work, "new", "runs", name))
            if eb != 0:
                problems.append(f"the base run exited {eb}: {sb.decode(errors='replace').strip()[:200]}")
            failures += bool(problems)
            print(f"{name:24} {tb:8.3f} {tn:8.3f}  {'same bytes' if not problems else '; '.join(problems)}")
        print(f"{len(RUNS) - failures} of {len(RUNS)} runs wrote the same bytes")
        return 1 if failures else 0
    finally:
        log.close()
        if not a.base_binary:
            subprocess.run(["git", "worktree", "remove", "--force", os.path.join(work, "base-tree")], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if a.keep:
            print(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
