// analysis.json (schema "sysaxis.analysis/2", docs/analysis.md): the typed analysis written and read
// back. Every writer below has its reader beside it; numbers are rounded to six significant digits,
// which a second round trip leaves unchanged.
#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>

#include "analysis/analysis.h"

namespace sysaxis::analysis {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// ---- scalars -------------------------------------------------------------------------------

ordered_json num(double v) {
  if (!std::isfinite(v)) return nullptr;
  if (v == 0) return 0;
  const double r = std::stod(fmt::format("{:.6g}", v));
  if (r == std::floor(r) && std::abs(r) < 9e15) return static_cast<std::int64_t>(r);
  return r;
}
ordered_json opt_num(const std::optional<double>& v) {
  return v ? num(*v) : ordered_json(nullptr);
}

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw AnalysisError(fmt::format("analysis.json: {}: {}", where, what));
}

const json& field(const json& j, const char* key, const std::string& where) {
  if (!j.is_object()) bad(where, "not an object");
  auto it = j.find(key);
  if (it == j.end()) bad(where, fmt::format("missing field '{}'", key));
  return *it;
}
std::string get_str(const json& j, const char* key, const std::string& where) {
  const json& v = field(j, key, where);
  if (!v.is_string()) bad(where, fmt::format("field '{}' is not a string", key));
  return v.get<std::string>();
}
double get_num(const json& j, const char* key, const std::string& where) {
  const json& v = field(j, key, where);
  if (v.is_null()) return std::nan("");
  if (!v.is_number()) bad(where, fmt::format("field '{}' is not a number", key));
  return v.get<double>();
}
std::optional<double> get_opt(const json& j, const char* key, const std::string& where) {
  const json& v = field(j, key, where);
  if (v.is_null()) return std::nullopt;
  if (!v.is_number()) bad(where, fmt::format("field '{}' is not a number", key));
  return v.get<double>();
}
std::int64_t get_int(const json& j, const char* key, const std::string& where) {
  const json& v = field(j, key, where);
  if (!v.is_number_integer()) bad(where, fmt::format("field '{}' is not an integer", key));
  return v.get<std::int64_t>();
}
bool get_bool(const json& j, const char* key, const std::string& where) {
  const json& v = field(j, key, where);
  if (!v.is_boolean()) bad(where, fmt::format("field '{}' is not a boolean", key));
  return v.get<bool>();
}
const json& get_arr(const json& j, const char* key, const std::string& where) {
  const json& v = field(j, key, where);
  if (!v.is_array()) bad(where, fmt::format("field '{}' is not an array", key));
  return v;
}
std::vector<std::string> get_strs(const json& j, const char* key, const std::string& where) {
  std::vector<std::string> out;
  for (const auto& v : get_arr(j, key, where)) {
    if (!v.is_string()) bad(where, fmt::format("field '{}' holds a non-string", key));
    out.push_back(v.get<std::string>());
  }
  return out;
}
std::vector<std::int64_t> get_ints(const json& j, const char* key, const std::string& where) {
  std::vector<std::int64_t> out;
  for (const auto& v : get_arr(j, key, where)) {
    if (!v.is_number_integer()) bad(where, fmt::format("field '{}' holds a non-integer", key));
    out.push_back(v.get<std::int64_t>());
  }
  return out;
}

void put_interval(ordered_json& j, const std::string& name, const std::optional<stats::Interval>& i) {
  j[name + "_lo"] = i ? num(i->lo) : ordered_json(nullptr);
  j[name + "_hi"] = i ? num(i->hi) : ordered_json(nullptr);
}
std::optional<stats::Interval> get_interval(const json& j, const std::string& name, const std::string& where) {
  auto lo = get_opt(j, (name + "_lo").c_str(), where);
  auto hi = get_opt(j, (name + "_hi").c_str(), where);
  if (!lo || !hi) return std::nullopt;
  return stats::Interval{*lo, *hi};
}

void put_estimate(ordered_json& j, const std::string& name, const std::optional<stats::Estimate>& e) {
  j[name] = e ? num(e->value) : ordered_json(nullptr);
  put_interval(j, name, e ? std::optional<stats::Interval>(e->ci) : std::nullopt);
}
std::optional<stats::Estimate> get_estimate(const json& j, const std::string& name, const std::string& where) {
  auto v = get_opt(j, name.c_str(), where);
  auto ci = get_interval(j, name, where);
  if (!v || !ci) return std::nullopt;
  return stats::Estimate{*v, *ci};
}

// ---- series --------------------------------------------------------------------------------

