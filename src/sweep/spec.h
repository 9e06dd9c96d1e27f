// Sweep specs: TOML files that describe a study (docs/store.md, "Spec files"; specs/*.toml).
// Validation errors name the file, the line, the key and what was expected.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sysaxis::sweep {

class SpecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::string_view kSpecSchema = "sysaxis.spec/1";

// A runtime to measure: one sysaxis-wl-<name> executable, with an OpenCL platform or device.
struct BackendSpec {
  std::string name;       // cpu | opencl | cuda | hip
  std::string platform;   // OpenCL platform name (substring) or index
  std::string device;     // device name or index
  bool optional = false;  // skipped (and recorded as such) where not built or not available
  int line = 0;
};

// One cross product of axis values, run on every backend that supports its exec models.
struct SweepSpec {
  std::string name;
  std::string question;               // label (Q1, Q2, Q3, ...); defaults to the name
  std::vector<std::string> backends;  // backend names; empty: all
  std::vector<std::string> exec;
  std::vector<std::uint64_t> bytes;
  std::vector<std::uint64_t> iters;
  std::vector<std::string> alloc_op;
  std::vector<std::string> sync;
  std::vector<std::uint64_t> threads;
  int line = 0;
};

struct ResnetSweepSpec {
  std::string name;
  std::string question;
  std::vector<std::string> devices;  // empty: all of [resnet].devices
  std::vector<std::uint64_t> batch;
  std::vector<std::uint64_t> iters;
  int line = 0;
};

// ResNet-50 inference (workloads/resnet/resnet.py), stored with workload = 'resnet'.
struct ResnetSpec {
  std::string python = "python3";
  std::string script;                 // as written; relative paths are relative to the spec file's folder
  std::string script_path;            // resolved
  std::vector<std::string> devices;   // cpu | cuda
  std::vector<std::string> optional;  // devices skipped (and recorded) where not available
  std::vector<ResnetSweepSpec> sweeps;
  int line = 0;
};

struct Spec {
  std::string path;  // the file, as given
  std::string text;  // its content
  std::string study;
  std::string description;
  std::int64_t repetitions = 0;
  std::string engine = "auto";
  double timeout_s = 300;
  std::uint64_t seed = 1;
  std::string taxonomy;                    // as written (empty: the built-in taxonomy)
  std::string taxonomy_path;               // resolved
  std::map<std::string, std::string> env;  // environment of every workload
  std::vector<BackendSpec> backends;
  std::vector<SweepSpec> sweeps;
  std::optional<ResnetSpec> resnet;
};

Spec parse_spec(std::string_view text, const std::string& path);
// Reads and parses a spec file; SpecError when it cannot be read.
Spec load_spec(const std::string& path);

// Values (std::invalid_argument with what was expected on bad input):
// a size: 4096, "64KiB", "16MiB", "1GiB" (K M G T also binary); positive.
std::uint64_t parse_size(std::string_view text);
// "A..B xF" (geometric, factor F >= 2) or "A..B +S" (arithmetic, step S); B must be on the grid.
// Sizes when `sizes`, plain integers otherwise.
std::vector<std::uint64_t> parse_range(std::string_view text, bool sizes);
// "300s", "5m", "1h", "500ms", "90" (seconds).
double parse_duration(std::string_view text);
// 1048576 -> "1MiB", 1000 -> "1000".
std::string format_size(std::uint64_t bytes);

// What each backend's workload supports (CONTRACTS.md: cpu runs `cpu`, GPU backends alloc|kernels).
struct BackendInfo {
  std::string_view name;
  std::vector<std::string_view> exec;
  bool platform;  // accepts --platform
  bool device;    // accepts --device
};
const std::vector<BackendInfo>& backend_table();
const BackendInfo* find_backend(std::string_view name);

}  // namespace sysaxis::sweep
