#!/usr/bin/env bash
# GPU-host check of the workload suite: every GPU backend verifies under `sysaxis trace`, and the
# per-phase syscall totals are printed. Matrix: cuda, opencl on "NVIDIA CUDA", opencl on "Portable
# Computing Language" (PoCL) x exec alloc|kernels x bytes 1MiB,256MiB x iters 10,1000 (24 runs).
#
# Usage: workloads/gpu-check.sh BIN_DIR [OUT_DIR] [--quick] [--resnet] [--engine auto|ptrace|ebpf]
#   BIN_DIR   folder with sysaxis and sysaxis-wl-* (build/<preset>/bin)
#   OUT_DIR   where traces and results go (default: $OUT if set, else ./gpu-check-out)
#   --quick   iters 10 only and 1MiB only (6 runs), for a smoke test
#   --resnet  also trace workloads/resnet/resnet.py on --device cuda (batch 8, iters 10, python3)
# Per run it writes OUT_DIR/<run>.trace.json (sysaxis.trace/1) and OUT_DIR/<run>.result.json
# (sysaxis.workload/1); then OUT_DIR/summary.csv (tidy: one row per run, phase and category) and a
# table on stdout: calls per phase, verified, work calls per iteration, kernel cache state.
# Kernel caches are explicit: POCL_CACHE_DIR and CUDA_CACHE_PATH point into OUT_DIR (fresh caches,
# so the first kernels run of each OpenCL platform and size misses; the state is in the results).
# Exit status: 0 when every run verified, 1 otherwise, 2 on a usage error.
set -uo pipefail

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }
bin="" out="${OUT:-}" quick=0 resnet=0 engine=auto
while (($#)); do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --quick) quick=1 ;;
    --resnet) resnet=1 ;;
    --engine) shift; engine="${1:-}" ;;
    -*) echo "gpu-check: unknown option $1" >&2; exit 2 ;;
    *) if [[ -z "$bin" ]]; then bin="$1"; elif [[ -z "${out_arg:-}" ]]; then out_arg="$1"; else
         echo "gpu-check: too many arguments" >&2; exit 2; fi ;;
  esac
  shift
done
[[ -n "${out_arg:-}" ]] && out="$out_arg"
[[ -z "$out" ]] && out="$PWD/gpu-check-out"
if [[ -z "$bin" || ! -x "$bin/sysaxis" ]]; then
  echo "gpu-check: give the bin folder holding sysaxis and sysaxis-wl-* (see --help)" >&2
  exit 2
fi
bin="$(cd "$bin" && pwd)"
mkdir -p "$out" && out="$(cd "$out" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
export POCL_CACHE_DIR="$out/pocl-cache" CUDA_CACHE_PATH="$out/nv-cache"
rm -rf "$POCL_CACHE_DIR" "$CUDA_CACHE_PATH"

{
  echo "# host: $(uname -n) $(uname -r)"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader |
    sed 's/^/# gpu: /'
  command -v clinfo >/dev/null && clinfo -l 2>/dev/null | sed 's/^/# opencl: /'
  echo "# sysaxis: $("$bin/sysaxis" --version 2>/dev/null | head -1)"
} | tee "$out/host.txt"

# backend|platform|tag
backends=("cuda||cuda" "opencl|NVIDIA CUDA|ocl-nvidia" "opencl|Portable Computing Language|ocl-pocl")
execs=(alloc kernels)
sizes=(1MiB 256MiB)
iters_list=(10 1000)
if ((quick)); then sizes=(1MiB); iters_list=(10); fi

