#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <set>
#include <string>

#include "sweep/outcome.h"

using namespace sysaxis::sweep;
using ::testing::HasSubstr;

namespace {

sysaxis::store::Cell cell() {
  sysaxis::store::Cell c;
  c.backend = "opencl";
  c.exec = "kernels";
  c.bytes = 4096;
  c.iters = 10;
  return c;
}

std::string result(const std::string& status = "ok", bool verified = true, std::uint64_t iters = 10) {
  return fmt::format(
      R"({{"schema": "sysaxis.workload/1", "backend": "opencl", "platform": "Portable Computing Language",
          "device": "cpu-x", "runtime_version": "OpenCL 3.0 PoCL", "driver_version": "3.1", "exec": "kernels",
          "bytes": 4096, "iters": {}, "phases_ns": {{"init": 5, "work": 6, "teardown": 7}},
          "verified": {}, "status": "{}", "error": null}})",
      iters, verified ? "true" : "false", status);
}

RunFacts facts(int exit_status, std::optional<std::string> json = std::nullopt, std::string output = "") {
  RunFacts f;
  f.exit_status = exit_status;
  f.result_text = std::move(json);
  f.output = std::move(output);
  f.timeout_s = 60;
  return f;
}

}  // namespace

TEST(Outcome, ExitCodesOfTheContractAreDistinctStatuses) {
  std::set<std::string> statuses;
  for (int code : {2, 3, 4, 5, 6}) {
    auto o = classify(facts(code), cell());
    EXPECT_NE(o.status, "ok") << code;
    EXPECT_NE(o.status, "failed") << code;
    statuses.insert(o.status);
  }
  EXPECT_EQ(statuses.size(), 5U);
  std::set<int> codes;
  for (const auto& m : exit_meanings()) EXPECT_TRUE(codes.insert(m.code).second) << m.code;
}

TEST(Outcome, Ok) {
  auto o = classify(facts(0, result()), cell());
  EXPECT_EQ(o.status, "ok");
  EXPECT_EQ(o.reason, "");
  ASSERT_TRUE(o.result.has_value());
  sysaxis::store::RunRecord rec;
  fill_from_result(*o.result, rec);
  EXPECT_EQ(rec.platform, "Portable Computing Language");
  EXPECT_EQ(rec.device, "cpu-x");
  EXPECT_EQ(rec.runtime_version, "OpenCL 3.0 PoCL");
  EXPECT_EQ(rec.driver_version, "3.1");
  EXPECT_EQ(rec.verified, true);
  EXPECT_EQ(rec.init_ns, 5U);
  EXPECT_EQ(rec.work_ns, 6U);
  EXPECT_EQ(rec.teardown_ns, 7U);
}

TEST(Outcome, FailuresSayWhy) {
  auto v =
      classify(facts(3, result("verify_failed", false), "sysaxis-wl-opencl: element 7 is 9, expected 10\n"), cell());
  EXPECT_EQ(v.status, "verify_failed");
  EXPECT_EQ(v.reason, "sysaxis-wl-opencl: element 7 is 9, expected 10");

  auto u = classify(facts(4, std::nullopt, "loading...\nsysaxis-wl-cuda: no CUDA device\nbye\n"), cell());
  EXPECT_EQ(u.status, "unavailable");
  EXPECT_EQ(u.reason, "sysaxis-wl-cuda: no CUDA device");

  auto other = classify(facts(42, std::nullopt, "Traceback...\nRuntimeError: boom\n"), cell());
  EXPECT_EQ(other.status, "failed");
  EXPECT_EQ(other.reason, "exit status 42: RuntimeError: boom");

  RunFacts crash = facts(128 + SIGSEGV);
  crash.term_signal = SIGSEGV;
  auto c = classify(crash, cell());
  EXPECT_EQ(c.status, "crashed");
  EXPECT_THAT(c.reason, HasSubstr("SIGSEGV"));

  RunFacts hang = facts(128 + SIGKILL);
  hang.term_signal = SIGKILL;
  hang.timed_out = true;
  auto t = classify(hang, cell());
  EXPECT_EQ(t.status, "timeout");
  EXPECT_THAT(t.reason, HasSubstr("60 s"));
}

TEST(Outcome, ExitZeroNeedsAVerifiedResultOfThisRun) {
  EXPECT_EQ(classify(facts(0), cell()).status, "bad_result");
  EXPECT_EQ(classify(facts(0, "{\"schema\": "), cell()).status, "bad_result");
  EXPECT_EQ(classify(facts(0, R"({"schema": "other/1"})"), cell()).status, "bad_result");
  auto m = classify(facts(0, result("ok", true, 11)), cell());
  EXPECT_EQ(m.status, "bad_result");
  EXPECT_THAT(m.reason, HasSubstr("iters=11"));
  EXPECT_EQ(classify(facts(0, result("ok", false)), cell()).status, "unverified");
  EXPECT_EQ(classify(facts(0, result("verify_failed", false)), cell()).status, "verify_failed");
  auto e = classify(facts(0, result("error", true)), cell());
  EXPECT_EQ(e.status, "runtime_error");
}

TEST(Outcome, FailureLine) {
  EXPECT_EQ(failure_line(""), "");
  EXPECT_EQ(failure_line("a\nb\n\n"), "b");
  EXPECT_EQ(failure_line("sysaxis-wl-hip: no device\nwarning: x\n"), "sysaxis-wl-hip: no device");
  EXPECT_EQ(failure_line(std::string(500, 'x')).size(), 300U);
}
