// The whole analysis, its JSON (analysis.json, docs/analysis.md) and its one-screen summary.
#include "analysis/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "analysis/claims.h"

namespace sysaxis::analysis {

Analysis analyze(const Dataset& data, const Options& options) {
  Analysis a;
  a.options = options;
  a.inputs = data.inputs;
  std::vector<Run> micro;
  std::set<std::string> others;
  for (const auto& r : data.runs) {
    if (r.workload == "micro") {
      ++a.micro_runs;
      micro.push_back(r);
    } else if (r.workload == "resnet") {
      ++a.resnet_runs;
    } else {
      ++a.other_runs;
      others.insert(r.workload);
    }
  }
  for (const auto& w : others) a.notes.emplace_back(fmt::format("runs of workload '{}' are not analysed", w));
  a.runtime_labels = label_runtimes(micro, a.inputs);
  a.fits = fit_questions(data.runs, options, "micro");
  a.q3 = compare_exec(data.runs, options);
  a.resnet_fits = fit_questions(data.runs, options, "resnet");
  a.resnet_profiles = resnet_profiles(data.runs, options);
  a.claims = make_claims(a);
  a.vendor = annotate_vendors(a);
  check_resnet(a, data.runs);

  if (a.micro_runs == 0) a.notes.emplace_back("no microbenchmark runs (workload 'micro') with status ok");
  std::size_t few_reps = 0;
  std::size_t few_levels = 0;
  for (const auto& f : a.fits) {
    if (f.result.shape != Shape::insufficient) continue;
    if (f.result.levels < options.scaling.min_levels) {
      ++few_levels;
    } else {
      ++few_reps;
    }
  }
  if (few_levels) {
    a.notes.emplace_back(fmt::format("{} fits have fewer than {} distinct values of the axis: class insufficient",
                                     few_levels, options.scaling.min_levels));
  }
  if (few_reps) {
    a.notes.push_back(
        fmt::format("{} fits have fewer than {} repetitions at some value: class insufficient "
                    "(run the sweep with more repetitions)",
                    few_reps, std::max<std::size_t>(options.scaling.min_reps, 2)));
  }
  for (const auto& in : a.inputs) {
    for (const auto& n : in.notes) a.notes.emplace_back(fmt::format("{}: {}", in.path, n));
  }
  return a;
}

namespace {

using nlohmann::ordered_json;

// Six significant digits: stable, readable numbers; null for what is not a number.
ordered_json num(double v) {
  if (!std::isfinite(v)) return nullptr;
  if (v == 0) return 0;
  double r = std::stod(fmt::format("{:.6g}", v));
  if (r == std::floor(r) && std::abs(r) < 9e15) return static_cast<std::int64_t>(r);
  return r;
}
ordered_json opt_num(const std::optional<double>& v) {
  return v ? num(*v) : ordered_json(nullptr);
}

void put_series(ordered_json& j, const SeriesKey& s, const Analysis& a) {
  j["db"] = s.db;
  auto it = a.runtime_labels.find(s);
  j["runtime"] = it == a.runtime_labels.end() ? s.backend : it->second;
  j["backend"] = s.backend;
  j["platform"] = s.platform;
  j["device"] = s.device;
  j["exec"] = s.exec;
  j["alloc_op"] = s.alloc_op;
  j["sync"] = s.sync;
  j["threads"] = s.threads;
  j["engine"] = s.engine;
}

void put_estimate(ordered_json& j, const std::string& name, const std::optional<stats::Estimate>& e) {
  j[name] = e ? num(e->value) : ordered_json(nullptr);
  j[name + "_lo"] = e ? num(e->ci.lo) : ordered_json(nullptr);
  j[name + "_hi"] = e ? num(e->ci.hi) : ordered_json(nullptr);
}

ordered_json fit_json(const Fit& f, const Analysis& a) {
  ordered_json j;
  j["id"] = f.id;
  j["question"] = f.question;
  j["workload"] = f.workload;
  put_series(j, f.series, a);
  j["phase"] = f.scope;
  j["category"] = f.category;
  j["axis"] = f.axis;
  j["x_unit"] = f.x_unit;
  j["fixed"] = ordered_json::object({{f.fixed_axis, f.fixed_value}});
  const ScalingFit& r = f.result;
  j["class"] = shape_name(r.shape);
  j["reason"] = r.reason;
  j["c0"] = r.levels >= 1 ? num(r.c0) : ordered_json(nullptr);
  j["c0_lo"] = r.c0_ci ? num(r.c0_ci->lo) : ordered_json(nullptr);
  j["c0_hi"] = r.c0_ci ? num(r.c0_ci->hi) : ordered_json(nullptr);
  j["c1"] = r.fitted ? num(r.c1) : ordered_json(nullptr);
  j["c1_lo"] = r.c1_ci ? num(r.c1_ci->lo) : ordered_json(nullptr);
  j["c1_hi"] = r.c1_ci ? num(r.c1_ci->hi) : ordered_json(nullptr);
  j["depends"] = r.depends ? ordered_json(*r.depends) : ordered_json(nullptr);
  j["wide"] = r.wide;
  j["r2"] = r.fitted ? num(r.r2) : ordered_json(nullptr);
  j["lof_p"] = opt_num(r.lof_p);
  j["lof_relative"] = num(r.lof_relative);
  j["loglog_slope"] = opt_num(r.slope);
  j["loglog_lo"] = r.slope_ci ? num(r.slope_ci->lo) : ordered_json(nullptr);
  j["loglog_hi"] = r.slope_ci ? num(r.slope_ci->hi) : ordered_json(nullptr);
  j["x_min"] = num(r.x_min);
  j["x_max"] = num(r.x_max);
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
    b["backend"] = q.baseline->backend;
    b["platform"] = q.baseline->platform;
    b["exec"] = q.baseline->exec;
    b["threads"] = q.baseline->threads;
    b["run_ids"] = q.baseline_run_ids;
    j["baseline"] = std::move(b);
  } else {
    j["baseline"] = nullptr;
  }
  ordered_json cats = ordered_json::array();
  for (const auto& c : q.categories) {
    ordered_json k;
    k["category"] = c.category;
    put_estimate(k, "gpu_mean", c.gpu);
    put_estimate(k, "cpu_mean", c.cpu);
    k["gpu_only"] = c.gpu_only ? ordered_json(*c.gpu_only) : ordered_json(nullptr);
    put_estimate(k, "calls_share", c.calls_share);
    put_estimate(k, "time_share", c.time_share);
    put_estimate(k, "cpu_calls_share", c.cpu_calls_share);
    put_estimate(k, "cpu_time_share", c.cpu_time_share);
    k["rank_calls"] = c.rank_calls ? ordered_json(c.rank_calls) : ordered_json(nullptr);
    k["rank_time"] = c.rank_time ? ordered_json(c.rank_time) : ordered_json(nullptr);
    cats.push_back(std::move(k));
  }
  j["categories"] = std::move(cats);
  return j;
}

ordered_json claim_json(const Claim& c, const Analysis& a, const std::map<std::string, const Fit*>& fits,
                        const std::map<std::string, const Q3Cell*>& cells) {
  ordered_json j;
  j["id"] = c.id;
  j["kind"] = c.kind;
  j["question"] = c.question;
  j["questions"] = c.questions;
  put_series(j, c.series, a);
  j["phase"] = c.scope;
  j["category"] = c.category;
  j["classes"] = c.classes;
  if (!c.measure.empty()) j["measure"] = c.measure;
  j["text"] = c.text;
  j["firm"] = c.reliable;
  j["annotation"] = c.annotation;
  j["annotation_reason"] = c.annotation_reason;
  j["vendor_key"] = c.vendor_key;
  ordered_json ev = ordered_json::array();
  for (const auto& id : c.fit_ids) {
    const Fit& f = *fits.at(id);
    ordered_json e;
    e["fit"] = id;
    e["question"] = f.question;
    e["fixed"] = ordered_json::object({{f.fixed_axis, f.fixed_value}});
    e["class"] = shape_name(f.result.shape);
    e["c0"] = num(f.result.c0);
    e["c1"] = f.result.fitted ? num(f.result.c1) : ordered_json(nullptr);
    e["c1_lo"] = f.result.c1_ci ? num(f.result.c1_ci->lo) : ordered_json(nullptr);
    e["c1_hi"] = f.result.c1_ci ? num(f.result.c1_ci->hi) : ordered_json(nullptr);
    e["x_unit"] = f.x_unit;
    e["run_ids"] = f.run_ids;
    ev.push_back(std::move(e));
  }
  for (const auto& id : c.q3_ids) {
    const Q3Cell& q = *cells.at(id);
    ordered_json e;
    e["q3"] = id;
    e["bytes"] = q.bytes;
    e["iters"] = q.iters;
    for (const auto& cat : q.categories) {
      if (cat.category != c.category) continue;
      put_estimate(e, "gpu_mean", cat.gpu);
      put_estimate(e, "cpu_mean", cat.cpu);
      e["gpu_only"] = cat.gpu_only ? ordered_json(*cat.gpu_only) : ordered_json(nullptr);
      put_estimate(e, "calls_share", cat.calls_share);
      put_estimate(e, "time_share", cat.time_share);
      e["rank_calls"] = cat.rank_calls ? ordered_json(cat.rank_calls) : ordered_json(nullptr);
      e["rank_time"] = cat.rank_time ? ordered_json(cat.rank_time) : ordered_json(nullptr);
    }
    std::vector<std::int64_t> ids = q.run_ids;
    ids.insert(ids.end(), q.baseline_run_ids.begin(), q.baseline_run_ids.end());
    std::sort(ids.begin(), ids.end());
    e["run_ids"] = ids;
    ev.push_back(std::move(e));
  }
  j["evidence"] = std::move(ev);
  j["run_ids"] = c.run_ids;
  ordered_json r;
  r["verdict"] = c.resnet.verdict;
  r["reason"] = c.resnet.reason;
  r["fits"] = c.resnet.fit_ids;
  ordered_json runs = ordered_json::array();
  for (const auto& [db, id] : c.resnet.runs) runs.push_back({{"db", db}, {"run_id", id}});
  r["runs"] = std::move(runs);
  j["resnet"] = std::move(r);
  return j;
}

}  // namespace