runs=()
for b in "${backends[@]}"; do
  IFS='|' read -r backend platform tag <<<"$b"
  exe="$bin/sysaxis-wl-$backend"
  [[ -x "$exe" ]] || { echo "gpu-check: $exe missing, skipping $backend" >&2; continue; }
  for exec in "${execs[@]}"; do
    for bytes in "${sizes[@]}"; do
      for iters in "${iters_list[@]}"; do
        run="$tag.$exec.$bytes.$iters"
        args=(--exec "$exec" --bytes "$bytes" --iters "$iters" --json "$out/$run.result.json")
        [[ -n "$platform" ]] && args+=(--platform "$platform")
        rm -f "$out/$run.result.json" "$out/$run.trace.json"
        start=$(date +%s%N)
        timeout 590 "$bin/sysaxis" trace --engine "$engine" -q --format json -o "$out/$run.trace.json" -- \
          "$exe" "${args[@]}" 2>"$out/$run.stderr"
        rc=$?
        printf '%-32s exit %3d  %6d ms\n' "$run" "$rc" $((($(date +%s%N) - start) / 1000000)) >&2
        echo "$rc" >"$out/$run.rc"
        runs+=("$run")
      done
    done
  done
done
if ((resnet)); then
  run="torch-cuda.resnet50.b8.10"
  rm -f "$out/$run.result.json" "$out/$run.trace.json"
  timeout 590 "$bin/sysaxis" trace --engine "$engine" -q --format json -o "$out/$run.trace.json" -- \
    python3 "$here/resnet/resnet.py" --device cuda --batch 8 --iters 10 --json "$out/$run.result.json" \
    2>"$out/$run.stderr"
  echo $? >"$out/$run.rc"
  runs+=("$run")
fi

printf '%s\n' "${runs[@]}" >"$out/runs.txt"
python3 - "$out" <<'PY'
import collections, csv, json, os, sys
out = sys.argv[1]
runs = open(os.path.join(out, "runs.txt")).read().split()
phases = ["startup", "init", "work", "teardown"]
rows, table, bad = [], [], 0
for run in runs:
    def load(suffix):
        try:
            with open(os.path.join(out, run + suffix)) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None
    trace, result = load(".trace.json"), load(".result.json")
    rc = open(os.path.join(out, run + ".rc")).read().strip()
    res = result or {}
    verified = bool(res.get("verified"))
    bad += not verified
    calls = collections.Counter()
    if trace:
        per = collections.defaultdict(lambda: [0, 0, 0])
        for r in trace["rows"]:
            calls[r["phase"]] += r["calls"]
            v = per[(r["phase"], r["category"])]
            v[0] += r["calls"]; v[1] += r["errors"]; v[2] += r["time_ns"]
        for (phase, cat), (c, e, t) in sorted(per.items()):
            rows.append(dict(run=run, backend=res.get("backend"), platform=res.get("platform"),
                             device=res.get("device"), exec=res.get("exec"), bytes=res.get("bytes"),
                             iters=res.get("iters"), engine=trace.get("engine"), verified=verified,
                             status=res.get("status"), phase=phase, category=cat, calls=c, errors=e,
                             time_ns=t))
    iters = res.get("iters") or 0
    table.append([run, rc, *(str(calls.get(p, 0)) for p in phases),
                  f"{calls.get('work', 0) / iters:.2f}" if iters else "-", str(verified).lower(),
                  res.get("kernel_cache_state", "-"), (res.get("error") or "")[:60]])
with open(os.path.join(out, "summary.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["run", "backend", "platform", "device", "exec", "bytes", "iters",
                                      "engine", "verified", "status", "phase", "category", "calls",
                                      "errors", "time_ns"])
    w.writeheader(); w.writerows(rows)
head = ["run", "rc", *phases, "work/iter", "verified", "kcache", "error"]
widths = [max(len(str(r[i])) for r in table + [head]) for i in range(len(head))]
for r in [head] + table:
    print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
# Per-phase category totals of the work phase, the part the study's questions are about.
print("\nwork-phase calls by category:")
for run in runs:
    cats = collections.Counter()
    for r in rows:
        if r["run"] == run and r["phase"] == "work":
            cats[r["category"]] += r["calls"]
    print(f"  {run}: " + (", ".join(f"{k}={v}" for k, v in cats.most_common()) or "none"))
sys.exit(1 if bad else 0)
PY
