// `sysaxis check-numbers DOC.md [--analysis KEY=FILE ...]`: every number of a document is cited
// and agrees with the analysis it cites (analysis/citations.h).
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "analysis/citations.h"
#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/exit_codes.h"

namespace sysaxis::cli {
namespace {

constexpr int kNumbersOk = kExitOk;
constexpr int kNumbersWrong = kExitSomeFailed;
constexpr int kNumbersUsage = kExitUsage;
constexpr int kNumbersInput = kExitAnalysis;

struct CheckArgs {
  std::string doc;
  std::vector<std::string> analyses;  // KEY=FILE, overriding the document's own definitions
  bool quiet = false;
};

Runner add_check_numbers_command(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* sub = app.add_subcommand(
      "check-numbers", "Check that every number of a Markdown document cites the analysis it comes from.");
  sub->footer(
      "A number is cited by [KIND:ID@SOURCE] after it, in the same sentence or table row: fit:F12,\n"
      "constraint:C1.2 (or constraint:C1), q3:X181 (or q3:X181/driver), claim:ID, family, runs. SOURCE\n"
      "is a reference definition of the document, [h100]: ../results/.../analysis.json.gz (paths\n"
      "relative to the document; .gz is read as it is). A number agrees when it equals a value of the\n"
      "cited item to its own precision or lies inside one of its intervals; ns/µs/ms/s convert to\n"
      "nanoseconds and % to a fraction, and an interval after a value, '6.3 µs [4.1, 7.8]', takes its\n"
      "unit. Names and settings are exempt: code spans, numbers inside\n"
      "words (H100, Q1), data sizes and counts of the setup (MiB, iterations, vCPUs, cores), 'Phase 1'.\n"
      "Any other number without a citation is reported.\n"
      "\n"
      "Example: sysaxis check-numbers docs/findings.md\n"
      "\n" +
      exit_codes_text("check-numbers"));
  sub->add_option("doc", args->doc, "the Markdown document")->required();
  sub->add_option("--analysis", args->analyses, "KEY=FILE: the analysis a SOURCE key names (overrides the document)");
  sub->add_flag("-q,--quiet", args->quiet, "print only the problems");
  return [args]() -> int {
    const std::optional<std::string> text = read_file_whole(args->doc);
    if (!text) {
      fmt::print(stderr, "sysaxis check-numbers: cannot read {}\n", args->doc);
      return kNumbersInput;
    }
    const std::string& markdown = *text;
    std::map<std::string, std::string> paths;
    const auto base = std::filesystem::path(args->doc).parent_path();
    for (const auto& [key, path] : analysis::citation_sources(markdown)) paths[key] = (base / path).string();
    for (const auto& kv : args->analyses) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        fmt::print(stderr, "sysaxis check-numbers: --analysis wants KEY=FILE, not '{}'\n", kv);
        return kNumbersUsage;
      }
      paths[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    std::map<std::string, analysis::Analysis> loaded;
    std::map<std::string, const analysis::Analysis*> sources;
    for (const auto& [key, path] : paths) {
      try {
        loaded.emplace(key, analysis::read_analysis_file(path));
      } catch (const analysis::AnalysisError& e) {
        fmt::print(stderr, "sysaxis check-numbers: [{}]: {}\n", key, e.what());
        return kNumbersInput;
      }
    }
    for (const auto& [key, a] : loaded) sources[key] = &a;
    const analysis::CitationCheck check = analysis::check_citations(markdown, sources);
    for (const auto& p : check.problems) fmt::print("{}:{}: {}\n", args->doc, p.line, p.text);
    if (!args->quiet) {
      fmt::print(stderr, "{}: {} citations, {} numbers checked against {} analyses, {} problems\n", args->doc,
                 check.citations, check.numbers, sources.size(), check.problems.size());
    }
    return check.ok() ? kNumbersOk : kNumbersWrong;
  };
}

const CommandRegistration kRegistration{70, add_check_numbers_command};

}  // namespace
}  // namespace sysaxis::cli
