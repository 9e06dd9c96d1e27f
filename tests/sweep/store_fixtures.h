// Helpers shared by the store tests: a temporary folder, a synthetic study with runs.
#pragma once

#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>
#include <string>

#include "store/store.h"
#include "syscalls/taxonomy.h"
#include "trace/trace.h"

namespace store_test {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sysaxis-store-test.XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline sysaxis::store::StudyIdentity identity(const std::string& hash = "hash-a") {
  return {"study-x", hash, "spec text", "{}"};
}

inline sysaxis::store::Cell cell(std::uint64_t bytes, const std::string& backend = "opencl") {
  sysaxis::store::Cell c;
  c.backend = backend;
  c.platform = backend == "opencl" ? "P" : "";
  c.exec = backend == "cpu" ? "cpu" : "kernels";
  c.bytes = bytes;
  c.iters = 10;
  return c;
}

// A trace of two processes: the command (two threads) and a child.
inline sysaxis::trace::TraceResult trace_result() {
  using sysaxis::syscalls::Abi;
  sysaxis::trace::TraceResult t;
  t.engine = "ptrace";
  t.wall_ns = 1000;
  auto row = [](const char* phase, pid_t pid, pid_t tid, const char* comm, Abi abi, const char* sc, const char* detail,
                std::uint64_t calls) {
    sysaxis::trace::Row r;
    r.phase = phase;
    r.pid = pid;
    r.tid = tid;
    r.comm = comm;
    r.abi = abi;
    r.syscall = sc;
    r.detail = detail;
    r.calls = calls;
    r.errors = 1;
    r.time_ns = 10 * calls;
    r.max_ns = calls;
    return r;
  };
  t.rows = {
      row("work", 100, 100, "wl", Abi::x86_64, "futex", "", 5),
      row("work", 100, 101, "worker", Abi::x86_64, "futex", "", 7),
      row("work", 100, 102, "worker", Abi::x86_64, "futex", "", 2),
      row("work", 100, 100, "wl", Abi::x86_64, "ioctl", "nvidiactl:RM_ALLOC", 3),
      row("work", 100, 100, "wl", Abi::i386, "open", "", 1),
      row("init", 100, 100, "wl", Abi::x86_64, "mmap", "anon", 4),
      row("work", 250, 250, "child", Abi::x86_64, "futex", "", 1),
  };
  sysaxis::trace::FaultRow f1{"work", 100, 10, 1, 2, 3, ""};
  sysaxis::trace::FaultRow f2{"work", 250, 5, 0, 1, 0, ""};
  t.faults = {f1, f2};
  sysaxis::trace::ProcessInfo p1;
  p1.pid = 100;
  p1.comm = "wl";
  p1.phases = {"startup", "init", "work"};
  p1.exit_code = 0;
  sysaxis::trace::ProcessInfo p2;
  p2.pid = 250;
  p2.parent = 100;
  p2.comm = "child";
  p2.phases = {"work"};
  p2.exit_code = 0;
  t.processes = {p1, p2};
  return t;
}

inline sysaxis::store::RunRecord run_record(const sysaxis::store::Cell& c, std::int64_t rep, std::int64_t session,
                                            const std::string& uuid, const std::string& status = "ok") {
  sysaxis::store::RunRecord r;
  r.uuid = uuid;
  r.cell_key = c.key();
  r.rep = rep;
  r.session_id = session;
  r.status = status;
  r.reason = status == "ok" ? "" : "because";
  r.started_at = "2025-01-01T00:00:00.000Z";
  r.ended_at = "2025-01-01T00:00:01.000Z";
  r.engine = "ptrace";
  r.wall_ns = 1000;
  r.runtime_version = "rt 1";
  r.command = "[]";
  r.notes = "[]";
  return r;
}

inline sysaxis::store::Session session(const std::string& uuid) {
  sysaxis::store::Session s;
  s.uuid = uuid;
  s.host = "host-" + uuid;
  s.cpu = "cpu";
  s.cpus = 2;
  s.kernel = "Linux";
  s.os = "Debian";
  s.sysaxis_version = "0.1.0";
  s.sysaxis_revision = "abc";
  s.engine = "auto";
  s.engine_reason = "ptrace";
  s.seed = 1;
  s.shard = "0/1";
  s.command = "sysaxis run";
  s.env = "{}";
  s.extra = "{}";
  s.started_at = "2025-01-01T00:00:00.000Z";
  return s;
}

// A study with `cells` opencl cells of which the runs (cell index, rep) in `runs` are stored.
inline void make_study(const std::string& path, const std::string& hash, int cells,
                       const std::vector<std::pair<int, int>>& runs, const std::string& tag) {
  auto st = sysaxis::store::Store::open_for_run(path, identity(hash), sysaxis::syscalls::Taxonomy::builtin(), "now");
  std::vector<sysaxis::store::CellRecord> recs;
  for (int i = 0; i < cells; ++i) recs.push_back({cell(4096U * static_cast<std::uint64_t>(i + 1)), {{"Q1", "Q1"}}});
  st.ensure_cells(recs);
  auto sid = st.add_session(session(tag));
  for (const auto& [c, rep] : runs) {
    st.record_run(
        run_record(cell(4096U * static_cast<std::uint64_t>(c + 1)), rep, sid, fmt::format("{}-{}-{}", tag, c, rep)),
        sysaxis::store::counters_from_trace(trace_result()));
  }
}

}  // namespace store_test
