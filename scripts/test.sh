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
swift test --parallel

# Results must not depend on the CPU. OpenBLAS picks its sgemm kernel by CPU
# family and each rounds differently, so the library suites (neighbours,
# fidelity, logistic regression, label quality, generation, fitting) run
# again under the kernel families this CPU can execute: Prescott (any
# x86-64), Haswell and Zen where it has AVX2 and FMA, and SkylakeX where it
# has AVX-512 (F, BW and VL, as BLASKernelIndependenceTests.blasCores decides).
has() { grep -qw "$1" /proc/cpuinfo; }
cores="Prescott"
if has avx2 && has fma; then cores="$cores Haswell Zen"; fi
if has avx512f && has avx512bw && has avx512vl; then cores="$cores SkylakeX"; fi
for core in $cores; do
    echo "test: library suites with OPENBLAS_CORETYPE=$core"
    OPENBLAS_CORETYPE=$core swift test --skip-build --parallel --filter 'EvalTests|SynthTests'
done
