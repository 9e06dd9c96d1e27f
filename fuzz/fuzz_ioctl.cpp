// libFuzzer target: the ioctl decoders: any request number on any device, with any argument
// field value, decodes to a detail string (and a category) without crashing. Input: 8 bytes of
// request, 4 of field value, 1 choosing the device (a known one or the rest of the input as a
// name), 1 of flags.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "syscalls/ioctl.h"
#include "syscalls/ioctl_drivers.h"
#include "syscalls/taxonomy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace sc = sysaxis::syscalls;
  static constexpr std::string_view kDevices[] = {
      "nvidiactl", "nvidia-uvm", "nvidia0", "nvidia-modeset", "kfd",  "drm",    "renderD128", "card0",
      "tty",       "pts",        "file",    "anon",           "pipe", "socket", "",           "char:1:3"};
  std::uint64_t request = 0;
  std::uint32_t value = 0;
  std::memcpy(&request, data, std::min<std::size_t>(size, 8));
  if (size > 8) std::memcpy(&value, data + 8, std::min<std::size_t>(size - 8, 4));
  const std::uint8_t pick = size > 12 ? data[12] : 0;
  const std::uint8_t flags = size > 13 ? data[13] : 0;
  std::string device;
  if ((pick & 0x80) != 0 && size > 14) {
    device.assign(reinterpret_cast<const char*>(data + 14), size - 14);
  } else {
    device = kDevices[pick % std::size(kDevices)];
  }
  // Engines pass the field only when the request has one; the decoder must survive either way.
  std::optional<std::uint32_t> field;
  if ((flags & 1) != 0) field = value;
  if (auto f = sc::ioctl_arg_field(device, request); f && (flags & 2) != 0) field = value;

  (void)sc::split_ioctl(request);
  (void)sc::format_ioctl_generic(request);
  (void)sc::ioctl_driver(device);
  (void)sc::decode_driver_ioctl(device, request);
  (void)sc::ioctl_operation(device, request, field);
  const std::string detail = sc::ioctl_detail(device, request, field);
  for (auto kind : {sc::FieldKind::nvidia_class, sc::FieldKind::nvidia_control, sc::FieldKind::nvidia_escape})
    (void)sc::field_value_name(kind, value);
  const auto category = sc::Taxonomy::builtin().category("ioctl", detail);
  (void)sc::driver_category(category, detail);
  (void)sc::driver_category("driver", detail);
  return 0;
}
