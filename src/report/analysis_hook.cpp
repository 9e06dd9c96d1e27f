// The in-process analysis behind `sysaxis report` without --analysis: the same analysis, with the
// same defaults, as `sysaxis analyze --db ... -o analysis.json`.
#include "report/analysis_hook.h"

#include "analysis/analysis.h"
#include "analysis/dataset.h"
#include "report/study.h"
#include "version.h"

namespace sysaxis::report {

nlohmann::json run_analysis(const std::vector<std::string>& dbs) {
  try {
    analysis::Analysis a = analysis::analyze(analysis::load_databases(dbs), analysis::Options{});
    a.tool_version = kVersion;
    a.tool_revision = kGitRevision;
    return nlohmann::json::parse(analysis::dump_json(analysis::to_json(a)));
  } catch (const analysis::DatabaseError& e) {
    throw DatabaseError(e.what());
  }
}

}  // namespace sysaxis::report
