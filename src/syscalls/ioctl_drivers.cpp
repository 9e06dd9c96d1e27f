#include "syscalls/ioctl_drivers.h"

#include <algorithm>
#include <span>

namespace sysaxis::syscalls {
namespace {

struct IoctlName {
  std::uint32_t request;
  std::string_view name;
};

constexpr IoctlName kTty[] = {
#include "drivers/tty.inc"
};

// Which table serves which device names, and which bits of the request identify an operation
// (0xffffffff: the whole number; 0xffff: type and number, the argument size left out because
// it varies between driver versions).
struct DriverTable {
  std::span<const std::string_view> devices;
  bool prefix;  // device names that start with one of `devices` (nvidia0, nvidia1, ...)
  std::uint32_t mask;
  std::span<const IoctlName> names;
};

constexpr std::string_view kTtyDevices[] = {"tty", "pts", "ptmx", "console", "ttyS", "vc"};

constexpr DriverTable kTables[] = {
    {kTtyDevices, false, 0xffffffffU, kTty},
};

bool matches(const DriverTable& t, std::string_view device) {
  return std::any_of(t.devices.begin(), t.devices.end(),
                     [&](std::string_view d) { return t.prefix ? device.starts_with(d) : device == d; });
}

}  // namespace

std::string_view decode_driver_ioctl(std::string_view device, std::uint64_t request) {
  const auto req = static_cast<std::uint32_t>(request);
  for (const auto& t : kTables) {
    if (!matches(t, device)) continue;
    for (const auto& n : t.names) {
      if ((n.request & t.mask) == (req & t.mask)) return n.name;
    }
  }
  return {};
}

}  // namespace sysaxis::syscalls
