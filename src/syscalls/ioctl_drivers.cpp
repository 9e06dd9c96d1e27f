#include "syscalls/ioctl_drivers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace sysaxis::syscalls {
namespace {

// The tables: data files, one per driver (src/syscalls/drivers/, each naming its sources). The
// KFD and DRM ones are generated at build time from the UAPI headers and the requests listed in
// drivers/<table>.in (cmake/GenIoctls.cmake; the build folder's generated/drivers/).
constexpr IoctlName kTty[] = {
#include "drivers/tty.inc"
};
constexpr IoctlName kNvidia[] = {
#include "drivers/nvidia.inc"
};
constexpr IoctlName kNvidiaUvm[] = {
#include "drivers/nvidia_uvm.inc"
};
constexpr IoctlName kKfd[] = {
#include "drivers/amd_kfd.inc"
};
constexpr IoctlName kDrm[] = {
#include "drivers/drm.inc"
};
constexpr IoctlName kDrmAmdgpu[] = {
#include "drivers/drm_amdgpu.inc"
};
// Sorted by number (tests check it): looked up by binary search.
constexpr IoctlName kNvidiaClasses[] = {
#include "drivers/nvidia_classes.inc"
};
constexpr IoctlName kNvidiaControls[] = {
#include "drivers/nvidia_controls.inc"
};

// First match wins.
constexpr DeviceDriver kDeviceDrivers[] = {
    {"nvidiactl", "nvidia", true},
    {"nvidia#", "nvidia", true},
    {"nvidia-uvm", "nvidia-uvm", false},
    {"nvidia-uvm-tools", "nvidia-uvm", false},
    {"kfd", "kfd", true},
    {"drm-amdgpu", "drm-amdgpu", true},
    {"drm", "drm", true},
    {"drm-*", "drm", true},
    {"tty", "tty", true},
    {"pts", "tty", true},
    {"ptmx", "tty", true},
    {"console", "tty", true},
    {"ttyS", "tty", true},
    {"vc", "tty", true},
    // Descriptors that are no device: the terminal and generic FIO* requests are still asked
    // (isatty() is TCGETS on anything), so they are named; the rest stays generic.
    {"file", "tty", true},
    {"pipe", "tty", true},
    {"socket", "tty", true},
    {"anon_inode", "tty", true},
    {"badfd", "tty", true},
};

constexpr unsigned kTypeNvidia = 'F';
constexpr unsigned kTypeKfd = 'K';
constexpr unsigned kTypeDrm = 'd';

constexpr DriverTableInfo kTables[] = {
    {"nvidia", "nvidia.inc", kTypeNvidia, kNvidia},
    {"nvidia-uvm", "nvidia_uvm.inc", 0, kNvidiaUvm},
    {"kfd", "amd_kfd.inc", kTypeKfd, kKfd},
    {"drm", "drm.inc", kTypeDrm, kDrm},
    {"drm-amdgpu", "drm.inc", kTypeDrm, kDrm},
    {"drm-amdgpu", "drm_amdgpu.inc", kTypeDrm, kDrmAmdgpu},
    {"tty", "tty.inc", 0, kTty},
};

// The deeper decoding (NVIDIA, nvos.h and nv-ioctl.h of open-gpu-kernel-modules):
//   NV_ESC_RM_ALLOC_MEMORY  NVOS02_PARAMETERS (in nv_ioctl_nvos02_parameters_with_fd)  hClass at 12
//   NV_ESC_RM_ALLOC_OBJECT  NVOS05_PARAMETERS                                          hClass at 12
//   NV_ESC_RM_ALLOC         NVOS21_PARAMETERS or NVOS64_PARAMETERS (by size)           hClass at 12
//   NV_ESC_RM_CONTROL       NVOS54_PARAMETERS                                          cmd at 8
//   NV_ESC_IOCTL_XFER_CMD   nv_ioctl_xfer_t                                            cmd at 0
// Each structure starts with three 32-bit handles (hRoot, hObjectParent, hObjectNew), then the
// class; NVOS54 with hClient and hObject, then cmd.
constexpr std::uint32_t kTypeNr = 0xffffU;
constexpr std::uint32_t nv(std::uint32_t nr) {
  return (kTypeNvidia << 8) | nr;
}
constexpr ArgFieldRule kArgFields[] = {
    {"nvidia", nv(0x27), kTypeNr, {12, 4}, FieldKind::nvidia_class, "hClass"},
    {"nvidia", nv(0x28), kTypeNr, {12, 4}, FieldKind::nvidia_class, "hClass"},
    {"nvidia", nv(0x2b), kTypeNr, {12, 4}, FieldKind::nvidia_class, "hClass"},
    {"nvidia", nv(0x2a), kTypeNr, {8, 4}, FieldKind::nvidia_control, "cmd"},
    {"nvidia", nv(211), kTypeNr, {0, 4}, FieldKind::nvidia_escape, "cmd"},
};

const DeviceDriver* device_driver(std::string_view device) {
  for (const auto& d : kDeviceDrivers) {
    if (device_pattern_matches(d.pattern, device)) return &d;
  }
  return nullptr;
}

std::string_view lookup(std::span<const IoctlName> names, std::uint32_t number) {
  for (const auto& n : names) {
    if (n.number == number) return n.name;
  }
  return {};
}

std::string_view lookup_sorted(std::span<const IoctlName> names, std::uint32_t number) {
  auto it = std::lower_bound(names.begin(), names.end(), number,
                             [](const IoctlName& n, std::uint32_t v) { return n.number < v; });
  if (it != names.end() && it->number == number) return it->name;
  return {};
}

}  // namespace

