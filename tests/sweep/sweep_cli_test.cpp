// `sysaxis run` and `sysaxis merge` end to end: the real sysaxis executable, a fake workload.
#include <fcntl.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dirent.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "store/store.h"
#include "store_fixtures.h"

using ::testing::HasSubstr;
namespace fs = std::filesystem;

extern char** environ;

namespace {

using Env = std::map<std::string, std::string>;

struct Result {
  int status = -1;  // exit status, or 128 + signal
  std::string output;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Starts sysaxis with `args`, the environment plus `env`, stdout and stderr into `out`.
pid_t spawn(const std::vector<std::string>& args, const Env& env, const std::string& out) {
  std::vector<std::string> argv = {SYSAXIS_EXE};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid == 0) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    std::vector<char*> a;
    a.reserve(argv.size() + 1);
    for (auto& s : argv) a.push_back(s.data());
    a.push_back(nullptr);
    execv(a[0], a.data());
    _exit(127);
  }
  return pid;
}

int wait_status(pid_t pid) {
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

class SweepCli : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = tmp_.file("bin");
    fs::create_directories(bin_);
    // The fake plays every backend but hip (not built); cuda is "not available" (exit 4) below.
    for (auto b : {"cpu", "opencl", "cuda"})
      fs::create_symlink(FAKE_WL_EXE, fs::path(bin_) / ("sysaxis-wl-" + std::string(b)));
    token_ = fmt::format("{}-{}", getpid(), std::chrono::steady_clock::now().time_since_epoch().count());
  }

  std::string write_spec(const std::string& name, const std::string& text) {
    std::string path = tmp_.file(name);
    std::ofstream(path) << text;
    return path;
  }

  Env env(Env extra = {}) const {
    extra.emplace("FAKE_WL_UNAVAILABLE", "cuda");
    extra.emplace("FAKE_WL_TOKEN", token_);
    return extra;
  }

  Result run(const std::vector<std::string>& args, const Env& e) {
    const std::string out = tmp_.file(fmt::format("out-{}.txt", ++calls_));
    Result r;
    r.status = wait_status(spawn(args, e, out));
    r.output = read_file(out);
    return r;
  }

  Result sweep(const std::string& spec, const std::string& db, std::vector<std::string> more = {}, Env extra = {}) {
    std::vector<std::string> args = {"run", spec, "--db", db, "--bin-dir", bin_};
    args.insert(args.end(), more.begin(), more.end());
    return run(args, env(std::move(extra)));
  }

  // Processes started by this test that are still alive (the fake's environment carries the token).
  std::vector<pid_t> leftovers() const {
    std::vector<pid_t> out;
    const std::string needle = "FAKE_WL_TOKEN=" + token_;
    DIR* d = opendir("/proc");
    while (dirent* e = readdir(d)) {
      char* end = nullptr;
      long pid = std::strtol(e->d_name, &end, 10);
      if (end == e->d_name || *end != '\0') continue;
      std::ifstream in(fmt::format("/proc/{}/environ", pid), std::ios::binary);
      std::string envs((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      // Zombies have an empty environ; only live processes count.
      if (envs.find(needle) != std::string::npos &&
          read_file(fmt::format("/proc/{}/cmdline", pid)).find("sysaxis-wl") != std::string::npos) {
        out.push_back(static_cast<pid_t>(pid));
      }
    }
    closedir(d);
    return out;
  }

  bool no_leftovers_within(std::chrono::milliseconds limit) const {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (leftovers().empty()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return leftovers().empty();
  }

  store_test::TempDir tmp_;
  std::string bin_;
  std::string token_;
  int calls_ = 0;
};

using RunSet = std::set<std::tuple<std::string, std::int64_t, std::string>>;

RunSet runs_of(const std::string& db) {
  auto st = sysaxis::store::Store::open_existing(db, true);
  RunSet out;
  auto q = st.db().prepare("SELECT cell_key, rep, status FROM runs");
  while (q.step()) out.insert({q.column_text(0), q.column_int(1), q.column_text(2)});
  return out;
}

std::int64_t scalar(const std::string& db, const std::string& sql) {
  auto st = sysaxis::store::Store::open_existing(db, true);
  auto q = st.db().prepare(sql);
  EXPECT_TRUE(q.step()) << sql;
  return q.column_int(0);
}

std::string text(const std::string& db, const std::string& sql) {
  auto st = sysaxis::store::Store::open_existing(db, true);
  auto q = st.db().prepare(sql);
  EXPECT_TRUE(q.step()) << sql;
  return q.column_text(0);
}

const std::string kHeader = R"(schema = "sysaxis.spec/1"
study = "it"
engine = "ptrace"
)";

// 14 cpu cells and 28 opencl cells x 2 repetitions = 84 runs.
const std::string kGrid = kHeader + R"(repetitions = 2
timeout = "20s"

[[backend]]
name = "cpu"

[[backend]]
name = "opencl"
platform = "Fake Platform"

[[backend]]
name = "cuda"
optional = true

[[backend]]
name = "hip"
optional = true

[[sweep]]
name = "size"
question = "Q1"
exec = ["cpu", "alloc", "kernels"]
bytes = "4KiB..1MiB x4"
iters = 2

[[sweep]]
name = "repetition"
question = "Q2"
exec = ["cpu", "alloc", "kernels"]
bytes = "16KiB"
iters = [3, 10, 30, 100, 300, 1000, 2000, 3000, 4000]
)";

}  // namespace

