#!/usr/bin/env bash
# Installs what synthctl needs from Debian when it is missing, and says what it did.
#   BLAS/LAPACK: libblas-dev liblapack-dev libopenblas-dev liblapacke-dev
#   Compression codecs (Parquet pages): libzstd-dev zlib1g-dev liblz4-dev libbrotli-dev libsnappy-dev
#   Python 3 with numpy and pandas (tests only; scripts/test.sh installs them)
# Uses sudo when not root. Safe to run again: installs only what is missing.
set -euo pipefail

packages=(libblas-dev liblapack-dev libopenblas-dev liblapacke-dev
          libzstd-dev zlib1g-dev liblz4-dev libbrotli-dev libsnappy-dev)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if ((${#missing[@]})); then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
        sudo="sudo"
    fi
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    echo "setup: installed ${missing[*]}"
else
    echo "setup: BLAS/LAPACK and codec packages already installed (${packages[*]})"
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH; install Swift 6 first" >&2; exit 1; }
