// `sysaxis report --db study.db [--db other.db ...] -o DIR [--analysis analysis.json] [--findings FILE]`
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "report/analysis_hook.h"
#include "report/report.h"
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
  bool no_plots = false;
  bool quiet = false;
};

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
      "Writes into DIR: report.md and report.html (one page, no network needed: images inlined,\n"
      "no script), per question a table, a plot, an answer and a draft constraint; the vendor\n"
      "comparison, the ResNet validation, the synthesis and provenance; beside them the plot data\n"
      "(q*.dat, q*.csv), the gnuplot scripts (q*.gp, re-plot with `gnuplot q1_size.gp` in DIR), the\n"
      "images (q*.svg), analysis.json and tidy CSV (runs, counts, faults, fits, claims, q3, vendor,\n"
      "provenance, resnet_profile). The same inputs give byte-identical files. docs/report.md has more.\n"
      "Examples:\n"
      "  sysaxis analyze --db study.db -o analysis.json\n"
      "  sysaxis report --db study.db --analysis analysis.json -o report/\n"
      "  sysaxis report --db cpu.db --db gpu.db -o report/ --findings docs/findings.md\n"
      "Exit status: 0 written; 2 usage; 3 a database unreadable or not a study; 4 the output cannot\n"
      "be written; 5 the analysis is unreadable, of another study, or not available in this build;\n"
      "6 gnuplot missing or failed (pass --no-plots to write the report without images).");
  sub->add_option("--db", args->dbs, "a study database (SQLite, read through its views); repeat for several")
      ->required();
  sub->add_option("-o,--output", args->out, "the report folder (created if needed)")->required();
  sub->add_option("--analysis", args->analysis,
                  "analysis.json from `sysaxis analyze` over the same databases (default: analyse in-process)");
  sub->add_option("--findings", args->findings, "hand-written Markdown included in the synthesis (docs/findings.md)");
  sub->add_option("--title", args->title, "the report's title (default: from the study name)");
  sub->add_option("--gnuplot", args->gnuplot, "the gnuplot program")->capture_default_str();
  sub->add_flag("--no-plots", args->no_plots, "write the plot data and scripts but render no images");
  sub->add_flag("-q,--quiet", args->quiet, "print nothing on success");
  return [args]() -> int {
    using namespace report;
    std::string findings;
    if (!args->findings.empty()) {
      std::string error;
      if (!read_text(args->findings, findings, error)) return fail(kExitUsage, error);
    }
    Study study;
    try {
      study = load_study(args->dbs);
    } catch (const DatabaseError& e) {
      return fail(kExitDatabase, e.what());
    }
    nlohmann::json analysis;
    std::string analysis_text;
    if (!args->analysis.empty()) {
      std::string error;
      if (!read_text(args->analysis, analysis_text, error)) return fail(kExitAnalysis, error);
      try {
        analysis = nlohmann::json::parse(analysis_text);
      } catch (const nlohmann::json::exception& e) {
        return fail(kExitAnalysis, fmt::format("{}: not JSON: {}", args->analysis, e.what()));
      }
    } else {
      try {
        analysis = run_analysis(args->dbs);
      } catch (const AnalysisUnavailable& e) {
        return fail(kExitAnalysis, e.what());
      } catch (const DatabaseError& e) {
        return fail(kExitDatabase, e.what());
      } catch (const std::exception& e) {
        return fail(kExitAnalysis, fmt::format("analysis failed: {}", e.what()));
      }
    }
    Options options;
    options.dbs = args->dbs;
    options.out_dir = args->out;
    options.analysis_path = args->analysis;
    options.findings_path = args->findings;
    options.title = args->title;
    options.plots = !args->no_plots;
    options.gnuplot = args->gnuplot;
    options.tool_version = kVersion;
    options.tool_revision = kGitRevision;
    std::vector<std::string> written;
    try {
      check_analysis(study, analysis);
      written = write_report(study, analysis, analysis_text, findings, options);
    } catch (const AnalysisError& e) {
      return fail(kExitAnalysis, e.what());
    } catch (const OutputError& e) {
      return fail(kExitOutput, e.what());
    } catch (const PlotError& e) {
      return fail(kExitPlot, e.what());
    } catch (const nlohmann::json::exception& e) {
      return fail(kExitAnalysis, fmt::format("analysis.json: unexpected content: {}", e.what()));
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