TEST_F(SweepCli, RunsEveryCellAndKeepsFailuresWithTheirReasons) {
  const std::string spec = write_spec("fail.toml", kHeader + R"(repetitions = 1
timeout = "1s"

[[backend]]
name = "cpu"

[[backend]]
name = "opencl"
platform = "Fake Platform"

[[backend]]
name = "cuda"
optional = true

[[backend]]
name = "hip"
optional = true

[[sweep]]
name = "good"
exec = ["cpu", "alloc", "kernels"]
bytes = ["4KiB", "16KiB"]
iters = 3

[[sweep]]
name = "bad"
backends = "cpu"
exec = "cpu"
bytes = "4KiB"
iters = [7, 8, 13, 66, 99]
)");
  const std::string db = tmp_.file("fail.db");
  auto r = sweep(spec, db, {}, {{"FAKE_WL_FAIL", "badjson@7,unverified@8,verify@13,crash@66,hang@99"}});
  EXPECT_EQ(r.status, 1) << r.output;
  std::map<std::int64_t, std::string> by_iters;
  {
    auto st = sysaxis::store::Store::open_existing(db, true);
    auto q = st.db().prepare("SELECT iters, status, reason FROM runs WHERE backend = 'cpu' AND bytes = 4096");
    while (q.step()) by_iters[q.column_int(0)] = q.column_text(1) + ": " + q.column_text(2);
  }
  EXPECT_THAT(by_iters[3], HasSubstr("ok"));
  EXPECT_THAT(by_iters[7], HasSubstr("bad_result: the result JSON does not parse"));
  EXPECT_THAT(by_iters[8], HasSubstr("unverified"));
  EXPECT_THAT(by_iters[13], HasSubstr("verify_failed: sysaxis-wl-cpu: verification failed"));
  EXPECT_THAT(by_iters[66], HasSubstr("crashed: killed by SIGSEGV"));
  EXPECT_THAT(by_iters[99], HasSubstr("timeout: still running after 1 s"));
  // 2 cpu + 4 opencl good runs, 5 bad ones; all stored.
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs"), 11);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs WHERE status = 'ok'"), 6);
  // The hung workload and the child it forked were killed.
  EXPECT_TRUE(no_leftovers_within(std::chrono::milliseconds(2000)));
  // The summary lists the failures and the skipped backends.
  EXPECT_THAT(r.output, HasSubstr("5 failed run(s)"));
  EXPECT_THAT(r.output, HasSubstr("crashed: killed by SIGSEGV"));
  EXPECT_THAT(r.output, HasSubstr("skipped cuda: backend not available: sysaxis-wl-cuda: no such device (fake)"));
  EXPECT_THAT(r.output, HasSubstr("skipped hip: backend not built"));
  EXPECT_EQ(scalar(db,
                   "SELECT count(*) FROM targets WHERE backend = 'cuda' AND status = 'skipped' AND reason LIKE "
                   "'%no such device%'"),
            1);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM targets WHERE backend = 'hip' AND status = 'skipped'"), 1);
  // Good runs have their phases, counts and provenance.
  EXPECT_EQ(scalar(db,
                   "SELECT count(DISTINCT phase) FROM counts k JOIN runs r USING (run_id) WHERE r.status = 'ok' "
                   "AND phase IN ('startup', 'init', 'teardown')"),
            3);
  EXPECT_EQ(scalar(db,
                   "SELECT count(*) FROM processes p JOIN runs r USING (run_id) WHERE r.status = 'ok' AND "
                   "p.phases = '[\"startup\",\"init\",\"work\",\"teardown\"]'"),
            6);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM counts WHERE syscall = 'execve' AND category = 'process'"), 11);
  EXPECT_EQ(text(db, "SELECT platform FROM runs WHERE backend = 'opencl' LIMIT 1"), "Fake Platform");
  EXPECT_EQ(text(db, "SELECT value FROM provenance WHERE key = 'runtime_version.opencl'"), "fake 1.0");
  EXPECT_GT(scalar(db, "SELECT work_ns FROM runs WHERE status = 'ok' LIMIT 1"), 0);
  // Re-running stores nothing twice; --retry-failed runs the failures again.
  auto again = sweep(spec, db, {}, {{"FAKE_WL_FAIL", "verify@13"}});
  EXPECT_EQ(again.status, 1) << again.output;
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs"), 11);
  auto retry = sweep(spec, db, {"--retry-failed"}, {{"FAKE_WL_FAIL", "verify@13"}});
  EXPECT_EQ(retry.status, 1) << retry.output;
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs"), 11);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs WHERE status = 'ok'"), 10);
  auto clean = sweep(spec, db, {"--retry-failed"});
  EXPECT_EQ(clean.status, 0) << clean.output;
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs WHERE status = 'ok'"), 11);
}

