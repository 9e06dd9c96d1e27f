// Per-driver ioctl decoding, the API both tracing engines use (docs/drivers.md).
//
// The tables are data, one file per driver under src/syscalls/drivers/ (numbers and names from
// the drivers' public headers). A driver is chosen by the device's name (DeviceNames):
//
//   device                      driver table(s)           request matched on
//   nvidiactl, nvidia<N>        nvidia ('F' escapes)      type and number (sizes vary)
//   nvidia-uvm, nvidia-uvm-tools nvidia-uvm               the whole number (not _IOC-encoded)
//   kfd                         kfd ('K')                 type and number
//   drm, drm-<driver>           drm ('d', core)           type and number
//   drm-amdgpu                  drm + drm-amdgpu          type and number
//   tty, pts, ptmx, ...         tty                       the whole number
//   file, pipe, socket, ...     tty (isatty's TCGETS)     the whole number
//
// One level deeper, some requests name what they act on in their argument structure: NVIDIA's
// RM_ALLOC the object class (hClass), RM_CONTROL the control command (cmd), IOCTL_XFER_CMD the
// escape it carries. ioctl_arg_field() says which u32 to read from the ioctl's argument pointer;
// the engine reads it from the tracee (never writing) and passes it to ioctl_operation()
// (syscalls/ioctl.h): "RM_ALLOC:NV01_DEVICE_0", "RM_CONTROL:0x20800122" when the table lacks it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "syscalls/ioctl.h"

namespace sysaxis::syscalls {

// A field of an ioctl's argument structure: `size` bytes (little-endian, at most 4) at `offset`
// from the argument pointer (the ioctl's third argument).
struct ArgField {
  std::uint32_t offset = 0;
  std::uint32_t size = 4;
  bool operator==(const ArgField&) const = default;
};

// What a field's value means, i.e. which table names it.
enum class FieldKind {
  nvidia_class,    // an RM object class: nvidia_classes.inc
  nvidia_control,  // an RM control command: nvidia_controls.inc
  nvidia_escape,   // an NVIDIA escape number: nvidia.inc
};

// One rule of the deeper decoding, for engines that must decide before reading (the eBPF
// program's configuration): requests on a device of `driver` with (request & mask) == request
// carry `field`.
struct ArgFieldRule {
  std::string_view driver;  // as ioctl_driver() names it
  std::uint32_t request;
  std::uint32_t mask;
  ArgField field;
  FieldKind kind;
  std::string_view what;  // the field's name in the header ("hClass", "cmd")
};

// The driver whose table decodes ioctls on `device` ("nvidia", "nvidia-uvm", "kfd", "drm",
// "drm-amdgpu", "tty"), or empty when none does.
std::string_view ioctl_driver(std::string_view device);

// The request's name on `device` ("RM_ALLOC", "UVM_INITIALIZE", "DRM_IOCTL_VERSION"), or empty
// when no table of that device's driver knows it.
std::string_view decode_driver_ioctl(std::string_view device, std::uint64_t request);

// The argument field that refines `request` on `device`, if any.
std::optional<ArgField> ioctl_arg_field(std::string_view device, std::uint64_t request);
std::span<const ArgFieldRule> ioctl_arg_field_rules();

// The name of a field's value ("NV01_DEVICE_0", "NV2080_CTRL_CMD_GPU_GET_INFO_V2"), or its
// number in hex ("0xc86f", "0x20800122") when the table lacks it.
std::string field_value_name(FieldKind kind, std::uint32_t value);

// The tables themselves, for tests and documentation.
struct IoctlName {
  std::uint32_t number;
  std::string_view name;
};
// Which driver serves which device names (first match wins). Patterns: "nvidia#" is "nvidia"
// followed by digits only, "drm-*" is "drm-" followed by anything.
struct DeviceDriver {
  std::string_view pattern;
  std::string_view driver;
  bool ioc_encoded;  // false: requests are plain numbers, shown in hex when unknown
};
// A table of a driver: entries are the _IOC number (matched with `type`) or, when type is 0,
// whole request numbers.
struct DriverTableInfo {
  std::string_view driver;
  std::string_view file;  // under src/syscalls/drivers/, or generated from the UAPI headers (KFD, DRM)
  unsigned type;
  std::span<const IoctlName> names;
};
std::span<const DeviceDriver> ioctl_device_drivers();
std::span<const DriverTableInfo> ioctl_driver_tables();
std::span<const IoctlName> field_value_table(FieldKind kind);
bool device_pattern_matches(std::string_view pattern, std::string_view device);

}  // namespace sysaxis::syscalls
