#include "common/exit_codes.h"

#include <fmt/format.h>

#include <sstream>

namespace sysaxis {
namespace {

bool exits_with(const ExitCode& e, std::string_view command) {
  if (command.empty() || e.commands == "all") return true;
  std::string_view rest = e.commands;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view one = rest.substr(0, comma);
    while (one.starts_with(' ')) one.remove_prefix(1);
    if (one == command) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

// Words of `text` in lines of at most `width` characters, the lines after the first indented.
std::string wrap(std::string_view text, std::size_t width, std::string_view indent) {
  std::istringstream words{std::string(text)};
  std::string out;
  std::string line;
  for (std::string word; words >> word;) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n" + std::string(indent);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

}  // namespace

std::string exit_codes_text(std::string_view command) {
  constexpr std::size_t kCodeWidth = 7;
  const std::string indent(2 + kCodeWidth, ' ');
  std::string out = "Exit codes:\n";
  for (const auto& e : kExitCodes) {
    if (!exits_with(e, command)) continue;
    out += fmt::format("  {:<{}}{}\n", e.code, kCodeWidth, wrap(e.meaning, 100 - indent.size(), indent));
  }
  if (command.empty() || command == "trace") out += std::string(kExitCodesNote) + "\n";
  return out;
}

std::string exit_codes_markdown() {
  std::string out = "| code | meaning | subcommands |\n|---|---|---|\n";
  for (const auto& e : kExitCodes) out += fmt::format("| {} | {} | {} |\n", e.code, e.meaning, e.commands);
  return out + "\n" + std::string(kExitCodesNote) + "\n";
}

}  // namespace sysaxis
