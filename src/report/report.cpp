// The report: the check of the analysis against the dataset, and the document and files built from
// both (the sections are in sections.cpp, the plots in plots.cpp, the exports in exports.cpp).
#include "report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "report/sections.h"

namespace sysaxis::report {

using namespace detail;

void check_analysis(const analysis::Dataset& data, const analysis::Analysis& a) {
  if (a.inputs.size() != data.inputs.size()) {
    throw AnalysisMismatch(fmt::format("the analysis is of {} database(s) but {} were given with --db", a.inputs.size(),
                                       data.inputs.size()));
  }
  std::vector<std::size_t> ok(data.inputs.size(), 0);
  std::set<std::pair<std::size_t, std::int64_t>> runs;
  for (const auto& r : data.runs) {
    ++ok[r.db];
    runs.emplace(r.db, r.run_id);
  }
  for (std::size_t i = 0; i < ok.size(); ++i) {
    if (a.inputs[i].runs_ok != ok[i]) {
      throw AnalysisMismatch(fmt::format(
          "the analysis does not match {}: {} runs ok in the analysis, {} in the database (re-run sysaxis analyze)",
          data.inputs[i].path, a.inputs[i].runs_ok, ok[i]));
    }
  }
  for (const auto& f : a.fits) {
    for (auto id : f.run_ids) {
      if (!runs.contains({f.series.db, id})) {
        throw AnalysisMismatch(
            fmt::format("fit {} cites run {} of database {}, which the database does not hold "
                        "(an analysis of another study?)",
                        f.id, id, f.series.db));
      }
    }
  }
}

Content build_report(const analysis::Analysis& a, const analysis::Dataset& data, const std::string& analysis_text,
                     const std::string& findings, const Options& options) {
  Content out;
  Document& doc = out.doc;
  std::string study;
  for (const auto& r : data.runs) {
    if (!r.study.empty()) {
      study = r.study;
      break;
    }
  }
  doc.title =
      options.title.empty() ? fmt::format("sysaxis study report: {}", study.empty() ? "study" : study) : options.title;
  const std::vector<Plot> plots = make_plots(a);
  intro_section(doc, a, data);
  constraints_section(doc, a);
  scaling_section(doc, a, "Q1", plots, options);
  scaling_section(doc, a, "Q2", plots, options);
  execution_section(doc, a, plots);
  vendor_section(doc, a);
  api_section(doc);
  workloads_section(doc, a);
  perturbation_section(doc, a);
  synthesis_section(doc, a, findings);
  claims_section(doc, a);
  provenance_section(doc, a, options);

  out.files.push_back(
      {"analysis.json", analysis_text.empty() ? analysis::dump_json(analysis::to_json(a)) : analysis_text});
  out.files.push_back({"runs.csv", runs_csv(data)});
  out.files.push_back({"counts.csv", counts_csv(data)});
  out.files.push_back({"provenance.csv", provenance_csv(data)});
  out.files.push_back({"constraints.csv", constraints_csv(a)});
  out.files.push_back({"fits.csv", fits_csv(a)});
  out.files.push_back({"claims.csv", claims_csv(a)});
  out.files.push_back({"q3.csv", q3_csv(a)});
  out.files.push_back({"vendor.csv", vendor_csv(a)});
  out.files.push_back({"profiles.csv", profiles_csv(a)});
  out.files.push_back({"checks.csv", checks_csv(a)});
  for (const auto& p : plots) {
    if (p.panels.empty()) continue;
    out.plots.push_back(p);
    out.files.push_back({p.name + ".dat", plot_data(p)});
    out.files.push_back({p.name + ".csv", plot_csv(p)});
    out.files.push_back({p.name + ".gp", plot_script(p)});
  }
  files_section(doc, out.files, out.plots, options.plots);
  return out;
}

}  // namespace sysaxis::report
