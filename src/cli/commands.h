// Subcommands register themselves: each cli/<name>_cmd.cpp defines one static
// CommandRegistration (the files are compiled into the executable, so none is dropped).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace sysaxis::cli {

// Runs a parsed subcommand; returns the process exit code.
using Runner = std::function<int()>;
// Adds the subcommand (with its options) to `app` and returns its runner.
using Setup = std::function<Runner(CLI::App& app)>;

struct Command {
  int order;  // position in --help
  Setup setup;
};

std::vector<Command>& registry();

struct CommandRegistration {
  CommandRegistration(int order, Setup setup) { registry().push_back({order, std::move(setup)}); }
};

}  // namespace sysaxis::cli
