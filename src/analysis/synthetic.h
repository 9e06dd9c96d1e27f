// Synthetic study databases with known answers, for tests of the analysis and of its readers
// (the report). It writes tables named like the contract's views (runs, counts, faults,
// provenance) with the contract's columns, so the analysis reads them exactly as it reads a study.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sysaxis::analysis::synthetic {

// Events as a function of (bytes, iters).
using Model = std::function<double(std::int64_t bytes, std::int64_t iters)>;

struct Row {
  std::string phase;  // startup, init, work, teardown, or all (a process that never marked)
  std::string syscall, detail, category;
  Model calls;
  double ns_per_call = 100;
};

struct Faults {
  std::string phase;
  Model minor, major, vol_cs, invol_cs;  // empty models count 0
};

struct Series {
  std::string backend = "cpu", platform, device, exec = "cpu", alloc_op = "free", sync = "each";
  std::string engine = "ptrace", workload = "micro", study = "synthetic", status = "ok";
  std::int64_t threads = 1;
  std::vector<std::int64_t> bytes, iters;
  int reps = 3;
  double noise = 0;  // standard deviation of every count, as a fraction of it (then rounded)
  std::vector<Row> rows;
  std::vector<Faults> faults;
};

// Writes a new database at `path` (replacing a file there). Runs get ids 1, 2, ... in the order
// series -> bytes -> iters -> repetition. Throws std::runtime_error on failure.
void write_study(const std::string& path, const std::vector<Series>& series,
                 const std::map<std::string, std::string>& provenance, std::uint64_t seed = 1);

}  // namespace sysaxis::analysis::synthetic