bool device_pattern_matches(std::string_view pattern, std::string_view device) {
  if (pattern.ends_with('#')) {
    pattern.remove_suffix(1);
    if (!device.starts_with(pattern) || device.size() == pattern.size()) return false;
    return std::all_of(device.begin() + static_cast<std::ptrdiff_t>(pattern.size()), device.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  }
  if (pattern.ends_with('*')) {
    pattern.remove_suffix(1);
    return device.starts_with(pattern) && device.size() > pattern.size();
  }
  return pattern == device;
}

std::span<const DeviceDriver> ioctl_device_drivers() {
  return kDeviceDrivers;
}

std::span<const DriverTableInfo> ioctl_driver_tables() {
  return kTables;
}

std::span<const ArgFieldRule> ioctl_arg_field_rules() {
  return kArgFields;
}

std::span<const IoctlName> field_value_table(FieldKind kind) {
  switch (kind) {
    case FieldKind::nvidia_class: return kNvidiaClasses;
    case FieldKind::nvidia_control: return kNvidiaControls;
    case FieldKind::nvidia_escape: return kNvidia;
  }
  return {};
}

std::string_view ioctl_driver(std::string_view device) {
  const DeviceDriver* d = device_driver(device);
  return d != nullptr ? d->driver : std::string_view{};
}

std::string_view decode_driver_ioctl(std::string_view device, std::uint64_t request) {
  const std::string_view driver = ioctl_driver(device);
  if (driver.empty()) return {};
  const auto req = static_cast<std::uint32_t>(request);
  const IoctlParts p = split_ioctl(req);
  for (const auto& t : kTables) {
    if (t.driver != driver) continue;
    std::string_view name;
    if (t.type == 0) {
      name = lookup(t.names, req);
    } else if (p.type == t.type) {
      name = lookup(t.names, p.nr);
    }
    if (!name.empty()) return name;
  }
  return {};
}

std::optional<ArgField> ioctl_arg_field(std::string_view device, std::uint64_t request) {
  const std::string_view driver = ioctl_driver(device);
  if (driver.empty()) return std::nullopt;
  const auto req = static_cast<std::uint32_t>(request);
  for (const auto& r : kArgFields) {
    if (r.driver == driver && (req & r.mask) == r.request) return r.field;
  }
  return std::nullopt;
}

std::string field_value_name(FieldKind kind, std::uint32_t value) {
  switch (kind) {
    case FieldKind::nvidia_class:
      if (auto n = lookup_sorted(kNvidiaClasses, value); !n.empty()) return std::string(n);
      return fmt::format("0x{:04x}", value);
    case FieldKind::nvidia_control:
      if (auto n = lookup_sorted(kNvidiaControls, value); !n.empty()) return std::string(n);
      return fmt::format("0x{:08x}", value);
    case FieldKind::nvidia_escape:
      if (auto n = lookup(kNvidia, value); !n.empty()) return std::string(n);
      return fmt::format("0x{:02x}", value);
  }
  return fmt::format("0x{:x}", value);
}

std::string ioctl_operation(std::string_view device, std::uint64_t request, std::optional<std::uint32_t> field) {
  std::string op;
  if (auto name = decode_driver_ioctl(device, request); !name.empty()) {
    op = std::string(name);
  } else if (const DeviceDriver* d = device_driver(device); d != nullptr && !d->ioc_encoded) {
    op = fmt::format("0x{:x}", static_cast<std::uint32_t>(request));
  } else {
    op = format_ioctl_generic(request);
  }
  if (!field) return op;
  const std::string_view driver = ioctl_driver(device);
  const auto req = static_cast<std::uint32_t>(request);
  for (const auto& r : kArgFields) {
    if (r.driver == driver && (req & r.mask) == r.request) {
      return fmt::format("{}:{}", op, field_value_name(r.kind, *field));
    }
  }
  return op;
}

}  // namespace sysaxis::syscalls
