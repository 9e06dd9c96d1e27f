// Writes a file completely or not at all: a temporary beside it, fsync, rename. Reads one whole.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace sysaxis {

// Throws std::runtime_error with the path and reason on failure; the target is then untouched.
// A target that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO, a socket) is
// written in place: renaming over it would replace the device node with a regular file (as root,
// `-o /dev/null` would break /dev/null for the whole machine). A symbolic link is followed: the file
// it names is replaced and the link stays.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// The whole content of a file (binary); nullopt when it cannot be opened or read, with errno
// saying why.
std::optional<std::string> read_file_whole(const std::filesystem::path& path);

}  // namespace sysaxis
