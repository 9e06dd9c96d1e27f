#include "synthetic_study.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

namespace sysaxis::testing {

using nlohmann::json;

namespace {

using Model = std::function<double(std::int64_t bytes, std::int64_t iters)>;

struct Row {
  std::string phase, syscall, detail, category;
  Model calls;
};
struct FaultModel {
  std::string phase;
  Model minor, vol_cs;
};
struct Series {
  std::string backend, platform, device, exec, alloc_op = "free", sync = "each", workload = "micro", engine = "ebpf";
  std::int64_t threads = 1;
  std::vector<std::int64_t> bytes, iters;
  std::vector<Row> rows;
  std::vector<FaultModel> faults;
  std::string runtime;  // display label
  std::string exec_label() const {
    if (exec == "alloc") return "alloc, " + alloc_op;
    if (exec == "kernels") return "kernels, sync " + sync;
    return exec;
  }
};

Model constant(double c) {
  return [c](std::int64_t, std::int64_t) { return c; };
}
Model per_iter(double c0, double c1) {
  return [c0, c1](std::int64_t, std::int64_t i) { return c0 + c1 * static_cast<double>(i); };
}
Model per_page(double c0, double per_page_factor) {
  return [c0, per_page_factor](std::int64_t b, std::int64_t) {
    return c0 + per_page_factor * static_cast<double>(b) / 4096;
  };
}

std::vector<Row> common_rows() {
  return {{"startup", "openat", "", "file", constant(40)},       {"startup", "read", "", "file", constant(30)},
          {"startup", "mmap", "file", "memory", constant(25)},   {"startup", "execve", "", "process", constant(1)},
          {"startup", "uname", "", "info", constant(2)},         {"teardown", "munmap", "", "memory", constant(10)},
          {"teardown", "exit_group", "", "process", constant(1)}};
}

std::vector<Series> study_series(const SyntheticOptions& o) {
  const std::vector<std::int64_t> bytes = {4096, 1 << 20, 16 << 20};
  const std::vector<std::int64_t> iters = {1, 10, 100};
  std::vector<Series> out;
  Series cpu;
  cpu.backend = "cpu";
  cpu.exec = "cpu";
  cpu.runtime = "cpu";
  cpu.bytes = bytes;
  cpu.iters = iters;
  cpu.rows = common_rows();
  cpu.rows.push_back({"init", "mmap", "anon", "memory", constant(2)});
  cpu.faults = {{"startup", constant(200), constant(1)},
                {"work", per_page(5, 1), constant(0)},
                {"teardown", constant(10), constant(0)}};
  out.push_back(cpu);
  // One cell of the baseline again under ptrace, which perturbs: a few more futex calls.
  Series traced = cpu;
  traced.engine = "ptrace";
  traced.bytes = {1 << 20};
  traced.iters = {10};
  traced.rows.push_back({"work", "futex", "", "sync", constant(3)});
  if (o.engine.empty()) out.push_back(traced);
  if (o.gpu) {
    for (const char* exec : {"alloc", "kernels"}) {
      Series ocl;
      ocl.backend = "opencl";
      ocl.platform = "Portable Computing Language";
      ocl.device = "pthread-cpu";
      ocl.exec = exec;
      ocl.runtime = "opencl";
      ocl.bytes = bytes;
      ocl.iters = iters;
      ocl.rows = common_rows();
      ocl.rows.push_back({"init", "clone3", "", "thread", constant(8)});
      ocl.rows.push_back({"init", "futex", "", "sync", constant(20)});
      ocl.rows.push_back({"init", "openat", "", "file", constant(60)});
      if (std::string(exec) == "alloc") {
        ocl.rows.push_back({"work", "mmap", "anon", "memory", per_iter(0, 1)});
        ocl.rows.push_back({"work", "munmap", "", "memory", per_iter(0, 1)});
        ocl.faults = {{"init", constant(900), constant(5)}, {"work", per_page(0, 2), constant(0)}};
      } else {
        ocl.rows.push_back({"work", "futex", "", "sync", per_iter(2, 4)});
        ocl.rows.push_back({"work", "sched_yield", "", "sched", per_iter(0, 1)});
        ocl.faults = {{"init", constant(900), constant(5)}, {"work", per_page(0, 1), per_iter(0, 2)}};
      }
      out.push_back(ocl);
      Series cuda;
      cuda.backend = "cuda";
      cuda.platform = "NVIDIA CUDA";
      cuda.device = kEvilDevice;
      cuda.exec = exec;
      cuda.runtime = "cuda";
      cuda.bytes = bytes;
      cuda.iters = iters;
      cuda.rows = common_rows();
      cuda.rows.push_back({"init", "ioctl", "nvidiactl:RM_ALLOC", "driver", constant(150)});
      cuda.rows.push_back({"init", "ioctl", "nvidia-uvm:UVM_INITIALIZE", "driver", constant(12)});
      cuda.rows.push_back({"init", "clone3", "", "thread", constant(4)});
      cuda.rows.push_back({"init", "futex", "", "sync", constant(20)});
      cuda.rows.push_back({"init", "mmap", "nvidia0", "memory", constant(40)});
      cuda.rows.push_back({"teardown", "ioctl", "nvidiactl:RM_FREE", "driver", constant(30)});
      if (std::string(exec) == "alloc") {
        cuda.rows.push_back({"work", "ioctl", "nvidiactl:RM_ALLOC", "driver", per_iter(0, 4)});
        cuda.rows.push_back({"work", "mmap", "nvidia0", "memory", per_iter(0, 2)});
        cuda.rows.push_back({"work", "munmap", "", "memory", per_iter(0, 2)});
      } else {
        cuda.rows.push_back({"work", "ioctl", "nvidia-uvm:UVM_MAP", "driver", per_iter(1, 3)});
        cuda.rows.push_back({"work", "futex", "", "sync", per_iter(0, 2)});
      }
      cuda.faults = {{"init", constant(3000), constant(10)}, {"work", constant(20), per_iter(0, 1)}};
      out.push_back(cuda);
    }
  }
  if (o.resnet) {
    for (const char* device : {"cpu", "cuda"}) {
      Series r;
      r.backend = std::string(device) == "cpu" ? "cpu" : "cuda";
      r.platform = "torch";
      r.device = std::string(device) == "cpu" ? "" : kEvilDevice;
      r.exec = device;
      r.workload = "resnet";
      r.runtime = r.backend;
      r.bytes = {1, 8};
      r.iters = {10};
      r.rows = {{"startup", "openat", "", "file", constant(3000)},
                {"startup", "mmap", "file", "memory", constant(800)},
                {"init", "mmap", "anon", "memory", constant(300)},
                {"teardown", "munmap", "", "memory", constant(100)}};
      if (std::string(device) == "cpu") {
        r.rows.push_back({"work", "futex", "", "sync",
                          [](std::int64_t b, std::int64_t i) { return 10.0 * static_cast<double>(b * i); }});
      } else {
        r.rows.push_back({"init", "ioctl", "nvidiactl:RM_ALLOC", "driver", constant(5000)});
        r.rows.push_back({"work", "ioctl", "nvidia-uvm:UVM_MAP", "driver", per_iter(0, 40)});
        r.rows.push_back({"work", "futex", "", "sync", per_iter(0, 20)});
      }
      out.push_back(r);
    }
  }
  if (!o.engine.empty()) {
    for (auto& series : out) series.engine = o.engine;
  }
  return out;
}

struct Db {
  sqlite3* db = nullptr;
  ~Db() { sqlite3_close(db); }
  void exec(const std::string& sql) const {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw std::runtime_error("synthetic study: " + msg);
    }
  }
};

struct Stmt {
  sqlite3_stmt* s = nullptr;
  sqlite3* db;
  Stmt(sqlite3* d, const char* sql) : db(d) {
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("synthetic study: ") + sqlite3_errmsg(db));
    }
  }
  ~Stmt() { sqlite3_finalize(s); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  void bind(int i, const std::string& v) const { sqlite3_bind_text(s, i, v.c_str(), -1, SQLITE_TRANSIENT); }
  void bind(int i, std::int64_t v) const { sqlite3_bind_int64(s, i, v); }
  void run() const {
    if (sqlite3_step(s) != SQLITE_DONE) throw std::runtime_error(std::string("synthetic study: ") + sqlite3_errmsg(db));
    sqlite3_reset(s);
  }
};

