// `sysaxis trace [options] -- CMD [ARGS...]`
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/exit_codes.h"
#include "syscalls/taxonomy.h"
#include "trace/api.h"
#include "trace/engines.h"
#include "trace/output.h"

namespace sysaxis::cli {
namespace {

struct TraceArgs {
  std::string engine = "auto";
  std::string hook = "auto";
  std::string format = "table";
  std::string by;
  std::string output;
  std::string taxonomy;
  bool quiet = false;
  bool count_only = false;
  std::string api;
};

Runner add_trace_command(CLI::App& app) {
  auto args = std::make_shared<TraceArgs>();
  CLI::App* sub = app.add_subcommand("trace", "Profile the syscalls of a command and all its threads and children.");
  sub->footer(
      "Examples:\n"
      "  sysaxis trace -- python3 infer.py            table by syscall on stderr\n"
      "  sysaxis trace --by phase,category -- ./wl    one line per phase and category\n"
      "  sysaxis trace --format json -o t.json -- ./wl  the JSON contract (docs/trace-format.md)\n"
      "  sysaxis trace --api opencl --by api -- ./wl   OS cost per OpenCL call (eBPF engine)\n"
      "The command's stdin, stdout, stderr, exit status and signals are its own. The summary goes to\n"
      "stderr unless -o names a file (written whole or not at all).\n" +
      exit_codes_text("trace"));
  sub->add_option("--engine", args->engine, "ptrace, ebpf, or auto (ebpf where it can load, else ptrace)")
      ->check(CLI::IsMember({"auto", "ptrace", "ebpf"}))
      ->capture_default_str();
  sub->add_option("--hook", args->hook,
                  "ebpf: kernel hooks: tracepoint (raw_syscalls), fentry (per-syscall functions; not built yet, "
                  "fails with the reason), or auto (fentry where it runs, else tracepoint; JSON \"hook\" says which)")
      ->check(CLI::IsMember({"auto", "fentry", "tracepoint"}))
      ->capture_default_str();
  sub->add_option("--format", args->format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  sub->add_option("--by", args->by,
                  "group the table/csv by syscall, category, phase, thread or device (comma-separated for several; "
                  "table default: syscall; csv default: every row)");
  sub->add_option("-o,--output", args->output, "write the summary to FILE instead of stderr");
  sub->add_option("--taxonomy", args->taxonomy, "syscall categories from FILE (TOML, see taxonomy/default.toml)");
  sub->add_flag("-q,--quiet", args->quiet, "do not say which engine ran");
  sub->add_flag("--count-only", args->count_only, "ebpf: count calls only (cheapest: no time in call, no errors)");
  sub->add_option("--api", args->api,
                  "ebpf: attribute syscalls and faults to the outermost API call of their thread: cuda (libcuda.so.1 "
                  "cu*), opencl (libOpenCL.so.1 cl*), hip (libamdhip64.so hip*) or LIB:GLOB (a file name the "
                  "loader finds, or a path), comma-separated; see --by api");
  auto command = std::make_shared<std::vector<std::string>>();
  sub->add_option("command", *command,
                  "the command to trace and its arguments; put them after -- when they start with -");
  return [args, command]() -> int {
    if (command->empty()) {
      std::fprintf(stderr, "sysaxis trace: no command given (usage: sysaxis trace [options] -- CMD [ARGS...])\n");
      return trace::kExitUsage;
    }
    std::vector<trace::GroupField> by;
    try {
      if (!args->by.empty()) {
        by = trace::parse_group_by(args->by);
      } else if (args->format == "table") {
        by = {trace::GroupField::syscall};
      }
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "sysaxis trace: %s\n", e.what());
      return trace::kExitUsage;
    }
    std::optional<syscalls::Taxonomy> user_taxonomy;
    try {
      if (!args->taxonomy.empty()) user_taxonomy = syscalls::Taxonomy::load_file(args->taxonomy);
    } catch (const syscalls::TaxonomyError& e) {
      std::fprintf(stderr, "sysaxis trace: invalid taxonomy: %s\n", e.what());
      return trace::kExitUsage;
    }
    const syscalls::Taxonomy& taxonomy = user_taxonomy ? *user_taxonomy : syscalls::Taxonomy::builtin();
    std::vector<trace::ApiFunction> api;
    if (!args->api.empty()) {
      if (args->engine == "ptrace") {
        std::fprintf(stderr, "sysaxis trace: %s\n", trace::kApiNeedsEbpf);
        return trace::kExitUsage;
      }
      try {
        const char* ld_path = std::getenv("LD_LIBRARY_PATH");
        api = trace::api::resolve(args->api, ld_path != nullptr ? ld_path : "");
      } catch (const trace::TraceError& e) {
        std::fprintf(stderr, "sysaxis trace: %s\n", e.what());
        return e.exit_code();
      }
    } else if (std::find(by.begin(), by.end(), trace::GroupField::api) != by.end()) {
      std::fprintf(stderr, "sysaxis trace: --by api needs --api\n");
      return trace::kExitUsage;
    }
    auto choice = trace::choose_engine(args->engine, args->hook);
    if (!api.empty() && choice.engine->name() != "ebpf") {
      std::fprintf(stderr, "sysaxis trace: %s%s\n", trace::kApiNeedsEbpf, choice.reason.c_str());
      return trace::kExitUsage;
    }
    if (!args->quiet)
      std::fprintf(stderr, "sysaxis: engine %s%s\n", std::string(choice.engine->name()).c_str(), choice.reason.c_str());
    trace::TraceOptions options;
    options.command = *command;
    options.count_only = args->count_only;
    options.api = std::move(api);
    trace::TraceResult result = trace::run_traced(*choice.engine, options);
    std::string text;
    if (args->format == "json") {
      text = trace::render_json(result, taxonomy);
    } else if (args->format == "csv") {
      text = trace::render_csv(result, taxonomy, by);
    } else {
      text = trace::render_table(result, taxonomy, by);
    }
    if (args->output.empty()) {
      std::fputs(text.c_str(), stderr);
    } else {
      try {
        write_file_atomic(args->output, text);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "sysaxis trace: %s\n", e.what());
        return trace::kExitTracerFailure;
      }
    }
    return result.exit_status;
  };
}

const CommandRegistration kRegistration{10, add_trace_command};

}  // namespace

}  // namespace sysaxis::cli
