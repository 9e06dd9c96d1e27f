// `sysaxis analyze --db study.db [--db other.db ...] [-o analysis.json]`
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <optional>

#include "analysis/analysis.h"
#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/exit_codes.h"
#include "syscalls/taxonomy.h"
#include "version.h"

namespace sysaxis::cli {
namespace {

struct AnalyzeArgs {
  std::vector<std::string> dbs;
  std::string output;
  std::size_t bootstrap = 2000;
  std::uint64_t seed = 1;
  double fdr = 0.05;
  std::string taxonomy;
  bool quiet = false;
};

Runner add_analyze_command(CLI::App& app) {
  auto args = std::make_shared<AnalyzeArgs>();
  CLI::App* sub = app.add_subcommand(
      "analyze", "Answer the study's questions (docs/questions.md): fits, classes, claims, constraints.");
  sub->footer(
      "For each question, runtime series and measured value of the other axis, fits y = c0 + c1*x per\n"
      "syscall category (and driver device, all syscalls, page faults, context switches, CPU time) for\n"
      "calls and for time in the calls, over all repetitions, with bootstrap intervals; tests every fit for\n"
      "dependence (one-way ANOVA, Benjamini-Hochberg over the whole family) against a materiality threshold;\n"
      "classes flat / linear / step / sublinear / superlinear / decreasing / irregular / insufficient;\n"
      "compares the execution models (Q3); generates claims with their evidence, annotates them by vendor\n"
      "(the maker of the device that executes the work), merges them into at most six constraints with\n"
      "scope and counterexamples, and checks the real workloads against each constraint. Categories come\n"
      "from the taxonomy at analysis time (--taxonomy re-categorises old data). Method and JSON schema\n"
      "(sysaxis.analysis/2): docs/analysis.md.\n"
      "Examples:\n"
      "  sysaxis analyze --db study.db                      summary on stdout\n"
      "  sysaxis analyze --db cpu.db --db h100.db -o analysis.json\n"
      "  sysaxis analyze --db study.db -o -                 the JSON on stdout, the summary on stderr\n"
      "The same databases and options always give the same analysis.json, byte for byte.\n" +
      exit_codes_text("analyze"));
  sub->add_option("--db", args->dbs, "a study database (SQLite); repeat to compare studies (e.g. hosts, vendors)")
      ->required();
  sub->add_option("-o,--output", args->output, "write analysis.json to FILE (- for stdout)");
  sub->add_option("--bootstrap", args->bootstrap, "bootstrap replicates per interval")
      ->check(CLI::Range(100, 100000))
      ->capture_default_str();
  sub->add_option("--seed", args->seed, "seed of the bootstrap (each fit derives its own from its key)")
      ->capture_default_str();
  sub->add_option("--fdr", args->fdr, "false discovery rate of the family of dependence tests (Benjamini-Hochberg)")
      ->check(CLI::Range(0.0001, 0.5))
      ->capture_default_str();
  sub->add_option("--taxonomy", args->taxonomy, "categorise with this taxonomy file (default: the built-in one)");
  sub->add_flag("-q,--quiet", args->quiet, "no summary");
  return [args]() -> int {
    analysis::Options options;
    options.scaling.bootstrap = args->bootstrap;
    options.seed = args->seed;
    options.fdr = args->fdr;
    std::optional<syscalls::Taxonomy> taxonomy;
    if (!args->taxonomy.empty()) {
      try {
        taxonomy = syscalls::Taxonomy::load_file(args->taxonomy);
      } catch (const syscalls::TaxonomyError& e) {
        std::fprintf(stderr, "sysaxis analyze: %s\n", e.what());
        return kExitUsage;
      }
    }
    analysis::Dataset data;
    try {
      data = analysis::load_databases(args->dbs, taxonomy ? *taxonomy : syscalls::Taxonomy::builtin());
    } catch (const analysis::DatabaseError& e) {
      std::fprintf(stderr, "sysaxis analyze: %s\n", e.what());
      return kExitDatabase;
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
          return kExitOutput;
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
