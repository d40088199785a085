#!/usr/bin/env bash
# Sets up (Debian packages, Python test tools) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The end-to-end tests check outputs with numpy and pandas (test tools only).
if ! python3 -c 'import numpy, pandas' 2>/dev/null; then
    echo "test: installing numpy and pandas for the load checks"
    python3 -m pip install -q numpy pandas
fi
swift test --parallel
