#!/usr/bin/env bash
# clang-format and clang-tidy over the project's own C/C++ sources (needs a configured release
# build for compile_commands.json). Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
mapfile -t files < <(git ls-files '*.cpp' '*.h' '*.cu' | grep -v '^results/')
echo "lint: clang-format on ${#files[@]} files"
clang-format --dry-run --Werror "${files[@]}"
[[ -f $build/compile_commands.json ]] || { echo "lint: $build/compile_commands.json missing (configure first)" >&2; exit 2; }
mapfile -t tidy < <(git ls-files 'src/*.cpp')
echo "lint: clang-tidy on ${#tidy[@]} files"
printf '%s\n' "${tidy[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option 2>/dev/null
echo "lint: clean"
