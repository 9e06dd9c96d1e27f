// libFuzzer target: the analysis.json reader (sysaxis report --analysis FILE, sysaxis compare):
// the file as given (JSON or gzip, by content), then the round trip of what it read.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "analysis/analysis.h"

namespace {

std::string temp_path() {
  static const std::string path = [] {
    std::string p = "/tmp/sysaxis-fuzz-analysis-" + std::to_string(getpid()) + ".json";
    return p;
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = temp_path();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  try {
    auto a = sysaxis::analysis::read_analysis_file(path);
    auto j = sysaxis::analysis::to_json(a);
    const std::string text = sysaxis::analysis::dump_json(j);
    // What was read writes out and reads back to the same text.
    auto again = sysaxis::analysis::from_json(nlohmann::json::parse(text));
    if (sysaxis::analysis::dump_json(sysaxis::analysis::to_json(again)) != text) std::abort();
  } catch (const sysaxis::analysis::AnalysisError&) {
  }
  return 0;
}
