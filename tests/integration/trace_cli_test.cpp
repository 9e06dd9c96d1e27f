// `sysaxis trace` end to end: the traced program is untouched (I/O, exit status, signals), bad
// input gives clear errors, phases and details come out right.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "process.h"

namespace {

using sysaxis::testing::run;
using sysaxis::testing::slurp;
using sysaxis::testing::temp_dir;

std::string corpus(const std::string& name) {
  return std::string(SYSAXIS_CORPUS_DIR) + "/" + name;
}

nlohmann::json trace_json(const std::vector<std::string>& cmd, int* exit_code = nullptr,
                          const std::vector<std::string>& extra = {}) {
  auto dir = temp_dir("json");
  // The ptrace engine unless the caller names another (auto would pick ebpf as root; the eBPF
  // engine has its own tests in tests/ebpf).
  std::vector<std::string> argv = {SYSAXIS_BIN, "trace", "-q", "--format", "json", "-o", (dir / "t.json").string()};
  if (std::find(extra.begin(), extra.end(), "--engine") == extra.end()) {
    argv.insert(argv.end(), {"--engine", "ptrace"});
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.emplace_back("--");
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  auto p = run(argv);
  if (exit_code != nullptr) *exit_code = p.exit_code();
  auto j = nlohmann::json::parse(slurp(dir / "t.json"));
  std::filesystem::remove_all(dir);
  return j;
}

long sum_calls(const nlohmann::json& j, const std::string& syscall, const std::string& phase = "") {
  long n = 0;
  for (const auto& r : j.at("rows")) {
    if (r.at("syscall") == syscall && (phase.empty() || r.at("phase") == phase)) n += r.at("calls").get<long>();
  }
  return n;
}

TEST(TraceCli, StdioAndExitStatusPassThrough) {
  auto p = run({SYSAXIS_BIN, "trace", "-q", "-o", "/dev/null", "--", corpus("exit_status"), "7", "echo"},
               "hello through stdin\n");
  EXPECT_EQ(p.exit_code(), 7);
  EXPECT_EQ(p.out, "hello through stdin\n");
  EXPECT_EQ(p.err, "to stderr\n");
}

TEST(TraceCli, KilledBySignalGives128PlusN) {
  auto p = run({SYSAXIS_BIN, "trace", "-q", "-o", "/dev/null", "--", corpus("exit_status"), "-15"});
  EXPECT_EQ(p.exit_code(), 128 + SIGTERM);
  int code = 0;
  auto j = trace_json({corpus("exit_status"), "-9"}, &code);
  EXPECT_EQ(code, 137);
  EXPECT_EQ(j.at("exit_status"), 137);
  EXPECT_EQ(j.at("term_signal"), 9);
}

TEST(TraceCli, CommandNotFoundIs127) {
  auto p = run({SYSAXIS_BIN, "trace", "--", "sysaxis-no-such-command-xyz"});
  EXPECT_EQ(p.exit_code(), 127);
  EXPECT_NE(p.err.find("sysaxis-no-such-command-xyz: command not found"), std::string::npos) << p.err;
  p = run({SYSAXIS_BIN, "trace", "--", "/nonexistent/prog"});
  EXPECT_EQ(p.exit_code(), 127);
  p = run({SYSAXIS_BIN, "trace", "--", "/etc/hostname"});  // not executable
  EXPECT_EQ(p.exit_code(), 126);
}

TEST(TraceCli, UsageErrors) {
  auto p = run({SYSAXIS_BIN, "trace"});
  EXPECT_EQ(p.exit_code(), 2);
  EXPECT_NE(p.err.find("no command given"), std::string::npos) << p.err;
  p = run({SYSAXIS_BIN, "trace", "--no-such-option", "--", "true"});
  EXPECT_EQ(p.exit_code(), 2);
  p = run({SYSAXIS_BIN, "trace", "--by", "colour", "--", "true"});
  EXPECT_EQ(p.exit_code(), 2);
  EXPECT_NE(p.err.find("unknown field 'colour'"), std::string::npos) << p.err;
  p = run({SYSAXIS_BIN, "trace", "--format", "xml", "--", "true"});
  EXPECT_EQ(p.exit_code(), 2);
  p = run({SYSAXIS_BIN});
  EXPECT_EQ(p.exit_code(), 2);
}

TEST(TraceCli, InvalidTaxonomySaysLineAndReason) {
  auto dir = temp_dir("tax");
  std::ofstream(dir / "bad.toml") << "schema = \"sysaxis.taxonomy/1\"\n[categories.a]\nsyscalls = [\"read\", 3]\n";
  auto p = run({SYSAXIS_BIN, "trace", "--taxonomy", (dir / "bad.toml").string(), "--", "true"});
  EXPECT_EQ(p.exit_code(), 2);
  EXPECT_NE(p.err.find("bad.toml:3: categories.a: syscall names must be non-empty strings"), std::string::npos)
      << p.err;
  p = run({SYSAXIS_BIN, "trace", "--taxonomy", (dir / "missing.toml").string(), "--", "true"});
  EXPECT_EQ(p.exit_code(), 2);
  EXPECT_NE(p.err.find("cannot read taxonomy file"), std::string::npos) << p.err;
  // A valid user taxonomy is applied; names it leaves out fall into "other".
  std::ofstream(dir / "mine.toml") << "schema = \"sysaxis.taxonomy/1\"\n[categories.cheap]\nsyscalls = [\"getppid\"]\n";
  auto j = trace_json({corpus("many")}, nullptr, {"--taxonomy", (dir / "mine.toml").string()});
  for (const auto& r : j.at("rows")) {
    EXPECT_EQ(r.at("category"), r.at("syscall") == "getppid" ? "cheap" : "other") << r.dump();
  }
  std::filesystem::remove_all(dir);
}

TEST(TraceCli, PtraceRefusedIsExplained) {
  // LeakSanitizer (asan preset) needs ptrace itself; it is off for this one run.
  auto p = run({"env", "ASAN_OPTIONS=detect_leaks=0", SYSAXIS_DENY_PTRACE, SYSAXIS_BIN, "trace", "--engine", "ptrace",
                "--", "true"});
  EXPECT_EQ(p.exit_code(), 125);
  EXPECT_NE(p.err.find("not permitted"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("CAP_SYS_PTRACE"), std::string::npos) << p.err;
}

TEST(TraceCli, OutputFileIsWholeOrAbsent) {
  auto dir = temp_dir("out");
  auto p = run({SYSAXIS_BIN, "trace", "-q", "-o", (dir / "no-such-dir" / "t.json").string(), "--", "true"});
  EXPECT_EQ(p.exit_code(), 125);
  EXPECT_FALSE(std::filesystem::exists(dir / "no-such-dir"));
  std::filesystem::remove_all(dir);
}

TEST(TraceCli, MarkersSplitPhasesAndAreNotCounted) {
  int code = -1;
  auto j = trace_json({corpus("markers"), "300"}, &code);
  ASSERT_EQ(code, 0);
  EXPECT_EQ(j.at("schema"), "sysaxis.trace/1");
  EXPECT_EQ(j.at("engine"), "ptrace");
  // The work phase holds exactly the 300 getppid of the parent and the 7 of its forked child.
  EXPECT_EQ(sum_calls(j, "getppid", "work"), 307);
  EXPECT_EQ(sum_calls(j, "getppid"), 307);
  EXPECT_EQ(sum_calls(j, "munmap", "teardown"), 3);
  long anon_init = 0;
  for (const auto& r : j.at("rows")) {
    if (r.at("syscall") == "mmap" && r.at("phase") == "init" && r.at("detail") == "anon")
      anon_init += r.at("calls").get<long>();
    // markers (write to fd -1) are not counted anywhere
    if (r.at("syscall") == "write") ADD_FAILURE() << "marker counted: " << r.dump();
  }
  EXPECT_EQ(anon_init, 3);
  std::set<std::string> phases;
  for (const auto& r : j.at("rows")) phases.insert(r.at("phase"));
  EXPECT_EQ(phases, (std::set<std::string>{"startup", "init", "work", "teardown"}));
  // Page faults per phase: touching 3 MiB in init faults at least 3 MiB / 4 KiB times.
  long init_minor = 0;
  for (const auto& f : j.at("faults")) {
    if (f.at("phase") == "init") init_minor += f.at("minor").get<long>();
  }
  EXPECT_GE(init_minor, 3 * 256 / 2) << j.at("faults").dump();  // THP may halve the count
}

TEST(TraceCli, UnmarkedProcessIsOnePhaseAll) {
  auto j = trace_json({corpus("many")});
  for (const auto& r : j.at("rows")) EXPECT_EQ(r.at("phase"), "all");
  EXPECT_EQ(sum_calls(j, "getppid"), 100000);
}

TEST(TraceCli, IoctlAndMmapDetail) {
  auto j = trace_json({corpus("failing")});
  bool ioctl_file = false;
  for (const auto& r : j.at("rows")) {
    if (r.at("syscall") == "ioctl") {
      // A regular file: the generic terminal/FIO table names the request.
      EXPECT_EQ(r.at("detail"), "file:FIONREAD") << r.dump();
      ioctl_file = true;
    }
  }
  EXPECT_TRUE(ioctl_file);
  auto m = trace_json({corpus("markers"), "1"});
  std::set<std::string> mmap_details;
  for (const auto& r : m.at("rows")) {
    if (r.at("syscall") == "mmap") mmap_details.insert(r.at("detail"));
  }
  EXPECT_EQ(mmap_details, (std::set<std::string>{"anon", "file"}));  // the loader maps libc, init maps anon
}

TEST(TraceCli, ThreadsAreFollowed) {
  auto j = trace_json({corpus("threads")});
  std::set<long> tids;
  for (const auto& r : j.at("rows")) {
    if (r.at("syscall") == "getppid") {
      EXPECT_EQ(r.at("calls"), 200);
      tids.insert(r.at("tid").get<long>());
    }
  }
  EXPECT_EQ(tids.size(), 4U);
  EXPECT_EQ(j.at("threads_seen"), 5);
}

TEST(TraceCli, CsvAndTableOutputs) {
  auto dir = temp_dir("csv");
  auto p = run({SYSAXIS_BIN, "trace", "-q", "--format", "csv", "-o", (dir / "t.csv").string(), "--", corpus("many")});
  ASSERT_EQ(p.exit_code(), 0);
  std::string csv = slurp(dir / "t.csv");
  EXPECT_TRUE(
      csv.starts_with("phase,pid,tid,comm,abi,syscall,detail,category,calls,errors,unfinished,time_ns,max_ns,api\n"));
  EXPECT_NE(csv.find(",getppid,,process,100000,0,0,"), std::string::npos) << csv;
  p = run({SYSAXIS_BIN, "trace", "-q", "--format", "csv", "--by", "category", "-o", (dir / "c.csv").string(), "--",
           corpus("many")});
  EXPECT_NE(slurp(dir / "c.csv").find("process,100003,"), std::string::npos) << slurp(dir / "c.csv");
  p = run({SYSAXIS_BIN, "trace", "-q", "--", corpus("many")});
  EXPECT_NE(p.err.find("100000           getppid"), std::string::npos) << p.err;
  std::filesystem::remove_all(dir);
}

// Starts sysaxis tracing signal_wait in the background; returns (sysaxis pid, traced pid).
std::pair<pid_t, pid_t> start_waiter(const std::filesystem::path& dir, bool new_group) {
  auto pidfile = dir / "pid";
  pid_t sx = fork();
  if (sx == 0) {
    if (new_group) setpgid(0, 0);
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    execl(SYSAXIS_BIN, SYSAXIS_BIN, "trace", "-q", "-o", (dir / "t.txt").c_str(), "--", corpus("signal_wait").c_str(),
          pidfile.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 500 && !std::filesystem::exists(pidfile); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  pid_t traced = static_cast<pid_t>(std::stol(slurp(pidfile)));
  return {sx, traced};
}

int wait_status(pid_t pid) {
  int st = 0;
  waitpid(pid, &st, 0);
  return st;
}

TEST(TraceSignals, SignalSentToTheCommandIsDelivered) {
  auto dir = temp_dir("sig");
  auto [sx, traced] = start_waiter(dir, false);
  kill(traced, SIGUSR1);
  int st = wait_status(sx);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 10) << st;
  std::filesystem::remove_all(dir);
}

TEST(TraceSignals, StopAndContinueDoNotLoseTheCommand) {
  auto dir = temp_dir("stop");
  auto [sx, traced] = start_waiter(dir, false);
  kill(traced, SIGSTOP);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::string state = slurp("/proc/" + std::to_string(traced) + "/stat");
  // Stopped: 'T' untraced; a ptrace tracee in group-stop (PTRACE_LISTEN) shows 't', as under strace.
  EXPECT_TRUE(state.find(") T ") != std::string::npos || state.find(") t ") != std::string::npos) << state;
  kill(traced, SIGCONT);
  kill(traced, SIGUSR1);
  int st = wait_status(sx);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 10) << st;
  std::filesystem::remove_all(dir);
}

TEST(TraceSignals, TermToSysaxisIsForwarded) {
  auto dir = temp_dir("term");
  auto [sx, traced] = start_waiter(dir, false);
  kill(sx, SIGTERM);
  int st = wait_status(sx);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 42) << st;  // the command's SIGTERM handler ran
  std::filesystem::remove_all(dir);
}

TEST(TraceSignals, CtrlCLeavesNoOrphanOrStoppedProcess) {
  auto dir = temp_dir("int");
  auto [sx, traced] = start_waiter(dir, true);
  kill(-sx, SIGINT);  // what the terminal does: the whole foreground process group
  int st = wait_status(sx);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGINT) << st;
  EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(traced) + "/stat"));
  EXPECT_NE(slurp(dir / "t.txt").find("total"), std::string::npos);  // the summary was still written
  std::filesystem::remove_all(dir);
}

TEST(TraceSignals, KillingSysaxisKillsTheCommand) {
  auto dir = temp_dir("kill");
  auto [sx, traced] = start_waiter(dir, false);
  kill(sx, SIGKILL);
  wait_status(sx);
  for (int i = 0; i < 100 && std::filesystem::exists("/proc/" + std::to_string(traced) + "/stat"); ++i) {
    std::string s = slurp("/proc/" + std::to_string(traced) + "/stat");
    if (s.find(") Z ") != std::string::npos) break;  // zombie of init, already dead
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::string s = slurp("/proc/" + std::to_string(traced) + "/stat");
  EXPECT_TRUE(s.empty() || s.find(") Z ") != std::string::npos) << s;
  std::filesystem::remove_all(dir);
}

}  // namespace