void put_series(ordered_json& j, const SeriesKey& s, const Analysis& a) {
  j["db"] = s.db;
  j["workload"] = s.workload;
  j["runtime"] = a.label(s);
  j["backend"] = s.backend;
  j["platform"] = s.platform;
  j["device"] = s.device;
  j["exec"] = s.exec;
  ordered_json o = ordered_json::object();
  for (const auto& [k, v] : s.options) o[k] = v;
  j["options"] = std::move(o);
  j["engine"] = s.engine;
  const Executor e = executor_of(s);
  j["executor"] = e.vendor;
}
SeriesKey get_series(const json& j, const std::string& where, std::map<SeriesKey, std::string>& labels) {
  SeriesKey s;
  s.db = static_cast<std::size_t>(get_int(j, "db", where));
  s.workload = get_str(j, "workload", where);
  s.backend = get_str(j, "backend", where);
  s.platform = get_str(j, "platform", where);
  s.device = get_str(j, "device", where);
  s.exec = get_str(j, "exec", where);
  const json& o = field(j, "options", where);
  if (!o.is_object()) bad(where, "field 'options' is not an object");
  for (auto it = o.begin(); it != o.end(); ++it) {
    if (!it.value().is_string()) bad(where, "an option is not a string");
    s.options.emplace_back(it.key(), it.value().get<std::string>());
  }
  s.engine = get_str(j, "engine", where);
  labels.emplace(s, get_str(j, "runtime", where));
  return s;
}

// ---- fits ----------------------------------------------------------------------------------

ordered_json fit_json(const Fit& f, const Analysis& a) {
  ordered_json j;
  j["id"] = f.id;
  j["question"] = f.question;
  put_series(j, f.series, a);
  j["phase"] = f.scope;
  j["category"] = f.category;
  j["metric"] = f.metric;
  j["axis"] = f.axis;
  j["x_unit"] = f.x_unit;
  j["fixed_axis"] = f.fixed_axis;
  j["fixed"] = f.fixed_value;
  const ScalingFit& r = f.result;
  j["class"] = shape_name(r.shape);
  j["reason"] = r.reason;
  j["levels_n"] = r.levels;
  j["observations"] = r.observations;
  j["min_reps"] = r.min_reps;
  j["x_min"] = num(r.x_min);
  j["x_max"] = num(r.x_max);
  j["fitted"] = r.fitted;
  j["c0"] = num(r.c0);
  put_interval(j, "c0", r.c0_ci);
  j["c1"] = r.fitted ? num(r.c1) : ordered_json(nullptr);
  put_interval(j, "c1", r.c1_ci);
  j["r2"] = r.fitted ? num(r.r2) : ordered_json(nullptr);
  j["lof_p"] = opt_num(r.lof_p);
  j["lof_relative"] = num(r.lof_relative);
  j["loglog_slope"] = opt_num(r.slope);
  put_interval(j, "loglog", r.slope_ci);
  if (r.step.ok) {
    j["step"] = {{"x_below", num(r.step.x_below)}, {"x_above", num(r.step.x_above)}, {"below", num(r.step.below)},
                 {"above", num(r.step.above)},     {"split", r.step.split},          {"relative", num(r.step.relative)},
                 {"p", opt_num(r.step.p)}};
  } else {
    j["step"] = nullptr;
  }
  j["p_value"] = opt_num(r.p);
  j["q_value"] = opt_num(r.q);
  j["effect"] = num(r.effect);
  j["effect_hi"] = opt_num(r.effect_hi);
  j["material"] = num(r.material);
  j["wide"] = r.wide;
  ordered_json levels = ordered_json::array();
  for (const auto& l : f.levels) {
    levels.push_back({{"x", num(l.x)},
                      {"n", l.n},
                      {"mean", num(l.mean)},
                      {"sd", num(l.sd)},
                      {"min", num(l.min)},
                      {"max", num(l.max)}});
  }
  j["levels"] = std::move(levels);
  j["run_ids"] = f.run_ids;
  return j;
}

