// ioctl request numbers: the generic _IOC split (direction, type, number, size) and the
// per-driver decoders (tables, one file per driver) that name a request on a given device.
#pragma once

#include <cstdint>
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
// one knows the request, else the generic form. Unknown numbers stay visible.
std::string ioctl_operation(std::string_view device, std::uint64_t request);
// The `detail` of an ioctl row: "<device>:<operation>".
std::string ioctl_detail(std::string_view device, std::uint64_t request);

}  // namespace sysaxis::syscalls