// Deterministic noise of about ±2%.
std::int64_t noisy(double v, std::uint64_t& state) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  const double u = static_cast<double>(state >> 11) / 9007199254740992.0;
  return std::max<std::int64_t>(0, std::llround(v * (1 + 0.04 * (u - 0.5))));
}

}  // namespace

void write_synthetic_study(const std::string& path, const SyntheticOptions& options) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
  Db db;
  if (sqlite3_open(path.c_str(), &db.db) != SQLITE_OK)
    throw std::runtime_error("synthetic study: cannot create " + path);
  db.exec(
      "CREATE TABLE runs (run_id INTEGER PRIMARY KEY, backend TEXT, platform TEXT, device TEXT, exec TEXT, "
      "bytes INTEGER, iters INTEGER, rep INTEGER, status TEXT, wall_ns INTEGER, engine TEXT, alloc_op TEXT, "
      "sync TEXT, threads INTEGER, workload TEXT, study TEXT);"
      "CREATE TABLE counts (run_id INTEGER, phase TEXT, syscall TEXT, detail TEXT, category TEXT, calls INTEGER, "
      "errors INTEGER, time_ns INTEGER);"
      "CREATE TABLE faults (run_id INTEGER, phase TEXT, minor INTEGER, major INTEGER, vol_cs INTEGER, "
      "invol_cs INTEGER);"
      "CREATE TABLE provenance (key TEXT, value TEXT);"
      "BEGIN;");
  Stmt run(db.db, "INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  Stmt count(db.db, "INSERT INTO counts VALUES (?,?,?,?,?,?,?,?)");
  Stmt fault(db.db, "INSERT INTO faults VALUES (?,?,?,0,?,0)");
  std::uint64_t state = 42;
  std::int64_t id = 0;
  for (const auto& s : study_series(options)) {
    for (auto b : s.bytes) {
      for (auto i : s.iters) {
        for (int rep = 0; rep < options.reps; ++rep) {
          ++id;
          run.bind(1, id);
          run.bind(2, s.backend);
          run.bind(3, s.platform);
          run.bind(4, s.device);
          run.bind(5, s.exec);
          run.bind(6, b);
          run.bind(7, i);
          run.bind(8, static_cast<std::int64_t>(rep));
          run.bind(9, std::string("ok"));
          run.bind(10, static_cast<std::int64_t>(1000000 + 1000 * id));
          run.bind(11, s.engine);
          run.bind(12, s.alloc_op);
          run.bind(13, s.sync);
          run.bind(14, s.threads);
          run.bind(15, s.workload);
          run.bind(16, std::string("synthetic"));
          run.run();
          for (const auto& r : s.rows) {
            const std::int64_t calls = noisy(r.calls(b, i), state);
            if (calls == 0) continue;
            count.bind(1, id);
            count.bind(2, r.phase);
            count.bind(3, r.syscall);
            count.bind(4, r.detail);
            count.bind(5, r.category);
            count.bind(6, calls);
            count.bind(7, static_cast<std::int64_t>(r.syscall == "openat" ? calls / 10 : 0));
            count.bind(8, calls * 500);
            count.run();
          }
          for (const auto& f : s.faults) {
            fault.bind(1, id);
            fault.bind(2, f.phase);
            fault.bind(3, noisy(f.minor(b, i), state));
            fault.bind(4, noisy(f.vol_cs(b, i), state));
            fault.run();
          }
        }
      }
    }
  }
  // One run that did not complete.
  ++id;
  db.exec(
      fmt::format("INSERT INTO runs VALUES ({}, 'cpu', '', '', 'cpu', 4096, 1000, 0, 'timeout', NULL, 'ebpf', "
                  "'free', 'each', 1, 'micro', 'synthetic')",
                  id));
  Stmt prov(db.db, "INSERT INTO provenance VALUES (?, ?)");
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"host", "lab-host | `x` <b>bold</b>"},
           {"kernel", "6.1.0-test"},
           {"cpu", "Synthetic CPU @ 3 GHz"},
           {"sysaxis_revision", "abc123"},
           {"study", "synthetic"},
           {"command", "sysaxis run --spec specs/smoke.toml --db \"study.db\" && echo <done>"},
           {"driver_version.cuda", "580.00"},
           {"device.cuda", kEvilDevice}}) {
    prov.bind(1, k);
    prov.bind(2, v);
    prov.run();
  }
  db.exec("COMMIT;");
}

