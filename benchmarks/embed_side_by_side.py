#!/usr/bin/env python3
"""Side by side: scikit-learn's HashingVectorizer (the model-free text
embedder people use today) against `synthctl embed --embedder hashing`, on the
same texts in one run.

The texts are made from the real RTE texts in ../shared/data/text/rte/pairs.csv
(its `text` and `hypothesis` columns): each benchmark text is a window of
consecutive words of one of them, chosen with a fixed seed, so the
vocabulary and word lengths are those of real English news text. Two
corpora, each run in full:

- sentences: windows of 5 to 40 words (about 14 on average);
- passages: windows of 20 to 60 words of the texts that have 20 or more
  (about 28 on average). The issue's goal names HashingVectorizer at
  20–29k texts/s on the AVX2 machine: that is its speed on these, while on
  the sentences it runs at about 62k texts/s there.

They are written as JSON Lines (`{"text": ...}`), the form both sides start from.

Three comparisons, each like for like:

- vectorizer: `HashingVectorizer(n_features=2**20).transform(texts)` (word
  unigrams, signed, L2: synthctl's defaults) in process, texts already in a
  Python list, against the whole `synthctl embed` process (reading the JSON
  Lines, hashing, projecting to 384 dimensions, writing a new .npy). The
  issue's goal is stated against this one: synthctl ≥ 5× its texts/s. The
  "replacing" line is the same with the previous run's .npy in place
  (`--force`): ext4 then starts writing the new file out at the rename.
- pipeline: the same plus scikit-learn's `SparseRandomProjection(384)`
  fitted and applied (dense output), which is what synthctl's output is.
- tfidf: `HashingVectorizer(norm=None)` + `TfidfTransformer()` (fit and
  transform) against `synthctl embed --tfidf`.
- char_wb: `HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5))`, the
  character n-grams used for misspelled and mixed-language text, against
  `synthctl embed --analyzer char_wb --ngram-range 3,5`.

Every time is the median of --repeat runs (the machine is a noisy 2-core VM);
texts/s is texts over that median. Peak memory of synthctl is its own process's
(GNU time). Printed with the machine line (CPU, cores, kernels, date) and the
load average before and after.

Usage: python3 benchmarks/embed_side_by_side.py [--texts 200000] [--repeat 3] [--corpora sentences,passages] [--synthctl .build/release/synthctl]
Needs: pip install scikit-learn numpy pandas; swift build -c release --product synthctl
"""
import argparse, json, os, statistics, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import machine_line
from process_timing import timed_with_stderr


CORPORA = {"sentences": (5, 40), "passages": (20, 60)}


def corpus(name, n, seed, rte):
    """n texts: windows of the RTE texts and hypotheses, of the lengths
    CORPORA gives `name` (from sources at least as long as the shortest)."""
    import numpy as np, pandas as pd
    pairs = pd.read_csv(rte)
    shortest, longest = CORPORA[name]
    sources = [s.split() for s in list(pairs["text"]) + list(pairs["hypothesis"])]
    if shortest > 5:
        sources = [s for s in sources if len(s) >= shortest]
    return windows(n, np.random.default_rng(seed), sources, shortest, longest)


def windows(n, rng, sources, shortest, longest):
    """n runs of shortest to longest consecutive words, each from a source
    (a list of words) drawn at random with `rng`."""
    out = []
    for k in rng.integers(0, len(sources), n):
        words = sources[k]
        length = int(rng.integers(shortest, longest + 1))
        start = int(rng.integers(0, max(1, len(words) - length + 1)))
        out.append(" ".join(words[start:start + length]))
    return out


def median_seconds(f, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_corpus(name, args):
    """Both sides on corpus `name`, every setting, one line each."""
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.random_projection import SparseRandomProjection
    texts = corpus(name, args.texts, 0, args.rte)
    words = sum(len(t.split()) for t in texts) / len(texts)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "texts.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for t in texts:
                f.write(json.dumps({"text": t}) + "\n")
        size = os.path.getsize(path)
        print(f"{name}: {len(texts)} texts, {words:.1f} words each on average, {size / 1e6:.1f} MB of JSON Lines")

        out = os.path.join(d, "out.npy")

        def synthctl(extra, replacing=False):
            """Median wall time and peak MiB of `synthctl embed`, writing a
            new .npy each run (the output removed before it), or with
            `replacing` over the previous run's (`--force`). The page cache
            is written back before each run (`sync`, not timed), so that
            one run's 307 MB are not written out during the next."""
            runs = []
            for _ in range(args.repeat):
                if not replacing and os.path.exists(out):
                    os.remove(out)
                os.sync()
                runs.append(timed_with_stderr([args.synthctl, "embed", path, "--out", out, "--force"] + extra))
            return statistics.median(r[0] for r in runs), max(r[1] for r in runs)

        hv = HashingVectorizer(n_features=2**20)
        sk_vectorizer = median_seconds(lambda: hv.transform(texts), args.repeat)

        def pipeline():
            x = hv.transform(texts)
            SparseRandomProjection(n_components=384, dense_output=True, random_state=0).fit_transform(x)
        sk_pipeline = median_seconds(pipeline, args.repeat)

        def tfidf():
            x = HashingVectorizer(n_features=2**20, norm=None).transform(texts)
            TfidfTransformer().fit_transform(x)
        sk_tfidf = median_seconds(tfidf, args.repeat)

        hv_char = HashingVectorizer(n_features=2**20, analyzer="char_wb", ngram_range=(3, 5))
        sk_char = median_seconds(lambda: hv_char.transform(texts), args.repeat)

        ours, peak = synthctl([])
        ours_replacing, peak_replacing = synthctl([], replacing=True)
        ours_tfidf, peak_tfidf = synthctl(["--tfidf"])
        ours_char, peak_char = synthctl(["--analyzer", "char_wb", "--ngram-range", "3,5"])

    n = len(texts)
    def row(name, theirs, mine, mine_peak):
        print(f"{name:<11} scikit-learn {theirs:7.3f} s ({n / theirs:9,.0f} texts/s)   "
              f"synthctl whole process {mine:7.3f} s ({n / mine:9,.0f} texts/s, peak {mine_peak:5.0f} MiB)   "
              f"ratio {theirs / mine:5.2f}×")
    row("vectorizer", sk_vectorizer, ours, peak)
    row("  replacing", sk_vectorizer, ours_replacing, peak_replacing)
    row("pipeline", sk_pipeline, ours, peak)
    row("tfidf", sk_tfidf, ours_tfidf, peak_tfidf)
    row("char_wb", sk_char, ours_char, peak_char)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--texts", type=int, default=200_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--corpora", default="sentences,passages", help="which corpora, comma-separated: " + ", ".join(CORPORA))
    p.add_argument("--synthctl", default=os.path.join(here, "..", ".build", "release", "synthctl"))
    p.add_argument("--rte", default=os.path.join(here, "..", "..", "shared", "data", "text", "rte", "pairs.csv"))
    args = p.parse_args()
    unknown = [c for c in args.corpora.split(",") if c not in CORPORA]
    if unknown:
        p.error(f"--corpora: expected {', '.join(CORPORA)}, found {', '.join(unknown)}")
    import sklearn  # noqa: F401  (missing: fail before any work)

    print(machine_line())
    print(f"load before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name in args.corpora.split(","):
        run_corpus(name, args)
    print(f"load after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
