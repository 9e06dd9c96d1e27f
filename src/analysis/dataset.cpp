#include "analysis/dataset.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <unordered_map>

namespace sysaxis::analysis {

bool is_event_category(std::string_view category) {
  return category.starts_with("faults:") || category.starts_with("cs:");
}

bool is_top_category(std::string_view category) {
  return category.find(':') == std::string_view::npos;
}

std::vector<std::string> category_keys(std::string_view category, std::string_view detail) {
  std::string_view top = category.substr(0, category.find(':'));
  if (top.empty()) top = "other";
  std::vector<std::string> keys{std::string(top)};
  if (top != "driver") return keys;
  std::string_view device;
  if (auto colon = category.find(':'); colon != std::string_view::npos) {
    device = category.substr(colon + 1);
    device = device.substr(0, device.find(':'));
  } else {
    device = detail.substr(0, detail.find(':'));
  }
  if (!device.empty()) keys.emplace_back(fmt::format("driver:{}", device));
  return keys;
}

bool category_less(const std::string& a, const std::string& b) {
  bool ea = is_event_category(a);
  bool eb = is_event_category(b);
  if (ea != eb) return eb;
  return a < b;
}

namespace {
bool any_marked(const std::set<std::string>& scopes) {
  return std::any_of(scopes.begin(), scopes.end(),
                     [](const std::string& s) { return s != kScopeProcess && s != kPhaseUnmarked; });
}
}  // namespace

bool Run::marked() const {
  return any_marked(count_scopes) || any_marked(fault_scopes);
}

bool Run::has_faults(std::string_view scope) const {
  if (fault_scopes.empty()) return false;
  return scope == kScopeProcess || any_marked(fault_scopes);
}

Tally Run::tally(std::string_view scope, const std::string& category) const {
  auto s = scopes.find(std::string(scope));
  if (s == scopes.end()) return {};
  auto c = s->second.find(category);
  return c == s->second.end() ? Tally{} : c->second;
}

namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec)) throw DatabaseError(fmt::format("{}: no such file", path_));
    if (std::filesystem::is_directory(path_, ec)) throw DatabaseError(fmt::format("{}: is a directory", path_));
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) throw DatabaseError(fmt::format("{}: cannot open: {}", path_, errmsg()));
    sqlite3_busy_timeout(db_.get(), 5000);
  }

  std::string errmsg() const { return db_ ? sqlite3_errmsg(db_.get()) : "out of memory"; }

  StmtPtr prepare(const std::string& sql, std::string_view what) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
      throw DatabaseError(fmt::format("{}: {}: {}", path_, what, errmsg()));
    }
    return StmtPtr(raw);
  }

  // Steps a statement; throws on error. Returns false at the end.
  bool step(sqlite3_stmt* s, std::string_view what) {
    int rc = sqlite3_step(s);
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
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  }
  static std::int64_t integer(sqlite3_stmt* s, int col) { return sqlite3_column_int64(s, col); }
  static double real(sqlite3_stmt* s, int col) { return sqlite3_column_double(s, col); }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  DbPtr db_;
};

}  // namespace

