#include "analysis/dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <unordered_map>

#include "store/sqlite.h"

namespace sysaxis::analysis {

CategoryKind category_kind(std::string_view category) {
  if (category == kSyscalls) return CategoryKind::total;
  if (category == kCpu || category.starts_with("cpu:")) return CategoryKind::cpu;
  if (category.starts_with("faults:") || category.starts_with("cs:")) return CategoryKind::event;
  if (category.find(':') != std::string_view::npos) return CategoryKind::part;
  return CategoryKind::syscall;
}

bool is_event_category(std::string_view category) {
  return category_kind(category) == CategoryKind::event;
}

bool is_top_category(std::string_view category) {
  return category_kind(category) == CategoryKind::syscall;
}

std::vector<std::string_view> metrics_of(std::string_view category) {
  switch (category_kind(category)) {
    case CategoryKind::event: return {kCalls};
    case CategoryKind::cpu: return {kTime};
    default: return {kCalls, kTime};
  }
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

bool Run::measured(std::string_view scope, std::string_view category) const {
  switch (category_kind(category)) {
    case CategoryKind::cpu: return scope == kScopeProcess && cpu_user_ns && cpu_sys_ns;
    case CategoryKind::event:
      if (fault_scopes.empty()) return false;
      return scope == kScopeProcess || any_marked(fault_scopes);
    default: return scope == kScopeProcess || marked();
  }
}

Tally Run::tally(std::string_view scope, const std::string& category) const {
  auto s = scopes.find(std::string(scope));
  if (s == scopes.end()) return {};
  auto c = s->second.find(category);
  return c == s->second.end() ? Tally{} : c->second;
}

const CategoryTallies& Run::tally_scope(std::string_view scope) const {
  static const CategoryTallies kEmpty;
  auto s = scopes.find(std::string(scope));
  return s == scopes.end() ? kEmpty : s->second;
}

std::string Run::option(std::string_view name) const {
  for (const auto& [k, v] : options) {
    if (k == name) return v;
  }
  return {};
}

namespace {

using store::Database;
using store::Statement;
using store::StoreError;

// Options of the runs view that refine a series, with the exec models they belong to ("" = every
// model), in output order.
struct OptionColumn {
  std::string_view name;
  std::string_view exec;
  std::string_view fallback;  // the value that means "not set" (dropped)
};
constexpr std::array<OptionColumn, 8> kOptionColumns = {{
    {"alloc_op", "alloc", ""},
    {"alloc_api", "alloc", "default"},
    {"host_mem", "alloc", "pageable"},
    {"copy", "alloc", ""},
    {"sync", "kernels", ""},
    {"sync_mode", "kernels", "spin"},
    {"streams", "kernels", "1"},
    {"threads", "cpu", "1"},
}};

struct Columns {
  std::unordered_map<std::string, int> index;
  std::optional<int> find(const std::string& name) const {
    auto it = index.find(name);
    return it == index.end() ? std::nullopt : std::optional<int>(it->second);
  }
};

std::string text_of(const Statement& st, const Columns& cols, const char* name, const char* fallback = "") {
  auto i = cols.find(name);
  if (!i || st.is_null(*i)) return fallback;
  return st.column_text(*i);
}

std::optional<double> real_of(const Statement& st, const Columns& cols, const char* name) {
  auto i = cols.find(name);
  if (!i || st.is_null(*i)) return std::nullopt;
  return st.column_double(*i);
}

std::int64_t int_of(const Statement& st, const Columns& cols, const char* name, std::int64_t fallback = 0) {
  auto i = cols.find(name);
  if (!i || st.is_null(*i)) return fallback;
  return st.column_int(*i);
}

std::string phase_name(std::string p) {
  if (p.empty() || p == kScopeProcess) return std::string(kPhaseUnmarked);
  return p;
}

void add(Run& run, const std::string& phase, const std::string& category, const Tally& t) {
  for (const std::string& scope : {phase, std::string(kScopeProcess)}) {
    Tally& dst = run.scopes[scope][category];
    dst.calls += t.calls;
    dst.errors += t.errors;
    dst.time_ns += t.time_ns;
  }
}

Input load_one(const std::string& path, std::size_t db_index, std::vector<Run>& runs,
               const syscalls::Taxonomy& taxonomy) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw DatabaseError(fmt::format("{}: no such file", path));
  if (std::filesystem::is_directory(path, ec)) throw DatabaseError(fmt::format("{}: is a directory", path));
  Database db(path, Database::Mode::read_only);
  Input input;
  input.path = path;
  std::set<std::string> names;
  try {
    auto s = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')");
    while (s.step()) names.insert(s.column_text(0));
  } catch (const StoreError&) {
    throw DatabaseError(fmt::format("{}: not a SQLite database", path));
  }
  for (const char* required : {"runs", "counts"}) {
    if (!names.contains(required)) {
      throw DatabaseError(fmt::format("{}: not a sysaxis study database (no view '{}')", path, required));
    }
  }

  // runs: columns by name, so that added fields do no harm and older schemas still read.
  auto s = db.prepare("SELECT * FROM runs ORDER BY run_id");
  Columns cols;
  for (int i = 0; i < s.column_count(); ++i) cols.index[s.column_name(i)] = i;
  for (const char* required : {"run_id", "backend", "exec", "bytes", "iters", "rep", "status"}) {
    if (!cols.find(required)) throw DatabaseError(fmt::format("{}: the runs view has no column '{}'", path, required));
  }
  std::unordered_map<std::int64_t, std::size_t> index;  // run_id -> position in `runs`
  std::string study;
  while (s.step()) {
    if (!s.is_integer(*cols.find("run_id"))) {
      throw DatabaseError(fmt::format("{}: the runs view has a run_id that is not an integer", path));
    }
    ++input.runs_total;
    const std::string status = text_of(s, cols, "status");
    ++input.runs_by_status[status];
    if (study.empty()) study = text_of(s, cols, "study");
    if (status != "ok") continue;
    ++input.runs_ok;
    Run run;
    run.db = db_index;
    run.run_id = int_of(s, cols, "run_id");
    run.backend = text_of(s, cols, "backend");
    run.platform = text_of(s, cols, "platform");
    run.device = text_of(s, cols, "device");
    run.exec = text_of(s, cols, "exec");
    run.engine = text_of(s, cols, "engine");
    run.workload = text_of(s, cols, "workload", "micro");
    if (run.workload.empty()) run.workload = "micro";
    run.study = text_of(s, cols, "study");
    run.status = status;
    run.bytes = int_of(s, cols, "bytes");
    run.iters = int_of(s, cols, "iters");
    run.rep = int_of(s, cols, "rep");
    run.wall_ns = int_of(s, cols, "wall_ns");
    for (const auto& o : kOptionColumns) {
      const std::string value = text_of(s, cols, std::string(o.name).c_str());
      if (value.empty() || value == o.fallback) continue;
      if (!o.exec.empty() && run.workload == "micro" && run.exec != o.exec) continue;
      run.options.emplace_back(o.name, value);
    }
    run.cpu_user_ns = real_of(s, cols, "cpu_user_ns");
    run.cpu_sys_ns = real_of(s, cols, "cpu_sys_ns");
    run.scopes[std::string(kScopeProcess)];
    if (run.cpu_user_ns && run.cpu_sys_ns) {
      auto& all = run.scopes[std::string(kScopeProcess)];
      all[std::string(kCpuUser)].time_ns = *run.cpu_user_ns;
      all[std::string(kCpuSystem)].time_ns = *run.cpu_sys_ns;
      all[std::string(kCpu)].time_ns = *run.cpu_user_ns + *run.cpu_sys_ns;
    }
    if (index.contains(run.run_id)) {
      throw DatabaseError(fmt::format("{}: run_id {} appears twice in the runs view", path, run.run_id));
    }
    index[run.run_id] = runs.size();
    runs.push_back(std::move(run));
  }

  auto c = db.prepare("SELECT run_id, phase, syscall, detail, calls, errors, time_ns FROM counts");
  while (c.step()) {
    auto it = index.find(c.column_int(0));
    if (it == index.end()) continue;  // a run that is not 'ok'
    Run& run = runs[it->second];
    const std::string phase = phase_name(c.column_text(1));
    const Tally t{c.column_double(4), c.column_double(5), c.column_double(6)};
    run.count_scopes.insert(phase);
    run.count_scopes.insert(std::string(kScopeProcess));
    std::string syscall = c.column_text(2);
    if (auto colon = syscall.find(':'); colon != std::string::npos) syscall = syscall.substr(colon + 1);  // i386:open
    const std::string detail = c.column_text(3);
    const std::string category(taxonomy.category(syscall, detail));
    add(run, phase, category, t);
    add(run, phase, std::string(kSyscalls), t);
    if (category == "driver") {
      const std::string device = detail.substr(0, detail.find(':'));
      if (!device.empty()) add(run, phase, "driver:" + device, t);
    }
  }
  // Every marked phase has a total, even one without a syscall.
  for (auto& [id, pos] : index) {
    Run& run = runs[pos];
    for (const auto& scope : run.count_scopes) run.scopes[scope][std::string(kSyscalls)];
  }

  if (names.contains("faults")) {
    auto f = db.prepare("SELECT run_id, phase, minor, major, vol_cs, invol_cs FROM faults");
    while (f.step()) {
      auto it = index.find(f.column_int(0));
      if (it == index.end()) continue;
      Run& run = runs[it->second];
      const std::string phase = phase_name(f.column_text(1));
      run.fault_scopes.insert(phase);
      run.fault_scopes.insert(std::string(kScopeProcess));
      const std::array<std::pair<std::string_view, int>, 4> events = {
          {{kFaultsMinor, 2}, {kFaultsMajor, 3}, {kCsVoluntary, 4}, {kCsInvoluntary, 5}}};
      for (const auto& [key, column] : events) add(run, phase, std::string(key), Tally{f.column_double(column), 0, 0});
    }
  } else {
    input.notes.emplace_back("no faults view: page faults and context switches are not analysed");
  }

  if (names.contains("provenance")) {
    auto p = db.prepare("SELECT key, value FROM provenance ORDER BY key, value");
    while (p.step()) {
      auto& v = input.provenance[p.column_text(0)];
      const std::string value = p.column_text(1);
      if (value.empty()) continue;
      if (!v.empty()) v += ", ";
      v += value;
    }
  } else {
    input.notes.emplace_back("no provenance view");
  }
  if (!cols.find("cpu_user_ns")) {
    input.notes.emplace_back("no CPU time per run (a database of schema version 1): CPU time is not analysed");
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

}  // namespace

Dataset load_databases(const std::vector<std::string>& paths, const syscalls::Taxonomy& taxonomy) {
  Dataset d;
  d.words = Vocabulary(taxonomy);
  d.taxonomy_source = taxonomy.source();
  std::set<std::string> labels;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    Input in;
    try {
      in = load_one(paths[i], i, d.runs, taxonomy);
    } catch (const StoreError& e) {
      throw DatabaseError(e.what());
    }
    if (labels.contains(in.label)) in.label = fmt::format("{} #{}", in.label, i);
    labels.insert(in.label);
    d.inputs.push_back(std::move(in));
  }
  return d;
}

}  // namespace sysaxis::analysis