namespace {

// Model means per series, category and scope ("all" = the sum over phases, else a phase).
double mean_of(const Series& s, const std::string& category, const std::string& scope, std::int64_t b, std::int64_t i) {
  double sum = 0;
  for (const auto& r : s.rows) {
    if ((scope == "all" || r.phase == scope) && r.category == category) sum += r.calls(b, i);
  }
  for (const auto& f : s.faults) {
    if ((scope == "all" || f.phase == scope) && category == "faults:minor") sum += f.minor(b, i);
    if ((scope == "all" || f.phase == scope) && category == "cs:voluntary") sum += f.vol_cs(b, i);
  }
  return sum;
}

std::vector<std::string> categories_of(const Series& s) {
  std::set<std::string> c;
  for (const auto& r : s.rows) c.insert(r.category);
  if (!s.faults.empty()) {
    c.insert("faults:minor");
    c.insert("cs:voluntary");
  }
  return {c.begin(), c.end()};
}

json series_fields(const Series& s) {
  return {{"db", 0},
          {"runtime", s.runtime},
          {"backend", s.backend},
          {"platform", s.platform},
          {"device", s.device},
          {"exec", s.exec},
          {"alloc_op", s.exec == "alloc" ? s.alloc_op : ""},
          {"sync", s.exec == "kernels" ? s.sync : ""},
          {"threads", s.threads},
          {"engine", "ebpf"}};
}

}  // namespace

