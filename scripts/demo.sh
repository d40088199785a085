#!/usr/bin/env bash
# Sets up, builds synthctl, runs `synthctl gen` on its built-in default and
# shows what it wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product synthctl
bin="$(swift build -c release --show-bin-path)/synthctl"
"$bin" gen --out synthctl-default --force
echo
echo "== files =="
ls -l synthctl-default
echo
echo "== dataset card (synthctl-default/README.md) =="
head -n 24 synthctl-default/README.md
echo
echo "== synthctl score synthctl-default (the simulated annotators, scored against the truth) =="
"$bin" score synthctl-default
echo
echo "== synthctl compare: two halves of one generated set, as human and synthetic (they should sit with the human baseline) =="
"$bin" gen --rows 4000 --shard 1/2 --out synthctl-default-human --force >/dev/null
"$bin" gen --rows 4000 --shard 2/2 --out synthctl-default-synthetic --force >/dev/null
"$bin" compare --human synthctl-default-human --synthetic synthctl-default-synthetic --kid-subsets 20
