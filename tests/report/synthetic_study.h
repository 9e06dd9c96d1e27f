// A small synthetic study for the report's tests: a SQLite file with tables named like the views
// of CONTRACTS.md (runs, counts, faults, provenance) and their columns, and an analysis.json
// document in the format of `sysaxis analyze` that cites its runs. The numbers follow simple
// known models (page faults linear in bytes, driver calls linear in iters, ...); untrusted
// strings (device names with HTML, pipes and backticks) are planted on purpose.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sysaxis::testing {

struct SyntheticOptions {
  bool resnet = true;  // add ResNet runs (workload 'resnet')
  bool gpu = true;     // add the opencl and cuda runtimes (else the cpu baseline only)
  int reps = 3;
  std::string engine;  // every run under this engine (and no second engine); empty: ebpf, plus
                       // one baseline cell again under ptrace
};

// The device name planted in the cuda runs (to check escaping).
inline constexpr const char* kEvilDevice = "NVIDIA H100 <script>alert(1)</script> | `tick` *star* & \"q\" 'a'";

// Writes the database (replacing a file at `path`). Throws std::runtime_error.
void write_synthetic_study(const std::string& path, const SyntheticOptions& options = {});

// An analysis.json for that database (schema sysaxis.analysis/1) with fits, claims, Q3 cells,
// vendor groups and ResNet checks citing its runs. Reads the run ids back from `path`.
nlohmann::json synthetic_analysis(const std::string& path);

}  // namespace sysaxis::testing
