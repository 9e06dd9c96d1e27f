// ioctl request numbers: the generic _IOC split (direction, type, number, size) and the
// per-driver decoders (tables, one file per driver) that name a request on a given device.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sysaxis::syscalls {

struct IoctlParts {
  unsigned dir;   // _IOC_NONE 0, _IOC_WRITE 1, _IOC_READ 2 (bit mask)
  unsigned type;  // 8 bits, often a character ('T', 'F', 'K', 'd')
  unsigned nr;    // 8 bits
  unsigned size;  // 14 bits
};

IoctlParts split_ioctl(std::uint64_t request);
// "_IOWR('F',0x2b,48)" / "_IO('T',0x01)"; the type is shown as a character when printable.
std::string format_ioctl_generic(std::uint64_t request);
// The operation of an ioctl on `device` (the name from DeviceNames): a driver table's name when
// one knows the request, else the generic form (or hex for drivers whose requests are plain
// numbers). Unknown numbers stay visible. `field` is the value of the request's argument field
// (ioctl_drivers.h: ioctl_arg_field) when the engine could read it: "RM_ALLOC:NV01_DEVICE_0".
std::string ioctl_operation(std::string_view device, std::uint64_t request,
                            std::optional<std::uint32_t> field = std::nullopt);
// The `detail` of an ioctl row: "<device>:<operation>".
std::string ioctl_detail(std::string_view device, std::uint64_t request,
                         std::optional<std::uint32_t> field = std::nullopt);

// The driver category split of issue 7: "driver:<device>:<operation>" for a row of category
// "driver" with a detail ("driver:nvidiactl:RM_ALLOC:NV01_DEVICE_0"), the category unchanged
// otherwise. The taxonomy's category (the `category` column of every output) stays "driver";
// this is the finer key for reports and analyses that split driver traffic.
std::string driver_category(std::string_view category, std::string_view detail);

}  // namespace sysaxis::syscalls
