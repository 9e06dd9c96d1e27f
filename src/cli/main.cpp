// sysaxis: measures how GPU and AI workloads interact with the operating system.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>

#include "cli/commands.h"
#include "common/exit_codes.h"
#include "trace/trace.h"
#include "version.h"

namespace sysaxis::cli {
std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}
}  // namespace sysaxis::cli

int main(int argc, char** argv) {
  CLI::App app{
      "sysaxis: which axes of GPU/AI execution drive system calls, page faults and driver traffic.\n"
      "Run `sysaxis SUBCOMMAND --help` for the options of each.",
      "sysaxis"};
  app.footer(sysaxis::exit_codes_text());
  app.set_version_flag("--version", fmt::format("sysaxis {} ({})", sysaxis::kVersion, sysaxis::kGitRevision));
  app.require_subcommand(1);
  std::map<CLI::App*, sysaxis::cli::Runner> runners;
  auto commands = sysaxis::cli::registry();
  std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
  for (const auto& c : commands) {
    std::size_t before = app.get_subcommands({}).size();
    auto runner = c.setup(app);
    runners[app.get_subcommands({})[before]] = std::move(runner);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return sysaxis::trace::kExitUsage;
  }
  for (auto& [sub, run] : runners) {
    if (sub->parsed()) {
      try {
        return run();
      } catch (const sysaxis::trace::TraceError& e) {
        std::fprintf(stderr, "sysaxis: %s\n", e.what());
        return e.exit_code();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "sysaxis: %s\n", e.what());
        return sysaxis::trace::kExitTracerFailure;
      }
    }
  }
  return sysaxis::trace::kExitUsage;
}
