#!/usr/bin/env bash
# Database size per run and `sysaxis merge` time for N shards (docs/scale-out.md).
#
#   bench/merge_bench.sh [--bin-dir DIR] [--db STUDY.db | --reps R] [--shards "4 16 64"] [--rounds K]
#
# The study: STUDY.db, or (default) specs/smoke.toml run here with R repetitions (default 12,
# 144 runs of cpu and OpenCL/PoCL). Its size per run is measured against the same study emptied
# of runs (schema, taxonomy, cells and sessions: the fixed cost of every shard). For each N, the
# study is split into N disjoint shards by copying it and keeping the runs with run_id % N == i
# (VACUUMed, so each shard is as large as a real one of that many runs), then
# `sysaxis merge OUT shard-*.db` into a new OUT is timed K times (default 5) and checked to hold
# every run. Prints one table; run it on an idle machine.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$here/build/release/bin
db=
reps=12
shard_counts="4 16 64"
rounds=5
while (($#)); do
  case $1 in
    --bin-dir) bin=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --shards) shard_counts=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "merge_bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
sysaxis=$bin/sysaxis
[[ -x $sysaxis ]] || { echo "merge_bench: $sysaxis not built (--bin-dir DIR)" >&2; exit 2; }
command -v sqlite3 > /dev/null || { echo "merge_bench: sqlite3 not found (scripts/install-deps.sh)" >&2; exit 2; }

work=$(mktemp -d /tmp/sysaxis-merge-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [[ -z $db ]]; then
  sed -E "s/^repetitions = [0-9]+$/repetitions = $reps/" "$here/specs/smoke.toml" > "$work/spec.toml"
  echo "merge_bench: running specs/smoke.toml with repetitions = $reps ..." >&2
  "$sysaxis" run "$work/spec.toml" --db "$work/study.db" > "$work/run.log" 2>&1 ||
    { tail -n 5 "$work/run.log" >&2; echo "merge_bench: the study run failed" >&2; exit 1; }
  db=$work/study.db
fi
q() { sqlite3 -batch -noheader "$@"; }
size() { stat -c %s "$1"; }
runs=$(q "$db" "SELECT count(*) FROM run_records")
((runs > 0)) || { echo "merge_bench: $db holds no runs" >&2; exit 2; }

# The fixed cost of a study database: the same study without runs.
cp "$db" "$work/empty.db"
q "$work/empty.db" "PRAGMA foreign_keys = ON; DELETE FROM run_records; VACUUM;"
cp "$db" "$work/full.db"
q "$work/full.db" "VACUUM;"
full=$(size "$work/full.db")
empty=$(size "$work/empty.db")
counters=$(q "$db" "SELECT count(*) FROM counters")
echo "study: $(q "$db" "SELECT value FROM meta WHERE key = 'study'"), $runs runs, $counters counter rows"
awk -v f="$full" -v e="$empty" -v r="$runs" -v c="$counters" 'BEGIN {
  printf "database: %.0f KiB (VACUUMed), of which %.0f KiB fixed (schema, taxonomy, cells, sessions)\n", f / 1024, e / 1024
  printf "per run: %.1f KiB ((size - fixed) / runs), %.0f counter rows\n", (f - e) / r / 1024, c / r
}'

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%8s %12s %14s %12s %12s %10s\n' shards runs/shard "shard KiB" "merge min s" "median s" "out KiB"
for n in $shard_counts; do
  dir=$work/n$n
  mkdir -p "$dir"
  for ((i = 0; i < n; i++)); do
    cp "$work/full.db" "$dir/shard-$i.db"
    q "$dir/shard-$i.db" "PRAGMA foreign_keys = ON; DELETE FROM run_records WHERE run_id % $n <> $i; VACUUM;"
  done
  shard_kib=$(($(du -cb "$dir"/shard-*.db | tail -n 1 | cut -f1) / n / 1024))
  times=()
  for ((k = 0; k < rounds; k++)); do
    rm -f "$work/out.db"
    sync
    t0=$EPOCHREALTIME
    "$sysaxis" merge "$work/out.db" "$dir"/shard-*.db > "$work/merge.log" 2>&1 ||
      { cat "$work/merge.log" >&2; exit 1; }
    times+=("$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')")
    merged=$(q "$work/out.db" "SELECT count(*) FROM run_records")
    ((merged == runs)) || { echo "merge_bench: $n shards merged into $merged runs, not $runs" >&2; exit 1; }
  done
  min=$(printf '%s\n' "${times[@]}" | sort -n | head -n 1)
  med=$(printf '%s\n' "${times[@]}" | median)
  printf '%8d %12.1f %14d %12.3f %12.3f %10d\n' "$n" "$(awk -v r="$runs" -v n="$n" 'BEGIN { print r / n }')" \
    "$shard_kib" "$min" "$med" $(($(size "$work/out.db") / 1024))
  rm -rf "$dir"
done
echo "($rounds rounds each; $(nproc) CPUs; $(uname -r); sysaxis $("$sysaxis" --version | cut -d' ' -f2-))"
