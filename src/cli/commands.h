// One function per subcommand: each adds its options to the app and returns the runner.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace sysaxis::cli {

using Runner = std::function<int()>;

Runner add_trace_command(CLI::App& app);

}  // namespace sysaxis::cli
