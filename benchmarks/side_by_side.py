#!/usr/bin/env python3
"""Side by side: scikit-learn's generators against `synthctl gen`, and gen against the machine's limit, in one run.

scikit-learn makes float64 arrays in memory; synthctl generates float32 and
*writes* the dataset directory (features, labels, manifest with SHA-256), so
that comparison is generous to scikit-learn. Peak memory is each side's own
maximum resident set, measured by GNU time (`/usr/bin/time -f %M`) around
that process alone.

The limit (issue 17). Because the manifest holds a SHA-256 of every file,
no gen can finish before it has both written and hashed its bytes, so its
floor is max(write, hash) for the same number of bytes on the same file
system. gen's goal is its whole process within 1.25x of that floor.
- write: `dd` of as many bytes as synthctl's output directory holds, into
  the same directory's file system, 4 MiB per write (gen's chunk size), in
  two ways, and the faster one counts, since gen may write either way:
  * buffered, *without* fsync: gen does not fsync either (DESIGN.md "Atomic
    output" promises that a killed run never leaves something that looks
    complete, which the rename of the finished directory gives; it does not
    promise durability, and SequentialFile.finish() says so), so the bytes
    only have to reach the page cache;
  * `oflag=direct` (O_DIRECT, what gen uses for features.npy): the disk reads
    the bytes from dd's buffer; done means on the device.
  dd reads its bytes from a copy of synthctl's own output on /dev/shm (a
  tmpfs), so it writes the same bytes, not zeros that a virtual disk might
  store more cheaply.
- hash: hashlib.sha256 over the same bytes in memory, fed in 4 MiB pieces.
  hashlib is OpenSSL's libcrypto (3.0 here), which uses the SHA-NI
  instructions (about 1.4 GB/s on this AMD EPYC, as `openssl speed sha256`
  and swift-crypto's BoringSSL inside synthctl). coreutils' `sha256sum` (9.1)
  has its own portable C code without SHA-NI: 3.0 s of CPU for these 512 MB
  here, 8x slower, so it would make the limit meaninglessly lenient.

Every run is repeated --repeat times (default 5) and the medians reported;
the programs alternate within each repeat (the disk-writing ones in a
rotating order, so none always follows another), and the page cache is
synced (untimed) before each disk-writing run so that none pays for the
previous one's dirty pages: the disk of a virtual machine is noisy.

Usage: python3 benchmarks/side_by_side.py [--rows 1000000] [--features 128]
       [--classes 10] [--repeat 5] [--synthctl .build/release/synthctl]
       [--work DIR (on the file system to measure; default: the system's temporary directory)]
Needs: scikit-learn (pip install scikit-learn), GNU dd and time.
"""
import argparse, hashlib, json, os, shutil, statistics, subprocess, sys, tempfile, time
from machine import machine_line
from process_timing import timed

PIECE = 4 << 20  # bytes per dd write and per hash update: gen's chunk size


def sklearn_run(kind, rows, features, classes):
    code = f"""
import time, json
from sklearn.datasets import make_classification, make_blobs
t = time.perf_counter()
if '{kind}' == 'classification':
    X, y = make_classification(n_samples={rows}, n_features={features}, n_informative=16, n_redundant=8,
                               n_classes={classes}, flip_y=0.0, random_state=0)
else:
    X, y = make_blobs(n_samples={rows}, n_features={features}, centers={classes}, random_state=0)
dt = time.perf_counter() - t
print(json.dumps({{"seconds": dt}}))
"""
    _, peak, out = timed([sys.executable, "-c", code])
    # Time inside the process (generation only, not the interpreter's start-up).
    return {"seconds": json.loads(out)["seconds"], "peak_mib": peak}


