#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what it needs, then builds and tests the release,
# ASan+UBSan and portable presets, then lint (clang-format, clang-tidy).
#   scripts/test.sh            everything
#   SYSAXIS_PRESETS="release" scripts/test.sh   a subset of presets
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
scripts/install-deps.sh --with-torch --with-browser --with-slurm
# The Slurm test (tests/slurm) skips where Slurm cannot run; here it is installed, so it must run.
export SYSAXIS_REQUIRE_SLURM=${SYSAXIS_REQUIRE_SLURM:-1}
presets=${SYSAXIS_PRESETS:-release asan portable}
for preset in $presets; do
  echo "=== $preset: configure, build, test"
  cmake --preset "$preset" ${SYSAXIS_CMAKE_ARGS:-}
  cmake --build --preset "$preset" -j"$jobs"
  ctest --preset "$preset" -j"$jobs"
done
if [[ ${SYSAXIS_SKIP_FUZZ:-0} != 1 ]]; then
  # A few seconds of every libFuzzer target on its committed seeds (clang; skipped without it).
  echo "=== fuzz smoke"
  rc=0
  FUZZ_SMOKE_SECONDS=${FUZZ_SMOKE_SECONDS:-5} bench/fuzz.sh --smoke || rc=$?
  if ((rc == 77)); then echo "fuzz smoke skipped"; elif ((rc != 0)); then exit "$rc"; fi
fi
if [[ ${SYSAXIS_SKIP_LINT:-0} != 1 ]]; then
  echo "=== lint"
  scripts/lint.sh build/release
fi
echo "=== all tests passed"
