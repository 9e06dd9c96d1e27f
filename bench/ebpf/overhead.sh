#!/usr/bin/env bash
# Tracer overhead on a syscall storm (bin/sysaxis-storm N: N getppid calls), all tracers in one
# run, pinned to one CPU, in alternating rounds (each round rotates the order), reported as the
# median over rounds, and the fastest round (the least disturbed on a shared machine). Not a test:
# it measures, it does not judge.
#
#   untraced      sysaxis-storm
#   floor-enter   empty BPF program on sys_enter (sysaxis-ebpf-floor --enter-only)
#   floor         empty BPF programs on sys_enter and sys_exit (sysaxis-ebpf-floor)
#   floor-clock   programs that only read the clock on sys_enter and sys_exit: the least that
#                 time in call costs (sysaxis-ebpf-floor --clock)
#   ebpf-count    sysaxis trace --engine ebpf --count-only
#   ebpf          sysaxis trace --engine ebpf
#   ptrace        sysaxis trace --engine ptrace
#   strace        strace -c -f
#   perf-trace    perf trace -s
#
# Every configuration runs at two sizes, n and n0, and its cost per call is the marginal
# (t(n) - t(n0)) / (n - n0): start-up costs (loading BPF programs, exec, reading maps) cancel.
# The slow tracers (ptrace, strace, perf trace) run fewer calls, so a round stays short.
#
# Usage: bench/ebpf/overhead.sh [--build DIR] [--calls N] [--slow-calls N] [--rounds R] [--cpu C]
# Needs root for the eBPF rows (they print n/a otherwise); strace and perf are optional.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build="$here/../../build/release"
calls=3000000
slow_calls=200000
small=1000
rounds=5
cpu=$(($(nproc) - 1))
while (($#)); do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --slow-calls) slow_calls=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "overhead.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
bin="$build/bin"
for f in sysaxis sysaxis-storm sysaxis-ebpf-floor; do
  [[ -x "$bin/$f" ]] || { echo "overhead.sh: $bin/$f missing: build first (cmake --build --preset release)" >&2; exit 2; }
done
storm="$bin/sysaxis-storm"

# name|calls|command prefix (the storm and its size are appended)
configs=(
  "untraced|$calls|"
  "floor-enter|$calls|$bin/sysaxis-ebpf-floor --enter-only --"
  "floor|$calls|$bin/sysaxis-ebpf-floor --"
  "floor-clock|$calls|$bin/sysaxis-ebpf-floor --clock --"
  "ebpf-count|$calls|$bin/sysaxis trace --engine ebpf --count-only -q -o /dev/null --"
  "ebpf|$calls|$bin/sysaxis trace --engine ebpf -q -o /dev/null --"
  "ptrace|$slow_calls|$bin/sysaxis trace --engine ptrace -q -o /dev/null --"
  "strace|$slow_calls|strace -c -f -o /dev/null"
  "perf-trace|$slow_calls|perf trace -s -o /dev/null --"
)

# Which configurations can run here (one small try each).
declare -A usable why
for c in "${configs[@]}"; do
  IFS='|' read -r name n prefix <<<"$c"
  tool=${prefix%% *}
  if [[ -n $prefix ]] && ! command -v "$tool" >/dev/null; then
    usable[$name]=0; why[$name]="$tool not installed"; continue
  fi
  if err=$(taskset -c "$cpu" $prefix "$storm" "$small" 2>&1 >/dev/null); then
    usable[$name]=1
  else
    usable[$name]=0; why[$name]=$(tail -n 1 <<<"$err")
  fi
done

seconds() {  # runs a command pinned, prints its wall time in seconds
  local t0=$EPOCHREALTIME
  taskset -c "$cpu" "$@" >/dev/null 2>&1 || { echo "overhead.sh: failed: $*" >&2; return 1; }
  local t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }'
}

declare -A samples  # name -> space-separated ns/call, one per round
k=${#configs[@]}
echo "storm: $calls calls ($slow_calls for ptrace, strace, perf trace), marginal over $small; $rounds rounds; CPU $cpu; $(uname -r)"
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < k; i++)); do
    IFS='|' read -r name n prefix <<<"${configs[$(((i + r) % k))]}"
    [[ ${usable[$name]} == 1 ]] || continue
    big=$(seconds $prefix "$storm" "$n")
    little=$(seconds $prefix "$storm" "$small")
    samples[$name]+="$(awk -v b="$big" -v l="$little" -v n="$n" -v s="$small" 'BEGIN { printf "%.2f", (b - l) / (n - s) * 1e9 }') "
  done
  echo "round $((r + 1))/$rounds done" >&2
done

minimum() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | head -n 1; }
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
spread() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f-%.0f", lo, hi }'; }

declare -A med low
printf '\n%-12s %10s %10s %12s %12s %10s\n' config "median" "fastest" "range" "median/untr" "fast/untr"
for c in "${configs[@]}"; do
  IFS='|' read -r name _ _ <<<"$c"
  if [[ ${usable[$name]} != 1 ]]; then
    printf '%-12s %12s   (%s)\n' "$name" n/a "${why[$name]}"
    continue
  fi
  med[$name]=$(median "${samples[$name]}")
  low[$name]=$(minimum "${samples[$name]}")
  printf '%-12s %10.1f %10.1f %12s %11.2fx %9.2fx\n' "$name" "${med[$name]}" "${low[$name]}" \
    "$(spread "${samples[$name]}")" "$(awk -v a="${med[$name]}" -v b="${med[untraced]}" 'BEGIN { print a / b }')" \
    "$(awk -v a="${low[$name]}" -v b="${low[untraced]}" 'BEGIN { print a / b }')"
done

ratio() {
  awk -v a="${med[$1]:-}" -v b="${med[$2]:-}" -v c="${low[$1]:-}" -v d="${low[$2]:-}" \
    'BEGIN { if (a == "" || b == "" || b == 0 || d == 0) print "n/a"; else printf "%.2fx (fastest rounds: %.2fx)", a / b, c / d }'
}
echo
echo "ebpf vs its floor (enter+exit):          $(ratio ebpf floor)  goal <= 1.15x"
echo "ebpf --count-only vs enter-only floor:   $(ratio ebpf-count floor-enter)  goal <= 1.15x"
echo "ebpf vs the clock-only floor:            $(ratio ebpf floor-clock)"
echo "clock-only floor vs floor:               $(ratio floor-clock floor)"
echo "floor (enter+exit) vs untraced:          $(ratio floor untraced)"
echo "enter-only floor vs untraced:            $(ratio floor-enter untraced)"
echo "ptrace engine vs strace -c -f:           $(ratio ptrace strace)"
echo "ptrace engine vs ebpf engine:            $(ratio ptrace ebpf)"
