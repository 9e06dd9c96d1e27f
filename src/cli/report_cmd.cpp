// `sysaxis report --db study.db [--db other.db ...] -o DIR [--analysis analysis.json] [--findings FILE]`
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "analysis/analysis.h"
#include "cli/commands.h"
#include "common/exit_codes.h"
#include "report/report.h"
#include "syscalls/taxonomy.h"
#include "version.h"

namespace sysaxis::cli {
namespace {

struct ReportArgs {
  std::vector<std::string> dbs;
  std::string out;
  std::string analysis;
  std::string findings;
  std::string title;
  std::string gnuplot = "gnuplot";
  std::string taxonomy;
  bool no_plots = false;
  bool quiet = false;
};

constexpr int kExitPlot = kExitMissingProgram;  // gnuplot missing or failed

bool read_text(const std::string& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fmt::format("{}: cannot open", path);
    return false;
  }
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) {
    error = fmt::format("{}: read failed", path);
    return false;
  }
  out = s.str();
  return true;
}

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "sysaxis report: %s\n", message.c_str());
  return code;
}

Runner add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* sub = app.add_subcommand("report", "Write the study report (Markdown, self-contained HTML, plots, CSV).");
  sub->footer(
      "Writes into DIR: report.md and report.html (one page rendered by cmark-gfm, no network needed:\n"
      "images inlined, no script). It leads with the constraints (statement, scope, counterexamples,\n"
      "key numbers with their sources), then per question an answer, the draft constraint, plots of\n"
      "counts and of time and a table; the vendor comparison; OS cost per API call; the real\n"
      "workloads against each constraint; the synthesis; the claims (appendix); provenance. Beside\n"
      "them: the plot data (q*.dat, q*.csv), the gnuplot scripts (re-plot with `gnuplot q1_size.gp` in\n"
      "DIR), the images (q*.svg), analysis.json and tidy CSV (runs, counts, provenance, constraints,\n"
      "fits, claims, q3, vendor, profiles, checks). The report formats the analysis and never\n"
      "recomputes it. The same inputs give byte-identical files. docs/report.md has more.\n"
      "Examples:\n"
      "  sysaxis analyze --db study.db -o analysis.json\n"
      "  sysaxis report --db study.db --analysis analysis.json -o report/\n"
      "  sysaxis report --db cpu.db --db gpu.db -o report/ --findings docs/findings.md\n"
      "Without gnuplot (exit 6), --no-plots writes the report without images.\n"
      "\n" +
      exit_codes_text("report"));
  sub->add_option("--db", args->dbs, "a study database (SQLite, read through its views); repeat for several")
      ->required();
  sub->add_option("-o,--output", args->out, "the report folder (created if needed)")->required();
  sub->add_option("--analysis", args->analysis,
                  "analysis.json from `sysaxis analyze` over the same databases (default: analyse in-process)");
  sub->add_option("--findings", args->findings, "hand-written Markdown included in the synthesis (docs/findings.md)");
  sub->add_option("--title", args->title, "the report's title (default: from the study name)");
  sub->add_option("--gnuplot", args->gnuplot, "the gnuplot program")->capture_default_str();
  sub->add_option("--taxonomy", args->taxonomy, "categorise with this taxonomy file (as given to sysaxis analyze)");
  sub->add_flag("--no-plots", args->no_plots, "write the plot data and scripts but render no images");
  sub->add_flag("-q,--quiet", args->quiet, "print nothing on success");
  return [args]() -> int {
    std::string findings;
    if (!args->findings.empty()) {
      std::string error;
      if (!read_text(args->findings, findings, error)) return fail(kExitUsage, error);
    }
    std::optional<syscalls::Taxonomy> taxonomy;
    if (!args->taxonomy.empty()) {
      try {
        taxonomy = syscalls::Taxonomy::load_file(args->taxonomy);
      } catch (const syscalls::TaxonomyError& e) {
        return fail(kExitUsage, e.what());
      }
    }
    analysis::Dataset data;
    try {
      data = analysis::load_databases(args->dbs, taxonomy ? *taxonomy : syscalls::Taxonomy::builtin());
    } catch (const analysis::DatabaseError& e) {
      return fail(kExitDatabase, e.what());
    }
    analysis::Analysis result;
    std::string analysis_text;
    if (!args->analysis.empty()) {
      std::string error;
      if (!read_text(args->analysis, analysis_text, error)) return fail(kExitAnalysis, error);
      try {
        result = analysis::from_json(nlohmann::json::parse(analysis_text));
      } catch (const nlohmann::json::exception& e) {
        return fail(kExitAnalysis, fmt::format("{}: not JSON: {}", args->analysis, e.what()));
      } catch (const analysis::AnalysisError& e) {
        return fail(kExitAnalysis, fmt::format("{}: {}", args->analysis, e.what()));
      }
    } else {
      result = analysis::analyze(data, analysis::Options{});
      result.tool_version = kVersion;
      result.tool_revision = kGitRevision;
    }
    report::Options options;
    options.dbs = args->dbs;
    options.out_dir = args->out;
    options.analysis_path = args->analysis;
    options.findings_path = args->findings;
    options.title = args->title;
    options.plots = !args->no_plots;
    options.gnuplot = args->gnuplot;
    std::vector<std::string> written;
    try {
      report::check_analysis(data, result);
      written = report::write_report(result, data, analysis_text, findings, options);
    } catch (const report::AnalysisMismatch& e) {
      return fail(kExitAnalysis, e.what());
    } catch (const report::OutputError& e) {
      return fail(kExitOutput, e.what());
    } catch (const report::PlotError& e) {
      return fail(kExitPlot, e.what());
    } catch (const std::filesystem::filesystem_error& e) {
      return fail(kExitOutput, e.what());
    }
    if (!args->quiet) {
      std::fprintf(stderr, "sysaxis report: wrote %zu files to %s (report.md, report.html)\n", written.size(),
                   args->out.c_str());
    }
    return 0;
  };
}

const CommandRegistration kRegistration{50, add_report_command};

}  // namespace

}  // namespace sysaxis::cli