TEST_F(SweepCli, KilledAndResumedEndsWithTheRunsOfAnUninterruptedSweep) {
  const std::string spec = write_spec("grid.toml", kGrid);
  const std::string whole = tmp_.file("whole.db");
  auto w = sweep(spec, whole);
  ASSERT_EQ(w.status, 0) << w.output;
  ASSERT_EQ(scalar(whole, "SELECT count(*) FROM runs"), 84);

  const std::string db = tmp_.file("killed.db");
  const std::string out = tmp_.file("killed.txt");
  pid_t pid = spawn({"run", spec, "--db", db, "--bin-dir", bin_}, env({{"FAKE_WL_DELAY_MS", "40"}}), out);
  // Kill it (SIGKILL: no chance to clean up) once some runs are stored.
  std::int64_t stored = 0;
  for (int i = 0; i < 1000 && stored < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    try {
      if (fs::exists(db)) stored = scalar(db, "SELECT count(*) FROM run_records");
    } catch (const sysaxis::store::StoreError&) {  // NOLINT(bugprone-empty-catch): not created yet
    }
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  EXPECT_EQ(wait_status(pid), 128 + SIGKILL);
  // PTRACE_O_EXITKILL: the workload in progress dies with the tracer.
  EXPECT_TRUE(no_leftovers_within(std::chrono::milliseconds(2000)));
  const auto partial = scalar(db, "SELECT count(*) FROM runs");
  EXPECT_GE(partial, 10);
  EXPECT_LT(partial, 84);

  auto resumed = sweep(spec, db);
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_THAT(resumed.output, HasSubstr(fmt::format("{} stored already", partial)));
  EXPECT_EQ(runs_of(db), runs_of(whole));
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs"), 84);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM (SELECT DISTINCT cell_id, rep FROM run_records)"), 84);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM sessions"), 2);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM sessions WHERE ended_at IS NULL"), 1);  // the killed one
  // Every stored run has its counters: no half-stored run.
  EXPECT_EQ(
      scalar(db, "SELECT count(*) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM counters k WHERE k.run_id = r.run_id)"),
      0);
  // And a complete study runs nothing more.
  auto done = sweep(spec, db);
  EXPECT_EQ(done.status, 0);
  EXPECT_THAT(done.output, HasSubstr("84 stored already, 0 to run"));
}

TEST_F(SweepCli, InterruptedBySignalStopsAndContinues) {
  const std::string spec = write_spec("grid.toml", kGrid);
  const std::string db = tmp_.file("int.db");
  const std::string out = tmp_.file("int.txt");
  pid_t pid = spawn({"run", spec, "--db", db, "--bin-dir", bin_}, env({{"FAKE_WL_DELAY_MS", "40"}}), out);
  std::int64_t stored = 0;
  for (int i = 0; i < 1000 && stored < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    try {
      if (fs::exists(db)) stored = scalar(db, "SELECT count(*) FROM run_records");
    } catch (const sysaxis::store::StoreError&) {  // NOLINT(bugprone-empty-catch): not created yet
    }
  }
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  EXPECT_EQ(wait_status(pid), 130) << read_file(out);
  EXPECT_THAT(read_file(out), HasSubstr("interrupted"));
  EXPECT_TRUE(no_leftovers_within(std::chrono::milliseconds(2000)));
  // The run in progress was not stored as a failure.
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs WHERE status <> 'ok'"), 0);
  auto resumed = sweep(spec, db);
  EXPECT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs WHERE status = 'ok'"), 84);
}

