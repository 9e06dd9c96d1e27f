#include "sweep/runner.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/temp_dir.h"
#include "store/store.h"
#include "sweep/outcome.h"
#include "sweep/process.h"
#include "sweep/progress.h"
#include "sweep/provenance.h"
#include "syscalls/taxonomy.h"
#include "trace/engines.h"
#include "trace/trace.h"

namespace sysaxis::sweep {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kOutputTail = 4096;
constexpr double kProbeTimeoutS = 120;
constexpr int kMaxFailuresListed = 20;

volatile sig_atomic_t g_stop_signal = 0;
pid_t g_runner_pid = 0;

void on_stop_signal(int sig) {
  if (getpid() != g_runner_pid) {
    // A child the tracing engine forked and that has not exec'd the workload yet inherited this
    // handler: the signal (forwarded by the engine, or typed at the terminal) must end it as it
    // would end the workload, or the interruption would be lost.
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  g_stop_signal = sig;
}

// SIGINT, SIGTERM and SIGHUP between runs stop the sweep after the run in progress (the tracing
// engine installs its own handlers while a run is traced and forwards them to the workload).
class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    g_runner_pid = getpid();
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &old_[i]);
  }
  ~StopSignals() {
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &old_[i], nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  static constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction old_[3]{};
};

bool is_executable_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

// Whether a target's runs are run: available (so far: the check run may still skip it), left out
// with --backends (filtered), or optional and not built or not available here (skipped).
enum class TargetStatus { available, filtered, skipped };

// The status as printed and as stored in the database (targets.status).
std::string_view status_name(TargetStatus s) {
  switch (s) {
    case TargetStatus::available: return "available";
    case TargetStatus::filtered: return "filtered";
    case TargetStatus::skipped: return "skipped";
  }
  return "available";
}

struct TargetState {
  std::string program;  // the workload executable (micro) or python (resnet)
  std::string script;   // resnet.py
  TargetStatus status = TargetStatus::available;
  std::string reason;
  bool used = false;  // has cells in this shard
  bool available() const { return status == TargetStatus::available; }
};

std::string run_label(const store::Cell& c, std::int64_t rep) {
  return fmt::format("{} rep={}", describe(c), rep);
}

bool interrupted_run(const trace::TraceResult& tr, bool timed_out) {
  if (g_stop_signal != 0) return true;
  for (const auto& n : tr.notes) {
    if (n.rfind("interrupted", 0) == 0) return true;
  }
  if (!timed_out && tr.term_signal) {
    int s = *tr.term_signal;
    return s == SIGINT || s == SIGTERM || s == SIGHUP || s == SIGQUIT;
  }
  return false;
}

// The status of every stored run of the shard's cells, and the failures with their reasons.
struct ShardSummary {
  std::map<std::string, int> by_status;
  std::vector<std::string> failures;
  int stored = 0;
};

ShardSummary summarise(store::Store& st, const std::set<std::string>& keys) {
  ShardSummary s;
  auto q = st.db().prepare(
      "SELECT c.cell_key, r.rep, r.status, r.reason FROM run_records r JOIN cells c ON c.cell_id = r.cell_id "
      "ORDER BY r.run_id");
  while (q.step()) {
    const std::string key = q.column_text(0);
    if (!keys.contains(key)) continue;
    ++s.stored;
    const std::string status = q.column_text(2);
    ++s.by_status[status];
    if (status != "ok") {
      store::Cell c;
      auto j = nlohmann::json::parse(key, nullptr, false);
      std::string what = key;
      if (j.is_array() && j.size() == 10) {
        c.workload = j[0].get<std::string>();
        c.backend = j[1].get<std::string>();
        c.platform = j[2].get<std::string>();
        c.device = j[3].get<std::string>();
        c.exec = j[4].get<std::string>();
        c.bytes = j[5].get<std::uint64_t>();
        c.iters = j[6].get<std::uint64_t>();
        c.alloc_op = j[7].get<std::string>();
        c.sync = j[8].get<std::string>();
        c.threads = j[9].get<std::uint64_t>();
        what = run_label(c, q.column_int(1));
      }
      s.failures.push_back(fmt::format("{}: {}: {}", what, status, q.column_text(3)));
    }
  }
  return s;
}

