#!/usr/bin/env python3
"""Side by side: `synthctl gen --format parquet` against `--format npy` and pyarrow's `pq.write_table`.

Writes the same 1M × 128 classification dataset (10 classes, 10% flip noise)
three ways, in one directory on one disk:

- `synthctl gen --format npy`: the dataset directory (features, labels,
  manifest with SHA-256), the wall time of the whole process;
- `synthctl gen --format parquet` (Snappy, the default; and zstd): one table
  of 128 FLOAT columns, label and true label as dictionary-encoded strings
  with their INT32 ids, and the BOOLEAN noise flag; the whole process,
  generation, encoding, compression and SHA-256 included;
- pyarrow's own `pq.write_table` of that same table (read back from
  synthctl's file, so the columns and types are identical), with its
  defaults and the same codec: only the write call is timed, not building
  the table, which is generous to pyarrow.

Each side runs --repeat times (default 3), alternating, and the best time
is reported: the page cache and other processes make every run differ.
Ratios: parquet / npy (goal: at most 1.5 with the default codec) and
pyarrow / synthctl (goal: above 1, synthctl faster).

Usage: python3 benchmarks/parquet_side_by_side.py [--rows 1000000]
       [--features 128] [--repeat 3] [--synthctl .build/release/synthctl]
       [--workdir DIR]
Needs: pyarrow.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from machine import machine_line
from process_timing import timed


def synthctl_run(binary, spec_path, fmt, target, codec=None):
    cmd = [binary, "gen", "--spec", spec_path, "--out", target, "--force", "--format", fmt]
    if codec:
        cmd += ["--compression", codec]
    dt, peak, _ = timed(cmd)
    return {"seconds": dt, "peak_mib": peak}


def pyarrow_run(source, target, codec):
    code = f"""
import time, json, pyarrow.parquet as pq
table = pq.read_table({source!r})
t = time.perf_counter()
pq.write_table(table, {target!r}, compression={codec!r})
print(json.dumps({{"seconds": time.perf_counter() - t}}))
"""
    _, peak, out = timed([sys.executable, "-c", code])
    return {"seconds": json.loads(out)["seconds"], "peak_mib": peak}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--features", type=int, default=128)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--synthctl", default=".build/release/synthctl")
    p.add_argument("--workdir", help="where to write (default: a temporary directory beside this script, on the repository's disk)")
    a = p.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    work = a.workdir or tempfile.mkdtemp(prefix="parquet-bench-", dir=here)
    os.makedirs(work, exist_ok=True)
    try:
        spec = {"rows": a.rows, "seed": 0,
                "generator": {"type": "classification", "features": a.features, "informative": 16, "redundant": 8, "classes": 10},
                "noise": {"type": "flip", "rate": 0.1}}
        spec_path = os.path.join(work, "spec.json")
        json.dump(spec, open(spec_path, "w"))
        sides = {
            "synthctl npy": lambda: synthctl_run(a.synthctl, spec_path, "npy", os.path.join(work, "d")),
            "synthctl parquet snappy": lambda: synthctl_run(a.synthctl, spec_path, "parquet", os.path.join(work, "s.parquet")),
            "synthctl parquet zstd": lambda: synthctl_run(a.synthctl, spec_path, "parquet", os.path.join(work, "z.parquet"), "zstd"),
            "pyarrow write_table zstd": lambda: pyarrow_run(os.path.join(work, "z.parquet"), os.path.join(work, "pz.parquet"), "zstd"),
            "pyarrow write_table snappy": lambda: pyarrow_run(os.path.join(work, "z.parquet"), os.path.join(work, "ps.parquet"), "snappy"),
        }
        runs = {name: [] for name in sides}
        for _ in range(a.repeat):
            for name, run in sides.items():
                runs[name].append(run())
        best = {name: min(r["seconds"] for r in rs) for name, rs in runs.items()}
        peak = {name: max(r["peak_mib"] for r in rs) for name, rs in runs.items()}
        size = {"synthctl npy": sum(os.path.getsize(os.path.join(work, "d", f)) for f in os.listdir(os.path.join(work, "d"))),
                "synthctl parquet zstd": os.path.getsize(os.path.join(work, "z.parquet")),
                "synthctl parquet snappy": os.path.getsize(os.path.join(work, "s.parquet")),
                "pyarrow write_table zstd": os.path.getsize(os.path.join(work, "pz.parquet")),
                "pyarrow write_table snappy": os.path.getsize(os.path.join(work, "ps.parquet"))}
        print(machine_line())
        print(f"{a.rows} rows × {a.features} features, best of {a.repeat}")
        print(f"{'':28} {'seconds':>8} {'peak MiB':>9} {'MB on disk':>11}")
        for name in sides:
            print(f"{name:28} {best[name]:8.2f} {peak[name]:9.0f} {size[name] / 1e6:11.1f}")
        print(f"parquet snappy / npy:          {best['synthctl parquet snappy'] / best['synthctl npy']:.2f}× (the default codec; goal ≤ 1.5×)")
        print(f"parquet zstd / npy:            {best['synthctl parquet zstd'] / best['synthctl npy']:.2f}×")
        print(f"pyarrow / synthctl, zstd:      {best['pyarrow write_table zstd'] / best['synthctl parquet zstd']:.2f}× (goal > 1: synthctl faster)")
        print(f"pyarrow / synthctl, snappy:    {best['pyarrow write_table snappy'] / best['synthctl parquet snappy']:.2f}×")
    finally:
        if not a.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
