#include <fmt/format.h>

#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "trace/trace.h"

namespace sysaxis::trace {

std::optional<std::string> parse_marker(std::string_view buffer) {
  if (!buffer.starts_with(kMarkerPrefix) || buffer.size() > kMaxMarkerLength) return std::nullopt;
  std::string_view name = buffer.substr(kMarkerPrefix.size());
  while (!name.empty() && (name.back() == '\n' || name.back() == '\0')) name.remove_suffix(1);
  if (name.empty()) return std::nullopt;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return std::nullopt;
  }
  return std::string(name);
}

namespace {
bool is_executable_file(const std::string& path, int& err) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    err = errno;
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    err = EISDIR;
    return false;
  }
  if (access(path.c_str(), X_OK) != 0) {
    err = errno;
    return false;
  }
  return true;
}
}  // namespace

std::string resolve_command(const std::string& arg0) {
  if (arg0.empty()) throw TraceError(kExitCommandNotFound, "empty command name");
  int err = 0;
  if (arg0.find('/') != std::string::npos) {
    if (is_executable_file(arg0, err)) return arg0;
    throw TraceError(err == ENOENT || err == ENOTDIR ? kExitCommandNotFound : kExitCommandNotExecutable,
                     fmt::format("{}: {}", arg0, std::strerror(err)));
  }
  const char* path_env = std::getenv("PATH");
  std::string path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  int first_err = 0;
  std::istringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) dir = ".";
    std::string candidate = dir;
    candidate.append("/").append(arg0);
    if (is_executable_file(candidate, err)) return candidate;
    if (err != ENOENT && err != ENOTDIR && first_err == 0) first_err = err;
  }
  if (first_err != 0) {
    throw TraceError(kExitCommandNotExecutable, fmt::format("{}: {}", arg0, std::strerror(first_err)));
  }
  throw TraceError(kExitCommandNotFound, fmt::format("{}: command not found", arg0));
}

}  // namespace sysaxis::trace