def write_spec(kind, rows, features, classes, work):
    spec = {"rows": rows, "seed": 0}
    if kind == "classification":
        spec["generator"] = {"type": "classification", "features": features, "informative": 16,
                             "redundant": 8, "classes": classes}
    else:
        spec["generator"] = {"type": "blobs", "features": features, "centers": classes}
    path = os.path.join(work, f"{kind}.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def synthctl_run(binary, spec, target, keep=None):
    """Whole process: start-up, generation, writing, hashing. `keep`: copy the output's files there first."""
    os.sync()
    dt, peak, _ = timed([binary, "gen", "--spec", spec, "--out", target, "--force"])
    if keep is not None:
        # One file holding every file of the output, the bytes dd writes and hashlib hashes.
        with open(keep, "wb") as out:
            for name in sorted(os.listdir(target)):
                with open(os.path.join(target, name), "rb") as f:
                    shutil.copyfileobj(f, out, PIECE)
    shutil.rmtree(target)
    return {"seconds": dt, "peak_mib": peak}


def dd_run(source, target, direct):
    """Seconds for dd to write `source` (on tmpfs) to `target`, 4 MiB per write, buffered or O_DIRECT."""
    os.sync()
    cmd = ["dd", f"if={source}", f"of={target}", f"bs={PIECE}", "status=none"]
    if direct:
        # dd switches O_DIRECT off for a last write that is not a whole number of blocks, as gen does.
        cmd.append("oflag=direct")
    t = time.perf_counter()
    subprocess.run(cmd, check=True)
    dt = time.perf_counter() - t
    os.remove(target)
    return dt


def sha256_seconds(data):
    view = memoryview(data)
    h = hashlib.sha256()
    t = time.perf_counter()
    for i in range(0, len(view), PIECE):
        h.update(view[i:i + PIECE])
    h.digest()
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--features", type=int, default=128)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--synthctl", default=".build/release/synthctl")
    ap.add_argument("--work", default=None, help="a directory on the file system to measure")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="synthctl-bench-", dir=a.work)
    shm = tempfile.mkdtemp(prefix="synthctl-bench-", dir="/dev/shm")
    print(machine_line())
    print(f"{a.rows} rows x {a.features} features, {a.classes} classes; {a.repeat} runs each, medians; "
          f"limit = max(min(dd buffered, dd O_DIRECT), SHA-256) of the same bytes on {work}'s file system")
    print(f"{'generator':<16}{'sklearn s':>10}{'MiB':>7}{'synthctl s':>11}{'MiB':>6}{'speed-up':>9}"
          f"{'MB':>7}{'dd buf s':>9}{'dd dir s':>9}{'SHA s':>7}{'limit s':>8}{'/limit':>8}  goal <= 1.25x")
    try:
        for kind in ["classification", "blobs"]:
            spec = write_spec(kind, a.rows, a.features, a.classes, work)
            target = os.path.join(work, kind)
            source = os.path.join(shm, "bytes")
            synthctl_run(a.synthctl, spec, target, keep=source)  # warm-up, and the bytes for dd and hashlib
            nbytes = os.path.getsize(source)
            with open(source, "rb") as f:
                data = f.read()
            runs = {"sklearn": [], "synthctl": [], "dd buffered": [], "dd direct": [], "sha256": []}
            disk = {"synthctl": lambda: synthctl_run(a.synthctl, spec, target),
                    "dd buffered": lambda: dd_run(source, os.path.join(work, "dd"), direct=False),
                    "dd direct": lambda: dd_run(source, os.path.join(work, "dd"), direct=True)}
            order = list(disk)
            for i in range(a.repeat):
                runs["sklearn"].append(sklearn_run(kind, a.rows, a.features, a.classes))
                for name in order[i % len(order):] + order[:i % len(order)]:
                    runs[name].append(disk[name]())
                runs["sha256"].append(sha256_seconds(data))
            del data
            os.remove(source)
            med = {k: statistics.median(r if isinstance(r, float) else r["seconds"] for r in v) for k, v in runs.items()}
            peak = {k: max(r["peak_mib"] for r in runs[k]) for k in ("sklearn", "synthctl")}
            limit = max(min(med["dd buffered"], med["dd direct"]), med["sha256"])
            ratio = med["synthctl"] / limit
            print(f"{kind:<16}{med['sklearn']:>10.2f}{peak['sklearn']:>7.0f}{med['synthctl']:>11.2f}{peak['synthctl']:>6.0f}"
                  f"{med['sklearn'] / med['synthctl']:>8.1f}x{nbytes / 1e6:>7.0f}{med['dd buffered']:>9.2f}{med['dd direct']:>9.2f}"
                  f"{med['sha256']:>7.2f}{limit:>8.2f}{ratio:>7.2f}x  {'met' if ratio <= 1.25 else 'NOT met'}")
            print(f"{'':<16}synthctl runs: {' '.join(f'{s:.2f}' for s in [r['seconds'] for r in runs['synthctl']])}; "
                  f"dd buffered: {' '.join(f'{r:.2f}' for r in runs['dd buffered'])}; "
                  f"dd direct: {' '.join(f'{r:.2f}' for r in runs['dd direct'])}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(shm, ignore_errors=True)
    print(f"after: load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
