// `sysaxis run`: runs the cells of a spec under the tracer, in-process, and commits each run to
// the study database as soon as it ends. Re-running continues where an interrupted sweep stopped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/exit_codes.h"
#include "store/records.h"
#include "sweep/plan.h"

namespace sysaxis::sweep {

struct RunOptions {
  std::string spec_path;
  std::string db_path;
  Shard shard;
  std::string bin_dir;                // where sysaxis-wl-<backend> are; empty: beside the sysaxis executable
  std::optional<std::uint64_t> seed;  // default: the spec's
  std::vector<std::string> backends;  // run only these backends ("resnet" for ResNet); empty: all
  std::string python;                 // overrides [resnet].python
  std::optional<double> timeout_s;    // overrides the spec's per-run timeout
  bool retry_failed = false;          // delete stored failed runs of this shard and run them again
  bool dry_run = false;               // print the plan, run nothing, write nothing
  std::string sysaxis_version;
  std::string sysaxis_revision;
  std::string command_line;
};

// Exit codes of `sysaxis run`, of the one table of common/exit_codes.h.
inline constexpr int kRunOk = kExitOk;                           // every run of the shard is stored and ok
inline constexpr int kRunSomeFailed = kExitSomeFailed;           // every run is stored, some failed
inline constexpr int kRunUsage = kExitUsage;                     // bad arguments or an invalid spec
inline constexpr int kRunMissingWorkload = kExitMissingProgram;  // a required backend not built or not available
inline constexpr int kRunDatabaseError = kExitDatabase;          // another schema or spec, disk full, not a study
inline constexpr int kRunTracerFailure = kExitTracerFailure;     // the tracing engine cannot run here
inline constexpr int kRunInterrupted = kExitInterrupted;         // stopped by a signal; run again to continue

int run_study(const RunOptions& options);

// The command line of one run: the workload (micro: `program` is sysaxis-wl-<backend>; resnet:
// `program` is python and `script` resnet.py) with the cell's arguments and --json.
std::vector<std::string> workload_command(const store::Cell& cell, const std::string& program,
                                          const std::string& script, const std::string& json_path);

}  // namespace sysaxis::sweep
