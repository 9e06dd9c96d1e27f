#!/usr/bin/env bash
# Tracer overhead on ResNet-50 inference (workloads/resnet/resnet.py), all tracers in one run,
# pinned, in rounds that rotate the order. Not a test: it measures, it does not judge.
#
# What is compared is the work phase as resnet.py times it itself (phases_ns.work: the timed
# inference iterations, between its phase markers), so start-up (importing torch, loading the
# model, loading BPF programs) does not dilute the overhead. Each round runs every mode once;
# a mode's overhead is the median over rounds of (its work time / untraced work time in the
# same round), with the range over rounds: ratios taken side by side, as the machine drifts.
#
#   untraced     python resnet.py ...
#   ebpf-count   sysaxis trace --engine ebpf --count-only
#   ebpf         sysaxis trace --engine ebpf
#   ptrace       sysaxis trace --engine ptrace
#   strace       strace -c -f          (when installed)
#   perf-trace   perf trace -s         (when installed)
#
# Usage: bench/resnet_overhead.sh [--build DIR] [--python PY] [--device cpu|cuda] [--batch N]
#          [--iters N] [--rounds R] [--cpus LIST] [--csv FILE]
#   --cpus LIST   taskset CPU list for every run (default: all CPUs)
#   --csv FILE    also write every sample (round,mode,wall_ms,work_ns)
# Needs root for the eBPF modes (they are left out otherwise, with the reason).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build="$here/../build/release"
py=/usr/bin/python3
device=cpu
batch=8
iters=10
rounds=5
cpus="0-$(($(nproc) - 1))"
csv=
while (($#)); do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --python) py=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --iters) iters=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --csv) csv=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "resnet_overhead.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
sx="$build/bin/sysaxis"
script="$here/../workloads/resnet/resnet.py"
[[ -x $sx ]] || { echo "resnet_overhead.sh: $sx missing: build first" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "resnet_overhead.sh: --rounds must be a positive number" >&2; exit 2; }
command -v "$py" >/dev/null || { echo "resnet_overhead.sh: no python at $py" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name|command prefix
configs=(
  "untraced|"
  "ebpf-count|$sx trace --engine ebpf --count-only -q -o /dev/null --"
  "ebpf|$sx trace --engine ebpf -q -o /dev/null --"
  "ptrace|$sx trace --engine ptrace -q -o /dev/null --"
  "strace|strace -c -f -o /dev/null --"
  "perf-trace|perf trace -s -o /dev/null --"
)

# One run: prints "wall_ms work_ns", or fails.
one() {
  local res="$tmp/result.json" t0 t1
  rm -f "$res"
  t0=$(date +%s%N)
  taskset -c "$cpus" "$@" "$py" "$script" --device "$device" --batch "$batch" --iters "$iters" --json "$res" \
    >"$tmp/out" 2>&1 || { tail -n 3 "$tmp/out" >&2; return 1; }
  t1=$(date +%s%N)
  local w
  w=$("$py" -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['verified'] is True, 'not verified'; print(r['phases_ns']['work'])" "$res") || return 1
  echo "$(((t1 - t0) / 1000000)) $w"
}

# Which modes can run here (one short try each: a one-iteration run).
declare -A usable why
for c in "${configs[@]}"; do
  IFS='|' read -r name prefix <<<"$c"
  tool=${prefix%% *}
  if [[ -n $prefix ]] && ! command -v "$tool" >/dev/null; then
    usable[$name]=0; why[$name]="$tool not installed"; continue
  fi
  if err=$(iters=1 one $prefix 2>&1); then usable[$name]=1; else usable[$name]=0; why[$name]=$(tail -n 1 <<<"$err"); fi
done
[[ ${usable[untraced]} == 1 ]] || { echo "resnet_overhead.sh: resnet.py does not run untraced: ${why[untraced]}" >&2; exit 1; }

[[ -n $csv ]] && echo "round,mode,wall_ms,work_ns" >"$csv"
declare -A work ratios
k=${#configs[@]}
echo "ResNet-50 on $device: batch $batch, $iters timed iterations; $rounds rounds; CPUs $cpus; $(uname -r)"
for ((r = 0; r < rounds; r++)); do
  declare -A this=()
  for ((i = 0; i < k; i++)); do
    IFS='|' read -r name prefix <<<"${configs[$(((i + r) % k))]}"
    [[ ${usable[$name]} == 1 ]] || continue
    read -r wall w < <(one $prefix) || { echo "resnet_overhead.sh: $name failed in round $((r + 1))" >&2; exit 1; }
    this[$name]=$w
    work[$name]+="$w "
    [[ -n $csv ]] && echo "$((r + 1)),$name,$wall,$w" >>"$csv"
  done
  for name in "${!this[@]}"; do
    ratios[$name]+="$(awk -v a="${this[$name]}" -v b="${this[untraced]}" 'BEGIN { printf "%.4f", a / b }') "
  done
  echo "round $((r + 1))/$rounds done" >&2
done

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
spread() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }'; }
printf '\n%-11s %14s %18s %12s\n' mode "median work ms" "median vs untraced" "range"
for c in "${configs[@]}"; do
  IFS='|' read -r name _ <<<"$c"
  if [[ ${usable[$name]} != 1 ]]; then
    printf '%-11s %14s   (%s)\n' "$name" n/a "${why[$name]}"
    continue
  fi
  printf '%-11s %14.1f %17.3fx %12s\n' "$name" "$(awk -v w="$(median "${work[$name]}")" 'BEGIN { print w / 1e6 }')" \
    "$(median "${ratios[$name]}")" "$(spread "${ratios[$name]}")"
done
