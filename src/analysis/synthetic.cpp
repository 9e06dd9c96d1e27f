#include "analysis/synthetic.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <numbers>
#include <stdexcept>

#include "analysis/stats.h"

namespace sysaxis::analysis::synthetic {

namespace {

struct Db {
  sqlite3* db = nullptr;
  ~Db() { sqlite3_close(db); }
  void exec(const std::string& sql) const {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw std::runtime_error(fmt::format("synthetic study: {}: {}", msg, sql.substr(0, 80)));
    }
  }
};

struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error(fmt::format("synthetic study: {}", sqlite3_errmsg(db)));
    }
  }
  ~Stmt() { sqlite3_finalize(s); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  void text(int i, const std::string& v) const { sqlite3_bind_text(s, i, v.c_str(), -1, SQLITE_TRANSIENT); }
  void integer(int i, std::int64_t v) const { sqlite3_bind_int64(s, i, v); }
  void run(sqlite3* db) const {
    if (sqlite3_step(s) != SQLITE_DONE)
      throw std::runtime_error(fmt::format("synthetic study: {}", sqlite3_errmsg(db)));
    sqlite3_reset(s);
  }
};

class Noise {
 public:
  explicit Noise(std::uint64_t seed) : rng_(seed) {}
  std::int64_t apply(double v, double cv) {
    if (cv > 0) {
      double u1 = (static_cast<double>(rng_.next() >> 11) + 0.5) / 9007199254740992.0;
      double u2 = (static_cast<double>(rng_.next() >> 11) + 0.5) / 9007199254740992.0;
      v *= 1 + cv * std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
    }
    return std::max<std::int64_t>(0, std::llround(v));
  }

 private:
  stats::Rng rng_;
};

}  // namespace

void write_study(const std::string& path, const std::vector<Series>& series,
                 const std::map<std::string, std::string>& provenance, std::uint64_t seed) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
  Db db;
  if (sqlite3_open(path.c_str(), &db.db) != SQLITE_OK) {
    throw std::runtime_error(fmt::format("synthetic study: cannot create {}", path));
  }
  db.exec(
      "CREATE TABLE runs (run_id INTEGER PRIMARY KEY, backend TEXT, platform TEXT, device TEXT, exec TEXT, "
      "bytes INTEGER, iters INTEGER, rep INTEGER, status TEXT, wall_ns INTEGER, engine TEXT, alloc_op TEXT, "
      "sync TEXT, threads INTEGER, workload TEXT, study TEXT);"
      "CREATE TABLE counts (run_id INTEGER, phase TEXT, syscall TEXT, detail TEXT, category TEXT, calls INTEGER, "
      "errors INTEGER, time_ns INTEGER);"
      "CREATE TABLE faults (run_id INTEGER, phase TEXT, minor INTEGER, major INTEGER, vol_cs INTEGER, "
      "invol_cs INTEGER);"
      "CREATE TABLE provenance (key TEXT PRIMARY KEY, value TEXT);"
      "BEGIN;");
  Stmt run(db.db, "INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  Stmt count(db.db, "INSERT INTO counts VALUES (?,?,?,?,?,?,?,?)");
  Stmt fault(db.db, "INSERT INTO faults VALUES (?,?,?,?,?,?)");
  Noise noise(seed);
  std::int64_t id = 0;
  for (const auto& s : series) {
    for (auto bytes : s.bytes) {
      for (auto iters : s.iters) {
        for (int rep = 0; rep < s.reps; ++rep) {
          ++id;
          run.integer(1, id);
          run.text(2, s.backend);
          run.text(3, s.platform);
          run.text(4, s.device);
          run.text(5, s.exec);
          run.integer(6, bytes);
          run.integer(7, iters);
          run.integer(8, rep);
          run.text(9, s.status);
          run.integer(10, 1000000 + id);
          run.text(11, s.engine);
          run.text(12, s.alloc_op);
          run.text(13, s.sync);
          run.integer(14, s.threads);
          run.text(15, s.workload);
          run.text(16, s.study);
          run.run(db.db);
          for (const auto& r : s.rows) {
            std::int64_t calls = noise.apply(r.calls(bytes, iters), s.noise);
            if (calls == 0) continue;
            count.integer(1, id);
            count.text(2, r.phase);
            count.text(3, r.syscall);
            count.text(4, r.detail);
            count.text(5, r.category);
            count.integer(6, calls);
            count.integer(7, 0);
            count.integer(8, std::llround(static_cast<double>(calls) * r.ns_per_call));
            count.run(db.db);
          }
          for (const auto& f : s.faults) {
            auto value = [&](const Model& m) { return m ? noise.apply(m(bytes, iters), s.noise) : 0; };
            fault.integer(1, id);
            fault.text(2, f.phase);
            fault.integer(3, value(f.minor));
            fault.integer(4, value(f.major));
            fault.integer(5, value(f.vol_cs));
            fault.integer(6, value(f.invol_cs));
            fault.run(db.db);
          }
        }
      }
    }
  }
  Stmt prov(db.db, "INSERT INTO provenance VALUES (?,?)");
  for (const auto& [k, v] : provenance) {
    prov.text(1, k);
    prov.text(2, v);
    prov.run(db.db);
  }
  db.exec("COMMIT;");
}

}  // namespace sysaxis::analysis::synthetic
