#include "report/study.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>

#include "report/palette.h"

namespace sysaxis::report {

bool is_event_category(std::string_view category) {
  return category.starts_with("faults:") || category.starts_with("cs:");
}

bool category_less(const std::string& a, const std::string& b) {
  const bool ea = is_event_category(a);
  const bool eb = is_event_category(b);
  if (ea != eb) return eb;
  // driver:<device> right after driver.
  const std::string_view ta = std::string_view(a).substr(0, a.starts_with("driver:") ? 6 : a.size());
  const std::string_view tb = std::string_view(b).substr(0, b.starts_with("driver:") ? 6 : b.size());
  const std::size_t ra = category_rank(ta);
  const std::size_t rb = category_rank(tb);
  if (ra != rb) return ra < rb;
  return a < b;
}

std::pair<std::string, std::string> split_category(std::string_view category, std::string_view detail) {
  std::string_view top = category.substr(0, category.find(':'));
  if (top.empty()) top = "other";
  if (top != "driver") return {std::string(top), {}};
  std::string_view device;
  if (const std::size_t colon = category.find(':'); colon != std::string_view::npos) {
    device = category.substr(colon + 1);
    device = device.substr(0, device.find(':'));
  } else {
    device = detail.substr(0, detail.find(':'));
  }
  return {std::string(top), std::string(device)};
}

void Study::index() {
  by_run.clear();
  for (const auto& c : counts) {
    auto& m = by_run[{c.db, c.run_id}][c.phase];
    m[c.category] += static_cast<double>(c.calls);
    if (!c.device.empty()) m[c.category + ":" + c.device] += static_cast<double>(c.calls);
  }
  for (const auto& f : faults) {
    auto& m = by_run[{f.db, f.run_id}][f.phase];
    m[std::string(kFaultsMinor)] += static_cast<double>(f.minor);
    m[std::string(kFaultsMajor)] += static_cast<double>(f.major);
    m[std::string(kCsVoluntary)] += static_cast<double>(f.vol_cs);
    m[std::string(kCsInvoluntary)] += static_cast<double>(f.invol_cs);
  }
}

double Study::whole_process(const RunKey& run, const std::string& category) const {
  auto r = by_run.find(run);
  if (r == by_run.end()) return 0;
  double sum = 0;
  for (const auto& [phase, cats] : r->second) {
    auto c = cats.find(category);
    if (c != cats.end()) sum += c->second;
  }
  return sum;
}

double Study::in_phase(const RunKey& run, const std::string& phase, const std::string& category) const {
  auto r = by_run.find(run);
  if (r == by_run.end()) return 0;
  auto p = r->second.find(phase);
  if (p == r->second.end()) return 0;
  auto c = p->second.find(category);
  return c == p->second.end() ? 0 : c->second;
}

const RunRow* Study::find_run(const RunKey& run) const {
  auto it = std::lower_bound(runs.begin(), runs.end(), run, [](const RunRow& r, const RunKey& k) {
    return RunKey{r.db, r.run_id} < k;
  });
  if (it == runs.end() || it->db != run.first || it->run_id != run.second) return nullptr;
  return &*it;
}

namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec)) throw DatabaseError(fmt::format("{}: no such file", path_));
    if (std::filesystem::is_directory(path_, ec)) throw DatabaseError(fmt::format("{}: is a directory", path_));
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) throw DatabaseError(fmt::format("{}: cannot open: {}", path_, errmsg()));
    sqlite3_busy_timeout(db_.get(), 5000);
  }

  std::string errmsg() const { return db_ ? sqlite3_errmsg(db_.get()) : "out of memory"; }

  std::unique_ptr<sqlite3_stmt, StmtFinalizer> prepare(const std::string& sql, std::string_view what) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
      std::unique_ptr<sqlite3_stmt, StmtFinalizer> guard(raw);
      throw DatabaseError(fmt::format("{}: {}: {}", path_, what, errmsg()));
    }
    return std::unique_ptr<sqlite3_stmt, StmtFinalizer>(raw);
  }

  bool step(sqlite3_stmt* s, std::string_view what) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw DatabaseError(fmt::format("{}: {}: {}", path_, what, errmsg()));
  }

  std::set<std::string> relations() {
    auto s = prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')", "not a SQLite database");
    std::set<std::string> names;
    while (step(s.get(), "not a SQLite database")) names.insert(text(s.get(), 0));
    return names;
  }

  static std::string text(sqlite3_stmt* s, int col) {
    const unsigned char* t = sqlite3_column_text(s, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(s, col)))
             : std::string();
  }
  static std::int64_t integer(sqlite3_stmt* s, int col) { return sqlite3_column_int64(s, col); }
  static bool null(sqlite3_stmt* s, int col) { return sqlite3_column_type(s, col) == SQLITE_NULL; }

 private:
  std::string path_;
  std::unique_ptr<sqlite3, DbCloser> db_;
};

