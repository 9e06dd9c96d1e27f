// The ptrace engine's per-syscall call counts equal strace -c -f's on the corpus programs.
// Differences by design (docs/trace-format.md): sysaxis counts calls that never return
// (exit, exit_group, a call interrupted by SIGKILL) in `calls` and flags them `unfinished`,
// strace leaves them out; markers are not counted by sysaxis (strace sees failed writes).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "process.h"

namespace {

using sysaxis::testing::run;
using sysaxis::testing::slurp;
using sysaxis::testing::temp_dir;

struct Counts {
  std::map<std::string, long> calls;
  std::map<std::string, long> errors;
};

bool have_strace() {
  return run({"strace", "-V"}).exit_code() == 0;
}

// Parses `strace -c` output (native ABI section only).
Counts parse_strace(const std::string& text) {
  Counts c;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("System call usage summary for") != std::string::npos && !c.calls.empty()) break;
    std::istringstream ls(line);
    std::vector<std::string> tok;
    for (std::string t; ls >> t;) tok.push_back(t);
    if (tok.size() < 5 || tok.back() == "total" || tok[0].starts_with("%") || tok[0].starts_with("-")) continue;
    // % time, seconds, usecs/call, calls, [errors], syscall
    c.calls[tok.back()] += std::stol(tok[3]);
    if (tok.size() == 6) c.errors[tok.back()] += std::stol(tok[4]);
  }
  return c;
}

Counts parse_sysaxis(const nlohmann::json& j, long* markers_seen = nullptr) {
  Counts c;
  for (const auto& r : j.at("rows")) {
    if (r.at("abi") != "x86_64") continue;
    long returned = r.at("calls").get<long>() - r.at("unfinished").get<long>();
    if (returned > 0) c.calls[r.at("syscall")] += returned;
    if (r.at("errors").get<long>() > 0) c.errors[r.at("syscall")] += r.at("errors").get<long>();
  }
  if (markers_seen != nullptr) *markers_seen = 0;
  return c;
}

struct Case {
  std::string name;
  std::vector<std::string> args;
  std::set<std::string> timing_dependent;  // counts that vary between runs of the program itself
  long markers = 0;                        // marker writes strace counts as failed writes
};

class Agreement : public ::testing::TestWithParam<Case> {};

TEST_P(Agreement, CallCountsEqualStrace) {
  if (!have_strace()) GTEST_SKIP() << "strace is not installed (scripts/install-deps.sh installs it)";
  const Case& c = GetParam();
  auto dir = temp_dir("agree");
  std::vector<std::string> prog = {std::string(SYSAXIS_CORPUS_DIR) + "/" + c.name};
  prog.insert(prog.end(), c.args.begin(), c.args.end());

  std::vector<std::string> st = {"strace", "-f", "-c", "-o", (dir / "strace.txt").string(), "--"};
  st.insert(st.end(), prog.begin(), prog.end());
  auto s = run(st);
  std::vector<std::string> sx = {
      SYSAXIS_BIN, "trace", "-q", "--engine", "ptrace", "--format", "json", "-o", (dir / "trace.json").string(), "--"};
  sx.insert(sx.end(), prog.begin(), prog.end());
  auto x = run(sx);
  ASSERT_EQ(s.exit_code(), x.exit_code()) << "strace and sysaxis saw different exit codes: " << x.err;

  Counts want = parse_strace(slurp(dir / "strace.txt"));
  ASSERT_FALSE(want.calls.empty()) << slurp(dir / "strace.txt");
  auto j = nlohmann::json::parse(slurp(dir / "trace.json"));
  Counts got = parse_sysaxis(j);
  if (c.markers > 0) {
    want.calls["write"] -= c.markers;
    want.errors["write"] -= c.markers;
    if (want.calls["write"] == 0) want.calls.erase("write");
    if (want.errors["write"] == 0) want.errors.erase("write");
  }
  std::set<std::string> names;
  for (const auto& [n, v] : want.calls) names.insert(n);
  for (const auto& [n, v] : got.calls) names.insert(n);
  for (const auto& n : names) {
    if (c.timing_dependent.contains(n)) continue;
    EXPECT_EQ(got.calls[n], want.calls[n]) << c.name << ": calls of " << n;
    EXPECT_EQ(got.errors[n], want.errors[n]) << c.name << ": errors of " << n;
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Corpus, Agreement,
                         ::testing::Values(Case{"threads", {}, {"futex"}}, Case{"forkexec", {}, {}},
                                           Case{"vfork", {}, {}}, Case{"signals", {}, {}}, Case{"failing", {}, {}},
                                           Case{"killed_child", {}, {}}, Case{"exec_missing", {}, {}},
                                           Case{"many", {}, {}}, Case{"markers", {"500"}, {}, 3}),
                         [](const auto& test_info) { return test_info.param.name; });

// The documented differences, checked on their own so they stay true.
TEST(AgreementByDesign, NeverReturningCallsAreCountedAsUnfinished) {
  auto dir = temp_dir("unfinished");
  auto x = run({SYSAXIS_BIN, "trace", "-q", "--engine", "ptrace", "--format", "json", "-o", (dir / "t.json").string(),
                "--", std::string(SYSAXIS_CORPUS_DIR) + "/killed_child"});
  ASSERT_EQ(x.exit_code(), 0) << x.err;
  auto j = nlohmann::json::parse(slurp(dir / "t.json"));
  long pause_unfinished = 0, exit_group_unfinished = 0;
  for (const auto& r : j.at("rows")) {
    if (r.at("syscall") == "pause") pause_unfinished += r.at("unfinished").get<long>();
    if (r.at("syscall") == "exit_group") exit_group_unfinished += r.at("unfinished").get<long>();
  }
  EXPECT_EQ(pause_unfinished, 1);       // the child's pause(), ended by SIGKILL
  EXPECT_EQ(exit_group_unfinished, 1);  // the parent's exit_group
  std::filesystem::remove_all(dir);
}

}  // namespace
