#!/usr/bin/env bash
# Sets up (Debian packages, Python test tools) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if ! python3 -c 'import numpy' 2>/dev/null; then
    echo "test: installing numpy for the load checks"
    python3 -m pip install -q numpy
fi
swift test --parallel
