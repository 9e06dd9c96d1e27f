#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what it needs, then builds and tests the release,
# ASan+UBSan and portable presets, then lint (clang-format, clang-tidy).
#   scripts/test.sh            everything
#   SYSAXIS_PRESETS="release" scripts/test.sh   a subset of presets
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
scripts/install-deps.sh --with-torch --with-browser
presets=${SYSAXIS_PRESETS:-release asan portable}
for preset in $presets; do
  echo "=== $preset: configure, build, test"
  cmake --preset "$preset" ${SYSAXIS_CMAKE_ARGS:-}
  cmake --build --preset "$preset" -j"$jobs"
  ctest --preset "$preset" -j"$jobs"
done
if [[ ${SYSAXIS_SKIP_LINT:-0} != 1 ]]; then
  echo "=== lint"
  scripts/lint.sh build/release
fi
echo "=== all tests passed"
