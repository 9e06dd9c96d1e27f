// `sysaxis analyze --db study.db [--db other.db ...] [-o analysis.json]`
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "analysis/analysis.h"
#include "cli/commands.h"
#include "common/atomic_file.h"
#include "version.h"

namespace sysaxis::cli {
namespace {

struct AnalyzeArgs {
  std::vector<std::string> dbs;
  std::string output;
  std::size_t bootstrap = 2000;
  std::uint64_t seed = 1;
  bool quiet = false;
};

Runner add_analyze_command(CLI::App& app) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* sub = app.add_subcommand(
      "analyze", "Answer the study's questions (docs/questions.md): fits, classes, claims, vendor annotation.");
  sub->footer(
      "For each question and runtime, fits count = c0 + c1*x per syscall category (and driver device, page\n"
      "faults, context switches) against the varied axis, over all repetitions, with bootstrap intervals;\n"
      "classifies each flat / linear / sublinear / superlinear / insufficient; compares the execution models\n"
      "(Q3); generates claims with their evidence, annotates them vendor-agnostic / vendor-specific /\n"
      "uncertain across runtimes and databases, and checks them against ResNet runs. Method and JSON schema:\n"
      "docs/analysis.md.\n"
      "Examples:\n"
      "  sysaxis analyze --db study.db                      summary on stdout\n"
      "  sysaxis analyze --db cpu.db --db h100.db -o analysis.json\n"
      "  sysaxis analyze --db study.db -o -                 the JSON on stdout, the summary on stderr\n"
      "The same databases and options always give the same analysis.json, byte for byte.\n"
      "Exit codes: 0 ok; 2 usage error; 3 a database cannot be read or lacks the views of the contract;\n"
      "4 the output cannot be written (nothing is left half-written).");
  sub->add_option("--db", args->dbs, "a study database (SQLite); repeat to compare studies (e.g. hosts, vendors)")
      ->required();
  sub->add_option("-o,--output", args->output, "write analysis.json to FILE (- for stdout)");
  sub->add_option("--bootstrap", args->bootstrap, "bootstrap replicates per interval")
      ->check(CLI::Range(100, 100000))
      ->capture_default_str();
  sub->add_option("--seed", args->seed, "seed of the bootstrap (each fit derives its own from its key)")
      ->capture_default_str();
  sub->add_flag("-q,--quiet", args->quiet, "no summary");
  return [args]() -> int {
    analysis::Options options;
    options.scaling.bootstrap = args->bootstrap;
    options.seed = args->seed;
    analysis::Dataset data;
    try {
      data = analysis::load_databases(args->dbs);
    } catch (const analysis::DatabaseError& e) {
      std::fprintf(stderr, "sysaxis analyze: %s\n", e.what());
      return analysis::kExitDatabase;
    }
    analysis::Analysis result = analysis::analyze(data, options);
    result.tool_version = kVersion;
    result.tool_revision = kGitRevision;
    const bool json_to_stdout = args->output == "-";
    if (!args->output.empty()) {
      std::string text = analysis::dump_json(analysis::to_json(result));
      if (json_to_stdout) {
        std::fputs(text.c_str(), stdout);
        std::fflush(stdout);
      } else {
        try {
          write_file_atomic(args->output, text);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "sysaxis analyze: %s\n", e.what());
          return analysis::kExitOutput;
        }
      }
    }
    if (!args->quiet) {
      std::string s = analysis::summary(result);
      if (args->output.empty()) s += "(write the full analysis with -o analysis.json)\n";
      std::fputs(s.c_str(), json_to_stdout ? stderr : stdout);
    }
    return 0;
  };
}

const CommandRegistration kRegistration{40, add_analyze_command};

}  // namespace
}  // namespace sysaxis::cli
