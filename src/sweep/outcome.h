// What became of a run: its status and the reason, from the exit status, the timeout watchdog
// and the workload's result JSON (schema "sysaxis.workload/1", CONTRACTS.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace sysaxis::sweep {

inline constexpr std::string_view kWorkloadSchema = "sysaxis.workload/1";
inline constexpr std::string_view kStatusOk = "ok";

// Exit codes of the workloads (CONTRACTS.md) and of the tracer, as run statuses.
struct ExitMeaning {
  int code;
  std::string_view status;
  std::string_view description;
};
const std::vector<ExitMeaning>& exit_meanings();

struct RunFacts {
  int exit_status = 0;
  std::optional<int> term_signal;
  bool timed_out = false;
  double timeout_s = 0;
  std::optional<std::string> result_text;  // the --json file, when the workload wrote one
  std::string output;                      // the workload's stdout and stderr
};

struct Outcome {
  std::string status;  // ok | timeout | crashed | <exit meaning> | failed | bad_result | unverified
  std::string reason;  // empty for ok
  std::optional<nlohmann::json> result;
};

Outcome classify(const RunFacts& facts, const store::Cell& cell);

// The line of the output that says why a run failed: the workload's own error line
// ("sysaxis-wl-<backend>: ..."), else the last non-empty line.
std::string failure_line(const std::string& output);

// Copies platform, device, versions, verified and phase times from a result into a record.
void fill_from_result(const nlohmann::json& result, store::RunRecord& record);

}  // namespace sysaxis::sweep
