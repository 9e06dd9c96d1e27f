#!/usr/bin/env bash
# Checks made on a GPU host (NVIDIA), in one go, from the repository root:
#   scripts/gpu-checks.sh [BIN_DIR] [OUT_DIR]      (BIN_DIR default build/portable/bin)
# 1. the workload suite verifies on every GPU backend (workloads/gpu-check.sh, issue 3);
# 2. driver operations of cudaMalloc+cudaFree and of kernel launches, decoded (issue 7):
#    cuda alloc at 256 MiB x 10 and x 1000, kernels at 1 MiB x 10 and x 1000, ptrace engine;
# 3. the eBPF and ptrace engines on the cuda workload and ResNet-50 CUDA inference (issue 8);
# 4. ResNet-50 wall time untraced / ebpf / ptrace on CPU and CUDA, alternating, 3 rounds.
# Everything lands in OUT_DIR/gpu-checks.tar.gz (traces, results, logs) plus provenance.txt.
set -uo pipefail
bin=${1:-build/portable/bin}
out=${2:-${OUT:-gpu-checks-out}}
mkdir -p "$out"
work=$(mktemp -d)
sx="$bin/sysaxis"
py=${PYTHON:-python3}

# NVIDIA's OpenCL driver is installed but may lack its ICD file; the loader then lists PoCL only.
if ldconfig -p | grep -q 'libnvidia-opencl.so.1' && ! grep -qs 'nvidia' /etc/OpenCL/vendors/*.icd; then
  mkdir -p /etc/OpenCL/vendors && echo libnvidia-opencl.so.1 >/etc/OpenCL/vendors/nvidia.icd
  echo "gpu-checks: registered libnvidia-opencl.so.1 in /etc/OpenCL/vendors/nvidia.icd"
fi
{
  echo "date: $(date -u +%FT%TZ)"
  echo "host: $(hostname)"; echo "kernel: $(uname -r)"; grep PRETTY_NAME /etc/os-release
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-) x $(nproc)"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/gpu: /'
  $py -c 'import torch; print("torch:", torch.__version__, "cuda", torch.version.cuda)' 2>&1
  $py -c 'import torchvision; print("torchvision:", torchvision.__version__)' 2>&1
  echo "sysaxis: $("$sx" --version)"
  grep -h . /etc/OpenCL/vendors/*.icd | sed 's/^/opencl icd: /'
} >"$out/provenance.txt" 2>&1
cat "$out/provenance.txt"

echo "=== 1. workload suite (gpu-check.sh)"
workloads/gpu-check.sh "$bin" "$work/gpu-check" --resnet >"$work/gpu-check.log" 2>&1
echo "gpu-check exit $?"; tail -40 "$work/gpu-check.log"

echo "=== 2. driver operations (ptrace engine)"
mkdir -p "$work/drivers"
for it in 10 1000; do
  "$sx" trace -q --engine ptrace --format json -o "$work/drivers/alloc-256MiB-$it.json" -- \
    "$bin/sysaxis-wl-cuda" --exec alloc --bytes 256MiB --iters "$it" --json "$work/drivers/alloc-256MiB-$it.result.json"
  "$sx" trace -q --engine ptrace --format json -o "$work/drivers/kernels-1MiB-$it.json" -- \
    "$bin/sysaxis-wl-cuda" --exec kernels --bytes 1MiB --iters "$it" --json "$work/drivers/kernels-1MiB-$it.result.json"
done
ls "$work/drivers"

echo "=== 3. engines side by side"
mkdir -p "$work/engines"
for e in ptrace ebpf; do
  "$sx" trace -q --engine "$e" --format json -o "$work/engines/cuda-kernels-$e.json" -- \
    "$bin/sysaxis-wl-cuda" --exec kernels --bytes 1MiB --iters 100 >/dev/null
  "$sx" trace -q --engine "$e" --format json -o "$work/engines/cuda-alloc-$e.json" -- \
    "$bin/sysaxis-wl-cuda" --exec alloc --bytes 256MiB --iters 100 >/dev/null
  "$sx" trace -q --engine "$e" --format json -o "$work/engines/resnet-cuda-$e.json" -- \
    "$py" workloads/resnet/resnet.py --device cuda --batch 8 --iters 10 --json "$work/engines/resnet-cuda-$e.result.json"
done
ls "$work/engines"

echo "=== 4. ResNet wall time: untraced / ebpf / ptrace"
: >"$work/resnet-overhead.csv"
echo "round,device,mode,wall_ms,work_ns" >>"$work/resnet-overhead.csv"
for round in 1 2 3; do
  for dev in cpu cuda; do
    for mode in untraced ebpf ptrace; do
      res="$work/ro-$dev-$mode-$round.json"
      pre=()
      [[ $mode != untraced ]] && pre=("$sx" trace -q --engine "$mode" -o /dev/null --)
      t0=$(date +%s%N)
      taskset -c 0-7 "${pre[@]}" "$py" workloads/resnet/resnet.py --device "$dev" --batch 8 --iters 20 --json "$res" >/dev/null 2>&1
      t1=$(date +%s%N)
      w=$($py -c "import json,sys; print(json.load(open('$res'))['phases_ns']['work'])" 2>/dev/null || echo NA)
      echo "$round,$dev,$mode,$(((t1 - t0) / 1000000)),$w" >>"$work/resnet-overhead.csv"
    done
  done
done
cat "$work/resnet-overhead.csv"
tar czf "$out/gpu-checks.tar.gz" -C "$work" .
ls -la "$out"