void load_one(const std::string& path, std::size_t db, Study& study) {
  Reader r(path);
  StudyDb info;
  info.path = path;
  const std::set<std::string> names = r.relations();
  for (const char* required : {"runs", "counts"}) {
    if (!names.contains(required)) {
      throw DatabaseError(fmt::format("{}: not a sysaxis study database (no view '{}')", path, required));
    }
  }

  {
    const std::string what = "view runs does not match the contract";
    auto s = r.prepare(
        "SELECT run_id, backend, platform, device, exec, bytes, iters, rep, status, wall_ns, engine, alloc_op, sync, "
        "threads, workload, study FROM runs ORDER BY run_id",
        what);
    while (r.step(s.get(), what)) {
      RunRow row;
      row.db = db;
      row.run_id = Reader::integer(s.get(), 0);
      row.backend = Reader::text(s.get(), 1);
      row.platform = Reader::text(s.get(), 2);
      row.device = Reader::text(s.get(), 3);
      row.exec = Reader::text(s.get(), 4);
      row.bytes = Reader::integer(s.get(), 5);
      row.iters = Reader::integer(s.get(), 6);
      row.rep = Reader::integer(s.get(), 7);
      row.status = Reader::text(s.get(), 8);
      if (!Reader::null(s.get(), 9)) row.wall_ns = Reader::integer(s.get(), 9);
      row.engine = Reader::text(s.get(), 10);
      row.alloc_op = Reader::text(s.get(), 11);
      row.sync = Reader::text(s.get(), 12);
      row.threads = Reader::null(s.get(), 13) ? 1 : Reader::integer(s.get(), 13);
      row.workload = Reader::text(s.get(), 14);
      row.study = Reader::text(s.get(), 15);
      study.runs.push_back(std::move(row));
    }
  }

  {
    const std::string what = "view counts does not match the contract";
    auto s = r.prepare(
        "SELECT run_id, phase, category, detail, calls, errors, time_ns FROM counts "
        "ORDER BY run_id, phase, category, detail",
        what);
    std::map<std::tuple<std::int64_t, std::string, std::string, std::string>, CountRow> rows;
    while (r.step(s.get(), what)) {
      const std::int64_t run = Reader::integer(s.get(), 0);
      std::string phase = Reader::text(s.get(), 1);
      auto [category, device] = split_category(Reader::text(s.get(), 2), Reader::text(s.get(), 3));
      CountRow& row = rows[{run, phase, category, device}];
      row.db = db;
      row.run_id = run;
      row.phase = std::move(phase);
      row.category = std::move(category);
      row.device = std::move(device);
      row.calls += Reader::integer(s.get(), 4);
      row.errors += Reader::integer(s.get(), 5);
      row.time_ns += Reader::integer(s.get(), 6);
    }
    for (auto& [key, row] : rows) study.counts.push_back(std::move(row));
  }

  if (names.contains("faults")) {
    const std::string what = "view faults does not match the contract";
    auto s = r.prepare("SELECT run_id, phase, minor, major, vol_cs, invol_cs FROM faults ORDER BY run_id, phase", what);
    std::map<std::pair<std::int64_t, std::string>, FaultRow> rows;
    while (r.step(s.get(), what)) {
      const std::int64_t run = Reader::integer(s.get(), 0);
      std::string phase = Reader::text(s.get(), 1);
      FaultRow& row = rows[{run, phase}];
      row.db = db;
      row.run_id = run;
      row.phase = std::move(phase);
      row.minor += Reader::integer(s.get(), 2);
      row.major += Reader::integer(s.get(), 3);
      row.vol_cs += Reader::integer(s.get(), 4);
      row.invol_cs += Reader::integer(s.get(), 5);
    }
    for (auto& [key, row] : rows) study.faults.push_back(std::move(row));
  } else {
    info.notes.emplace_back("no faults view: page faults and context switches are not shown");
  }

  if (names.contains("provenance")) {
    const std::string what = "view provenance does not match the contract";
    auto s = r.prepare("SELECT DISTINCT key, value FROM provenance WHERE key IS NOT NULL ORDER BY key, value", what);
    while (r.step(s.get(), what)) info.provenance.emplace_back(Reader::text(s.get(), 0), Reader::text(s.get(), 1));
  } else {
    info.notes.emplace_back("no provenance view");
  }
  study.dbs.push_back(std::move(info));
}

}  // namespace

Study load_study(const std::vector<std::string>& paths) {
  Study study;
  for (std::size_t i = 0; i < paths.size(); ++i) load_one(paths[i], i, study);
  // (db, run_id) order; a run_id appearing twice in one database breaks the contract.
  std::stable_sort(study.runs.begin(), study.runs.end(), [](const RunRow& a, const RunRow& b) {
    return RunKey{a.db, a.run_id} < RunKey{b.db, b.run_id};
  });
  for (std::size_t i = 1; i < study.runs.size(); ++i) {
    if (study.runs[i].db == study.runs[i - 1].db && study.runs[i].run_id == study.runs[i - 1].run_id) {
      throw DatabaseError(
          fmt::format("{}: view runs has run_id {} twice", study.dbs[study.runs[i].db].path, study.runs[i].run_id));
    }
  }
  study.index();
  return study;
}

}  // namespace sysaxis::report
