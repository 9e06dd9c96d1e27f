// `sysaxis analyze` as a user runs it: exit codes, one-line errors, the file written whole,
// byte-identical output for the same database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/synthetic_study.h"

namespace fs = std::filesystem;
namespace syn = sysaxis::test;
using ::testing::HasSubstr;

namespace {

// The sysaxis executable beside the test binary (both in <build>/bin).
fs::path sysaxis_binary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path() / "sysaxis";
}

struct Result {
  int status = -1;
  std::string out;  // stdout and stderr together
};

Result run(const std::string& args) {
  Result r;
  std::string cmd = sysaxis_binary().string() + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) r.out += buf.data();
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class AnalysisCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(sysaxis_binary())) GTEST_SKIP() << "sysaxis is not built beside the unit tests";
    // Per process: CTest runs each test in its own process, several at once.
    dir_ = fs::path(::testing::TempDir()) / ("analysis-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    syn::Series s;
    s.bytes = {4096, 65536, 16 << 20};
    s.iters = {1, 10, 100};
    s.reps = 2;
    s.rows.push_back({"work", "futex", "", [](std::int64_t, std::int64_t i) { return 20.0 * i; }, nullptr});
    s.rows.push_back({"startup", "openat", "", syn::constant(12), nullptr});
    syn::StudySpec spec;
    spec.series = {s};
    db_ = (dir_ / "study.db").string();
    syn::write_study(db_, spec);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path dir_;
  std::string db_;
};

}  // namespace

TEST_F(AnalysisCli, WritesTheSameFileTwice) {
  auto a = run("analyze --db " + db_ + " -o " + (dir_ / "a.json").string());
  ASSERT_EQ(a.status, 0) << a.out;
  EXPECT_THAT(a.out, HasSubstr("sysaxis analysis: 1 database"));
  EXPECT_THAT(a.out, HasSubstr("Benjamini-Hochberg"));
  auto b = run("analyze -q --db " + db_ + " -o " + (dir_ / "b.json").string());
  ASSERT_EQ(b.status, 0) << b.out;
  EXPECT_EQ(b.out, "");
  std::string ja = slurp(dir_ / "a.json");
  EXPECT_THAT(ja, HasSubstr("\"schema\": \"sysaxis.analysis/2\""));
  EXPECT_EQ(ja, slurp(dir_ / "b.json"));
  auto c = run("analyze -q --db " + db_ + " -o -");
  EXPECT_EQ(c.status, 0);
  EXPECT_EQ(c.out, ja);
}

TEST_F(AnalysisCli, ErrorsHaveExitCodesAndOneLine) {
  auto usage = run("analyze");
  EXPECT_EQ(usage.status, 2);
  auto missing = run("analyze --db " + (dir_ / "nope.db").string());
  EXPECT_EQ(missing.status, 3);
  EXPECT_EQ(missing.out, "sysaxis analyze: " + (dir_ / "nope.db").string() + ": no such file\n");
  auto unwritable = run("analyze -q --db " + db_ + " -o " + (dir_ / "no" / "such" / "dir.json").string());
  EXPECT_EQ(unwritable.status, 4);
  EXPECT_THAT(unwritable.out, HasSubstr("cannot create"));
  EXPECT_FALSE(fs::exists(dir_ / "no"));
  auto help = run("analyze --help");
  EXPECT_EQ(help.status, 0);
  EXPECT_THAT(help.out, HasSubstr("Exit codes"));
}