TEST_F(SweepCli, ShardsMergedEqualTheUnshardedStudy) {
  const std::string spec = write_spec("grid.toml", kGrid);
  const std::string whole = tmp_.file("whole.db");
  ASSERT_EQ(sweep(spec, whole).status, 0);
  std::vector<std::string> shards;
  RunSet seen;
  for (int i = 0; i < 3; ++i) {
    shards.push_back(tmp_.file(fmt::format("shard-{}.db", i)));
    // Each shard with its own seed, as separate Slurm tasks might.
    auto r = sweep(spec, shards.back(), {"--shard", fmt::format("{}/3", i), "--seed", std::to_string(100 + i)});
    ASSERT_EQ(r.status, 0) << r.output;
    for (const auto& run : runs_of(shards.back())) EXPECT_TRUE(seen.insert(run).second) << "shards overlap";
  }
  std::vector<std::string> args = {"merge", tmp_.file("merged.db")};
  args.insert(args.end(), shards.begin(), shards.end());
  auto m = run(args, env());
  ASSERT_EQ(m.status, 0) << m.output;
  EXPECT_THAT(m.output, HasSubstr("84 runs added"));
  EXPECT_EQ(runs_of(tmp_.file("merged.db")), runs_of(whole));
  // Counts merged with their runs: the same syscall totals per cell as the unsharded study
  // (the fake makes the same calls every time).
  const std::string per_cell =
      "SELECT group_concat(x, ';') FROM (SELECT r.cell_key || '#' || r.rep || '=' || SUM(k.calls) AS x "
      "FROM runs r JOIN counts k USING (run_id) WHERE k.phase = 'work' GROUP BY r.cell_key, r.rep ORDER BY 1)";
  EXPECT_EQ(text(tmp_.file("merged.db"), per_cell), text(whole, per_cell));
  EXPECT_EQ(scalar(tmp_.file("merged.db"), "SELECT count(*) FROM sessions"), 3);

  // Another spec does not merge, and OUT is not written.
  const std::string other = write_spec("other.toml", kGrid + "\n[env]\nX = \"1\"\n");
  ASSERT_EQ(sweep(other, tmp_.file("other.db"), {"--shard", "0/20"}).status, 0);
  auto bad = run({"merge", tmp_.file("mixed.db"), shards[0], tmp_.file("other.db")}, env());
  EXPECT_EQ(bad.status, 3);
  EXPECT_THAT(bad.output, HasSubstr("only shards of one spec merge"));
  EXPECT_FALSE(fs::exists(tmp_.file("mixed.db")));
}

// Every byte of a file, to show that a refused merge left it as it was.
std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(SweepCli, ShardSlurmReadsTheArrayVariables) {
  // Outside a job (whatever the environment of this test): one line, exit 2, nothing written.
  for (auto v : {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX",
                 "SLURM_ARRAY_TASK_STEP", "SLURM_JOB_ID"})
    unsetenv(v);
  const std::string spec = write_spec("grid.toml", kGrid);
  auto r = sweep(spec, tmp_.file("s.db"), {"--shard", "slurm"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output,
            "sysaxis run: --shard slurm: not inside a Slurm job array (SLURM_ARRAY_TASK_ID is not set): submit "
            "with sbatch --array=0-N, or pass --shard I/N\n");
  EXPECT_FALSE(fs::exists(tmp_.file("s.db")));
  r = sweep(spec, tmp_.file("s.db"), {"--shard", "slurm"}, {{"SLURM_JOB_ID", "17"}});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.output, HasSubstr("Slurm job 17 is not a job array"));

  // Task 3 of --array=2-8:3 (tasks 2, 5, 8) is shard 1/3: the same runs as --shard 1/3.
  r = sweep(spec, tmp_.file("s.db"), {"--shard", "slurm"},
            {{"SLURM_JOB_ID", "18"},
             {"SLURM_ARRAY_TASK_ID", "5"},
             {"SLURM_ARRAY_TASK_COUNT", "3"},
             {"SLURM_ARRAY_TASK_MIN", "2"},
             {"SLURM_ARRAY_TASK_MAX", "8"},
             {"SLURM_ARRAY_TASK_STEP", "3"}});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("shard 1/3"));
  ASSERT_EQ(sweep(spec, tmp_.file("explicit.db"), {"--shard", "1/3"}).status, 0);
  EXPECT_EQ(runs_of(tmp_.file("s.db")), runs_of(tmp_.file("explicit.db")));
  EXPECT_EQ(text(tmp_.file("s.db"), "SELECT shard FROM sessions"), "1/3");
  // The stored command names the shard it ran, so it reproduces outside Slurm.
  EXPECT_THAT(text(tmp_.file("s.db"), "SELECT command FROM sessions"), HasSubstr("--shard 1/3"));
}

