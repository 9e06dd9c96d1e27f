#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz: clang, ASan+UBSan) and runs each for N inputs,
# starting from its committed seeds (fuzz/corpus/<target>; new inputs go to a scratch copy).
#   bench/fuzz.sh [N] [TARGET...]     N inputs per target (default 1000000), all targets by default
#   bench/fuzz.sh --smoke             CI: every target for FUZZ_SMOKE_SECONDS (default 5) on its seeds
# Environment: FUZZ_SECONDS (also stop each target after this many seconds), FUZZ_JOBS (targets run at once, default 1), FUZZ_BUILD=0 (use the built targets),
# FUZZ_OUT (where crashes and logs go, default build/fuzz/runs). Prints, per target, the inputs
# executed, the time, and the crashes (with the reproducer's path); exits 1 when one crashed, 77
# when clang or libFuzzer is missing (skipped).
set -uo pipefail
cd "$(dirname "$0")/.."
smoke=0
if [[ ${1:-} == --smoke ]]; then
  smoke=1
  shift
fi
runs=1000000
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
  runs=$1
  shift
fi
targets=("$@")
((${#targets[@]} > 0)) || targets=(spec taxonomy analysis_json ioctl sqlite)
out=${FUZZ_OUT:-build/fuzz/runs}
jobs=${FUZZ_JOBS:-1}

if ! command -v clang++ >/dev/null; then
  echo "SKIP: clang++ not found (the fuzz targets need clang and libFuzzer)"
  exit 77
fi
if ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
  clang++ -fsanitize=fuzzer -x c++ - -o /tmp/sysaxis-fuzz-probe.$$ 2>/dev/null; then
  echo "SKIP: clang++ cannot link -fsanitize=fuzzer (libFuzzer missing)"
  exit 77
fi
rm -f /tmp/sysaxis-fuzz-probe.$$

if [[ ${FUZZ_BUILD:-1} != 0 ]]; then
  cmake --preset fuzz >/dev/null || exit 1
  cmake --build --preset fuzz -j"$(nproc)" || exit 1
fi
mkdir -p "$out"

run_one() {
  local t=$1 bin=build/fuzz/bin/sysaxis-fuzz-$1 work=$out/$1
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp fuzz/corpus/"$t"/* "$work/corpus/" 2>/dev/null
  local limit=(-runs="$runs")
  [[ -n ${FUZZ_SECONDS:-} ]] && limit+=(-max_total_time="$FUZZ_SECONDS")
  ((smoke)) && limit=(-max_total_time="${FUZZ_SMOKE_SECONDS:-5}")
  local t0=$SECONDS
  "$bin" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1
  local rc=$? secs=$((SECONDS - t0))
  local execs
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | tail -1 | grep -o '[0-9]*$')
  local crashes
  crashes=$(find "$work/artifacts" -type f | wc -l)
  printf '%-14s %12s inputs %6s s %8s/s  crashes %s  (exit %s)%s\n' "$t" "${execs:-?}" "$secs" \
    "$(( ${execs:-0} / (secs > 0 ? secs : 1) ))" "$crashes" "$rc" \
    "$( ((crashes > 0)) && echo "  $(find "$work/artifacts" -type f | head -1)")" >"$work/summary"
  cat "$work/summary"
}

echo "sysaxis fuzz: $( ((smoke)) && echo "smoke, ${FUZZ_SMOKE_SECONDS:-5} s" || echo "$runs inputs") per target, $(clang++ --version | head -1)"
pids=()
for t in "${targets[@]}"; do
  [[ -x build/fuzz/bin/sysaxis-fuzz-$t ]] || { echo "no target $t" >&2; exit 2; }
  run_one "$t" &
  pids+=($!)
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n; done
done
wait
failed=0
for t in "${targets[@]}"; do
  grep -q 'crashes 0 ' "$out/$t/summary" 2>/dev/null || failed=1
done
if ((failed)); then
  echo "sysaxis fuzz: a target crashed or failed; the logs are in $out/<target>/log" >&2
  exit 1
fi
echo "sysaxis fuzz: no crashes"