Fit get_fit(const json& j, std::map<SeriesKey, std::string>& labels) {
  Fit f;
  f.id = get_str(j, "id", "fits[]");
  const std::string w = "fit " + f.id;
  f.question = get_str(j, "question", w);
  f.series = get_series(j, w, labels);
  f.scope = get_str(j, "phase", w);
  f.category = get_str(j, "category", w);
  f.metric = get_str(j, "metric", w);
  f.axis = get_str(j, "axis", w);
  f.x_unit = get_str(j, "x_unit", w);
  f.fixed_axis = get_str(j, "fixed_axis", w);
  f.fixed_value = get_int(j, "fixed", w);
  ScalingFit& r = f.result;
  const std::string cls = get_str(j, "class", w);
  auto shape = shape_from_name(cls);
  if (!shape) bad(w, fmt::format("unknown class '{}'", cls));
  r.shape = *shape;
  r.reason = get_str(j, "reason", w);
  r.levels = static_cast<std::size_t>(get_int(j, "levels_n", w));
  r.observations = static_cast<std::size_t>(get_int(j, "observations", w));
  r.min_reps = static_cast<std::size_t>(get_int(j, "min_reps", w));
  r.x_min = get_num(j, "x_min", w);
  r.x_max = get_num(j, "x_max", w);
  r.fitted = get_bool(j, "fitted", w);
  r.c0 = get_num(j, "c0", w);
  r.c0_ci = get_interval(j, "c0", w);
  r.c1 = r.fitted ? get_num(j, "c1", w) : 0;
  r.c1_ci = get_interval(j, "c1", w);
  r.r2 = r.fitted ? get_num(j, "r2", w) : 0;
  r.lof_p = get_opt(j, "lof_p", w);
  r.lof_relative = get_num(j, "lof_relative", w);
  r.slope = get_opt(j, "loglog_slope", w);
  r.slope_ci = get_interval(j, "loglog", w);
  const json& st = field(j, "step", w);
  if (st.is_object()) {
    r.step.ok = true;
    r.step.x_below = get_num(st, "x_below", w);
    r.step.x_above = get_num(st, "x_above", w);
    r.step.below = get_num(st, "below", w);
    r.step.above = get_num(st, "above", w);
    r.step.split = static_cast<std::size_t>(get_int(st, "split", w));
    r.step.relative = get_num(st, "relative", w);
    r.step.p = get_opt(st, "p", w);
  }
  r.p = get_opt(j, "p_value", w);
  r.q = get_opt(j, "q_value", w);
  r.effect = get_num(j, "effect", w);
  r.effect_hi = get_opt(j, "effect_hi", w);
  r.material = get_num(j, "material", w);
  r.wide = get_bool(j, "wide", w);
  for (const auto& l : get_arr(j, "levels", w)) {
    LevelSummary s;
    s.x = get_num(l, "x", w);
    s.n = static_cast<std::size_t>(get_int(l, "n", w));
    s.mean = get_num(l, "mean", w);
    s.sd = get_num(l, "sd", w);
    s.min = get_num(l, "min", w);
    s.max = get_num(l, "max", w);
    f.levels.push_back(s);
  }
  f.run_ids = get_ints(j, "run_ids", w);
  return f;
}

// ---- Q3 ------------------------------------------------------------------------------------

ordered_json q3_json(const Q3Cell& q, const Analysis& a) {
  ordered_json j;
  j["id"] = q.id;
  put_series(j, q.series, a);
  j["bytes"] = q.bytes;
  j["iters"] = q.iters;
  j["phase"] = q.scope;
  j["run_ids"] = q.run_ids;
  if (q.baseline) {
    ordered_json b;
    put_series(b, *q.baseline, a);
    b["run_ids"] = q.baseline_run_ids;
    j["baseline"] = std::move(b);
  } else {
    j["baseline"] = nullptr;
  }
  ordered_json cats = ordered_json::array();
  for (const auto& c : q.categories) {
    ordered_json k;
    k["category"] = c.category;
    k["metric"] = c.metric;
    put_estimate(k, "gpu_mean", c.gpu);
    put_estimate(k, "cpu_mean", c.cpu);
    k["gpu_only"] = c.gpu_only ? ordered_json(*c.gpu_only) : ordered_json(nullptr);
    put_estimate(k, "share", c.share);
    put_estimate(k, "cpu_share", c.cpu_share);
    k["rank"] = c.rank ? ordered_json(c.rank) : ordered_json(nullptr);
    cats.push_back(std::move(k));
  }
  j["categories"] = std::move(cats);
  return j;
}

Q3Cell get_q3(const json& j, std::map<SeriesKey, std::string>& labels) {
  Q3Cell q;
  q.id = get_str(j, "id", "q3[]");
  const std::string w = "q3 " + q.id;
  q.series = get_series(j, w, labels);
  q.bytes = get_int(j, "bytes", w);
  q.iters = get_int(j, "iters", w);
  q.scope = get_str(j, "phase", w);
  q.run_ids = get_ints(j, "run_ids", w);
  const json& b = field(j, "baseline", w);
  if (b.is_object()) {
    q.baseline = get_series(b, w, labels);
    q.baseline_run_ids = get_ints(b, "run_ids", w);
  }
  for (const auto& k : get_arr(j, "categories", w)) {
    Q3Category c;
    c.category = get_str(k, "category", w);
    c.metric = get_str(k, "metric", w);
    auto g = get_estimate(k, "gpu_mean", w);
    if (!g) bad(w, "gpu_mean missing");
    c.gpu = *g;
    c.cpu = get_estimate(k, "cpu_mean", w);
    const json& only = field(k, "gpu_only", w);
    if (only.is_boolean()) c.gpu_only = only.get<bool>();
    c.share = get_estimate(k, "share", w);
    c.cpu_share = get_estimate(k, "cpu_share", w);
    auto rank = get_opt(k, "rank", w);
    c.rank = rank ? static_cast<int>(*rank) : 0;
    q.categories.push_back(std::move(c));
  }
  return q;
}

