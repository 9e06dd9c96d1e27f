// Writes a file completely or not at all: a temporary beside it, fsync, rename.
#pragma once

#include <filesystem>
#include <string_view>

namespace sysaxis {

// Throws std::runtime_error with the path and reason on failure; the target is then untouched.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace sysaxis
