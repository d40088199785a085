#!/usr/bin/env python3
"""Side by side: reading one labeled table as JSON Lines and as Parquet.

The same --rows x --dims table (float32 features x0…, a `label` column of
10 class names) is written by pandas as JSON Lines
(`to_json(orient="records", lines=True)`) and as Parquet (`to_parquet`,
pyarrow, Snappy), with out-of-sample probabilities beside it as an .npy.
Then `synthctl score --table T --label-column label --pred-probs P` runs on
each file: with the probabilities given no model is trained, so the run is
reading the table plus confident learning on the given probabilities, the
same work for both files. Each process is timed whole, with its peak memory
(GNU time's maximum resident set); best of --repeats. pandas'
`read_json(lines=True)` and `read_parquet` on the same files, each in its
own process, are the Python reference.

The figure the issue asks for is the ratio JSON Lines / Parquet for
synthctl (goal: within 3x). Memory: the run is repeated at four times the
rows (--rows and 4 x --rows), and for each size the peak memory is printed
beside the output the reading must make (the float32 feature matrix and the
labels, rows x (dims + 1) x 4 bytes): JSON Lines is read in pieces, so
what grows with the row count is the cells it keeps (four bytes a number
its float32 gives back, as pandas' ten decimal places do; a class name
interned to four bytes) and the output, never the file; "peak - output" per
row shows the cells and the run's own per-row arrays.
pandas runs at the smaller size only.

Usage: python3 benchmarks/jsonl_reading.py [--rows 100000] [--dims 32] [--repeats 3]
Needs: pip install pandas pyarrow numpy; swift build -c release
"""
import argparse, os, shutil, subprocess, sys, tempfile
import numpy as np
import pandas as pd
from machine import machine_line
from process_timing import timed

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=100_000)
ap.add_argument("--dims", type=int, default=32)
ap.add_argument("--repeats", type=int, default=3)
ap.add_argument("--binary", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release", "synthctl"))
args = ap.parse_args()

PANDAS_READ = {
    "jsonl": "import pandas as pd, sys; pd.read_json(sys.argv[1], lines=True)",
    "parquet": "import pandas as pd, sys; pd.read_parquet(sys.argv[1])",
}


def write_tables(work, rows):
    rng = np.random.default_rng(0)
    classes = 10
    y = rng.integers(0, classes, size=rows)
    centers = rng.normal(size=(classes, args.dims)).astype(np.float32)
    x = centers[y] + rng.normal(size=(rows, args.dims)).astype(np.float32)
    df = pd.DataFrame({f"x{j}": x[:, j] for j in range(args.dims)})
    df["label"] = [f"class_{k}" for k in y]
    logits = rng.normal(size=(rows, classes))
    logits[np.arange(rows), y] += 2
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    paths = {"jsonl": f"{work}/t.jsonl", "parquet": f"{work}/t.parquet", "probs": f"{work}/p.npy"}
    df.to_json(paths["jsonl"], orient="records", lines=True)
    df.to_parquet(paths["parquet"], index=False)
    np.save(paths["probs"], probs.astype(np.float32))
    return paths


def best(cmd):
    runs = [timed(cmd) for _ in range(args.repeats)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def measure(rows, pandas):
    work = tempfile.mkdtemp(prefix="jsonl-bench-")
    try:
        paths = write_tables(work, rows)
        out = {}
        for fmt in ("parquet", "jsonl"):
            size = os.path.getsize(paths[fmt]) / 2**20
            cmd = [args.binary, "score", "--table", paths[fmt], "--label-column", "label", "--pred-probs", paths["probs"]]
            s, mib = best(cmd)
            ps, pmib = best([sys.executable, "-c", PANDAS_READ[fmt], paths[fmt]]) if pandas else (float("nan"), float("nan"))
            out[fmt] = (size, s, mib, ps, pmib)
        return out
    finally:
        shutil.rmtree(work)


sizes = [args.rows, 4 * args.rows]
print(machine_line())
print(f"{args.dims} float32 features + a label column; best of {args.repeats}")
results = {rows: measure(rows, pandas=rows == sizes[0]) for rows in sizes}
print(f"| rows | format | file MiB | synthctl score | peak MiB | output MiB | peak - output, bytes a row | pandas read | MiB |")
print(f"| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for rows in sizes:
    output = rows * (args.dims + 1) * 4 / 2**20
    for fmt in ("parquet", "jsonl"):
        size, s, mib, ps, pmib = results[rows][fmt]
        pandas = f"{ps:.2f} s | {pmib:.0f}" if ps == ps else "– | –"
        print(f"| {rows:,} | {fmt} | {size:.0f} | {s:.2f} s | {mib:.0f} | {output:.0f} | {(mib - output) * 2**20 / rows:.0f} | {pandas} |")
for rows in sizes:
    r = results[rows]
    print(f"{rows:,} rows: synthctl JSON Lines / Parquet: {r['jsonl'][1] / r['parquet'][1]:.2f}x (goal: within 3x)")
small = results[sizes[0]]
print(f"pandas read_json / read_parquet: {small['jsonl'][3] / small['parquet'][3]:.1f}x; "
      f"synthctl JSON Lines against pandas read_json alone: {small['jsonl'][3] / small['jsonl'][1]:.1f}x faster ({sizes[0]:,} rows)")
for fmt in ("parquet", "jsonl"):
    a, b = results[sizes[0]][fmt], results[sizes[1]][fmt]
    per_row = (b[2] - a[2]) * 2**20 / (sizes[1] - sizes[0])
    file_per_row = (b[0] - a[0]) * 2**20 / (sizes[1] - sizes[0])
    print(f"{fmt}: peak {a[2]:.0f} MiB at {sizes[0]:,} rows, {b[2]:.0f} MiB at {sizes[1]:,}: "
          f"{per_row:.0f} bytes a row (the output {(args.dims + 1) * 4}; the file would be {file_per_row:.0f})")
