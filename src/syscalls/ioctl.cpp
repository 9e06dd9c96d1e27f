#include "syscalls/ioctl.h"

#include <fmt/format.h>

namespace sysaxis::syscalls {

IoctlParts split_ioctl(std::uint64_t request) {
  auto r = static_cast<std::uint32_t>(request);
  return IoctlParts{(r >> 30) & 0x3U, (r >> 8) & 0xffU, r & 0xffU, (r >> 16) & 0x3fffU};
}

std::string format_ioctl_generic(std::uint64_t request) {
  IoctlParts p = split_ioctl(request);
  static constexpr std::string_view kDir[] = {"_IO", "_IOW", "_IOR", "_IOWR"};
  std::string type = (p.type >= 0x21 && p.type < 0x7f && p.type != '\'' && p.type != ',')
                         ? fmt::format("'{}'", static_cast<char>(p.type))
                         : fmt::format("0x{:02x}", p.type);
  if (p.dir == 0) return fmt::format("{}({},0x{:02x})", kDir[0], type, p.nr);
  return fmt::format("{}({},0x{:02x},{})", kDir[p.dir], type, p.nr, p.size);
}

// ioctl_operation() is in ioctl_drivers.cpp, beside the tables it reads.

std::string ioctl_detail(std::string_view device, std::uint64_t request, std::optional<std::uint32_t> field) {
  return fmt::format("{}:{}", device, ioctl_operation(device, request, field));
}

std::string driver_category(std::string_view category, std::string_view detail) {
  if (category != "driver" || detail.empty()) return std::string(category);
  return fmt::format("{}:{}", category, detail);
}

}  // namespace sysaxis::syscalls
