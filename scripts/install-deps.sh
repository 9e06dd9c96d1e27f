#!/usr/bin/env bash
# Installs every Debian 12 package sysaxis needs to build, test and run its study.
# Idempotent; run as root. Usage: scripts/install-deps.sh [--with-torch] [--with-browser] [--with-slurm]
# --with-slurm: munge, slurmctld, slurmd and the clients, for the Slurm test (tests/slurm); their
# services are not configured or started here, the test runs its own.
set -euo pipefail
if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: run as root (apt-get needs it)" >&2
  exit 1
fi
pkgs=(
  # toolchain
  build-essential cmake ninja-build git pkg-config clang llvm clang-format clang-tidy
  # libraries
  libcli11-dev nlohmann-json3-dev libfmt-dev libsqlite3-dev sqlite3 libtomlplusplus-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  libbpf-dev bpftool libelf-dev zlib1g-dev libzstd-dev linux-libc-dev libdrm-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev googletest libbenchmark-dev strace binutils
  # OpenCL: ICD loader, headers, PoCL (CPU); HIP-CPU needs TBB
  ocl-icd-opencl-dev opencl-headers pocl-opencl-icd clinfo libtbb-dev
  # plots
  gnuplot-nox
)
for a in "$@"; do
  case "$a" in
    --with-torch) pkgs+=(python3-torch python3-torchvision python3-numpy) ;;
    --with-browser) pkgs+=(chromium) ;;
    --with-slurm) pkgs+=(slurm-wlm munge iproute2) ;;
    *) echo "install-deps: unknown option $a" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