// ---- claims, vendor groups -----------------------------------------------------------------

ordered_json annotation_json(const Annotation& a) {
  return {{"label", a.label}, {"api", a.api}, {"reason", a.reason}};
}
Annotation get_annotation(const json& j, const std::string& w) {
  return {get_str(j, "label", w), get_str(j, "api", w), get_str(j, "reason", w)};
}

ordered_json claim_json(const Claim& c, const Analysis& a) {
  ordered_json j;
  j["id"] = c.id;
  j["kind"] = c.kind;
  j["question"] = c.question;
  put_series(j, c.series, a);
  j["phase"] = c.scope;
  j["category"] = c.category;
  ordered_json vs = ordered_json::array();
  for (const auto& v : c.verdicts) {
    ordered_json at = ordered_json::array();
    for (const auto& [x, cls] : v.at) at.push_back({{"fixed", x}, {"class", cls}});
    vs.push_back(
        {{"question", v.question}, {"metric", v.metric}, {"class", v.cls}, {"at", std::move(at)}, {"fits", v.fit_ids}});
  }
  j["verdicts"] = std::move(vs);
  j["measure"] = c.measure;
  j["text"] = c.text;
  j["firm"] = c.firm;
  j["annotation"] = annotation_json(c.annotation);
  j["vendor_key"] = c.vendor_key;
  j["evidence"] = {{"fits", c.fit_ids}, {"q3", c.q3_ids}};
  j["run_ids"] = c.run_ids;
  return j;
}

Claim get_claim(const json& j, std::map<SeriesKey, std::string>& labels) {
  Claim c;
  c.id = get_str(j, "id", "claims[]");
  const std::string w = "claim " + c.id;
  c.kind = get_str(j, "kind", w);
  c.question = get_str(j, "question", w);
  c.series = get_series(j, w, labels);
  c.runtime = get_str(j, "runtime", w);
  c.scope = get_str(j, "phase", w);
  c.category = get_str(j, "category", w);
  for (const auto& v : get_arr(j, "verdicts", w)) {
    Verdict d;
    d.question = get_str(v, "question", w);
    d.metric = get_str(v, "metric", w);
    d.cls = get_str(v, "class", w);
    for (const auto& at : get_arr(v, "at", w)) d.at.emplace_back(get_int(at, "fixed", w), get_str(at, "class", w));
    d.fit_ids = get_strs(v, "fits", w);
    c.verdicts.push_back(std::move(d));
  }
  c.measure = get_str(j, "measure", w);
  c.text = get_str(j, "text", w);
  c.firm = get_bool(j, "firm", w);
  c.annotation = get_annotation(field(j, "annotation", w), w);
  c.vendor_key = get_str(j, "vendor_key", w);
  const json& ev = field(j, "evidence", w);
  c.fit_ids = get_strs(ev, "fits", w);
  c.q3_ids = get_strs(ev, "q3", w);
  c.run_ids = get_ints(j, "run_ids", w);
  return c;
}

ordered_json vendor_json(const VendorGroup& g) {
  ordered_json e = ordered_json::array();
  for (const auto& x : g.entries) {
    e.push_back({{"db", x.db},
                 {"runtime", x.runtime},
                 {"vendor", x.vendor},
                 {"api", x.api},
                 {"engine", x.engine},
                 {"class", x.cls},
                 {"firm", x.firm},
                 {"claim", x.claim_id}});
  }
  return {{"key", g.key},          {"kind", g.kind},         {"exec", g.exec},
          {"phase", g.scope},      {"category", g.category}, {"annotation", annotation_json(g.annotation)},
          {"claims", g.claim_ids}, {"entries", std::move(e)}};
}

