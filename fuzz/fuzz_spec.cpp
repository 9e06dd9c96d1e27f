// libFuzzer target: the sweep spec parser (sysaxis run SPEC). Any text is either a spec or a
// SpecError; nothing else may escape, crash or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sweep/spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto spec = sysaxis::sweep::parse_spec(text, "fuzz.toml");
    (void)spec;
  } catch (const sysaxis::sweep::SpecError&) {
  }
  // The value parsers the spec uses, on the same text.
  try {
    (void)sysaxis::sweep::parse_size(text);
  } catch (const std::invalid_argument&) {
  }
  try {
    (void)sysaxis::sweep::parse_duration(text);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
