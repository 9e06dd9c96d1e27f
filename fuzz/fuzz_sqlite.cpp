// libFuzzer target: sysaxis merge and sysaxis analyze opening a database that is random bytes, a
// truncated or damaged study, or a real one. They either read it or stop with their error type
// (StoreError, DatabaseError); nothing may crash, hang or trip a sanitizer.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "analysis/dataset.h"
#include "store/merge.h"
#include "store/store.h"

namespace {

std::string dir() {
  static const std::string d = [] {
    std::string p = "/tmp/sysaxis-fuzz-sqlite-" + std::to_string(getpid());
    std::filesystem::create_directories(p);
    return p;
  }();
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in = dir() + "/in.db";
  const std::string out = dir() + "/out.db";
  std::error_code ec;
  for (const auto& p : {in, in + "-journal", out, out + "-journal"}) std::filesystem::remove(p, ec);
  FILE* f = std::fopen(in.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  try {
    auto st = sysaxis::store::Store::open_existing(in, true);
    (void)st.stored_runs();
    (void)st.meta("spec_hash");
  } catch (const sysaxis::store::StoreError&) {
  }
  try {
    auto ds = sysaxis::analysis::load_databases({in});
    (void)ds;
  } catch (const sysaxis::analysis::DatabaseError&) {
  }
  try {
    sysaxis::store::MergeOptions options;
    (void)sysaxis::store::merge_studies(out, {in}, options);
  } catch (const sysaxis::store::StoreError&) {
  }
  return 0;
}