TEST_F(SweepCli, RefusedMergesLeaveOutAsItWas) {
  const std::string spec = write_spec("grid.toml", kGrid);
  std::vector<std::string> shards;
  for (int i = 0; i < 3; ++i) {
    shards.push_back(tmp_.file(fmt::format("shard-{}.db", i)));
    ASSERT_EQ(sweep(spec, shards.back(), {"--shard", fmt::format("{}/3", i)}).status, 0);
  }
  const std::string dir = tmp_.file("out");
  fs::create_directories(dir);
  const std::string out = dir + "/study.db";
  auto m = run({"merge", out, shards[0]}, env());
  ASSERT_EQ(m.status, 0) << m.output;
  const std::string before = bytes_of(out);
  const auto listing = files_in(dir);

  // An input of another spec, after one that merges: refused, OUT byte for byte as it was, no
  // temporary left beside it.
  const std::string other = write_spec("other.toml", kGrid + "\n[env]\nX = \"1\"\n");
  ASSERT_EQ(sweep(other, tmp_.file("other.db"), {"--shard", "0/20"}).status, 0);
  m = run({"merge", out, shards[1], tmp_.file("other.db")}, env());
  EXPECT_EQ(m.status, 3);  // a database that refuses the change
  EXPECT_THAT(m.output, HasSubstr("only shards of one spec merge"));
  EXPECT_EQ(bytes_of(out), before);
  EXPECT_EQ(files_in(dir), listing);

  // Overlapping runs found only while merging (the same shard run twice into two files): the
  // first input was already merged into the temporary; OUT is untouched all the same.
  ASSERT_EQ(sweep(spec, tmp_.file("again.db"), {"--shard", "2/3"}).status, 0);
  m = run({"merge", out, shards[1], shards[2], tmp_.file("again.db")}, env());
  EXPECT_EQ(m.status, 3);  // a database that refuses the change
  EXPECT_THAT(m.output, HasSubstr("--skip-duplicates"));
  EXPECT_EQ(bytes_of(out), before);
  EXPECT_EQ(files_in(dir), listing);

  // An OUT of another schema version is refused, not migrated in place.
  {
    sysaxis::store::Database raw(out, sysaxis::store::Database::Mode::read_write);
    raw.exec("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  }
  const std::string old = bytes_of(out);
  m = run({"merge", out, shards[1]}, env());
  EXPECT_EQ(m.status, 3);  // a database that refuses the change
  EXPECT_THAT(m.output, HasSubstr("schema version 1"));
  EXPECT_EQ(bytes_of(out), old);
  EXPECT_EQ(files_in(dir), listing);
  // As is an input of another schema version, whichever position it has.
  m = run({"merge", dir + "/new.db", shards[1], out}, env());
  EXPECT_EQ(m.status, 3);  // a database that refuses the change
  EXPECT_THAT(m.output, HasSubstr("study database of schema version 1; merge joins studies of schema version"));
  EXPECT_EQ(files_in(dir), listing);
}

TEST_F(SweepCli, BadInputGivesClearErrorsAndStoresNothing) {
  // An invalid spec: file, line, key, expectation; exit 2.
  const std::string bad =
      write_spec("bad.toml", kHeader +
                                 "repetitions = 2\n\n[[backend]]\nname = \"cpu\"\n\n"
                                 "[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = \"12 apples\"\niters = 1\n");
  auto r = sweep(bad, tmp_.file("x.db"));
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.output, HasSubstr("bad.toml:12: sweep[0].bytes:"));
  EXPECT_THAT(r.output, HasSubstr("expected a size"));
  EXPECT_FALSE(fs::exists(tmp_.file("x.db")));

  // A required backend whose workload is missing: exit 6, the path named, nothing written.
  const std::string hip =
      write_spec("hip.toml", kHeader +
                                 "repetitions = 1\n\n[[backend]]\nname = \"hip\"\n\n"
                                 "[[sweep]]\nname = \"s\"\nexec = \"kernels\"\nbytes = 4096\niters = 1\n");
  r = sweep(hip, tmp_.file("x.db"));
  EXPECT_EQ(r.status, 6);
  EXPECT_THAT(r.output, HasSubstr(fmt::format("hip: workload {}/sysaxis-wl-hip not found", bin_)));
  EXPECT_FALSE(fs::exists(tmp_.file("x.db")));

  // A required backend that is built but not available: exit 6 before any run.
  const std::string spec = write_spec("grid.toml", kGrid);
  r = sweep(spec, tmp_.file("x.db"), {}, {{"FAKE_WL_UNAVAILABLE", "opencl"}});
  EXPECT_EQ(r.status, 6) << r.output;
  EXPECT_THAT(r.output, HasSubstr("opencl (Fake Platform): not available: sysaxis-wl-opencl: no such device (fake)"));

  // Usage errors.
  EXPECT_EQ(sweep(spec, tmp_.file("y.db"), {"--shard", "3/3"}).status, 2);
  r = sweep(spec, tmp_.file("y.db"), {"--backends", "cpu,metal"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.output, HasSubstr("no backend \"metal\""));
  EXPECT_EQ(run({"run", spec}, env()).status, 2);  // --db is required

  // A database of another spec, of another schema version, or no study at all: exit 3.
  const std::string db = tmp_.file("study.db");
  ASSERT_EQ(sweep(spec, db, {"--shard", "0/36"}).status, 0);
  const std::string other = write_spec("other.toml", kGrid + "\n[env]\nX = \"1\"\n");
  r = sweep(other, db);
  EXPECT_EQ(r.status, 3);
  EXPECT_THAT(r.output, HasSubstr("of another spec"));
  {
    sysaxis::store::Database raw(db, sysaxis::store::Database::Mode::read_write);
    raw.exec("UPDATE meta SET value = '7' WHERE key = 'schema_version'");
  }
  r = sweep(spec, db);
  EXPECT_EQ(r.status, 3);
  EXPECT_THAT(r.output, HasSubstr("schema version 7"));
  r = run({"merge", tmp_.file("m.db"), db}, env());
  EXPECT_EQ(r.status, 3);
  EXPECT_THAT(r.output, HasSubstr("schema version 7"));
  std::ofstream(tmp_.file("notes.db")) << "not a database, just some text that is long enough..............\n";
  r = sweep(spec, tmp_.file("notes.db"));
  EXPECT_EQ(r.status, 3);
  EXPECT_THAT(r.output, HasSubstr("not a sysaxis study database"));
}

TEST_F(SweepCli, DryRunChangesNothing) {
  const std::string spec = write_spec("grid.toml", kGrid);
  auto r = sweep(spec, tmp_.file("dry.db"), {"--dry-run"});
  EXPECT_EQ(r.status, 0) << r.output;
  // cpu and opencl: 84 runs; cuda is present but only checked when a sweep starts: 56 more.
  EXPECT_THAT(r.output, HasSubstr("140 runs to do"));
  EXPECT_THAT(r.output, HasSubstr("target cuda: present"));
  EXPECT_THAT(r.output, HasSubstr("target hip: skipped"));
  EXPECT_FALSE(fs::exists(tmp_.file("dry.db")));
}

TEST_F(SweepCli, ResnetRunsAreStoredAsTheResnetWorkload) {
  // The fake plays python: `fake SCRIPT --device D --batch B --iters N --json F`.
  const std::string script = write_spec("resnet.py", "# stands in for workloads/resnet/resnet.py\n");
  const std::string spec = write_spec("resnet.toml", kHeader + fmt::format(R"(repetitions = 2

[resnet]
python = "{}"
script = "resnet.py"
devices = ["cpu", "cuda"]
optional = ["cuda"]

[[resnet.sweep]]
name = "R"
question = "Q2"
batch = [1, 2]
iters = [1, 3]
)",
                                                                           FAKE_WL_EXE));
  const std::string db = tmp_.file("resnet.db");
  auto r = sweep(spec, db);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(scalar(db,
                   "SELECT count(*) FROM runs WHERE workload = 'resnet' AND backend = 'torch' AND exec = 'cpu' "
                   "AND status = 'ok'"),
            8);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs WHERE bytes = 2"), 4);  // bytes holds the batch size
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM targets WHERE exec = 'cuda' AND status = 'skipped'"), 1);
  EXPECT_THAT(text(db, "SELECT command FROM runs r JOIN run_records x USING (run_id) LIMIT 1"),
              HasSubstr("resnet.py\",\"--device\",\"cpu\",\"--batch\""));
  // Another python on another machine: the same study.
  auto again = sweep(spec, db, {"--python", FAKE_WL_EXE});
  EXPECT_EQ(again.status, 0) << again.output;
}

// The real workloads, when this build has them: the smoke spec must pass in well under a minute.
TEST_F(SweepCli, SmokeSpecWithTheRealWorkloads) {
  const fs::path real = fs::path(SYSAXIS_EXE).parent_path();
  if (!fs::exists(real / "sysaxis-wl-cpu") || !fs::exists(real / "sysaxis-wl-opencl")) {
    GTEST_SKIP() << "the real workloads (sysaxis-wl-cpu, sysaxis-wl-opencl) are not built";
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto r = run({"run", std::string(SYSAXIS_SOURCE_DIR) + "/specs/smoke.toml", "--db", tmp_.file("smoke.db")}, {});
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_LT(secs, 60) << r.output;
  RecordProperty("smoke_wall_s", std::to_string(secs));
}

// The same failures under the eBPF engine (where it can load): no ptrace, so the timeout
// watchdog finds the process tree by parent links.
TEST_F(SweepCli, FailuresAndTimeoutsUnderTheEbpfEngine) {
  auto probe = run({"trace", "--engine", "ebpf", "-q", "--", "/bin/true"}, {});
  if (probe.status != 0) GTEST_SKIP() << "the eBPF engine cannot run here: " << probe.output;
  const std::string spec = write_spec("ebpf.toml", R"(schema = "sysaxis.spec/1"
study = "it"
engine = "ebpf"
repetitions = 1
timeout = "1s"

[[backend]]
name = "cpu"

[[sweep]]
name = "bad"
exec = "cpu"
bytes = "4KiB"
iters = [3, 13, 66, 99]
)");
  const std::string db = tmp_.file("ebpf.db");
  auto r = sweep(spec, db, {}, {{"FAKE_WL_FAIL", "verify@13,crash@66,hang@99"}});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_EQ(text(db, "SELECT group_concat(iters || ':' || status, ' ') FROM (SELECT * FROM runs ORDER BY iters)"),
            "3:ok 13:verify_failed 66:crashed 99:timeout");
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs WHERE engine = 'ebpf'"), 4);
  EXPECT_TRUE(no_leftovers_within(std::chrono::milliseconds(2000)));
}

// ---- faults: SIGKILL at random points, two sweeps on one database, a full disk --------------

namespace {

// 6 cells (exec cpu on the cpu backend, alloc and kernels on opencl; 2 sizes) x 2 repetitions = 12 runs.
const std::string kSmall = kHeader + R"(repetitions = 2
timeout = "20s"

[[backend]]
name = "cpu"

[[backend]]
name = "opencl"
platform = "Fake Platform"

[[sweep]]
name = "size"
question = "Q1"
exec = ["cpu", "alloc", "kernels"]
bytes = ["4KiB", "64KiB"]
iters = 2
)";

std::string integrity(const std::string& db) {
  sysaxis::store::Database d(db, sysaxis::store::Database::Mode::read_only);
  auto q = d.prepare("PRAGMA integrity_check");
  std::string out;
  while (q.step()) out += q.column_text(0);
  return out;
}

// The database is whole: integrity_check ok, one run per (cell, rep), every run with its counters
// and phases (no half-written run).
void expect_consistent(const std::string& db, const std::string& when) {
  EXPECT_EQ(integrity(db), "ok") << when;
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM run_records"),
            scalar(db, "SELECT count(*) FROM (SELECT DISTINCT cell_id, rep FROM run_records)"))
      << when;
  EXPECT_EQ(scalar(db,
                   "SELECT count(*) FROM runs r WHERE r.status = 'ok' AND NOT EXISTS (SELECT 1 FROM counters k "
                   "WHERE k.run_id = r.run_id)"),
            0)
      << when;
}

bool has_tables(const std::string& db) {
  if (!fs::exists(db) || fs::file_size(db) == 0) return false;
  sysaxis::store::Database d(db, sysaxis::store::Database::Mode::read_only);
  auto q = d.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'run_records'");
  return q.step() && q.column_int(0) == 1;
}

}  // namespace

