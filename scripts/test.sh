#!/usr/bin/env bash
# Sets up (Debian packages, Python test tools) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The end-to-end tests check outputs with numpy and pandas, and write a
# Parquet table with pyarrow (test tools only).
if ! python3 -c 'import numpy, pandas, pyarrow' 2>/dev/null; then
    echo "test: installing numpy, pandas and pyarrow for the load checks"
    python3 -m pip install -q numpy pandas pyarrow
fi
swift test --parallel

# Results must not depend on the CPU. OpenBLAS picks its sgemm kernel by CPU
# family and each rounds differently, so the library suites (neighbours,
# fidelity, logistic regression, label quality, generation) run again under
# the kernel families this CPU can execute: Prescott (any x86-64), and
# Haswell and Zen where it has AVX2 and FMA.
cores="Prescott"
if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then cores="$cores Haswell Zen"; fi
for core in $cores; do
    echo "test: library suites with OPENBLAS_CORETYPE=$core"
    OPENBLAS_CORETYPE=$core swift test --skip-build --parallel --filter 'EvalTests|SynthTests'
done
