#!/usr/bin/env bash
# The main job: builds sysaxis and runs the Phase-1 study on the backends this machine has,
# report included. Results go to out/study-<date>/ (override with SYSAXIS_OUT).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-torch
cmake --preset release
cmake --build --preset release -j"$(nproc)"
out=${SYSAXIS_OUT:-out/study-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
bin=build/release/bin
# Until the sweep runner lands this traces a demo command: the corpus program with phases.
"$bin/sysaxis" trace --by phase,category -o "$out/demo-table.txt" -- build/release/corpus/markers 100000
"$bin/sysaxis" trace --format json -o "$out/demo-trace.json" -- build/release/corpus/markers 100000
cat "$out/demo-table.txt"
echo "study: results in $out"