TEST_F(SweepCli, KilledTwentyTimesAtRandomPointsResumesToTheUninterruptedSweep) {
  // The grid (84 runs): enough work that every one of the 20 kills hits a sweep in progress, at
  // random points: opening or creating the database, checking the targets, running, storing. Each
  // run sleeps 500 ms, so the 20 rounds (at most 2 s each, 40 s in all) cannot finish the 84 runs
  // (42 s of sleep alone) however fast the machine: every round ends in a kill, never in a
  // finished sweep (with 10 ms a fast CI machine finished the grid by round 7). Kill points up to
  // 2 s leave room for the start-up (database, target checks) of an ASan build on a loaded
  // machine, so some rounds store runs before the kill (with 400 ms, or 1 s under ASan, a loaded
  // machine stored none).
  const std::string spec = write_spec("grid.toml", kGrid);
  const std::string whole = tmp_.file("whole.db");
  ASSERT_EQ(sweep(spec, whole).status, 0);
  ASSERT_EQ(scalar(whole, "SELECT count(*) FROM runs"), 84);

  const std::string db = tmp_.file("killed.db");
  std::mt19937 rng(20);  // fixed: the same kill points every time the test runs
  std::uniform_int_distribution<int> delay_ms(0, 2000);
  int killed_midway = 0;
  std::int64_t before = 0;
  for (int round = 0; round < 20; ++round) {
    const std::string out = tmp_.file(fmt::format("killed-{}.txt", round));
    const int delay = delay_ms(rng);
    pid_t pid = spawn({"run", spec, "--db", db, "--bin-dir", bin_}, env({{"FAKE_WL_DELAY_MS", "500"}}), out);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    kill(pid, SIGKILL);
    const int st = wait_status(pid);
    if (st == 128 + SIGKILL) ++killed_midway;
    EXPECT_TRUE(st == 128 + SIGKILL || st == 0) << "round " << round << ": " << st << "\n" << read_file(out);
    EXPECT_TRUE(no_leftovers_within(std::chrono::milliseconds(2000))) << "round " << round;
    if (has_tables(db)) {
      expect_consistent(db, fmt::format("round {} (killed after {} ms)", round, delay));
      const auto now = scalar(db, "SELECT count(*) FROM runs");
      EXPECT_GE(now, before) << "round " << round;  // nothing stored is lost
      before = now;
    }
  }
  EXPECT_EQ(killed_midway, 20);
  EXPECT_GT(before, 0);
  EXPECT_LT(before, 84);
  auto resumed = sweep(spec, db);
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_THAT(resumed.output, HasSubstr(fmt::format("{} stored already", before)));
  expect_consistent(db, "after the resume");
  EXPECT_EQ(runs_of(db), runs_of(whole));
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs WHERE status = 'ok'"), 84);
}

