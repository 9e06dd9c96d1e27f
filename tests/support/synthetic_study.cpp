#include "synthetic_study.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <numbers>

#include "analysis/stats.h"
#include "store/store.h"
#include "syscalls/taxonomy.h"
#include "trace/trace.h"

namespace sysaxis::test {

Model constant(double c) {
  return [c](std::int64_t, std::int64_t) { return c; };
}

namespace {
constexpr std::int64_t kKiB = 1024;
constexpr std::int64_t kMiB = 1024 * kKiB;
}  // namespace

namespace {

class Noise {
 public:
  explicit Noise(std::uint64_t seed) : rng_(seed) {}
  std::uint64_t apply(double v, double cv) {
    if (cv > 0) {
      const double u1 = (static_cast<double>(rng_.next() >> 11) + 0.5) / 9007199254740992.0;
      const double u2 = (static_cast<double>(rng_.next() >> 11) + 0.5) / 9007199254740992.0;
      v *= 1 + cv * std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
    }
    return static_cast<std::uint64_t>(std::max<std::int64_t>(0, std::llround(v)));
  }

 private:
  analysis::stats::Rng rng_;
};

store::Cell cell_of(const Series& s, std::int64_t bytes, std::int64_t iters) {
  store::Cell c;
  c.workload = s.workload;
  c.backend = s.backend;
  c.platform = s.platform;
  c.device = s.device;
  c.exec = s.exec;
  c.bytes = static_cast<std::uint64_t>(bytes);
  c.iters = static_cast<std::uint64_t>(iters);
  c.alloc_op = s.alloc_op;
  c.sync = s.sync;
  c.threads = static_cast<std::uint64_t>(s.threads);
  return c;
}

}  // namespace

StudySpec gpu_study(const std::string& extra_platform) {
  StudySpec spec;
  spec.study = "synthetic-gpu";
  const std::vector<std::int64_t> bytes = {64 * kKiB, 1 * kMiB, 16 * kMiB, 64 * kMiB, 256 * kMiB};
  const std::vector<std::int64_t> iters = {1, 10, 100};
  auto mib = [](std::int64_t b) { return static_cast<double>(b) / kMiB; };
  auto common = [&](Series& s) {
    s.bytes = bytes;
    s.iters = iters;
    s.reps = 3;
    s.rows.push_back({"startup", "openat", "", constant(30), nullptr});
    s.rows.push_back({"startup", "mmap", "file", constant(20), nullptr});
    s.faults.push_back(
        {"init", [&](std::int64_t b, std::int64_t) { return 100 + 256 * mib(b); }, nullptr, constant(2), nullptr});
    s.cpu_user_ns = [](std::int64_t, std::int64_t) { return 50e6; };
    s.cpu_sys_ns = constant(10e6);
  };
  Series cpu;
  common(cpu);
  spec.series.push_back(cpu);
  auto gpu_alloc = [&](const std::string& backend, const std::string& platform) {
    Series s;
    s.backend = backend;
    s.platform = platform;
    s.exec = "alloc";
    common(s);
    s.rows.push_back({"init", "ioctl", "nvidiactl:RM_ALLOC", constant(400), constant(20000)});
    s.rows.push_back({"work", "ioctl", "nvidiactl:RM_FREE", [](std::int64_t, std::int64_t i) { return 7.0 * i; },
                      [&](std::int64_t b, std::int64_t) { return (73000 + 600 * mib(b)) / 7; }});
    s.rows.push_back(
        {"work", "mmap", "anon", [](std::int64_t b, std::int64_t i) { return b >= 64 * kMiB ? 3.0 * i : 0; }, nullptr});
    return s;
  };
  auto gpu_kernels = [&](const std::string& backend, const std::string& platform) {
    Series s;
    s.backend = backend;
    s.platform = platform;
    s.exec = "kernels";
    common(s);
    s.rows.push_back({"init", "ioctl", "nvidiactl:RM_ALLOC", constant(500), constant(20000)});
    s.cpu_user_ns = [](std::int64_t, std::int64_t i) { return 50e6 + 5e6 * static_cast<double>(i); };
    return s;
  };
  spec.series.push_back(gpu_alloc("cuda", ""));
  spec.series.push_back(gpu_kernels("cuda", ""));
  spec.series.push_back(gpu_alloc("opencl", "NVIDIA CUDA"));
  spec.series.push_back(gpu_kernels("opencl", "NVIDIA CUDA"));
  Series pocl;
  pocl.backend = "opencl";
  pocl.platform = "Portable Computing Language";
  pocl.exec = "kernels";
  common(pocl);
  pocl.rows.push_back({"work", "futex", "", [](std::int64_t, std::int64_t i) { return 8.0 * i; }, nullptr});
  spec.series.push_back(pocl);
  if (!extra_platform.empty()) {
    Series x = pocl;
    x.platform = extra_platform;
    x.device = extra_platform;
    spec.series.push_back(x);
  }
  return spec;
}

void write_study(const std::string& path, const StudySpec& spec) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
  store::StudyIdentity id{spec.study, "synthetic-spec-hash", "# synthetic", "{}"};
  store::Store st = store::Store::open_for_run(path, id, syscalls::Taxonomy::builtin(), "2026-01-01T00:00:00.000Z");
  std::vector<store::CellRecord> cells;
  for (const auto& s : spec.series) {
    for (auto b : s.bytes) {
      for (auto i : s.iters) cells.push_back({cell_of(s, b, i), {{"synthetic", "Q1"}}});
    }
  }
  st.ensure_cells(cells);
  store::Session session;
  session.uuid = "synthetic-session";
  session.host = spec.host;
  session.cpu = "synthetic CPU";
  session.cpus = 2;
  session.kernel = "Linux 6.18";
  session.os = "Debian 12";
  session.sysaxis_version = "test";
  session.sysaxis_revision = "test";
  session.engine = "auto";
  session.engine_reason = "synthetic";
  session.seed = spec.seed;
  session.shard = "0/1";
  session.command = "synthetic";
  session.env = "{}";
  session.extra = "{}";
  session.started_at = "2026-01-01T00:00:00.000Z";
  const std::int64_t sid = st.add_session(session);
  Noise noise(spec.seed);
  std::int64_t seq = 0;
  for (const auto& s : spec.series) {
    for (auto bytes : s.bytes) {
      for (auto iters : s.iters) {
        for (int rep = 1; rep <= s.reps; ++rep) {
          trace::TraceResult t;
          t.engine = s.engine;
          t.wall_ns = 1000000;
          for (const auto& r : s.rows) {
            const std::uint64_t calls = noise.apply(r.calls(bytes, iters), s.noise);
            if (calls == 0) continue;
            trace::Row row;
            row.phase = r.phase.empty() ? std::string(trace::kPhaseAll) : r.phase;
            row.pid = 100;
            row.tid = 100;
            row.comm = "wl";
            row.syscall = r.syscall;
            row.detail = r.detail;
            row.calls = calls;
            const double ns = r.ns_per_call ? r.ns_per_call(bytes, iters) : 100.0;
            row.time_ns = noise.apply(static_cast<double>(calls) * ns, s.noise);
            row.max_ns = row.time_ns;
            t.rows.push_back(row);
          }
          for (const auto& f : s.faults) {
            auto value = [&](const Model& m) { return m ? noise.apply(m(bytes, iters), s.noise) : 0; };
            t.faults.push_back({f.phase, 100, value(f.minor), value(f.major), value(f.vol_cs), value(f.invol_cs), ""});
          }
          trace::ProcessInfo p;
          p.pid = 100;
          p.comm = "wl";
          p.exit_code = 0;
          t.processes.push_back(p);
          store::RunRecord rec;
          rec.uuid = fmt::format("{}-{}-{}-{}-{}-{}", s.backend, s.exec, bytes, iters, rep, ++seq);
          rec.cell_key = cell_of(s, bytes, iters).key();
          rec.rep = rep;
          rec.session_id = sid;
          rec.seq = seq;
          rec.status = "ok";
          rec.exit_status = 0;
          rec.wall_ns = t.wall_ns;
          rec.started_at = "2026-01-01T00:00:00.000Z";
          rec.ended_at = "2026-01-01T00:00:01.000Z";
          rec.engine = s.engine;
          rec.platform = s.platform;
          rec.device = s.device;
          rec.verified = true;
          rec.command = "[]";
          rec.notes = "[]";
          if (s.cpu_user_ns) rec.cpu_user_ns = noise.apply(s.cpu_user_ns(bytes, iters), s.noise);
          if (s.cpu_sys_ns) rec.cpu_sys_ns = noise.apply(s.cpu_sys_ns(bytes, iters), s.noise);
          st.record_run(rec, store::counters_from_trace(t));
        }
      }
    }
  }
  st.end_session(sid, "2026-01-01T00:00:02.000Z");
}

}  // namespace sysaxis::test
