// From a spec to the runs of a study: cells (deduplicated, in a canonical order), the spec hash,
// shards (deterministic slices of cells) and the seeded, shuffled order of the repetitions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"
#include "sweep/spec.h"

namespace sysaxis::sweep {

// Where cells run; availability (built, runtime present) is decided per target.
struct Target {
  std::string workload;  // micro | resnet
  std::string backend;   // cpu | opencl | cuda | hip | torch
  std::string platform;
  std::string device;
  std::string exec;  // resnet: the torch device; micro: empty
  bool optional = false;
  // "opencl (Portable Computing Language)", "resnet cuda"
  std::string label() const;
  // The name --backends selects it by: the backend name, or "resnet".
  std::string filter_name() const { return workload == "resnet" ? "resnet" : backend; }
};

struct PlannedCell {
  store::CellRecord record;
  std::size_t target = 0;  // index into Plan::targets
};

struct Plan {
  std::vector<PlannedCell> cells;
  std::vector<Target> targets;
  std::int64_t repetitions = 0;
  std::string canonical;  // the canonical JSON of the study design
  std::string hash;       // sha256 of `canonical`
};

// Expands the sweeps into cells. The hash covers what changes the measurements (cells, their
// sweeps, repetitions, engine, environment, taxonomy) but not paths, seed or timeout, so shards
// run on different machines (another python, another bin folder) stay one study.
Plan make_plan(const Spec& spec, const std::string& taxonomy_hash);

struct Shard {
  int index = 0;
  int count = 1;
  std::string text() const;
};
// "i/n" with 0 <= i < n (Slurm: --shard ${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT});
// std::invalid_argument with what was expected.
Shard parse_shard(std::string_view text);
// The cells (indices into Plan::cells) of one shard: every n-th cell, starting at i.
std::vector<std::size_t> shard_cells(std::size_t n_cells, const Shard& shard);

// Reads one environment variable (std::getenv, or a map in tests); nullptr when unset.
using EnvLookup = std::function<const char*(const char* name)>;
// `--shard slurm`: this Slurm array task's shard. Slurm numbers tasks SLURM_ARRAY_TASK_MIN,
// MIN + STEP, ... SLURM_ARRAY_TASK_MAX (--array=1-4, --array=0-15:5); the shard is the task's
// position in that range: (ID - MIN) / STEP of SLURM_ARRAY_TASK_COUNT. std::invalid_argument, one
// line, outside a job array and for an array that is not one evenly spaced range (--array=1,3,7).
Shard shard_from_slurm(const EnvLookup& env);

struct Task {
  std::size_t cell = 0;  // index into Plan::cells
  std::int64_t rep = 0;  // 1-based
  bool operator==(const Task&) const = default;
};
// Blocked randomisation: repetition 1 of every cell in a shuffled order, then repetition 2 in
// another shuffled order, ... A machine drifting during the sweep then spreads over every cell
// instead of masquerading as an axis effect, and an interrupted sweep has balanced repetitions.
// The shuffle is our own (SplitMix64 + Fisher-Yates), so a seed gives the same order everywhere.
std::vector<Task> schedule(const std::vector<std::size_t>& cells, std::int64_t repetitions, std::uint64_t seed);

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform in [0, bound), bound > 0, without modulo bias.
  std::uint64_t below(std::uint64_t bound);

 private:
  std::uint64_t state_;
};

// "opencl kernels 16MiB iters=100": a cell in words, for progress lines and summaries.
std::string describe(const store::Cell& cell);

}  // namespace sysaxis::sweep
