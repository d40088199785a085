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