VendorGroup get_vendor(const json& j) {
  VendorGroup g;
  g.key = get_str(j, "key", "vendor[]");
  const std::string w = "vendor group " + g.key;
  g.kind = get_str(j, "kind", w);
  g.exec = get_str(j, "exec", w);
  g.scope = get_str(j, "phase", w);
  g.category = get_str(j, "category", w);
  g.annotation = get_annotation(field(j, "annotation", w), w);
  g.claim_ids = get_strs(j, "claims", w);
  for (const auto& x : get_arr(j, "entries", w)) {
    VendorEntry e;
    e.db = static_cast<std::size_t>(get_int(x, "db", w));
    e.runtime = get_str(x, "runtime", w);
    e.vendor = get_str(x, "vendor", w);
    e.api = get_str(x, "api", w);
    e.engine = get_str(x, "engine", w);
    e.cls = get_str(x, "class", w);
    e.firm = get_bool(x, "firm", w);
    e.claim_id = get_str(x, "claim", w);
    g.entries.push_back(std::move(e));
  }
  return g;
}

// ---- constraints ---------------------------------------------------------------------------

ordered_json constraint_json(const Constraint& c) {
  ordered_json fails = ordered_json::array();
  for (const auto& e : c.fails_on) {
    fails.push_back({{"runtime", e.runtime},
                     {"exec", e.exec},
                     {"phase", e.scope},
                     {"category", e.category},
                     {"metric", e.metric},
                     {"class", e.cls},
                     {"text", e.text},
                     {"source", e.source}});
  }
  ordered_json numbers = ordered_json::array();
  for (const auto& n : c.numbers) {
    numbers.push_back({{"id", n.id},
                       {"label", n.label},
                       {"value", num(n.value)},
                       {"lo", opt_num(n.lo)},
                       {"hi", opt_num(n.hi)},
                       {"unit", n.unit},
                       {"source", n.source}});
  }
  ordered_json clauses = ordered_json::array();
  for (const auto& cl : c.clauses) clauses.push_back({{"category", cl.category}, {"status", cl.status}});
  return {{"id", c.id},
          {"axis", c.axis},
          {"title", c.title},
          {"text", c.text},
          {"scope", c.scope_note},
          {"holds_on", c.holds_on},
          {"fails_on", std::move(fails)},
          {"beside", c.beside},
          {"claims", c.claims},
          {"numbers", std::move(numbers)},
          {"clauses", std::move(clauses)}};
}

Constraint get_constraint(const json& j) {
  Constraint c;
  c.id = get_str(j, "id", "constraints[]");
  const std::string w = "constraint " + c.id;
  c.axis = get_str(j, "axis", w);
  c.title = get_str(j, "title", w);
  c.text = get_str(j, "text", w);
  c.scope_note = get_str(j, "scope", w);
  c.holds_on = get_strs(j, "holds_on", w);
  for (const auto& e : get_arr(j, "fails_on", w)) {
    c.fails_on.push_back({get_str(e, "runtime", w), get_str(e, "exec", w), get_str(e, "phase", w),
                          get_str(e, "category", w), get_str(e, "metric", w), get_str(e, "class", w),
                          get_str(e, "text", w), get_str(e, "source", w)});
  }
  c.beside = get_strs(j, "beside", w);
  c.claims = get_strs(j, "claims", w);
  for (const auto& n : get_arr(j, "numbers", w)) {
    KeyNumber k;
    k.id = get_str(n, "id", w);
    k.label = get_str(n, "label", w);
    k.value = get_num(n, "value", w);
    k.lo = get_opt(n, "lo", w);
    k.hi = get_opt(n, "hi", w);
    k.unit = get_str(n, "unit", w);
    k.source = get_str(n, "source", w);
    c.numbers.push_back(std::move(k));
  }
  for (const auto& cl : get_arr(j, "clauses", w))
    c.clauses.push_back({get_str(cl, "category", w), get_str(cl, "status", w)});
  return c;
}

// ---- workloads -----------------------------------------------------------------------------

ordered_json profile_json(const WorkloadProfile& p, const Analysis& a) {
  ordered_json j;
  put_series(j, p.series, a);
  j["bytes"] = p.bytes;
  j["iters"] = p.iters;
  j["phase"] = p.phase;
  j["run_ids"] = p.run_ids;
  ordered_json cats = ordered_json::array();
  for (const auto& c : p.categories) {
    ordered_json k;
    k["category"] = c.category;
    put_estimate(k, "calls_mean", c.calls);
    put_estimate(k, "time_ns_mean", c.time_ns);
    put_estimate(k, "calls_share", c.calls_share);
    put_estimate(k, "time_share", c.time_share);
    cats.push_back(std::move(k));
  }
  j["categories"] = std::move(cats);
  return j;
}

