// Claims generated mechanically from the classes, each with its evidence (DESIGN.md: "OS
// interaction depends on A but is insensitive to B, ruling out C"), and the vendor annotation.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "analysis/analysis.h"
#include "analysis/text.h"

namespace sysaxis::analysis {

bool Verdict::depends() const {
  return std::any_of(at.begin(), at.end(), [](const auto& p) {
    auto s = shape_from_name(p.second);
    return s && shape_depends(*s);
  });
}

bool Verdict::flat() const {
  return !at.empty() && std::all_of(at.begin(), at.end(), [](const auto& p) { return p.second == "flat"; });
}

namespace {

bool firm_class(std::string_view cls) {
  return cls != "insufficient" && cls != "not measured";
}

std::string axis_noun(std::string_view question) {
  return question == "Q1" ? "data size" : "iterations";
}

std::string metric_noun(std::string_view metric) {
  return metric == kTime ? "time in them" : "counts";
}

// "1 MiB" / "10 iterations" / "batch 4" for a fixed value of the other axis.
std::string fixed_text(const Fit& f) {
  if (f.fixed_axis == "bytes") {
    return f.series.workload == "micro" ? human_bytes(static_cast<double>(f.fixed_value))
                                        : fmt::format("size {}", f.fixed_value);
  }
  return fmt::format("{} iteration{}", f.fixed_value, f.fixed_value == 1 ? "" : "s");
}

std::string x_text(const Fit& f, double x) {
  if (f.axis == "bytes" && f.x_unit == "MiB") return human_bytes(std::round(x * 1024 * 1024));
  return human_number(x);
}

std::string range_text(const std::vector<const Fit*>& fits) {
  double lo = INFINITY;
  double hi = -INFINITY;
  for (const Fit* f : fits) {
    lo = std::min(lo, f->result.x_min);
    hi = std::max(hi, f->result.x_max);
  }
  const Fit& f = *fits.front();
  if (f.axis == "bytes") return fmt::format("{}–{}", x_text(f, lo), x_text(f, hi));
  return fmt::format("{}–{} iterations", human_number(lo), human_number(hi));
}

std::string per_unit(const Fit& f) {
  return f.x_unit;
}

// One class of one fit, as a phrase with its numbers.
std::string shape_phrase(const Fit& f) {
  const ScalingFit& r = f.result;
  const std::string c1 = human_metric(r.c1, f.metric);
  const std::string ci =
      r.c1_ci ? fmt::format(" [{}, {}]", human_metric(r.c1_ci->lo, f.metric), human_metric(r.c1_ci->hi, f.metric))
              : std::string();
  switch (r.shape) {
    case Shape::linear: return fmt::format("linear, {} per {}{}", c1, per_unit(f), ci);
    case Shape::step:
      return fmt::format("a step between {} and {} ({} → {} per run)", x_text(f, r.step.x_below),
                         x_text(f, r.step.x_above), human_metric(r.step.below, f.metric),
                         human_metric(r.step.above, f.metric));
    case Shape::sublinear:
    case Shape::superlinear:
      return fmt::format("{} (marginal log-log slope {}; affine {} per {}{})", shape_name(r.shape),
                         r.slope ? human_number(*r.slope) : "n/a", c1, per_unit(f), ci);
    case Shape::decreasing: return fmt::format("decreasing, {} per {}{}", c1, per_unit(f), ci);
    case Shape::irregular:
      return fmt::format("irregular (changes by {} over the range)", human_metric(r.effect, f.metric));
    case Shape::flat: return "flat";
    case Shape::insufficient: return "insufficient";
  }
  return "insufficient";
}

struct VerdictFits {
  Verdict verdict;
  std::vector<const Fit*> fits;  // ordered by fixed value
};

VerdictFits make_verdict(const std::string& question, const std::string& metric, std::vector<const Fit*> fits) {
  VerdictFits v;
  v.verdict.question = question;
  v.verdict.metric = metric;
  std::sort(fits.begin(), fits.end(), [](const Fit* a, const Fit* b) { return a->fixed_value < b->fixed_value; });
  v.fits = fits;
  std::set<std::string> classes;
  for (const Fit* f : fits) {
    const std::string cls(shape_name(f->result.shape));
    v.verdict.at.emplace_back(f->fixed_value, cls);
    v.verdict.fit_ids.push_back(f->id);
    classes.insert(cls);
  }
  if (fits.empty()) {
    v.verdict.cls = "not measured";
  } else if (classes.size() == 1) {
    v.verdict.cls = *classes.begin();
  } else {
    v.verdict.cls = "mixed";
  }
  return v;
}

// "insensitive to data size (4 KiB–256 MiB at 10 and 100 iterations)" or the classes per fixed value.
std::string verdict_phrase(const VerdictFits& v) {
  const Verdict& d = v.verdict;
  const std::string axis = axis_noun(d.question);
  if (d.cls == "not measured") return fmt::format("not measured against {}", axis);
  std::vector<std::string> fixed;
  for (const Fit* f : v.fits) fixed.push_back(fixed_text(*f));
  if (d.cls == "flat") {
    return fmt::format("insensitive to {} ({} at {})", axis, range_text(v.fits), join_words(fixed));
  }
  if (d.cls == "insufficient") return fmt::format("undetermined against {} ({})", axis, v.fits.front()->result.reason);
  if (d.cls != "mixed") {
    // One class everywhere: the phrase of each fit (their numbers differ).
    std::vector<std::string> parts;
    for (const Fit* f : v.fits) parts.push_back(fmt::format("{} at {}", shape_phrase(*f), fixed_text(*f)));
    return fmt::format("depend on {}: {}", axis, fmt::join(parts, "; "));
  }
  std::vector<std::string> parts;
  for (const Fit* f : v.fits) parts.push_back(fmt::format("{} at {}", shape_phrase(*f), fixed_text(*f)));
  return fmt::format("depend on {} only at some {}: {}", axis,
                     v.fits.front()->fixed_axis == "bytes" ? "sizes" : "iteration counts", fmt::join(parts, "; "));
}

std::string scope_text(std::string_view scope) {
  return scope == kScopeProcess ? "over the whole process" : fmt::format("in the {} phase", scope);
}

std::string claim_slug(std::string s) {
  for (char& ch : s) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                    ch == '.' || ch == ':' || ch == '_' || ch == '/' || ch == '=';
    if (!ok) ch = '_';
  }
  return s;
}

std::string series_slug(const SeriesKey& s) {
  std::string opts;
  for (const auto& [k, v] : s.options) opts += fmt::format("{}{}={}", opts.empty() ? "" : ",", k, v);
  return fmt::format("db{}/{}/{}/{}/{}/{}/{}", s.db, s.workload == "micro" ? s.backend : s.workload,
                     s.platform.empty() ? "-" : s.platform, s.device.empty() ? "-" : s.device, s.exec,
                     opts.empty() ? "-" : opts, s.engine.empty() ? "-" : s.engine);
}

void add_runs(std::vector<std::int64_t>& ids, const std::vector<std::int64_t>& more) {
  ids.insert(ids.end(), more.begin(), more.end());
}
void finish_runs(std::vector<std::int64_t>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

struct ScalingKey {
  SeriesKey series;
  std::string scope, category;
  bool operator<(const ScalingKey& o) const {
    return std::tie(series, scope, category) < std::tie(o.series, o.scope, o.category);
  }
};

std::string vendor_key(std::string_view kind, const SeriesKey& s, std::string_view scope, std::string_view category) {
  return fmt::format("{}|{}|{}|{}", kind, exec_label(s), scope, category);
}

// Material somewhere: some level mean of some fit reaches the fit's absolute threshold.
bool material(const std::vector<const Fit*>& fits, const Materiality& m) {
  for (const Fit* f : fits) {
    const double threshold = m.threshold(f->category, f->metric, 0);
    for (const auto& l : f->levels) {
      if (std::abs(l.mean) >= threshold) return true;
    }
  }
  return false;
}

std::string pct(const std::optional<stats::Estimate>& e) {
  if (!e) return "n/a";
  return fmt::format("{:.0f}% [{:.0f}, {:.0f}]", 100 * e->value, 100 * e->ci.lo, 100 * e->ci.hi);
}

// The cells of a Q3 series and scope, largest bytes then iters last.
const Q3Cell* reference_cell(const std::vector<const Q3Cell*>& cells) {
  const Q3Cell* best = nullptr;
  for (const Q3Cell* c : cells) {
    if (!best || std::tie(c->bytes, c->iters) > std::tie(best->bytes, best->iters)) best = c;
  }
  return best;
}

}  // namespace

std::vector<Claim> make_claims(const Analysis& a) {
  std::vector<Claim> claims;
  const Options& o = a.options;

  // Scaling claims (Q1, Q2): one per series, scope and material category.
  std::map<ScalingKey, std::vector<const Fit*>> grouped;
  for (const auto& f : a.fits) {
    if (category_kind(f.category) == CategoryKind::part) continue;  // parts: evidence, not claims
    grouped[{f.series, f.scope, f.category}].push_back(&f);
  }
  for (const auto& [key, fits] : grouped) {
    if (!material(fits, o.material)) continue;
    Claim c;
    c.kind = "scaling";
    c.series = key.series;
    c.runtime = a.label(key.series);
    c.scope = key.scope;
    c.category = key.category;
    const CategoryWords words = a.words.of(key.category);
    std::vector<std::string> clauses;
    bool firm = true;
    bool any_firm = false;
    std::string primary;
    for (const char* q : {"Q1", "Q2"}) {
      std::map<std::string, std::vector<const Fit*>> by_metric;
      for (const Fit* f : fits) {
        if (f->question == q) by_metric[f->metric].push_back(f);
      }
      if (by_metric.empty()) continue;
      std::vector<VerdictFits> vs;
      for (std::string_view m : metrics_of(key.category)) {
        auto it = by_metric.find(std::string(m));
        if (it != by_metric.end()) vs.push_back(make_verdict(q, std::string(m), it->second));
      }
      // Counts and time: one phrase when they agree, one each when they do not.
      if (vs.size() == 2 && vs[0].verdict.cls == "flat" && vs[1].verdict.cls == "flat") {
        clauses.push_back(fmt::format("are {} (counts and time in them)", verdict_phrase(vs[0])));
      } else {
        for (const auto& v : vs) {
          const bool only = vs.size() == 1;
          clauses.push_back(fmt::format("{}{} {}", only ? "" : fmt::format("their {} ", metric_noun(v.verdict.metric)),
                                        only ? "are" : (v.verdict.metric == kTime ? "is" : "are"), verdict_phrase(v)));
        }
      }
      for (auto& v : vs) {
        if (!firm_class(v.verdict.cls)) firm = false;
        if (firm_class(v.verdict.cls)) any_firm = true;
        for (const Fit* f : v.fits) {
          if (f->result.wide || f->result.shape == Shape::insufficient) firm = false;
          add_runs(c.run_ids, f->run_ids);
        }
        if (primary.empty() && v.verdict.depends()) primary = q;
        c.fit_ids.insert(c.fit_ids.end(), v.verdict.fit_ids.begin(), v.verdict.fit_ids.end());
        c.verdicts.push_back(std::move(v.verdict));
      }
    }
    if (!any_firm) continue;
    c.question = primary.empty() ? c.verdicts.front().question : primary;
    c.firm = firm;
    c.text = fmt::format("On {} ({}), {} {} {}.", c.runtime, exec_label(key.series), words.noun, scope_text(key.scope),
                         fmt::join(clauses, "; "));
    c.vendor_key = vendor_key("scaling", key.series, key.scope, key.category);
    c.id = claim_slug(fmt::format("{}/{}/{}/{}", c.question, series_slug(key.series), key.scope, key.category));
    finish_runs(c.run_ids);
    claims.push_back(std::move(c));
  }

  // Q3 claims: categories that appear only with a GPU runtime, and the dominant ones.
  std::map<std::pair<SeriesKey, std::string>, std::vector<const Q3Cell*>> cells;
  for (const auto& q : a.q3) cells[{q.series, q.scope}].push_back(&q);
  for (const auto& entry : cells) {
    const auto& sk = entry.first;
    const std::vector<const Q3Cell*>& list = entry.second;
    const SeriesKey& series = sk.first;
    const std::string& scope = sk.second;
    std::set<std::string> categories;
    for (const Q3Cell* cell : list) {
      for (const auto& cat : cell->categories) categories.insert(cat.category);
    }
    std::vector<std::string> ordered(categories.begin(), categories.end());
    std::sort(ordered.begin(), ordered.end(), a.words.order());
    const Q3Cell* ref = reference_cell(list);
    const std::string ref_text =
        fmt::format("{} × {} iterations", human_bytes(static_cast<double>(ref->bytes)), ref->iters);
    for (const auto& category : ordered) {
      if (category_kind(category) == CategoryKind::part) continue;
      const CategoryWords words = a.words.of(category);
      auto base = [&](const std::string& kind) {
        Claim c;
        c.kind = kind;
        c.question = "Q3";
        c.series = series;
        c.runtime = a.label(series);
        c.scope = scope;
        c.category = category;
        for (const Q3Cell* cell : list) {
          c.q3_ids.push_back(cell->id);
          add_runs(c.run_ids, cell->run_ids);
          add_runs(c.run_ids, cell->baseline_run_ids);
        }
        finish_runs(c.run_ids);
        c.vendor_key = vendor_key(kind, series, scope, category);
        c.id = claim_slug(fmt::format("Q3-{}/{}/{}/{}", kind, series_slug(series), scope, category));
        return c;
      };
      // gpu-only: by calls (events) at every cell with a baseline.
      const std::string_view first_metric = metrics_of(category).front();
      std::size_t with_baseline = 0;
      std::size_t gpu_only = 0;
      std::vector<double> g;
      std::vector<double> b;
      for (const Q3Cell* cell : list) {
        const Q3Category* qc = cell->find(category, first_metric);
        if (!cell->baseline) continue;
        ++with_baseline;
        if (qc && qc->gpu_only.value_or(false)) {
          ++gpu_only;
          g.push_back(qc->gpu.value);
          if (qc->cpu) b.push_back(qc->cpu->value);
        }
      }
      if (with_baseline > 0 && gpu_only == with_baseline && category_kind(category) != CategoryKind::cpu) {
        Claim c = base("gpu-only");
        c.firm = with_baseline == list.size();
        const Q3Category* rc = ref->find(category, kCalls);
        const Q3Category* rt = ref->find(category, kTime);
        std::string shares;
        if (rc && rc->share && rt && rt->share) {
          shares = fmt::format("; at {} they are {} of calls and {} of syscall time", ref_text, pct(rc->share),
                               pct(rt->share));
        }
        c.text = fmt::format(
            "On {} ({}), {} {} appear only with the GPU runtime: ≈{} per run against ≈{} with the cpu baseline at the "
            "same bytes and iterations ({} of {} cells){}, ruling out the computation itself as their source.",
            c.runtime, exec_label(series), words.noun, scope_text(scope), human_metric(median(g), first_metric),
            human_metric(median(b), first_metric), gpu_only, list.size(), shares);
        claims.push_back(std::move(c));
      }
      // dominant: largest share of calls or of syscall time at every cell.
      if (!is_top_category(category)) continue;
      std::size_t top_calls = 0;
      std::size_t top_time = 0;
      for (const Q3Cell* cell : list) {
        if (const Q3Category* qc = cell->find(category, kCalls); qc && qc->rank == 1) ++top_calls;
        if (const Q3Category* qc = cell->find(category, kTime); qc && qc->rank == 1) ++top_time;
      }
      const bool by_calls = top_calls == list.size();
      const bool by_time = top_time == list.size();
      if (!by_calls && !by_time) continue;
      Claim c = base("dominant");
      c.firm = true;
      c.measure = by_calls && by_time ? "calls and time_ns" : (by_calls ? "calls" : "time_ns");
      const Q3Category* mine = ref->find(category, by_calls ? kCalls : kTime);
      std::string tail;
      if (!mine || !mine->cpu_share) {
        tail = "; no cpu baseline at these bytes and iterations to compare with";
      } else if (mine->share->ci.lo > mine->cpu_share->ci.hi) {
        tail = fmt::format(
            ", more than with the cpu baseline ({}), ruling out the computation itself as what sets the "
            "syscall mix",
            pct(mine->cpu_share));
      } else {
        tail = fmt::format(", as with the cpu baseline ({}), ruling out the GPU runtime as what makes them dominant",
                           pct(mine->cpu_share));
      }
      const std::string where = scope == kScopeProcess ? "the whole process" : fmt::format("the {} phase", scope);
      const std::string measure =
          by_calls && by_time ? "calls and syscall time" : (by_calls ? "calls" : "syscall time");
      c.text =
          fmt::format("On {} ({}), {} dominate {} by {} (largest share at every one of {} cells; {} of {} at {}){}.",
                      c.runtime, exec_label(series), words.noun, where, measure, list.size(),
                      mine ? pct(mine->share) : "n/a", by_calls ? "calls" : "syscall time", ref_text, tail);
      claims.push_back(std::move(c));
    }
  }
  return claims;
}

namespace {

// The class a series shows for a claim's kind: a signature compared across runtimes.
std::string signature(const Claim& c) {
  if (c.kind != "scaling") return c.kind;
  std::vector<std::string> parts;
  for (const auto& v : c.verdicts) parts.push_back(fmt::format("{} {}: {}", v.question, v.metric, v.cls));
  return fmt::format("{}", fmt::join(parts, ", "));
}

const std::array<std::string_view, 3> kGpuVendors = {"NVIDIA GPU", "AMD GPU", "Intel GPU"};

Annotation annotate(const VendorGroup& g) {
  Annotation out;
  std::map<std::string, std::vector<const VendorEntry*>> gpu;  // vendor -> entries
  std::vector<std::string> beside;
  for (const auto& e : g.entries) {
    if (e.vendor.ends_with("GPU")) {
      gpu[e.vendor].push_back(&e);
    } else {
      beside.push_back(fmt::format("{}: {}", e.runtime, e.cls));
    }
  }
  const std::string beside_text =
      beside.empty() ? std::string()
                     : fmt::format(" Executed on the CPU, reported beside: {}.", fmt::join(beside, "; "));
  if (gpu.empty()) {
    out.label = "uncertain";
    out.reason = fmt::format("no GPU runtime measured for this.{}", beside_text);
    return out;
  }
  // Per vendor: the firm classes of its APIs.
  std::map<std::string, std::set<std::string>> firm_classes;  // vendor -> classes
  std::vector<std::string> api_texts;
  for (const auto& [vendor, entries] : gpu) {
    std::map<std::string, std::set<std::string>> by_api;
    for (const VendorEntry* e : entries) {
      if (!e->firm) continue;
      firm_classes[vendor].insert(e->cls);
      by_api[e->api].insert(e->cls);
    }
    std::vector<std::string> apis;
    apis.reserve(by_api.size());
    for (const auto& [api, cls] : by_api) apis.push_back(api);
    std::set<std::string> all;
    for (const auto& [api, cls] : by_api) all.insert(cls.begin(), cls.end());
    if (by_api.size() >= 2) {
      api_texts.push_back(
          fmt::format("API-{} on {} ({})", all.size() == 1 ? "agnostic" : "specific", vendor, fmt::join(apis, ", ")));
    } else if (by_api.size() == 1) {
      api_texts.push_back(fmt::format("one API on {} ({})", vendor, apis.front()));
    } else {
      api_texts.push_back(fmt::format("no firm class on {}", vendor));
    }
  }
  out.api = fmt::format("{}", fmt::join(api_texts, "; "));
  std::vector<std::string> missing;
  for (auto v : kGpuVendors) {
    if (!gpu.contains(std::string(v))) missing.emplace_back(v);
  }
  if (firm_classes.size() >= 2) {
    std::set<std::string> all;
    for (const auto& [v, cls] : firm_classes) all.insert(cls.begin(), cls.end());
    bool uniform = all.size() == 1;
    if (uniform) {
      out.label = "vendor-agnostic";
      out.reason =
          fmt::format("the same class on {} GPU vendors ({}).{}", firm_classes.size(), *all.begin(), beside_text);
    } else {
      out.label = "vendor-specific";
      std::vector<std::string> parts;
      parts.reserve(firm_classes.size());
      for (const auto& [v, cls] : firm_classes) parts.push_back(fmt::format("{}: {}", v, fmt::join(cls, " / ")));
      out.reason = fmt::format("classes differ between GPU vendors ({}).{}", fmt::join(parts, "; "), beside_text);
    }
    return out;
  }
  out.label = "uncertain";
  out.reason =
      fmt::format("only {} measured; {} not measured.{}", gpu.begin()->first, join_words(missing), beside_text);
  return out;
}

}  // namespace

std::vector<VendorGroup> annotate_vendors(Analysis& a) {
  std::map<std::string, VendorGroup> groups;
  for (const auto& c : a.claims) {
    auto& g = groups[c.vendor_key];
    g.key = c.vendor_key;
    g.kind = c.kind;
    g.exec = exec_label(c.series);
    g.scope = c.scope;
    g.category = c.category;
    g.claim_ids.push_back(c.id);
  }
  // Every series that could have made each claim: the same execution label, measured in that scope.
  std::map<std::pair<std::string, std::string>, std::set<SeriesKey>> universe;  // (exec, scope) -> series
  for (const auto& f : a.fits) universe[{exec_label(f.series), f.scope}].insert(f.series);
  for (const auto& q : a.q3) universe[{exec_label(q.series), q.scope}].insert(q.series);
  std::map<std::string, const Claim*> by_key_series;
  for (const auto& c : a.claims) by_key_series[c.vendor_key + "#" + series_key_string(c.series)] = &c;

  std::vector<VendorGroup> out;
  for (auto& [key, g] : groups) {
    for (const auto& s : universe[{g.exec, g.scope}]) {
      VendorEntry e;
      e.db = s.db;
      e.runtime = a.label(s);
      e.vendor = executor_of(s).vendor;
      e.api = api_of(s);
      e.engine = s.engine;
      if (auto it = by_key_series.find(key + "#" + series_key_string(s)); it != by_key_series.end()) {
        e.claim_id = it->second->id;
        e.firm = it->second->firm;
        e.cls = signature(*it->second);
      } else {
        e.cls = g.kind == "scaling" ? "absent (not material)" : fmt::format("not {}", g.kind);
        e.firm = true;
      }
      g.entries.push_back(std::move(e));
    }
    g.annotation = annotate(g);
    out.push_back(g);
  }
  std::map<std::string, const VendorGroup*> index;
  for (const auto& g : out) index[g.key] = &g;
  for (auto& c : a.claims) c.annotation = index.at(c.vendor_key)->annotation;
  return out;
}

}  // namespace sysaxis::analysis
