#!/usr/bin/env bash
# Tracer overhead on a syscall storm, measured side by side in one run (not a test).
#   bench/trace_overhead.sh [BIN_DIR] [N] [ROUNDS]
# Runs `sysaxis-storm N` (N getppid calls) untraced, under `sysaxis trace --engine ptrace` and
# under `strace -c -f`, all pinned to one CPU with taskset, ROUNDS times in alternating order,
# and prints the median wall time of each and its slowdown against untraced.
set -euo pipefail
bin=${1:-build/release/bin}
n=${2:-1000000}
rounds=${3:-5}
cpu=${BENCH_CPU:-0}
storm="$bin/sysaxis-storm"
sysaxis="$bin/sysaxis"
for f in "$storm" "$sysaxis"; do [[ -x $f ]] || { echo "missing $f (build first)" >&2; exit 2; }; done
command -v strace >/dev/null || { echo "strace is not installed" >&2; exit 2; }

declare -A cmd=(
  [untraced]="$storm $n"
  [sysaxis-ptrace]="$sysaxis trace -q --engine ptrace -o /dev/null -- $storm $n"
  [strace-c-f]="strace -c -f -o /dev/null -- $storm $n"
)
if [[ ${BENCH_EXTRA:-} ]]; then  # e.g. BENCH_EXTRA='sysaxis-ebpf=...'
  cmd[${BENCH_EXTRA%%=*}]=${BENCH_EXTRA#*=}
fi
order=(untraced sysaxis-ptrace strace-c-f)
[[ ${BENCH_EXTRA:-} ]] && order+=("${BENCH_EXTRA%%=*}")
declare -A times
for ((r = 0; r < rounds; r++)); do
  for name in "${order[@]}"; do
    t0=$(date +%s%N)
    taskset -c "$cpu" ${cmd[$name]} >/dev/null
    t1=$(date +%s%N)
    times[$name]+="$(( (t1 - t0) / 1000 )) "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(echo "${times[untraced]}" | median)
echo "syscall storm: $n getppid, CPU $cpu, $rounds rounds, median wall time"
printf '%-16s %12s %10s\n' mode "wall (ms)" slowdown
for name in "${order[@]}"; do
  m=$(echo "${times[$name]}" | median)
  awk -v n="$name" -v m="$m" -v b="$base" 'BEGIN { printf "%-16s %12.1f %9.1fx\n", n, m / 1000, m / b }'
done