ordered_json to_json(const Analysis& a) {
  ordered_json j;
  j["schema"] = kSchema;
  j["generator"] = {{"tool", "sysaxis analyze"}, {"version", a.tool_version}, {"revision", a.tool_revision}};
  const auto& o = a.options;
  j["method"] = {
      {"fit", "count = c0 + c1*x, ordinary least squares over all repetitions (never through the origin)"},
      {"bootstrap", o.scaling.bootstrap},
      {"confidence", num(o.scaling.confidence)},
      {"seed", o.seed},
      {"min_levels", o.scaling.min_levels},
      {"min_reps", std::max<std::size_t>(o.scaling.min_reps, 2)},
      {"negligible_relative", num(o.scaling.negligible_relative)},
      {"negligible_absolute", num(o.scaling.negligible_absolute)},
      {"lof_alpha", num(o.scaling.lof_alpha)},
      {"lof_relative", num(o.scaling.lof_relative)},
      {"wide_relative", num(o.scaling.wide_relative)},
      {"material", num(o.material)},
      {"gpu_only_ratio", num(o.gpu_only_ratio)},
      {"doc", "docs/analysis.md"},
  };
  ordered_json qs = ordered_json::array();
  for (const auto& q : questions()) qs.push_back({{"id", q.id}, {"axis", q.axis}, {"text", q.text}});
  j["questions"] = std::move(qs);
  ordered_json inputs = ordered_json::array();
  for (std::size_t i = 0; i < a.inputs.size(); ++i) {
    const auto& in = a.inputs[i];
    inputs.push_back({{"db", i},
                      {"path", in.path},
                      {"label", in.label},
                      {"runs_total", in.runs_total},
                      {"runs_ok", in.runs_ok},
                      {"runs_by_status", in.runs_by_status},
                      {"provenance", in.provenance},
                      {"notes", in.notes}});
  }
  j["inputs"] = std::move(inputs);
  j["runs"] = {{"micro", a.micro_runs}, {"resnet", a.resnet_runs}, {"other", a.other_runs}};

  std::map<std::string, const Fit*> fits;
  for (const auto& f : a.fits) fits[f.id] = &f;
  std::map<std::string, const Q3Cell*> cells;
  for (const auto& q : a.q3) cells[q.id] = &q;

  ordered_json fj = ordered_json::array();
  for (const auto& f : a.fits) fj.push_back(fit_json(f, a));
  j["fits"] = std::move(fj);
  ordered_json cj = ordered_json::array();
  for (const auto& c : a.claims) cj.push_back(claim_json(c, a, fits, cells));
  j["claims"] = std::move(cj);
  ordered_json qj = ordered_json::array();
  for (const auto& q : a.q3) qj.push_back(q3_json(q, a));
  j["q3"] = std::move(qj);
  ordered_json vj = ordered_json::array();
  for (const auto& g : a.vendor) {
    ordered_json e = ordered_json::array();
    for (const auto& x : g.entries) {
      e.push_back({{"db", x.db},
                   {"runtime", x.runtime},
                   {"identity", x.identity},
                   {"engine", x.engine},
                   {"class", x.cls},
                   {"firm", x.reliable},
                   {"claim", x.claim_id.empty() ? ordered_json(nullptr) : ordered_json(x.claim_id)}});
    }
    vj.push_back({{"key", g.key},
                  {"kind", g.kind},
                  {"exec", g.exec},
                  {"phase", g.scope},
                  {"category", g.category},
                  {"annotation", g.annotation},
                  {"reason", g.reason},
                  {"claims", g.claim_ids},
                  {"entries", std::move(e)}});
  }
  j["vendor"] = std::move(vj);

  ordered_json profiles = ordered_json::array();
  for (const auto& p : a.resnet_profiles) {
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
    profiles.push_back({{"db", p.db},
                        {"exec", p.exec},
                        {"engine", p.engine},
                        {"batch", p.batch},
                        {"iters", p.iters},
                        {"phase", p.phase},
                        {"run_ids", p.run_ids},
                        {"categories", std::move(cats)}});
  }
  ordered_json rfits = ordered_json::array();
  for (const auto& f : a.resnet_fits) rfits.push_back(fit_json(f, a));
  j["resnet"] = {
      {"rule",
       "claims of backend cuda with kernels are checked against ResNet on cuda, claims of backend cpu against ResNet "
       "on "
       "cpu (the claim's own database first); a claim's flat or dependent axis must match the ResNet fit's (batch size "
       "stands for bytes); Q3 claims compare ResNet on cuda with ResNet on cpu at the same batch and iterations"},
      {"profiles", std::move(profiles)},
      {"fits", std::move(rfits)}};

  std::map<std::string, std::size_t> by_class;
  for (const auto& f : a.fits) ++by_class[std::string(shape_name(f.result.shape))];
  std::map<std::string, std::size_t> by_annotation;
  std::map<std::string, std::size_t> by_verdict;
  for (const auto& c : a.claims) {
    ++by_annotation[c.annotation];
    ++by_verdict[c.resnet.verdict];
  }
  j["totals"] = {{"fits", a.fits.size()},
                 {"fits_by_class", by_class},
                 {"claims", a.claims.size()},
                 {"claims_by_annotation", by_annotation},
                 {"resnet_verdicts", by_verdict}};
  j["notes"] = a.notes;
  return j;
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

namespace {

// Column headings of the summary: a driver device by its name ("ioctl:nvidiactl" would not fit).
std::string column_name(const std::string& category) {
  std::string name = category.starts_with("driver:") ? "ioctl:" + category.substr(7) : category;
  return name.size() > 16 ? name.substr(0, 16) : name;
}
std::size_t column_width(const std::string& category) {
  return std::max<std::size_t>(column_name(category).size(), 3);
}

char class_letter(std::string_view cls) {
  if (cls == "flat") return 'F';
  if (cls == "linear") return 'L';
  if (cls == "sublinear") return 's';
  if (cls == "superlinear") return 'S';
  if (cls == "mixed") return 'M';
  if (cls == "insufficient") return '?';
  return '-';
}

std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
  std::istringstream in(text);
  std::string word;
  std::string out;
  std::string line = indent;
  while (in >> word) {
    if (line.size() > indent.size() && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = indent + "  ";
    }
    if (line.size() > indent.size() && line.back() != ' ') line += ' ';
    line += word;
  }
  if (line.size() > indent.size()) out += line + "\n";
  return out;
}

}  // namespace

