#!/usr/bin/env bash
# The main job: builds sysaxis and runs the frozen Phase-1 study (specs/phase1.toml) on the
# backends this machine has (cpu, OpenCL on PoCL, HIP-CPU when SYSAXIS_HIP_CPU_INCLUDE points at
# its include folder, CUDA and NVIDIA OpenCL where there is a GPU, ResNet-50 on the CPU), then
# analyses it and writes the report.
#   SYSAXIS_OUT=DIR        where results go (default out/study-<date>)
#   SYSAXIS_SPEC=FILE      another spec (specs/smoke.toml: seconds)
#   SYSAXIS_HIP_CPU_INCLUDE=/path/to/HIP-CPU/include   build the HIP backend against HIP-CPU
# Interrupted? Run it again with the same SYSAXIS_OUT: the sweep continues where it stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --with-torch
extra=()
[[ -n ${SYSAXIS_HIP_CPU_INCLUDE:-} ]] && extra+=("-DSYSAXIS_HIP_CPU_INCLUDE=$SYSAXIS_HIP_CPU_INCLUDE")
cmake --preset release "${extra[@]}"
cmake --build --preset release -j"$(nproc)"
out=${SYSAXIS_OUT:-out/study-$(date +%Y%m%d-%H%M%S)}
spec=${SYSAXIS_SPEC:-specs/phase1.toml}
mkdir -p "$out"
bin=build/release/bin
"$bin/sysaxis" run "$spec" --db "$out/study.db"
"$bin/sysaxis" analyze --db "$out/study.db" -o "$out/analysis.json"
"$bin/sysaxis" report --db "$out/study.db" --analysis "$out/analysis.json" --findings docs/findings.md -o "$out/report"
echo "study: database $out/study.db, analysis $out/analysis.json, report $out/report/report.html"
