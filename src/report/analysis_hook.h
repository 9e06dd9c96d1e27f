// HOOK for the lead engineer: `sysaxis report` without --analysis runs the analysis in-process
// through this one function. Until the analysis part (src/analysis, `sysaxis analyze`) is wired
// in, analysis_hook.cpp's default throws AnalysisUnavailable, and the command tells the user to
// pass --analysis FILE. Wiring it: replace the body in analysis_hook.cpp (see the comment there).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace sysaxis::report {

class AnalysisUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The analysis of the databases, as `sysaxis analyze --db ... -o analysis.json` would write it
// (schema "sysaxis.analysis/1"). Throws AnalysisUnavailable when this build cannot analyse;
// report::DatabaseError when a database cannot be read; std::exception otherwise.
nlohmann::json run_analysis(const std::vector<std::string>& dbs);

}  // namespace sysaxis::report
