#include "common/temp_dir.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace sysaxis {

TempDir::TempDir(std::string_view prefix, const std::filesystem::path& parent) {
  std::filesystem::path base = parent;
  if (base.empty()) {
    const char* env = std::getenv("TMPDIR");
    base = env != nullptr && *env != '\0' ? env : "/tmp";
  }
  std::string templ = (base / fmt::format("{}.XXXXXX", prefix)).string();
  if (mkdtemp(templ.data()) == nullptr) {
    throw std::runtime_error(
        fmt::format("{}: cannot create a temporary folder: {}", base.string(), std::strerror(errno)));
  }
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace sysaxis
