// `sysaxis compare A.json B.json [--csv FILE] [--check]`
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "analysis/compare.h"
#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/exit_codes.h"

namespace sysaxis::cli {
namespace {

constexpr int kCompareOk = kExitOk;
constexpr int kCompareNotReproduced = kExitSomeFailed;
constexpr int kCompareInput = kExitAnalysis;  // an input cannot be read or is not an analysis
constexpr int kCompareOutput = kExitOutput;

struct CompareArgs {
  std::string a, b, csv;
  bool check = false;
  bool quiet = false;
};

Runner add_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* sub = app.add_subcommand("compare", "Does a re-run reproduce a study? Compare two analysis.json files.");
  sub->footer(
      "Matches the constraints, claims and fits of two analyses (sysaxis analyze -o) on what was\n"
      "measured: question, workload, runtime and platform, execution model and its options, phase,\n"
      "category, metric and the fixed axis. The database index, the device name and the engine are not\n"
      "part of the match, so a study re-run on another machine lines up with the first. Each match is\n"
      "same (a constraint's clauses, a claim's classes per question and metric or its Q3 kind, a fit's\n"
      "class), different, or only on one side; the summary tallies them separately for firm items, and\n"
      "lists every constraint and firm claim of A that B does not reproduce.\n"
      "Analyse one study database per file: with several databases, matching items would collide.\n"
      "\n"
      "Example (the CPU study re-run on a fresh clone against the committed one):\n"
      "  sysaxis compare <(zcat results/2026-11-24-vm-cpu-phase1/report/analysis.json.gz) \\\n"
      "                  out/study-20261124/analysis.json --csv compare.csv\n"
      "\n"
      "\n" +
      exit_codes_text("compare"));
  sub->add_option("a", args->a, "the reference analysis.json (A)")->required();
  sub->add_option("b", args->b, "the re-run's analysis.json (B)")->required();
  sub->add_option("--csv", args->csv, "write every match as tidy CSV (item,key,a,b,firm_a,firm_b,status)");
  sub->add_flag("--check", args->check,
                "exit 1 unless every constraint and firm claim of A is in B with the same classes");
  sub->add_flag("-q,--quiet", args->quiet, "no summary");
  return [args]() -> int {
    analysis::Comparison c;
    try {
      c = analysis::compare_analyses(analysis::read_analysis_file(args->a), analysis::read_analysis_file(args->b));
    } catch (const analysis::AnalysisError& e) {
      fmt::print(stderr, "sysaxis compare: {}\n", e.what());
      return kCompareInput;
    }
    if (!args->csv.empty()) {
      try {
        write_file_atomic(args->csv, analysis::compare_csv(c));
      } catch (const std::exception& e) {
        fmt::print(stderr, "sysaxis compare: {}\n", e.what());
        return kCompareOutput;
      }
    }
    if (!args->quiet) std::fputs(analysis::compare_summary(c, args->a, args->b).c_str(), stdout);
    return args->check && !analysis::reproduced(c) ? kCompareNotReproduced : kCompareOk;
  };
}

const CommandRegistration kRegistration{60, add_compare_command};

}  // namespace
}  // namespace sysaxis::cli