json synthetic_analysis(const std::string& path) {
  SyntheticOptions o;
  // Which options wrote the file: read the run count back.
  Db db;
  if (sqlite3_open_v2(path.c_str(), &db.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    throw std::runtime_error("synthetic analysis: cannot open " + path);
  }
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::int64_t, std::int64_t>,
           std::vector<std::int64_t>>
      ids;  // (backend, exec, workload, device, bytes, iters) -> run ids, engine ebpf
  std::int64_t ok = 0;
  bool has_resnet = false;
  bool has_gpu = false;
  {
    Stmt q(db.db,
           "SELECT run_id, backend, exec, workload, device, bytes, iters, status, engine FROM runs ORDER BY run_id");
    while (sqlite3_step(q.s) == SQLITE_ROW) {
      auto txt = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(q.s, c))); };
      if (txt(7) != "ok") continue;
      ++ok;
      if (txt(8) != "ebpf") continue;
      has_resnet = has_resnet || txt(3) == "resnet";
      has_gpu = has_gpu || txt(1) == "cuda";
      ids[{txt(1), txt(2), txt(3), txt(4), sqlite3_column_int64(q.s, 5), sqlite3_column_int64(q.s, 6)}].push_back(
          sqlite3_column_int64(q.s, 0));
    }
  }
  o.resnet = has_resnet;
  o.gpu = has_gpu;
  const auto all_series = study_series(o);

  json a;
  a["schema"] = "sysaxis.analysis/1";
  a["generator"] = {{"tool", "synthetic"}, {"version", "0"}, {"revision", "test"}};
  a["method"] = {{"fit", "count = c0 + c1*x"}, {"bootstrap", 200}, {"confidence", 0.95}, {"seed", 1}, {"material", 1}};
  a["questions"] = json::array({{{"id", "Q1"}, {"axis", "bytes"}, {"text", "Q1 size: synthetic question text"}}});
  a["inputs"] = json::array({{{"db", 0}, {"path", path}, {"label", "lab-host"}, {"runs_ok", ok}}});
  a["fits"] = json::array();
  a["claims"] = json::array();
  a["q3"] = json::array();
  a["vendor"] = json::array();
  a["notes"] = json::array({"synthetic analysis for tests"});

  // Q1 and Q2 fits: the models are affine in each axis, so OLS over three levels is exact.
  std::map<std::string, std::map<std::string, std::string>> class_by;  // vendor key -> runtime -> class
  for (const auto& s : all_series) {
    if (s.workload != "micro" || s.engine != "ebpf") continue;
    for (const char* q : {"Q1", "Q2"}) {
      const bool q1 = std::string(q) == "Q1";
      const auto& fixed_values = q1 ? s.iters : s.bytes;
      const auto& xs = q1 ? s.bytes : s.iters;
      for (const char* scope : {"all", "work"}) {
        for (const auto& cat : categories_of(s)) {
          std::string cls_all;
          for (auto fixed : fixed_values) {
            std::vector<double> x;
            std::vector<double> y;
            json levels = json::array();
            json run_ids = json::array();
            for (auto v : xs) {
              const std::int64_t b = q1 ? v : fixed;
              const std::int64_t i = q1 ? fixed : v;
              const double m = mean_of(s, cat, scope, b, i);
              x.push_back(q1 ? static_cast<double>(v) / 1048576.0 : static_cast<double>(v));
              y.push_back(m);
              levels.push_back({{"x", x.back()}, {"n", 3}, {"mean", m}, {"sd", 0}, {"min", m}, {"max", m}});
              for (auto id : ids[{s.backend, s.exec, s.workload, s.device, b, i}]) run_ids.push_back(id);
            }
            double mx = 0;
            double my = 0;
            for (std::size_t k = 0; k < x.size(); ++k) {
              mx += x[k] / static_cast<double>(x.size());
              my += y[k] / static_cast<double>(x.size());
            }
            double sxy = 0;
            double sxx = 0;
            for (std::size_t k = 0; k < x.size(); ++k) {
              sxy += (x[k] - mx) * (y[k] - my);
              sxx += (x[k] - mx) * (x[k] - mx);
            }
            const double c1 = sxy / sxx;
            const double c0 = my - c1 * mx;
            const bool flat = std::abs(c1) * (x.back() - x.front()) <= 0.01 * std::max(1.0, std::abs(c0));
            const std::string cls = flat ? "flat" : "linear";
            cls_all = cls;
            json f = series_fields(s);
            f["id"] = fmt::format("{}/{}/{}/{}/{}/{}", q, s.backend, s.exec_label(), scope, cat, fixed);
            f["question"] = q;
            f["workload"] = "micro";
            f["phase"] = scope;
            f["category"] = cat;
            f["axis"] = q1 ? "bytes" : "iters";
            f["x_unit"] = q1 ? "MiB" : "iteration";
            f["fixed"] = {{q1 ? "iters" : "bytes", fixed}};
            f["class"] = cls;
            f["reason"] = flat ? "c1 negligible" : "affine fit holds";
            f["c0"] = c0;
            f["c0_lo"] = c0 * 0.98;
            f["c0_hi"] = c0 * 1.02;
            f["c1"] = c1;
            f["c1_lo"] = c1 * 0.97;
            f["c1_hi"] = c1 * 1.03;
            f["levels"] = levels;
            f["run_ids"] = run_ids;
            a["fits"].push_back(f);
          }
          if (std::string(scope) != "all") continue;
          json c = series_fields(s);
          c["id"] = fmt::format("{}/{}/{}/{}", q, s.backend, s.exec_label(), cat);
          c["kind"] = "scaling";
          c["question"] = q;
          c["phase"] = "all";
          c["category"] = cat;
          c["classes"] = {{q, cls_all}};
          c["firm"] = true;
          c["text"] = fmt::format("On {} ({}), {} calls over the whole process {} {}, ruling out {}.", s.runtime,
                                  s.exec_label(), cat, cls_all == "flat" ? "are insensitive to" : "depend on",
                                  q1 ? "data size" : "iterations",
                                  cls_all == "flat" ? "per-unit work" : "a cost fixed at start-up");
          const std::string key = fmt::format("scaling|{}|all|{}|{}", s.exec_label(), cat, q);
          c["vendor_key"] = key;
          class_by[key][s.runtime] = cls_all;
          c["run_ids"] = json::array();
          for (const auto& f : a["fits"]) {
            if (f["question"] == q && f["phase"] == "all" && f["category"] == cat && f["backend"] == s.backend &&
                f["exec"] == s.exec) {
              for (const auto& id : f["run_ids"]) c["run_ids"].push_back(id);
            }
          }
          c["evidence"] = json::array({{{"fit", fmt::format("{}/{}/{}/all/{}/1", q, s.backend, s.exec_label(), cat)}}});
          std::string verdict = "cannot tell";
          if (s.backend == "cuda" && s.exec == "kernels" && cat == "driver") verdict = q1 ? "agrees" : "agrees";
          if (s.backend == "cpu" && cat == "faults:minor" && q1) verdict = "disagrees";
          c["resnet"] = {
              {"verdict", verdict}, {"reason", "synthetic check"}, {"fits", json::array()}, {"runs", json::array()}};
          a["claims"].push_back(c);
        }
      }
    }
  }
  // Vendor groups and annotations.
  for (auto& [key, by_runtime] : class_by) {
    std::set<std::string> classes;
    for (const auto& [rt, cls] : by_runtime) classes.insert(cls);
    const std::string annotation =
        by_runtime.size() < 2 ? "uncertain" : (classes.size() == 1 ? "vendor-agnostic" : "vendor-specific");
    json g = {{"key", key}, {"annotation", annotation}, {"reason", fmt::format("{} runtime(s)", by_runtime.size())}};
    const auto parts = key;  // scaling|exec|phase|category|question
    std::vector<std::string> f;
    std::size_t start = 0;
    while (true) {
      const std::size_t bar = parts.find('|', start);
      f.push_back(parts.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    g["kind"] = f[0];
    g["exec"] = f[1];
    g["phase"] = f[2];
    g["category"] = f[3];
    g["entries"] = json::array();
    g["claims"] = json::array();
    for (const auto& [rt, cls] : by_runtime) {
      g["entries"].push_back({{"db", 0}, {"runtime", rt}, {"identity", rt}, {"class", cls}, {"firm", true}});
    }
    for (auto& c : a["claims"]) {
      if (c["vendor_key"] == key) {
        c["annotation"] = annotation;
        c["annotation_reason"] = g["reason"];
        g["claims"].push_back(c["id"]);
      }
    }
    a["vendor"].push_back(g);
  }
  // Q3 cells for every GPU series at every cell, against the cpu baseline.
  const Series* cpu = nullptr;
  for (const auto& s : all_series) {
    if (s.backend == "cpu" && s.workload == "micro" && s.engine == "ebpf") cpu = &s;
  }
  for (const auto& s : all_series) {
    if (s.backend == "cpu" || s.workload != "micro" || s.engine != "ebpf") continue;
    for (auto b : s.bytes) {
      for (auto i : s.iters) {
        json cell = series_fields(s);
        cell["id"] = fmt::format("Q3/{}/{}/{}/{}", s.backend, s.exec_label(), b, i);
        cell["bytes"] = b;
        cell["iters"] = i;
        cell["phase"] = "all";
        cell["run_ids"] = ids[{s.backend, s.exec, s.workload, s.device, b, i}];
        cell["baseline"] = {{"backend", "cpu"}, {"exec", "cpu"}, {"run_ids", ids[{"cpu", "cpu", "micro", "", b, i}]}};
        double total = 0;
        std::set<std::string> cats;
        for (const auto& c : categories_of(s)) cats.insert(c);
        for (const auto& c : categories_of(*cpu)) cats.insert(c);
        for (const auto& c : cats) {
          if (c.find(':') == std::string::npos) total += mean_of(s, c, "all", b, i);
        }
        std::vector<std::pair<double, std::string>> ranked;
        for (const auto& c : cats) {
          if (c.find(':') == std::string::npos) ranked.emplace_back(-mean_of(s, c, "all", b, i), c);
        }
        std::sort(ranked.begin(), ranked.end());
        cell["categories"] = json::array();
        for (const auto& c : cats) {
          const double g = mean_of(s, c, "all", b, i);
          const double base = mean_of(*cpu, c, "all", b, i);
          json k = {{"category", c},
                    {"gpu_mean", g},
                    {"gpu_mean_lo", g * 0.98},
                    {"gpu_mean_hi", g * 1.02},
                    {"cpu_mean", base},
                    {"cpu_mean_lo", base * 0.98},
                    {"cpu_mean_hi", base * 1.02},
                    {"gpu_only", g >= 1 && base <= 0.05 * g}};
          if (c.find(':') == std::string::npos && total > 0) {
            k["calls_share"] = g / total;
            k["calls_share_lo"] = g / total * 0.95;
            k["calls_share_hi"] = std::min(1.0, g / total * 1.05);
            for (std::size_t r = 0; r < ranked.size(); ++r) {
              if (ranked[r].second == c) k["rank_calls"] = r + 1;
            }
          }
          cell["categories"].push_back(k);
        }
        a["q3"].push_back(cell);
      }
    }
  }
  a["resnet"] = {{"rule", "synthetic rule"}, {"profiles", json::array()}, {"fits", json::array()}};
  return a;
}

}  // namespace sysaxis::testing
