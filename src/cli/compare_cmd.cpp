// `sysaxis compare A.json B.json [--csv FILE] [--check]`
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "common/atomic_file.h"
#include "report/compare.h"

namespace sysaxis::cli {
namespace {

constexpr int kCompareOk = 0;
constexpr int kCompareNotReproduced = 1;
constexpr int kCompareInput = 3;
constexpr int kCompareOutput = 4;

struct CompareArgs {
  std::string a, b, csv;
  bool check = false;
  bool quiet = false;
};

nlohmann::json read_analysis(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw report::CompareError(fmt::format("cannot read {}", path));
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw report::CompareError(fmt::format("{} is not JSON: {}", path, e.what()));
  }
}

Runner add_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* sub = app.add_subcommand("compare", "Does a re-run reproduce a study? Compare two analysis.json files.");
  sub->footer(
      "Matches the fits and claims of two analyses (sysaxis analyze -o) on what was measured: question,\n"
      "runtime and platform, execution model and its options, phase, category and the fixed axis. The\n"
      "database index, the device name and the engine are not part of the match, so a study re-run on\n"
      "another machine lines up with the first. Each match is same (the class of a fit, the classes of\n"
      "a claim per question, or a Q3 claim's kind), different, or only on one side; the summary tallies\n"
      "them separately for firm items, and lists every firm claim of A that B does not reproduce.\n"
      "Analyse one study database per file: with several databases, matching items would collide.\n"
      "\n"
      "Example (the CPU study re-run on a fresh clone against the committed one):\n"
      "  sysaxis compare <(zcat results/2026-11-24-vm-cpu-phase1/report/analysis.json.gz) \\\n"
      "                  out/study-20261124/analysis.json --csv compare.csv\n"
      "\n"
      "Exit status: 0 compared (with --check: every firm claim of A reproduced); 1 with --check, a firm\n"
      "claim of A is missing from B or has other classes; 2 usage error; 3 an input cannot be read or\n"
      "is not a sysaxis analysis; 4 the CSV cannot be written.");
  sub->add_option("a", args->a, "the reference analysis.json (A)")->required();
  sub->add_option("b", args->b, "the re-run's analysis.json (B)")->required();
  sub->add_option("--csv", args->csv, "write every match as tidy CSV (item,key,a,b,firm_a,firm_b,status)");
  sub->add_flag("--check", args->check, "exit 1 unless every firm claim of A is in B with the same classes");
  sub->add_flag("-q,--quiet", args->quiet, "no summary");
  return [args]() -> int {
    report::Comparison c;
    try {
      c = report::compare_analyses(read_analysis(args->a), read_analysis(args->b));
    } catch (const report::CompareError& e) {
      fmt::print(stderr, "sysaxis compare: {}\n", e.what());
      return kCompareInput;
    }
    if (!args->csv.empty()) {
      try {
        write_file_atomic(args->csv, report::compare_csv(c));
      } catch (const std::exception& e) {
        fmt::print(stderr, "sysaxis compare: {}\n", e.what());
        return kCompareOutput;
      }
    }
    if (!args->quiet) std::fputs(report::compare_summary(c, args->a, args->b).c_str(), stdout);
    return args->check && !report::firm_claims_reproduced(c) ? kCompareNotReproduced : kCompareOk;
  };
}

const CommandRegistration kRegistration{60, add_compare_command};

}  // namespace
}  // namespace sysaxis::cli