// One traced run of one cell: the record to store and its counters, or why there is none.
struct Execution {
  enum class Kind { done, interrupted, tracer_failed } kind = Kind::done;
  store::RunRecord record;
  store::RunCounters counters;
  std::string error;  // tracer_failed: why
  double seconds = 0;
};

Execution execute(const store::Cell& cell, const TargetState& target, const std::string& engine, double timeout_s,
                  const std::string& tmp, store::RunRecord rec) {
  Execution ex;
  const std::string json_path = tmp + "/result.json";
  const std::string out_path = tmp + "/output.txt";
  std::error_code ec;
  fs::remove(json_path, ec);
  const auto argv = workload_command(cell, target.program, target.script, json_path);
  rec.command = nlohmann::json(argv).dump();
  rec.started_at = iso_now();
  const auto t0 = std::chrono::steady_clock::now();
  trace::TraceResult tr;
  bool timed_out = false;
  std::optional<trace::TraceError> trace_error;
  try {
    auto choice = trace::choose_engine(engine);
    trace::TraceOptions options;
    options.command = argv;
    options.quiet = true;
    OutputCapture capture(out_path);
    Watchdog watchdog(std::chrono::milliseconds(static_cast<std::int64_t>(timeout_s * 1000)));
    tr = trace::run_traced(*choice.engine, options);
    timed_out = watchdog.fired();
  } catch (const trace::TraceError& e) {
    trace_error = e;
  } catch (const std::exception& e) {
    trace_error = trace::TraceError(trace::kExitTracerFailure, e.what());
  }
  rec.ended_at = iso_now();
  ex.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (trace_error && trace_error->exit_code() == trace::kExitTracerFailure) {
    ex.kind = Execution::Kind::tracer_failed;
    ex.error = trace_error->what();
    return ex;
  }
  if (!trace_error && interrupted_run(tr, timed_out)) {
    ex.kind = Execution::Kind::interrupted;
    return ex;
  }
  const std::string output = read_tail(out_path, kOutputTail);
  Outcome outcome;
  if (trace_error) {  // the workload could not be started (126, 127)
    outcome.status = trace_error->exit_code() == trace::kExitCommandNotFound ? "not_found" : "not_executable";
    outcome.reason = trace_error->what();
    rec.exit_status = trace_error->exit_code();
  } else {
    RunFacts facts;
    facts.exit_status = tr.exit_status;
    facts.term_signal = tr.term_signal;
    facts.timed_out = timed_out;
    facts.timeout_s = timeout_s;
    if (fs::exists(json_path)) facts.result_text = read_tail(json_path, std::size_t{1} << 20);
    facts.output = output;
    outcome = classify(facts, cell);
    rec.exit_status = tr.exit_status;
    if (tr.term_signal) rec.term_signal = *tr.term_signal;
    rec.wall_ns = tr.wall_ns;
    if (facts.result_text) rec.result = *facts.result_text;
    if (outcome.result) fill_from_result(*outcome.result, rec);
    if (outcome.status == kStatusOk && tr.lost > 0) {
      outcome.status = "trace_incomplete";
      outcome.reason = fmt::format("the {} engine lost {} updates", tr.engine, tr.lost);
    }
  }
  rec.status = outcome.status;
  rec.reason = outcome.reason;
  rec.engine = tr.engine.empty() ? engine : tr.engine;
  rec.output = output;
  rec.threads_seen = tr.threads_seen;
  rec.cpu_user_ns = tr.cpu_user_ns;
  rec.cpu_sys_ns = tr.cpu_sys_ns;
  rec.lost = tr.lost;
  rec.notes = nlohmann::json(tr.notes).dump();
  ex.record = std::move(rec);
  ex.counters = store::counters_from_trace(tr);
  return ex;
}
// One `sysaxis run` per database at a time: an exclusive flock on DB.lock beside it, held for the
// whole sweep and released by the kernel however sysaxis ends (SIGKILL included). Two sweeps on
// one database would plan the same runs and collide on them; the second refuses instead. The lock
// is taken on the file that has the name now (a lock on a file a finished sweep has just unlinked
// is taken again), so that two sweeps never both hold one.
class RunLock {
 public:
  // Empty message: locked. Otherwise why not.
  std::string acquire(const std::string& db_path) {
    path_ = db_path + ".lock";
    for (int attempt = 0; attempt < 100; ++attempt) {
      int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) return fmt::format("{}: cannot create the lock file: {}", path_, std::strerror(errno));
      if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int e = errno;
        char holder[256] = {};
        const ssize_t n = ::pread(fd, holder, sizeof holder - 1, 0);
        ::close(fd);
        if (e != EWOULDBLOCK) return fmt::format("{}: cannot lock: {}", path_, std::strerror(e));
        std::string who = n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : std::string("another process");
        while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
        return fmt::format(
            "{}: in use by another sysaxis run ({}): one sweep per database at a time. Wait for it to end (or stop "
            "it), then run this again to continue where it stopped; to run shards in parallel, give each its own "
            "--db and merge them with sysaxis merge",
            db_path, who);
      }
      struct stat held {};
      struct stat named {};
      if (::fstat(fd, &held) == 0 && ::stat(path_.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
          held.st_ino == named.st_ino) {
        fd_ = fd;
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        const std::string who = fmt::format("pid {} on {}, since {}\n", ::getpid(), host, iso_now());
        // The holder's name is a courtesy to the one refused: a full disk does not stop the sweep.
        if (::ftruncate(fd, 0) == 0) {
          [[maybe_unused]] const ssize_t written = ::pwrite(fd, who.data(), who.size(), 0);
        }
        return {};
      }
      ::close(fd);  // unlinked by the sweep that held it: take the new one
    }
    return fmt::format("{}: cannot lock: the lock file keeps changing", path_);
  }
  RunLock() = default;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock() {
    if (fd_ >= 0) {
      ::unlink(path_.c_str());
      ::close(fd_);
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace

std::vector<std::string> workload_command(const store::Cell& c, const std::string& program, const std::string& script,
                                          const std::string& json_path) {
  std::vector<std::string> argv;
  if (c.workload == "resnet") {
    argv = {
        program,  script,   "--device", c.exec, "--batch", std::to_string(c.bytes), "--iters", std::to_string(c.iters),
        "--json", json_path};
    return argv;
  }
  argv = {program, "--exec", c.exec, "--bytes", std::to_string(c.bytes), "--iters", std::to_string(c.iters)};
  if (c.exec == "alloc") argv.insert(argv.end(), {"--alloc-op", c.alloc_op});
  if (c.exec == "kernels") argv.insert(argv.end(), {"--sync", c.sync});
  if (c.exec == "cpu") argv.insert(argv.end(), {"--threads", std::to_string(c.threads)});
  if (!c.platform.empty()) argv.insert(argv.end(), {"--platform", c.platform});
  if (!c.device.empty()) argv.insert(argv.end(), {"--device", c.device});
  argv.insert(argv.end(), {"--json", json_path});
  return argv;
}

namespace {

// The steps of run_study. A step that may end the command returns Stop: nullopt to go on, or the
// exit code to end with, its message printed already. A step that always ends it returns the
// exit code; one that cannot fail returns what it makes.
using Stop = std::optional<int>;

int fail(int code, const std::string& msg) {
  fmt::print(stderr, "sysaxis run: {}\n", msg);
  return code;
}

// The spec, and what follows from it and the options.
struct Study {
  Spec spec;
  std::optional<syscalls::Taxonomy> own_taxonomy;  // the spec's; none: the built-in one
  Plan plan;
  double timeout_s = 0;
  std::uint64_t seed = 0;
  std::string bin_dir;
  std::vector<std::size_t> shard_cells_idx;  // the plan's cells in this shard
  std::set<std::string> shard_keys;          // and their keys
  const syscalls::Taxonomy& taxonomy() const { return own_taxonomy ? *own_taxonomy : syscalls::Taxonomy::builtin(); }
};

// The spec, its taxonomy and plan, the options that override the spec (checking that each of
// --backends is one of its backends), and the cells of this shard.
Stop load_study(const RunOptions& opt, Study& study) {
  try {
    study.spec = load_spec(opt.spec_path);
  } catch (const SpecError& e) {
    return fail(kRunUsage, e.what());
  }
  const Spec& spec = study.spec;
  if (!spec.taxonomy_path.empty()) {
    try {
      study.own_taxonomy = syscalls::Taxonomy::load_file(spec.taxonomy_path);
    } catch (const syscalls::TaxonomyError& e) {
      return fail(kRunUsage, fmt::format("{}: taxonomy: {}", opt.spec_path, e.what()));
    }
  }
  study.plan = make_plan(spec, store::taxonomy_hash(study.taxonomy()));
  study.timeout_s = opt.timeout_s.value_or(spec.timeout_s);
  study.seed = opt.seed.value_or(spec.seed);
  study.bin_dir = opt.bin_dir.empty() ? executable_dir() : opt.bin_dir;
  if (!opt.bin_dir.empty() && !fs::is_directory(opt.bin_dir)) {
    return fail(kRunUsage, fmt::format("--bin-dir {}: not a folder", opt.bin_dir));
  }

  std::set<std::string> known;
  for (const auto& t : study.plan.targets) known.insert(t.filter_name());
  for (const auto& b : opt.backends) {
    if (!known.contains(b)) {
      std::string names;
      for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
      return fail(kRunUsage, fmt::format("--backends: the spec has no backend \"{}\" (it has: {})", b, names));
    }
  }

  study.shard_cells_idx = shard_cells(study.plan.cells.size(), opt.shard);
  for (auto i : study.shard_cells_idx) study.shard_keys.insert(study.plan.cells[i].record.cell.key());
  return std::nullopt;
}

// The state of every target of the plan: used by the shard or not, left out with --backends
// (filtered), its workload found, or not: then skipped if optional, else the command ends.
Stop resolve_targets(const RunOptions& opt, const Study& study, std::vector<TargetState>& targets) {
  const Plan& plan = study.plan;
  targets.assign(plan.targets.size(), TargetState{});
  for (auto i : study.shard_cells_idx) targets[plan.cells[i].target].used = true;
  std::vector<std::string> missing;
  for (std::size_t ti = 0; ti < plan.targets.size(); ++ti) {
    const Target& t = plan.targets[ti];
    TargetState& s = targets[ti];
    if (!s.used) continue;
    if (!opt.backends.empty() &&
        std::find(opt.backends.begin(), opt.backends.end(), t.filter_name()) == opt.backends.end()) {
      s.status = TargetStatus::filtered;
      s.reason = "left out with --backends";
      continue;
    }
    std::string problem;
    if (t.workload == "resnet") {
      const std::string python = opt.python.empty() ? study.spec.resnet->python : opt.python;
      try {
        s.program = trace::resolve_command(python);
      } catch (const trace::TraceError& e) {
        problem = fmt::format("python interpreter {}", e.what());
      }
      s.script = study.spec.resnet->script_path;
      if (problem.empty() && !fs::is_regular_file(s.script)) problem = fmt::format("{} not found", s.script);
    } else {
      s.program = (fs::path(study.bin_dir) / fmt::format("sysaxis-wl-{}", t.backend)).string();
      if (!is_executable_file(s.program)) problem = fmt::format("workload {} not found or not executable", s.program);
    }
    if (problem.empty()) continue;
    if (t.optional) {
      s.status = TargetStatus::skipped;
      s.reason = fmt::format("backend not built: {}", problem);
    } else if (t.workload == "resnet") {
      missing.push_back(fmt::format(
          "{}: {} (check [resnet] python and script in the spec or pass --python; or mark the device optional, or "
          "leave ResNet out with --backends)",
          t.label(), problem));
    } else {
      missing.push_back(fmt::format(
          "{}: {} (build it, or pass --bin-dir; or mark the backend optional = true in the spec, or leave it out with "
          "--backends)",
          t.label(), problem));
    }
  }
  if (!missing.empty()) {
    for (const auto& m : missing) fmt::print(stderr, "sysaxis run: {}\n", m);
    return kRunMissingWorkload;
  }
  return std::nullopt;
}

// --dry-run: the plan, its targets and the runs each cell has stored; runs nothing, writes nothing.
int print_dry_run(const RunOptions& opt, const Study& study, const std::vector<TargetState>& targets) {
  const Plan& plan = study.plan;
  std::map<store::RunKey, std::string> stored;
  if (fs::exists(opt.db_path)) {
    try {
      auto st = store::Store::open_existing(opt.db_path, true);
      if (st.meta("spec_hash").value_or("") != plan.hash) {
        return fail(kRunDatabaseError,
                    fmt::format("{}: holds another spec (spec hash {}, this spec {})", opt.db_path,
                                st.meta("spec_hash").value_or("?").substr(0, 12), plan.hash.substr(0, 12)));
      }
      stored = st.stored_runs();
    } catch (const store::StoreError& e) {
      return fail(kRunDatabaseError, e.what());
    }
  }
  fmt::print("study {} (spec {}), shard {}, {} of {} cells x {} repetitions, seed {}, timeout {:g} s\n",
             study.spec.study, plan.hash.substr(0, 12), opt.shard.text(), study.shard_cells_idx.size(),
             plan.cells.size(), plan.repetitions, study.seed, study.timeout_s);
  for (std::size_t ti = 0; ti < plan.targets.size(); ++ti) {
    const TargetState& s = targets[ti];
    if (!s.used) continue;
    fmt::print("target {}: {}{}\n", plan.targets[ti].label(),
               s.available() ? std::string_view("present (checked when the sweep starts)") : status_name(s.status),
               s.reason.empty() ? "" : " (" + s.reason + ")");
  }
  std::size_t todo = 0;
  for (auto i : study.shard_cells_idx) {
    const auto& pc = plan.cells[i];
    std::int64_t have = 0;
    for (std::int64_t r = 1; r <= plan.repetitions; ++r) have += stored.contains({pc.record.cell.key(), r}) ? 1 : 0;
    if (targets[pc.target].available()) todo += static_cast<std::size_t>(plan.repetitions - have);
    std::string sweeps;
    for (const auto& t : pc.record.sweeps) sweeps += (sweeps.empty() ? "" : ",") + t.sweep;
    fmt::print("cell {:4}  {}  [{}]  stored {}/{}\n", i, describe(pc.record.cell), sweeps, have, plan.repetitions);
  }
  fmt::print("{} runs to do\n", todo);
  return kRunOk;
}

// The tracing engine the spec asks for, and why that one (engine_reason).
Stop check_engine(const Spec& spec, std::string& engine_reason) {
  try {
    auto choice = trace::choose_engine(spec.engine);
    engine_reason = fmt::format("{}{}", choice.engine->name(), choice.reason);
  } catch (const trace::TraceError& e) {
    return fail(kRunTracerFailure, fmt::format("engine {}: {}", spec.engine, e.what()));
  }
  return std::nullopt;
}

// The database, locked for this sweep, with the plan's cells in it (--retry-failed: less the
// shard's failed runs), and the runs it stores already.
Stop open_store(const RunOptions& opt, const Study& study, RunLock& lock, std::optional<store::Store>& st,
                std::map<store::RunKey, std::string>& stored) {
  if (std::string why = lock.acquire(opt.db_path); !why.empty()) return fail(kRunDatabaseError, why);
  const Plan& plan = study.plan;
  try {
    st.emplace(store::Store::open_for_run(
        opt.db_path, store::StudyIdentity{study.spec.study, plan.hash, study.spec.text, plan.canonical},
        study.taxonomy(), iso_now()));
    std::vector<store::CellRecord> records;
    records.reserve(plan.cells.size());
    for (const auto& pc : plan.cells) records.push_back(pc.record);
    st->ensure_cells(records);
    if (opt.retry_failed) {
      int n = st->delete_failed_runs(study.shard_keys);
      if (n > 0) fmt::print(stderr, "sysaxis run: {} failed run(s) deleted, to be run again\n", n);
    }
    stored = st->stored_runs();
  } catch (const store::StoreError& e) {
    return fail(kRunDatabaseError, e.what());
  }
  return std::nullopt;
}

// The runs of the shard in the seed's order, less those stored already.
std::vector<Task> runs_to_do(const Study& study, const std::map<store::RunKey, std::string>& stored) {
  std::vector<Task> tasks;
  for (const auto& t : schedule(study.shard_cells_idx, study.plan.repetitions, study.seed)) {
    if (!stored.contains({study.plan.cells[t.cell].record.cell.key(), t.rep})) tasks.push_back(t);
  }
  return tasks;
}

// The spec's environment, for the workloads (check runs included) to inherit.
void export_env(const Spec& spec) {
  for (const auto& [k, v] : spec.env) ::setenv(k.c_str(), v.c_str(), 1);
}

// The folder of the runs' result and output files.
Stop open_temp_dir(std::optional<TempDir>& tmp) {
  try {
    tmp.emplace("sysaxis-run");
  } catch (const std::exception& e) {
    return fail(kRunTracerFailure, e.what());
  }
  return std::nullopt;
}

// Every target with runs to do is checked with one small untraced run: exit code 4 (or 127)
// means its runtime, platform or device is not here: an optional target is then skipped, a
// required one ends the command. The check also warms caches (PoCL's kernel cache, the page
// cache of the runtime's libraries), so that the first measured run of a target is not a cold
// outlier.
Stop probe_targets(const Study& study, const std::vector<Task>& tasks, const std::string& tmp_dir,
                   std::vector<TargetState>& targets) {
  const Plan& plan = study.plan;
  std::vector<std::string> unavailable;
  for (std::size_t ti = 0; ti < plan.targets.size(); ++ti) {
    const Target& t = plan.targets[ti];
    TargetState& s = targets[ti];
    if (!s.used || !s.available()) continue;
    auto first =
        std::find_if(tasks.begin(), tasks.end(), [&](const Task& k) { return plan.cells[k.cell].target == ti; });
    if (first == tasks.end()) continue;
    store::Cell probe = plan.cells[first->cell].record.cell;
    probe.bytes = probe.workload == "resnet" ? 1 : 4096;
    probe.iters = 1;
    const std::string out = tmp_dir + "/probe.txt";
    const std::string json = tmp_dir + "/probe.json";
    fmt::print(stderr, "sysaxis run: checking {} ... ", t.label());
    std::fflush(stderr);
    const auto p0 = std::chrono::steady_clock::now();
    std::string why;
    try {
      auto ps = run_untraced(workload_command(probe, s.program, s.script, json),
                             std::min(kProbeTimeoutS, study.timeout_s), out);
      if (ps.exit_status == 4 || ps.exit_status == 127) {
        why = failure_line(read_tail(out, kOutputTail));
        if (why.empty()) why = "runtime, platform or device not available";
      }
    } catch (const std::exception& e) {
      why = e.what();
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - p0).count();
    if (why.empty()) {
      fmt::print(stderr, "available ({:.1f} s)\n", secs);
    } else if (t.optional) {
      s.status = TargetStatus::skipped;
      s.reason = fmt::format("backend not available: {}", why);
      fmt::print(stderr, "skipped: {}\n", why);
    } else {
      fmt::print(stderr, "not available\n");
      unavailable.push_back(
          fmt::format("{}: not available: {} (mark it optional = true in the spec, or leave it out with --backends)",
                      t.label(), why));
    }
  }
  if (!unavailable.empty()) {
    for (const auto& m : unavailable) fmt::print(stderr, "sysaxis run: {}\n", m);
    return kRunMissingWorkload;
  }
  return std::nullopt;
}

// The session (host, engine, options) and the state of each target of the shard, stored.
Stop record_session(const RunOptions& opt, const Study& study, const std::string& engine_reason,
                    const std::vector<TargetState>& targets, store::Store& st, std::int64_t& session_id) {
  try {
    store::Session session;
    session.uuid = new_uuid();
    collect_host(session);
    session.sysaxis_version = opt.sysaxis_version;
    session.sysaxis_revision = opt.sysaxis_revision;
    session.engine = study.spec.engine;
    session.engine_reason = engine_reason;
    session.seed = study.seed;
    session.shard = opt.shard.text();
    session.timeout_s = study.timeout_s;
    session.command = opt.command_line;
    session.env = nlohmann::json(study.spec.env).dump();
    session.started_at = iso_now();
    session_id = st.add_session(session);
    for (std::size_t ti = 0; ti < study.plan.targets.size(); ++ti) {
      if (!targets[ti].used) continue;
      const Target& t = study.plan.targets[ti];
      st.record_target(session_id,
                       store::TargetCheck{t.workload, t.backend, t.platform, t.device, t.exec,
                                          std::string(status_name(targets[ti].status)), targets[ti].reason});
    }
  } catch (const store::StoreError& e) {
    return fail(kRunDatabaseError, e.what());
  }
  return std::nullopt;
}

// Leaves out the runs of targets that are not available; returns how many runs of the shard are
// planned (stored or to do) on the available ones.
std::size_t keep_available_runs(const Study& study, const std::vector<TargetState>& targets, std::vector<Task>& tasks) {
  const Plan& plan = study.plan;
  std::erase_if(tasks, [&](const Task& k) { return !targets[plan.cells[k.cell].target].available(); });
  std::size_t planned = 0;
  for (auto i : study.shard_cells_idx) {
    if (targets[plan.cells[i].target].available()) planned += static_cast<std::size_t>(plan.repetitions);
  }
  return planned;
}

// The used targets that do not run, and why.
void print_left_out_targets(const Plan& plan, const std::vector<TargetState>& targets) {
  for (std::size_t ti = 0; ti < plan.targets.size(); ++ti) {
    if (targets[ti].used && !targets[ti].available()) {
      fmt::print(stderr, "sysaxis run: {} {}: {}\n", status_name(targets[ti].status), plan.targets[ti].label(),
                 targets[ti].reason);
    }
  }
}

void print_sweep_start(const RunOptions& opt, const Study& study, const std::string& engine_reason,
                       const std::vector<TargetState>& targets, std::size_t planned, std::size_t to_run) {
  const Plan& plan = study.plan;
  fmt::print(stderr, "sysaxis run: study {} (spec {}), shard {}, seed {}, engine {}\n", study.spec.study,
             plan.hash.substr(0, 12), opt.shard.text(), study.seed, engine_reason);
  fmt::print(stderr, "sysaxis run: {} runs planned ({} cells x {} repetitions), {} stored already, {} to run\n",
             planned, planned / static_cast<std::size_t>(plan.repetitions), plan.repetitions, planned - to_run, to_run);
  print_left_out_targets(plan, targets);
}

// How the sweep went.
struct SweepResult {
  int exit_code = kRunOk;  // kRunTracerFailure: the tracing engine failed on a run
  bool interrupted = false;
  std::size_t stored_now = 0;  // runs stored by this session
  double elapsed_s = 0;
};

// The sweep: each run traced and stored as soon as it ends, until all are done, a signal stops it
// or the engine fails (result.exit_code). Ends the command only when a run cannot be stored.
Stop sweep_runs(const Study& study, const std::vector<TargetState>& targets, const std::vector<Task>& tasks,
                const std::string& tmp_dir, store::Store& st, std::int64_t session_id, SweepResult& result) {
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  Progress progress(stderr, tasks.size(), terminal);
  const auto t0 = std::chrono::steady_clock::now();
  {
    StopSignals signals;
    for (std::size_t seq = 0; seq < tasks.size(); ++seq) {
      if (g_stop_signal != 0) {
        result.interrupted = true;
        break;
      }
      const Task& task = tasks[seq];
      const PlannedCell& pc = study.plan.cells[task.cell];
      const store::Cell& cell = pc.record.cell;
      const TargetState& ts = targets[pc.target];
      const std::string label = run_label(cell, task.rep);
      progress.start(label);

      store::RunRecord rec;
      rec.uuid = new_uuid();
      rec.cell_key = cell.key();
      rec.rep = task.rep;
      rec.session_id = session_id;
      rec.seq = static_cast<std::int64_t>(seq);
      Execution ex = execute(cell, ts, study.spec.engine, study.timeout_s, tmp_dir, std::move(rec));
      if (ex.kind == Execution::Kind::tracer_failed) {
        progress.clear();
        result.exit_code = fail(kRunTracerFailure, fmt::format("tracing {} failed: {}", label, ex.error));
        break;
      }
      if (ex.kind == Execution::Kind::interrupted) {
        result.interrupted = true;
        break;
      }
      try {
        st.record_run(ex.record, ex.counters);
      } catch (const store::StoreError& e) {
        progress.clear();
        fmt::print(stderr, "sysaxis run: cannot store {}: {}\n", label, e.what());
        fmt::print(stderr, "sysaxis run: {} runs of this session are stored; fix the cause and run again to continue\n",
                   result.stored_now);
        return kRunDatabaseError;
      }
      ++result.stored_now;
      progress.finish(label, ex.record.status, ex.record.reason, ex.seconds);
    }
  }
  progress.clear();
  result.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return std::nullopt;
}

// Ends the session; sum: what the shard stores now.
Stop close_session(store::Store& st, std::int64_t session_id, const std::set<std::string>& shard_keys,
                   ShardSummary& sum) {
  try {
    st.end_session(session_id, iso_now());
    sum = summarise(st, shard_keys);
  } catch (const store::StoreError& e) {
    return fail(kRunDatabaseError, e.what());
  }
  return std::nullopt;
}

// What the sweep did and what the shard stores now, its failures and the targets left out;
// returns the exit code of the command.
int print_summary(const RunOptions& opt, const Study& study, const std::vector<TargetState>& targets,
                  std::size_t planned, const SweepResult& result, const ShardSummary& sum) {
  std::string statuses;
  for (const auto& [status, n] : sum.by_status)
    statuses += fmt::format("{}{} {}", statuses.empty() ? "" : ", ", status, n);
  fmt::print(stderr, "sysaxis run: {} runs in {}; shard {} now stores {} of {} planned runs ({})\n", result.stored_now,
             Progress::duration(result.elapsed_s), opt.shard.text(), sum.stored, planned,
             statuses.empty() ? "none" : statuses);
  if (!sum.failures.empty()) {
    fmt::print(stderr, "sysaxis run: {} failed run(s), kept in the database with their reasons:\n",
               sum.failures.size());
    for (std::size_t i = 0; i < sum.failures.size() && i < kMaxFailuresListed; ++i) {
      fmt::print(stderr, "  {}\n", sum.failures[i]);
    }
    if (sum.failures.size() > kMaxFailuresListed) {
      fmt::print(stderr, "  ... and {} more (SELECT * FROM runs WHERE status <> 'ok')\n",
                 sum.failures.size() - kMaxFailuresListed);
    }
  }
  print_left_out_targets(study.plan, targets);
  fmt::print(stderr, "sysaxis run: database {}\n", opt.db_path);
  if (result.exit_code != kRunOk) return result.exit_code;
  if (result.interrupted) {
    fmt::print(stderr, "sysaxis run: interrupted; {} runs left: run the same command again to continue\n",
               planned > static_cast<std::size_t>(sum.stored) ? planned - static_cast<std::size_t>(sum.stored) : 0);
    return kRunInterrupted;
  }
  return sum.failures.empty() ? kRunOk : kRunSomeFailed;
}

}  // namespace

int run_study(const RunOptions& opt) {
  // ---- spec, taxonomy, plan; targets: filtered, skipped, missing
  Study study;
  if (Stop stop = load_study(opt, study)) return *stop;
  std::vector<TargetState> targets;
  if (Stop stop = resolve_targets(opt, study, targets)) return *stop;
  if (opt.dry_run) return print_dry_run(opt, study, targets);

  // ---- engine, store
  std::string engine_reason;
  if (Stop stop = check_engine(study.spec, engine_reason)) return *stop;
  RunLock lock;
  std::optional<store::Store> st;
  std::map<store::RunKey, std::string> stored;
  if (Stop stop = open_store(opt, study, lock, st, stored)) return *stop;

  // ---- the runs to do, checking the targets; the session
  std::vector<Task> tasks = runs_to_do(study, stored);
  export_env(study.spec);
  std::optional<TempDir> tmp;
  if (Stop stop = open_temp_dir(tmp)) return *stop;
  if (Stop stop = probe_targets(study, tasks, tmp->str(), targets)) return *stop;
  std::int64_t session_id = 0;
  if (Stop stop = record_session(opt, study, engine_reason, targets, *st, session_id)) return *stop;
  const std::size_t planned = keep_available_runs(study, targets, tasks);
  print_sweep_start(opt, study, engine_reason, targets, planned, tasks.size());

  // ---- the sweep, the summary
  SweepResult result;
  if (Stop stop = sweep_runs(study, targets, tasks, tmp->str(), *st, session_id, result)) return *stop;
  ShardSummary sum;
  if (Stop stop = close_session(*st, session_id, study.shard_keys, sum)) return *stop;
  return print_summary(opt, study, targets, planned, result, sum);
}

}  // namespace sysaxis::sweep