std::string summary(const Analysis& a) {
  std::string s;
  std::size_t ok = 0;
  for (const auto& in : a.inputs) ok += in.runs_ok;
  s += fmt::format("sysaxis analyze: {} database(s), {} runs ok ({} microbenchmark, {} ResNet), {} fits, {} claims\n",
                   a.inputs.size(), ok, a.micro_runs, a.resnet_runs, a.fits.size(), a.claims.size());
  for (std::size_t i = 0; i < a.inputs.size(); ++i) {
    const auto& in = a.inputs[i];
    s += fmt::format("  db{} {}: {} ({} runs, {} ok)\n", i, in.label, in.path, in.runs_total, in.runs_ok);
  }

  // Per question, a class table: rows = runtime and execution, columns = the categories with the
  // most events; each cell "work/whole process" class letters (of the consensus over fixed values).
  std::map<std::string, double> weight;
  for (const auto& f : a.fits) {
    if (!f.category.starts_with("driver:") && !is_top_category(f.category) && !is_event_category(f.category)) continue;
    if (f.scope == kScopeProcess) {
      for (const auto& l : f.levels) weight[f.category] = std::max(weight[f.category], l.mean);
    }
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [cat, w] : weight) {
    if (w >= a.options.material) ranked.emplace_back(-w, cat);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> columns;
  for (std::size_t i = 0; i < ranked.size() && columns.size() < 7; ++i) columns.push_back(ranked[i].second);
  std::sort(columns.begin(), columns.end(), category_less);

  std::map<std::tuple<std::string, SeriesKey, std::string, std::string>, std::set<std::string>> classes;
  std::set<SeriesKey> series;
  for (const auto& f : a.fits) {
    classes[{f.question, f.series, f.scope, f.category}].insert(std::string(shape_name(f.result.shape)));
    series.insert(f.series);
  }
  auto cell = [&](std::string_view q, const SeriesKey& k, const std::string& cat) {
    std::string out;
    for (std::string_view scope : {kScopeWork, kScopeProcess}) {
      auto it = classes.find({std::string(q), k, std::string(scope), cat});
      char c = '-';
      if (it != classes.end()) {
        std::set<std::string> firm = it->second;
        firm.erase("insufficient");
        c = firm.empty() ? '?' : (firm.size() == 1 ? class_letter(*firm.begin()) : 'M');
      }
      out += c;
      if (scope == kScopeWork) out += '/';
    }
    return out;
  };
  auto label = [&](const SeriesKey& k) {
    auto it = a.runtime_labels.find(k);
    return fmt::format("{} {}", it == a.runtime_labels.end() ? k.backend : it->second, exec_label(k));
  };
  std::size_t label_width = 18;
  for (const auto& k : series) label_width = std::max(label_width, label(k).size());
  label_width = std::min<std::size_t>(label_width, 40);
  for (const auto& q : questions()) {
    if (q.id == "Q3") continue;
    s += fmt::format("\n{} ({}): class per category, work/whole process\n", q.id,
                     q.id == "Q1" ? "vary bytes at fixed iters" : "vary iters at fixed bytes");
    if (series.empty() || columns.empty()) {
      s += "  no fits\n";
      continue;
    }
    std::string head = fmt::format("  {:<{}}", "runtime exec", label_width);
    for (const auto& c : columns) head += fmt::format(" {:>{}}", column_name(c), column_width(c));
    s += head + "\n";
    for (const auto& k : series) {
      std::string row = fmt::format("  {:<{}}", label(k).substr(0, label_width), label_width);
      for (const auto& c : columns) row += fmt::format(" {:>{}}", cell(q.id, k, c), column_width(c));
      s += row + "\n";
    }
  }
  s += "  (F flat, L linear, s sublinear, S superlinear, M mixed over fixed values, ? insufficient, - none)\n";

  // Q3 in one line per GPU series: the categories that appear only with a GPU runtime (absent from
  // the cpu baseline; PoCL and HIP-CPU count as GPU runtimes: they run the offload model on the CPU).
  std::map<std::pair<SeriesKey, std::string>, std::vector<std::string>> gpu_only;
  std::map<std::pair<SeriesKey, std::string>, std::vector<std::string>> dominant;
  for (const auto& c : a.claims) {
    if (c.kind == "gpu-only" && c.scope == kScopeProcess) gpu_only[{c.series, c.scope}].push_back(c.category);
    if (c.kind == "dominant" && c.scope == kScopeProcess) dominant[{c.series, c.scope}].push_back(c.category);
  }
  s += "\nQ3 (exec at fixed bytes and iters), whole process:\n";
  std::set<SeriesKey> q3_series;
  for (const auto& q : a.q3) q3_series.insert(q.series);
  if (q3_series.empty()) s += "  no GPU execution to compare\n";
  for (const auto& k : q3_series) {
    auto g = gpu_only[{k, std::string(kScopeProcess)}];
    auto d = dominant[{k, std::string(kScopeProcess)}];
    s += fmt::format("  {:<{}} not in the cpu baseline: {}; dominant: {}\n", label(k).substr(0, label_width),
                     label_width, g.empty() ? "none" : fmt::format("{}", fmt::join(g, ", ")),
                     d.empty() ? "varies" : fmt::format("{}", fmt::join(d, ", ")));
  }

  std::map<std::string, std::size_t> by_annotation;
  std::map<std::string, std::size_t> by_verdict;
  for (const auto& c : a.claims) {
    ++by_annotation[c.annotation];
    ++by_verdict[c.resnet.verdict];
  }
  s += fmt::format(
      "\nClaims: {} ({} vendor-agnostic, {} vendor-specific, {} uncertain); ResNet: {} agree, {} "
      "disagree, {} cannot tell\n",
      a.claims.size(), by_annotation["vendor-agnostic"], by_annotation["vendor-specific"], by_annotation["uncertain"],
      by_verdict["agrees"], by_verdict["disagrees"], by_verdict["cannot tell"]);
  // A few claims: vendor-agnostic first, work phase first, dependences before constants.
  std::vector<const Claim*> order;
  for (const auto& c : a.claims) order.push_back(&c);
  auto rank = [](const Claim* c) {
    bool dep = false;
    for (const auto& [q, cls] : c->classes) dep = dep || (cls != "flat" && cls != "insufficient" && cls != "none");
    int kind = c->kind == "scaling" && dep ? 0 : (c->kind == "gpu-only" ? 1 : (c->kind == "dominant" ? 2 : 3));
    int ann = c->annotation == "vendor-agnostic" ? 0 : (c->annotation == "vendor-specific" ? 1 : 2);
    int top = is_top_category(c->category) ? 0 : 1;
    return std::make_tuple(kind, ann, top, c->scope != kScopeWork, c->id);
  };
  std::stable_sort(order.begin(), order.end(), [&](const Claim* x, const Claim* y) { return rank(x) < rank(y); });
  // One claim per runtime, category and kind (the work phase first): the rest is in the JSON.
  std::set<std::tuple<SeriesKey, std::string, std::string>> shown;
  std::size_t listed = 0;
  for (const Claim* c : order) {
    if (listed == 6) break;
    if (!shown.insert({c->series, c->category, c->kind}).second) continue;
    s += wrap(fmt::format("- [{}; ResNet {}] {}", c->annotation, c->resnet.verdict, c->text), 110, "  ");
    ++listed;
  }
  if (order.size() > listed) s += fmt::format("  ... {} more in the JSON (-o FILE)\n", order.size() - listed);
  for (const auto& n : a.notes) s += fmt::format("note: {}\n", n);
  return s;
}

}  // namespace sysaxis::analysis
