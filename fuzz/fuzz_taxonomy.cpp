// libFuzzer target: the taxonomy loader (--taxonomy FILE). Any text is a taxonomy or a
// TaxonomyError; a taxonomy answers every lookup.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "syscalls/taxonomy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto t = sysaxis::syscalls::Taxonomy::parse(text, "fuzz.toml");
    for (std::string_view s : {"read", "ioctl", "mmap", "futex", "no_such_call", ""}) (void)t.category(s);
    for (std::string_view d : {"nvidiactl:RM_ALLOC", "tty:TCGETS", "kfd:AMDKFD_IOC_ALLOC", "", ":", "renderD128:x"})
      (void)t.category("ioctl", d);
    (void)t.device_class("nvidia0");
    for (const auto& c : t.categories()) (void)t.description(c);
  } catch (const sysaxis::syscalls::TaxonomyError&) {
  }
  return 0;
}
