// Synthetic study databases with known answers, for the tests of the analysis and the report. They
// are made the way `sysaxis run` makes a study: through the store (schema, cells, sessions, runs,
// counters from a trace), so the analysis and the report read them exactly as they read a study.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sysaxis::test {

// A quantity as a function of (bytes, iters).
using Model = std::function<double(std::int64_t bytes, std::int64_t iters)>;
Model constant(double c);

struct Row {
  std::string phase;  // startup, init, work, teardown; "" for a process that never marks
  std::string syscall, detail;
  Model calls;
  Model ns_per_call;  // empty: 100 ns per call
};

struct Faults {
  std::string phase;
  Model minor, major, vol_cs, invol_cs;  // empty models count 0
};

struct Series {
  std::string backend = "cpu", platform, device, exec = "cpu", alloc_op = "free", sync = "each";
  std::string engine = "ptrace", workload = "micro";
  std::int64_t threads = 1;
  std::vector<std::int64_t> bytes, iters;
  int reps = 3;
  double noise = 0;  // standard deviation of every count and time, as a fraction of it (then rounded)
  std::vector<Row> rows;
  std::vector<Faults> faults;
  Model cpu_user_ns, cpu_sys_ns;  // empty: not recorded
};

struct StudySpec {
  std::string study = "synthetic";
  std::string host = "synthetic-host";
  std::vector<Series> series;
  std::uint64_t seed = 1;
};

// A GPU host's microbenchmarks, crossed (bytes 64 KiB..256 MiB x iters 1, 10, 100, 3 repetitions),
// with answers known by construction:
// - every runtime: startup file calls (constant); minor faults 256 per MiB in init;
// - cuda alloc: 7 driver calls per iteration whose time grows with bytes (73 us + 0.6 us per MiB
//   per iteration); mmap 3 per iteration from 64 MiB on (a step); 400 driver calls at init;
// - cuda kernels: 500 driver calls at init (constant), none per launch; CPU time 5 ms per launch
//   (spinning), no syscall per launch;
// - opencl on "NVIDIA CUDA": the same driver pattern as cuda (API-agnostic on NVIDIA);
// - opencl on PoCL, kernels: futex 8 per launch (executes on the CPU; reported beside);
// - the cpu baseline: no driver, no futex.
// `extra_platform` (non-empty) adds an opencl series on that platform (for untrusted strings).
StudySpec gpu_study(const std::string& extra_platform = "");

// Writes a new study database at `path` (replacing a file there) through the store. Runs get ids
// 1, 2, ... in the order series -> bytes -> iters -> repetition. Throws on failure.
void write_study(const std::string& path, const StudySpec& spec);

}  // namespace sysaxis::test
