// Default of the in-process analysis hook (analysis_hook.h). When src/analysis is merged, replace
// the body with (the names of src/analysis/analysis.h at the time of writing):
//
//   #include "analysis/analysis.h"
//   #include "version.h"
//   try {
//     analysis::Analysis a = analysis::analyze(analysis::load_databases(dbs), analysis::Options{});
//     a.tool_version = kVersion;
//     a.tool_revision = kGitRevision;
//     return nlohmann::json::parse(analysis::to_json(a).dump());
//   } catch (const analysis::DatabaseError& e) {
//     throw DatabaseError(e.what());
//   }
#include "report/analysis_hook.h"

#include "report/study.h"

namespace sysaxis::report {

nlohmann::json run_analysis(const std::vector<std::string>& dbs) {
  (void)dbs;
  throw AnalysisUnavailable(
      "analysis not available in this build: run `sysaxis analyze --db ... -o analysis.json` and pass --analysis "
      "analysis.json");
}

}  // namespace sysaxis::report