TEST_F(SweepCli, ASecondSweepOnTheSameDatabaseRefuses) {
  const std::string spec = write_spec("small.toml", kSmall);
  const std::string db = tmp_.file("busy.db");
  const std::string out = tmp_.file("first.txt");
  // 400 ms per run: the first sweep is still running (11 runs, 4.4 s) while two more sweeps start
  // and are refused, even with ASan on a loaded machine (100 ms was not enough there).
  pid_t first = spawn({"run", spec, "--db", db, "--bin-dir", bin_}, env({{"FAKE_WL_DELAY_MS", "400"}}), out);
  std::int64_t stored = 0;
  for (int i = 0; i < 1000 && stored < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    try {
      if (has_tables(db)) stored = scalar(db, "SELECT count(*) FROM run_records");
    } catch (const sysaxis::store::StoreError&) {  // NOLINT(bugprone-empty-catch): being created
    }
  }
  ASSERT_GE(stored, 1);
  // Whatever its shard or options: one sweep per database.
  auto second = sweep(spec, db);
  EXPECT_EQ(second.status, 3) << second.output;  // the database refuses
  EXPECT_THAT(second.output, HasSubstr(fmt::format("{}: in use by another sysaxis run (pid {} on ", db, first)));
  EXPECT_THAT(second.output, HasSubstr("one sweep per database at a time"));
  auto shard = sweep(spec, db, {"--shard", "1/2"});
  EXPECT_EQ(shard.status, 3) << shard.output;
  EXPECT_EQ(wait_status(first), 0) << read_file(out);
  EXPECT_FALSE(fs::exists(db + ".lock"));  // removed when the sweep ended
  expect_consistent(db, "after both");
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs WHERE status = 'ok'"), 12);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM sessions"), 1);  // the refused ones left no trace
  // Once it ended, the next one runs (and finds nothing to do).
  auto after = sweep(spec, db);
  EXPECT_EQ(after.status, 0) << after.output;
  EXPECT_THAT(after.output, HasSubstr("12 stored already, 0 to run"));
}

