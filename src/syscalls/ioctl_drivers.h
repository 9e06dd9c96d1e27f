// Per-driver ioctl decoding tables (one data file per driver under src/syscalls/drivers/).
#pragma once

#include <cstdint>
#include <string_view>

namespace sysaxis::syscalls {

// The request's name on `device` ("RM_ALLOC", "UVM_INITIALIZE", "TCGETS"), or empty when no
// table of that device's driver knows it.
std::string_view decode_driver_ioctl(std::string_view device, std::uint64_t request);

}  // namespace sysaxis::syscalls