WorkloadProfile get_profile(const json& j, std::map<SeriesKey, std::string>& labels) {
  const std::string w = "profiles[]";
  WorkloadProfile p;
  p.series = get_series(j, w, labels);
  p.bytes = get_int(j, "bytes", w);
  p.iters = get_int(j, "iters", w);
  p.phase = get_str(j, "phase", w);
  p.run_ids = get_ints(j, "run_ids", w);
  for (const auto& k : get_arr(j, "categories", w)) {
    ProfileCategory c;
    c.category = get_str(k, "category", w);
    auto calls = get_estimate(k, "calls_mean", w);
    auto time = get_estimate(k, "time_ns_mean", w);
    if (!calls || !time) bad(w, "a category without means");
    c.calls = *calls;
    c.time_ns = *time;
    c.calls_share = get_estimate(k, "calls_share", w);
    c.time_share = get_estimate(k, "time_share", w);
    p.categories.push_back(std::move(c));
  }
  return p;
}

ordered_json options_json(const Options& o) {
  return {{"bootstrap", o.scaling.bootstrap},
          {"confidence", num(o.scaling.confidence)},
          {"min_levels", o.scaling.min_levels},
          {"min_reps", o.scaling.min_reps},
          {"lof_alpha", num(o.scaling.lof_alpha)},
          {"lof_relative", num(o.scaling.lof_relative)},
          {"wide_relative", num(o.scaling.wide_relative)},
          {"seed", o.seed},
          {"fdr", num(o.fdr)},
          {"material_calls", num(o.material.calls)},
          {"material_time_ns", num(o.material.time_ns)},
          {"material_cpu_ns", num(o.material.cpu_ns)},
          {"material_relative", num(o.material.relative)},
          {"gpu_only_ratio", num(o.gpu_only_ratio)},
          {"max_constraints", o.max_constraints}};
}

Options get_options(const json& j) {
  const std::string w = "method";
  Options o;
  o.scaling.bootstrap = static_cast<std::size_t>(get_int(j, "bootstrap", w));
  o.scaling.confidence = get_num(j, "confidence", w);
  o.scaling.min_levels = static_cast<std::size_t>(get_int(j, "min_levels", w));
  o.scaling.min_reps = static_cast<std::size_t>(get_int(j, "min_reps", w));
  o.scaling.lof_alpha = get_num(j, "lof_alpha", w);
  o.scaling.lof_relative = get_num(j, "lof_relative", w);
  o.scaling.wide_relative = get_num(j, "wide_relative", w);
  o.seed = static_cast<std::uint64_t>(get_int(j, "seed", w));
  o.fdr = get_num(j, "fdr", w);
  o.material.calls = get_num(j, "material_calls", w);
  o.material.time_ns = get_num(j, "material_time_ns", w);
  o.material.cpu_ns = get_num(j, "material_cpu_ns", w);
  o.material.relative = get_num(j, "material_relative", w);
  o.gpu_only_ratio = get_num(j, "gpu_only_ratio", w);
  o.max_constraints = static_cast<std::size_t>(get_int(j, "max_constraints", w));
  return o;
}

}  // namespace