TEST_F(SweepCli, TwoSweepsStartedAtOnceNeverBothRun) {
  const std::string spec = write_spec("small.toml", kSmall);
  for (int round = 0; round < 5; ++round) {
    const std::string db = tmp_.file(fmt::format("race-{}.db", round));
    const std::string oa = tmp_.file(fmt::format("race-{}-a.txt", round));
    const std::string ob = tmp_.file(fmt::format("race-{}-b.txt", round));
    pid_t a = spawn({"run", spec, "--db", db, "--bin-dir", bin_}, env(), oa);
    pid_t b = spawn({"run", spec, "--db", db, "--bin-dir", bin_}, env(), ob);
    const int sa = wait_status(a);
    const int sb = wait_status(b);
    // Either one refused (3) while the other ran, or the second started after the first ended
    // and found everything stored (0).
    EXPECT_TRUE((sa == 0 && (sb == 0 || sb == 3)) || (sb == 0 && sa == 3)) << sa << " " << sb << "\n"
                                                                           << read_file(oa) << read_file(ob);
    expect_consistent(db, fmt::format("race {}", round));
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM runs WHERE status = 'ok'"), 12);
  }
}

TEST_F(SweepCli, AFullDiskStopsWithAClearErrorAndLeavesTheDatabaseWhole) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs needs root";
  const std::string mnt = tmp_.file("small-fs");
  fs::create_directories(mnt);
  // Room for the schema and a few runs, not for the 84 of the grid.
  if (mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=320k") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs: " << std::strerror(errno);
  }
  struct Unmount {
    std::string path;
    ~Unmount() { umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};
  const std::string spec = write_spec("grid.toml", kGrid);
  const std::string db = mnt + "/study.db";
  auto full = sweep(spec, db);
  EXPECT_EQ(full.status, 3) << full.output;
  EXPECT_THAT(full.output, HasSubstr("database or disk is full"));
  EXPECT_THAT(full.output, HasSubstr("fix the cause and run again to continue"));
  EXPECT_TRUE(no_leftovers_within(std::chrono::milliseconds(2000)));
  ASSERT_TRUE(has_tables(db)) << full.output;
  expect_consistent(db, "on the full disk");
  const auto partial = scalar(db, "SELECT count(*) FROM runs");
  EXPECT_GT(partial, 0);
  EXPECT_LT(partial, 84);
  // Moved to a disk with room, it resumes to the uninterrupted sweep.
  const std::string moved = tmp_.file("moved.db");
  fs::copy_file(db, moved);
  auto resumed = sweep(spec, moved);
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_THAT(resumed.output, HasSubstr(fmt::format("{} stored already", partial)));
  expect_consistent(moved, "resumed");
  EXPECT_EQ(scalar(moved, "SELECT count(*) FROM runs WHERE status = 'ok'"), 84);
}