Input load_database(const std::string& path, std::size_t db_index, std::vector<Run>& runs) {
  Reader r(path);
  Input input;
  input.path = path;
  auto names = r.relations();
  for (const char* required : {"runs", "counts"}) {
    if (!names.contains(required)) {
      throw DatabaseError(fmt::format("{}: not a sysaxis study database (no view '{}')", path, required));
    }
  }

  // runs: columns by name, so that added fields do no harm.
  auto s = r.prepare("SELECT * FROM runs ORDER BY run_id", "reading the runs view");
  std::unordered_map<std::string, int> col;
  for (int i = 0; i < sqlite3_column_count(s.get()); ++i) col[sqlite3_column_name(s.get(), i)] = i;
  for (const char* required : {"run_id", "backend", "exec", "bytes", "iters", "rep", "status"}) {
    if (!col.contains(required)) {
      throw DatabaseError(fmt::format("{}: the runs view has no column '{}'", path, required));
    }
  }
  auto text_of = [&](sqlite3_stmt* st, const char* name, const char* fallback = "") {
    auto it = col.find(name);
    if (it == col.end() || sqlite3_column_type(st, it->second) == SQLITE_NULL) return std::string(fallback);
    return Reader::text(st, it->second);
  };
  auto int_of = [&](sqlite3_stmt* st, const char* name, std::int64_t fallback = 0) {
    auto it = col.find(name);
    if (it == col.end() || sqlite3_column_type(st, it->second) == SQLITE_NULL) return fallback;
    return Reader::integer(st, it->second);
  };
  std::unordered_map<std::int64_t, std::size_t> index;  // run_id -> position in `runs`
  std::string study;
  while (r.step(s.get(), "reading the runs view")) {
    if (sqlite3_column_type(s.get(), col["run_id"]) != SQLITE_INTEGER) {
      throw DatabaseError(fmt::format("{}: the runs view has a run_id that is not an integer", path));
    }
    ++input.runs_total;
    std::string status = text_of(s.get(), "status");
    ++input.runs_by_status[status];
    if (study.empty()) study = text_of(s.get(), "study");
    if (status != "ok") continue;
    ++input.runs_ok;
    Run run;
    run.db = db_index;
    run.run_id = int_of(s.get(), "run_id");
    run.backend = text_of(s.get(), "backend");
    run.platform = text_of(s.get(), "platform");
    run.device = text_of(s.get(), "device");
    run.exec = text_of(s.get(), "exec");
    run.engine = text_of(s.get(), "engine");
    run.alloc_op = text_of(s.get(), "alloc_op");
    run.sync = text_of(s.get(), "sync");
    run.workload = text_of(s.get(), "workload", "micro");
    if (run.workload.empty()) run.workload = "micro";
    run.study = text_of(s.get(), "study");
    run.status = status;
    run.bytes = int_of(s.get(), "bytes");
    run.iters = int_of(s.get(), "iters");
    run.rep = int_of(s.get(), "rep");
    run.threads = int_of(s.get(), "threads", 1);
    run.wall_ns = int_of(s.get(), "wall_ns");
    run.scopes[std::string(kScopeProcess)];
    if (index.contains(run.run_id)) {
      throw DatabaseError(fmt::format("{}: run_id {} appears twice in the runs view", path, run.run_id));
    }
    index[run.run_id] = runs.size();
    runs.push_back(std::move(run));
  }
  auto phase_name = [](std::string p) {
    if (p.empty() || p == kScopeProcess) return std::string(kPhaseUnmarked);
    return p;
  };

  auto c = r.prepare("SELECT run_id, phase, syscall, detail, category, calls, errors, time_ns FROM counts",
                     "reading the counts view");
  while (r.step(c.get(), "reading the counts view")) {
    auto it = index.find(Reader::integer(c.get(), 0));
    if (it == index.end()) continue;  // a run that is not 'ok'
    Run& run = runs[it->second];
    std::string phase = phase_name(Reader::text(c.get(), 1));
    Tally t{Reader::real(c.get(), 5), Reader::real(c.get(), 6), Reader::real(c.get(), 7)};
    run.count_scopes.insert(phase);
    run.count_scopes.insert(std::string(kScopeProcess));
    std::string category = Reader::text(c.get(), 4);
    if (category.empty()) category = "other";
    for (const auto& key : category_keys(category, Reader::text(c.get(), 3))) {
      for (const std::string& scope : {phase, std::string(kScopeProcess)}) {
        Tally& dst = run.scopes[scope][key];
        dst.calls += t.calls;
        dst.errors += t.errors;
        dst.time_ns += t.time_ns;
      }
    }
  }

  if (names.contains("faults")) {
    auto f = r.prepare("SELECT run_id, phase, minor, major, vol_cs, invol_cs FROM faults", "reading the faults view");
    while (r.step(f.get(), "reading the faults view")) {
      auto it = index.find(Reader::integer(f.get(), 0));
      if (it == index.end()) continue;
      Run& run = runs[it->second];
      std::string phase = phase_name(Reader::text(f.get(), 1));
      run.fault_scopes.insert(phase);
      run.fault_scopes.insert(std::string(kScopeProcess));
      const std::pair<std::string_view, int> events[] = {
          {kFaultsMinor, 2}, {kFaultsMajor, 3}, {kCsVoluntary, 4}, {kCsInvoluntary, 5}};
      for (const auto& [key, column] : events) {
        double v = Reader::real(f.get(), column);
        for (const std::string& scope : {phase, std::string(kScopeProcess)})
          run.scopes[scope][std::string(key)].calls += v;
      }
    }
  } else {
    input.notes.emplace_back("no faults view: page faults and context switches are not analysed");
  }

  if (names.contains("provenance")) {
    auto p = r.prepare("SELECT key, value FROM provenance ORDER BY key", "reading the provenance view");
    while (r.step(p.get(), "reading the provenance view")) {
      input.provenance[Reader::text(p.get(), 0)] = Reader::text(p.get(), 1);
    }
  } else {
    input.notes.emplace_back("no provenance view");
  }
  if (auto h = input.provenance.find("host"); h != input.provenance.end() && !h->second.empty()) {
    input.label = h->second;
  } else if (!study.empty()) {
    input.label = study;
  } else {
    input.label = std::filesystem::path(path).stem().string();
  }
  return input;
}

Dataset load_databases(const std::vector<std::string>& paths) {
  Dataset d;
  std::set<std::string> labels;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    Input in = load_database(paths[i], i, d.runs);
    if (labels.contains(in.label)) in.label = fmt::format("{} #{}", in.label, i);
    labels.insert(in.label);
    d.inputs.push_back(std::move(in));
  }
  return d;
}

}  // namespace sysaxis::analysis