ordered_json to_json(const Analysis& a) {
  ordered_json j;
  j["schema"] = kSchema;
  j["tool"] = {{"version", a.tool_version}, {"revision", a.tool_revision}};
  j["taxonomy"] = a.taxonomy;
  // The words of the taxonomy's categories, in its order: left out when they are the built-in
  // taxonomy's, which a reader then takes (so analyses with the built-in taxonomy stay as they were).
  if (!a.words.is_builtin()) {
    ordered_json cats = ordered_json::array();
    for (const auto& w : a.words.taxonomy()) {
      cats.push_back({{"category", w.category},
                      {"noun", w.words.noun},
                      {"area", w.words.area},
                      {"colour", w.words.colour},
                      {"point", w.words.point}});
    }
    j["categories"] = std::move(cats);
  }
  j["method"] = options_json(a.options);
  ordered_json qs = ordered_json::array();
  for (const auto& q : questions()) qs.push_back({{"id", q.id}, {"axis", q.axis}, {"name", q.name}, {"text", q.text}});
  j["questions"] = std::move(qs);
  ordered_json inputs = ordered_json::array();
  for (const auto& in : a.inputs) {
    inputs.push_back({{"path", in.path},
                      {"label", in.label},
                      {"runs_total", in.runs_total},
                      {"runs_ok", in.runs_ok},
                      {"runs_by_status", in.runs_by_status},
                      {"provenance", in.provenance},
                      {"notes", in.notes}});
  }
  j["inputs"] = std::move(inputs);
  j["micro_runs"] = a.micro_runs;
  j["workload_runs"] = a.workload_runs;
  j["family"] = {{"fits", a.family.fits},       {"tested", a.family.tested}, {"significant", a.family.significant},
                 {"depends", a.family.depends}, {"flat", a.family.flat},     {"insufficient", a.family.insufficient}};
  ordered_json cs = ordered_json::array();
  for (const auto& c : a.constraints) cs.push_back(constraint_json(c));
  j["constraints"] = std::move(cs);
  ordered_json fj = ordered_json::array();
  for (const auto& f : a.fits) fj.push_back(fit_json(f, a));
  j["fits"] = std::move(fj);
  ordered_json qj = ordered_json::array();
  for (const auto& q : a.q3) qj.push_back(q3_json(q, a));
  j["q3"] = std::move(qj);
  ordered_json cj = ordered_json::array();
  for (const auto& c : a.claims) cj.push_back(claim_json(c, a));
  j["claims"] = std::move(cj);
  ordered_json vj = ordered_json::array();
  for (const auto& g : a.vendor) vj.push_back(vendor_json(g));
  j["vendor"] = std::move(vj);
  ordered_json pj = ordered_json::array();
  for (const auto& p : a.profiles) pj.push_back(profile_json(p, a));
  j["profiles"] = std::move(pj);
  ordered_json kj = ordered_json::array();
  for (const auto& c : a.checks) {
    kj.push_back({{"workload", c.workload},
                  {"runtime", c.runtime},
                  {"constraint", c.constraint},
                  {"verdict", c.verdict},
                  {"reason", c.reason},
                  {"fits", c.fit_ids}});
  }
  j["checks"] = std::move(kj);
  ordered_json pj2 = ordered_json::array();
  for (const auto& p : a.perturbation) {
    ordered_json e = ordered_json::array();
    for (const auto& m : p.engines) {
      ordered_json x;
      x["engine"] = m.engine;
      x["run_ids"] = m.run_ids;
      x["dbs"] = m.dbs;
      put_estimate(x, "syscalls", m.syscalls);
      x["largest"] = num(m.largest);
      e.push_back(std::move(x));
    }
    ordered_json x;
    put_series(x, p.series, a);
    x["runtime"] = p.runtime;
    x["bytes"] = p.bytes;
    x["iters"] = p.iters;
    x["ratio"] = num(p.ratio);
    x["largest_category"] = p.largest_category;
    x["engines"] = std::move(e);
    pj2.push_back(std::move(x));
  }
  j["perturbation"] = std::move(pj2);
  j["notes"] = a.notes;
  return j;
}

