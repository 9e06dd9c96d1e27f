// The portable build's sysaxis needs nothing but glibc at run time (Ubuntu 24.04 on the GPU host).
#include <gtest/gtest.h>

#include <sstream>

#include "process.h"

TEST(Portable, NeedsOnlyGlibc) {
  if (!SYSAXIS_PORTABLE_BUILD) GTEST_SKIP() << "not the portable preset (cmake --preset portable)";
  auto p = sysaxis::testing::run({"readelf", "-d", SYSAXIS_BIN});
  ASSERT_EQ(p.exit_code(), 0) << p.err;
  std::istringstream in(p.out);
  std::vector<std::string> needed;
  for (std::string line; std::getline(in, line);) {
    auto a = line.find("Shared library: [");
    if (a != std::string::npos) needed.push_back(line.substr(a + 17, line.find(']', a) - a - 17));
  }
  ASSERT_FALSE(needed.empty());
  for (const auto& lib : needed) {
    bool glibc = lib == "libc.so.6" || lib == "libm.so.6" || lib.starts_with("ld-linux") || lib == "libpthread.so.0" ||
                 lib == "libdl.so.2" || lib == "librt.so.1";
    EXPECT_TRUE(glibc) << "the portable sysaxis needs " << lib;
  }
}
