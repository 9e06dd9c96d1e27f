// A temporary folder, removed with everything in it when the object goes out of scope: the one
// type for the sweep's scratch files ($TMPDIR) and the report's staging folder (beside its output,
// so that the final renames stay on one file system).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace sysaxis {

class TempDir {
 public:
  // A new folder PARENT/PREFIX.XXXXXX; PARENT empty: $TMPDIR, or /tmp. Throws std::runtime_error
  // with the folder and the reason when it cannot be created.
  explicit TempDir(std::string_view prefix, const std::filesystem::path& parent = {});
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace sysaxis