Analysis from_json(const json& j) {
  if (!j.is_object()) throw AnalysisError("analysis.json: not a JSON object");
  const std::string schema = j.contains("schema") && j["schema"].is_string() ? j["schema"].get<std::string>() : "";
  if (schema != kSchema) {
    throw AnalysisError(
        fmt::format("analysis.json: schema '{}', expected '{}' (re-run sysaxis analyze)", schema, kSchema));
  }
  Analysis a;
  const std::string w = "top level";
  const json& tool = field(j, "tool", w);
  a.tool_version = get_str(tool, "version", w);
  a.tool_revision = get_str(tool, "revision", w);
  a.taxonomy = get_str(j, "taxonomy", w);
  if (j.contains("categories")) {
    std::vector<NamedWords> words;
    for (const auto& c : get_arr(j, "categories", w)) {
      words.push_back({get_str(c, "category", "categories[]"),
                       {get_str(c, "noun", "categories[]"), get_str(c, "area", "categories[]"),
                        get_str(c, "colour", "categories[]"), static_cast<int>(get_int(c, "point", "categories[]"))}});
    }
    a.words = Vocabulary(std::move(words));
  }
  a.options = get_options(field(j, "method", w));
  for (const auto& in : get_arr(j, "inputs", w)) {
    Input i;
    i.path = get_str(in, "path", "inputs[]");
    i.label = get_str(in, "label", "inputs[]");
    i.runs_total = static_cast<std::size_t>(get_int(in, "runs_total", "inputs[]"));
    i.runs_ok = static_cast<std::size_t>(get_int(in, "runs_ok", "inputs[]"));
    const json& by = field(in, "runs_by_status", "inputs[]");
    for (auto it = by.begin(); it != by.end(); ++it) i.runs_by_status[it.key()] = it.value().get<std::size_t>();
    const json& prov = field(in, "provenance", "inputs[]");
    for (auto it = prov.begin(); it != prov.end(); ++it) i.provenance[it.key()] = it.value().get<std::string>();
    i.notes = get_strs(in, "notes", "inputs[]");
    a.inputs.push_back(std::move(i));
  }
  a.micro_runs = static_cast<std::size_t>(get_int(j, "micro_runs", w));
  a.workload_runs = static_cast<std::size_t>(get_int(j, "workload_runs", w));
  const json& fam = field(j, "family", w);
  a.family.fits = static_cast<std::size_t>(get_int(fam, "fits", "family"));
  a.family.tested = static_cast<std::size_t>(get_int(fam, "tested", "family"));
  a.family.significant = static_cast<std::size_t>(get_int(fam, "significant", "family"));
  a.family.depends = static_cast<std::size_t>(get_int(fam, "depends", "family"));
  a.family.flat = static_cast<std::size_t>(get_int(fam, "flat", "family"));
  a.family.insufficient = static_cast<std::size_t>(get_int(fam, "insufficient", "family"));
  for (const auto& c : get_arr(j, "constraints", w)) a.constraints.push_back(get_constraint(c));
  for (const auto& f : get_arr(j, "fits", w)) a.fits.push_back(get_fit(f, a.runtime_labels));
  for (const auto& q : get_arr(j, "q3", w)) a.q3.push_back(get_q3(q, a.runtime_labels));
  for (const auto& c : get_arr(j, "claims", w)) a.claims.push_back(get_claim(c, a.runtime_labels));
  for (const auto& g : get_arr(j, "vendor", w)) a.vendor.push_back(get_vendor(g));
  for (const auto& p : get_arr(j, "profiles", w)) a.profiles.push_back(get_profile(p, a.runtime_labels));
  for (const auto& c : get_arr(j, "checks", w)) {
    WorkloadCheck k;
    k.workload = get_str(c, "workload", "checks[]");
    k.runtime = get_str(c, "runtime", "checks[]");
    k.constraint = get_str(c, "constraint", "checks[]");
    k.verdict = get_str(c, "verdict", "checks[]");
    k.reason = get_str(c, "reason", "checks[]");
    k.fit_ids = get_strs(c, "fits", "checks[]");
    a.checks.push_back(std::move(k));
  }
  for (const auto& x : get_arr(j, "perturbation", w)) {
    const std::string pw = "perturbation[]";
    Perturbation p;
    std::map<SeriesKey, std::string> ignored;
    p.series = get_series(x, pw, ignored);
    p.runtime = get_str(x, "runtime", pw);
    p.bytes = get_int(x, "bytes", pw);
    p.iters = get_int(x, "iters", pw);
    p.ratio = get_num(x, "ratio", pw);
    p.largest_category = get_str(x, "largest_category", pw);
    for (const auto& e : get_arr(x, "engines", pw)) {
      EngineMeans m;
      m.engine = get_str(e, "engine", pw);
      m.run_ids = get_ints(e, "run_ids", pw);
      for (auto d : get_ints(e, "dbs", pw)) m.dbs.push_back(static_cast<std::size_t>(d));
      auto est = get_estimate(e, "syscalls", pw);
      if (!est) bad(pw, "syscalls missing");
      m.syscalls = *est;
      m.largest = get_num(e, "largest", pw);
      p.engines.push_back(std::move(m));
    }
    a.perturbation.push_back(std::move(p));
  }
  a.notes = get_strs(j, "notes", w);
  return a;
}

namespace {

void write_json(std::string& out, const ordered_json& j, int depth) {
  if (!j.is_structured() || j.empty()) {
    out += j.dump();
    return;
  }
  const bool flat = std::none_of(j.begin(), j.end(), [](const ordered_json& v) { return v.is_structured(); });
  if (flat) {
    std::string one = j.dump();
    if (j.is_array() || one.size() <= 160) {
      out += one;
      return;
    }
  }
  const std::string pad(static_cast<std::size_t>(2 * (depth + 1)), ' ');
  out += j.is_array() ? "[\n" : "{\n";
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!first) out += ",\n";
    first = false;
    out += pad;
    if (j.is_object()) {
      out += ordered_json(it.key()).dump();
      out += ": ";
    }
    write_json(out, it.value(), depth + 1);
  }
  out += "\n";
  out += std::string(static_cast<std::size_t>(2 * depth), ' ');
  out += j.is_array() ? "]" : "}";
}

}  // namespace

std::string dump_json(const ordered_json& j) {
  std::string out;
  write_json(out, j, 0);
  out += "\n";
  return out;
}

Analysis read_analysis_file(const std::string& path) {
  // gzread reads plain files as they are, so one reader serves analysis.json and analysis.json.gz.
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw AnalysisError(fmt::format("cannot read {}", path));
  std::string text;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  int err = 0;
  const std::string why = n < 0 ? gzerror(f, &err) : "";
  gzclose(f);
  if (n < 0) throw AnalysisError(fmt::format("cannot read {}: {}", path, why));
  try {
    return from_json(json::parse(text));
  } catch (const json::exception& e) {
    throw AnalysisError(fmt::format("{} is not JSON: {}", path, e.what()));
  } catch (const AnalysisError& e) {
    throw AnalysisError(fmt::format("{}: {}", path, e.what()));
  }
}

}  // namespace sysaxis::analysis
