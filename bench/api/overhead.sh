#!/usr/bin/env bash
# The cost of --api per API call: bin/sysaxis-api-cl-loop N (N clGetPlatformIDs, timed inside the
# program) untraced, under the eBPF engine without --api, and with --api opencl (a uprobe and a
# uretprobe on every cl* function of libOpenCL.so.1), side by side in alternating rounds, pinned to
# one CPU. Prints each round and the median ns per call; the cost of --api per call is the median
# of (with --api - without) per round. Not a test: it measures, it does not judge.
#
# Usage: bench/api/overhead.sh [--build DIR] [--calls N] [--rounds R] [--cpu C]   (root)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build="$here/../../build/release"
calls=100000
rounds=5
cpu=$(($(nproc) - 1))
while (($#)); do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
loop="$build/bin/sysaxis-api-cl-loop"
sysaxis="$build/bin/sysaxis"
run() {  # prints ns per call
  "$@" 2>/dev/null | awk '/^ns_per_call/ {print $2}'
}
declare -a untraced ebpf api diff
for ((r = 1; r <= rounds; r++)); do
  u=$(run taskset -c "$cpu" "$loop" "$calls")
  e=$(run taskset -c "$cpu" "$sysaxis" trace --engine ebpf -q -o /dev/null -- "$loop" "$calls")
  a=$(run taskset -c "$cpu" "$sysaxis" trace --engine ebpf -q --api opencl -o /dev/null -- "$loop" "$calls")
  untraced+=("$u"); ebpf+=("$e"); api+=("$a")
  diff+=("$(awk -v a="$a" -v e="$e" 'BEGIN {printf "%.1f", a - e}')")
  echo "round $r: untraced $u ns/call, ebpf $e, ebpf --api opencl $a (--api costs ${diff[-1]} ns/call)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "calls $calls, rounds $rounds, cpu $cpu, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "median ns/call: untraced $(median "${untraced[@]}"), ebpf $(median "${ebpf[@]}"), ebpf --api opencl $(median "${api[@]}")"
echo "median cost of --api per API call: $(median "${diff[@]}") ns"
