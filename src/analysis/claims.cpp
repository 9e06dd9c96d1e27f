// Claims generated mechanically from the classes, each with its evidence (DESIGN.md: "OS
// interaction depends on A but is insensitive to B, ruling out C"), and the vendor annotation.
#include "analysis/claims.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "analysis/analysis.h"

namespace sysaxis::analysis {

namespace {

struct WordsRow {
  std::string_view category, noun, area;
};
// Every category of taxonomy/default.toml plus the non-syscall events.
constexpr std::array kWords = {
    WordsRow{"memory", "memory-management calls", "memory-management"},
    WordsRow{"driver", "driver calls (ioctl)", "driver"},
    WordsRow{"terminal", "terminal calls (ioctl on ttys)", "terminal"},
    WordsRow{"device", "calls to other devices (ioctl)", "device"},
    WordsRow{"sync", "synchronisation calls", "synchronisation"},
    WordsRow{"sched", "scheduler calls", "scheduler"},
    WordsRow{"thread", "thread calls", "thread"},
    WordsRow{"process", "process calls", "process"},
    WordsRow{"file", "file calls", "file"},
    WordsRow{"poll", "polling calls", "polling"},
    WordsRow{"signal", "signal calls", "signal"},
    WordsRow{"time", "clock calls", "clock"},
    WordsRow{"ipc_net", "IPC and network calls", "IPC and network"},
    WordsRow{"info", "information calls", "information"},
    WordsRow{"system", "system-administration calls", "system-administration"},
    WordsRow{"other", "uncategorised calls", "uncategorised"},
    WordsRow{"faults:minor", "minor page faults", "page-fault"},
    WordsRow{"faults:major", "major page faults", "major-fault"},
    WordsRow{"cs:voluntary", "voluntary context switches", "blocking"},
    WordsRow{"cs:involuntary", "involuntary context switches", "preemption"},
};

}  // namespace

bool has_category_words(std::string_view category) {
  return std::any_of(kWords.begin(), kWords.end(), [&](const WordsRow& w) { return w.category == category; });
}

CategoryWords category_words(std::string_view category) {
  for (const auto& w : kWords) {
    if (w.category == category) return {std::string(w.noun), std::string(w.area)};
  }
  if (category.starts_with("driver:")) {
    auto device = category.substr(7);
    return {fmt::format("ioctl calls to {}", device), fmt::format("{} driver", device)};
  }
  return {fmt::format("{} calls", category), std::string(category)};
}

std::string human_bytes(double bytes) {
  static constexpr std::array<std::string_view, 5> kUnits = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = bytes;
  std::size_t u = 0;
  while (std::abs(v) >= 1024 && u + 1 < kUnits.size()) {
    v /= 1024;
    ++u;
  }
  if (v == std::floor(v)) return fmt::format("{:.0f} {}", v, kUnits[u]);
  return fmt::format("{:.1f} {}", v, kUnits[u]);
}

std::string human_number(double v) {
  if (std::isnan(v)) return "n/a";
  if (std::abs(v) >= 100) return fmt::format("{:.0f}", v);
  if (v == 0) return "0";
  return fmt::format("{:.3g}", v);
}

namespace {

bool dependent(std::string_view cls) {
  return cls == "linear" || cls == "sublinear" || cls == "superlinear" || cls == "mixed";
}
bool firm(std::string_view cls) {
  return cls != "none" && cls != "insufficient";
}

struct Consensus {
  std::string cls = "none";  // none | insufficient | flat | linear | sublinear | superlinear | mixed
  std::vector<const Fit*> fits;
  std::vector<const Fit*> firm;
  bool wide = false;
};

Consensus consensus(std::vector<const Fit*> fits) {
  Consensus c;
  c.fits = std::move(fits);
  if (c.fits.empty()) return c;
  std::set<std::string_view> classes;
  for (const Fit* f : c.fits) {
    if (f->result.shape == Shape::insufficient) continue;
    c.firm.push_back(f);
    classes.insert(shape_name(f->result.shape));
    c.wide = c.wide || f->result.wide;
  }
  if (c.firm.empty()) {
    c.cls = "insufficient";
  } else if (classes.size() == 1) {
    c.cls = std::string(*classes.begin());
  } else {
    c.cls = "mixed";
  }
  return c;
}

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string axis_noun(std::string_view axis) {
  return axis == "bytes" ? "data size" : "iterations";
}
std::string per_unit(const Fit& f) {
  return f.x_unit == "MiB" ? "MiB" : f.x_unit;
}

std::string fixed_text(const Fit& f) {
  if (f.fixed_axis == "bytes") {
    return f.workload == "resnet" ? fmt::format("batch {}", f.fixed_value)
                                  : human_bytes(static_cast<double>(f.fixed_value));
  }
  return fmt::format("{} iteration{}", f.fixed_value, f.fixed_value == 1 ? "" : "s");
}

std::string range_text(const Consensus& c) {
  double lo = INFINITY;
  double hi = -INFINITY;
  for (const Fit* f : c.fits) {
    lo = std::min(lo, f->result.x_min);
    hi = std::max(hi, f->result.x_max);
  }
  const Fit& f = *c.fits.front();
  if (f.axis == "bytes" && f.x_unit == "MiB") {
    auto b = [](double mib) { return human_bytes(std::round(mib * 1024 * 1024)); };
    return fmt::format("{}–{}", b(lo), b(hi));
  }
  return fmt::format("{}–{} {}", human_number(lo), human_number(hi), f.axis == "bytes" ? "images" : "iterations");
}

// "depend on iterations (≈3.00 per iteration [2.98, 3.02])"
std::string depends_text(const Consensus& c) {
  const Fit& f0 = *c.firm.front();
  const std::string axis = axis_noun(f0.axis);
  if (c.cls == "mixed") {
    std::map<std::string, std::vector<std::string>> by_class;
    for (const Fit* f : c.firm) by_class[std::string(shape_name(f->result.shape))].push_back(fixed_text(*f));
    std::vector<std::string> dep;
    std::vector<std::string> flat;
    for (const auto& [cls, where] : by_class) {
      (cls == "flat" ? flat : dep).emplace_back(fmt::format("{} at {}", cls, fmt::join(where, ", ")));
    }
    if (flat.empty()) return fmt::format("depend on {} in different ways ({})", axis, fmt::join(dep, "; "));
    return fmt::format("depend on {} only in some configurations ({}; {})", axis, fmt::join(dep, "; "),
                       fmt::join(flat, "; "));
  }
  std::vector<double> c1;
  double lo = INFINITY;
  double hi = -INFINITY;
  std::vector<double> slopes;
  for (const Fit* f : c.firm) {
    c1.push_back(f->result.c1);
    if (f->result.c1_ci) {
      lo = std::min(lo, f->result.c1_ci->lo);
      hi = std::max(hi, f->result.c1_ci->hi);
    }
    if (f->result.slope) slopes.push_back(*f->result.slope);
  }
  std::string marginal =
      fmt::format("≈{} per {} [{}, {}]", human_number(median(c1)), per_unit(f0), human_number(lo), human_number(hi));
  if (c.cls == "linear") return fmt::format("depend on {} ({})", axis, marginal);
  return fmt::format("depend on {} {} (marginal log-log slope ≈{}; affine {})", axis,
                     c.cls == "sublinear" ? "sublinearly" : "superlinearly", human_number(median(slopes)), marginal);
}

std::string scope_text(std::string_view scope) {
  return scope == kScopeProcess ? "over the whole process" : fmt::format("in the {} phase", scope);
}

std::string claim_slug(std::string s) {
  for (char& ch : s) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '.' || ch == ':' || ch == '_' || ch == '/';
    if (!ok) ch = '_';
  }
  return s;
}

std::string series_slug(const SeriesKey& s) {
  std::string opts = s.exec == "alloc" ? s.alloc_op : (s.exec == "kernels" ? s.sync : std::to_string(s.threads));
  return fmt::format("db{}/{}/{}/{}/{}/{}/{}", s.db, s.backend, s.platform.empty() ? "-" : s.platform,
                     s.device.empty() ? "-" : s.device, s.exec, opts.empty() ? "-" : opts,
                     s.engine.empty() ? "-" : s.engine);
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

// Materiality: some level mean (any fit) reaches `material` events per run.
bool material(const std::vector<const Fit*>& fits, double threshold) {
  for (const Fit* f : fits) {
    for (const auto& l : f->levels) {
      if (l.mean >= threshold) return true;
    }
  }
  return false;
}

// Q3 view of one GPU series and scope, over its cells.
struct Q3Summary {
  std::vector<const Q3Cell*> cells;
  std::size_t with_baseline = 0, gpu_only = 0, top_calls = 0, top_time = 0;
  std::string gpu_only_class() const {
    if (with_baseline == 0) return "no baseline";
    if (with_baseline < cells.size()) return gpu_only == with_baseline ? "gpu-only where compared" : "not gpu-only";
    if (gpu_only == cells.size()) return "gpu-only";
    return gpu_only == 0 ? "not gpu-only" : "mixed";
  }
  std::string dominant_class() const {
    if (top_calls == cells.size() || top_time == cells.size()) return "dominant";
    return (top_calls == 0 && top_time == 0) ? "not dominant" : "mixed";
  }
};

const Q3Category* find_category(const Q3Cell& cell, std::string_view category) {
  for (const auto& c : cell.categories) {
    if (c.category == category) return &c;
  }
  return nullptr;
}

Q3Summary q3_summary(const std::vector<const Q3Cell*>& cells, std::string_view category) {
  Q3Summary s;
  s.cells = cells;
  for (const Q3Cell* cell : cells) {
    if (cell->baseline) ++s.with_baseline;
    const Q3Category* c = find_category(*cell, category);
    if (!c) continue;
    if (cell->baseline && c->gpu_only.value_or(false)) ++s.gpu_only;
    if (c->rank_calls == 1) ++s.top_calls;
    if (c->rank_time == 1) ++s.top_time;
  }
  return s;
}

// The reference cell of a claim: the largest bytes, then the largest iters.
const Q3Cell* reference_cell(const std::vector<const Q3Cell*>& cells) {
  const Q3Cell* best = nullptr;
  for (const Q3Cell* c : cells) {
    if (!best || std::tie(c->bytes, c->iters) > std::tie(best->bytes, best->iters)) best = c;
  }
  return best;
}

std::string pct(const std::optional<stats::Estimate>& e) {
  if (!e) return "n/a";
  return fmt::format("{:.0f}% [{:.0f}, {:.0f}]", 100 * e->value, 100 * e->ci.lo, 100 * e->ci.hi);
}

}  // namespace

std::vector<Claim> make_claims(const Analysis& a) {
  std::vector<Claim> claims;
  const Options& o = a.options;
  auto label = [&](const SeriesKey& s) {
    auto it = a.runtime_labels.find(s);
    return it == a.runtime_labels.end() ? s.backend : it->second;
  };

  // Scaling claims (Q1, Q2): one per series, scope and material category.
  std::map<ScalingKey, std::map<std::string, std::vector<const Fit*>>> grouped;
  for (const auto& f : a.fits) grouped[{f.series, f.scope, f.category}][f.question].push_back(&f);
  for (const auto& group : grouped) {
    const ScalingKey& key = group.first;
    const auto& by_q = group.second;
    std::vector<const Fit*> all;
    for (const auto& [q, fits] : by_q) all.insert(all.end(), fits.begin(), fits.end());
    if (!material(all, o.material)) continue;
    auto get = [&](const char* q) {
      auto it = by_q.find(q);
      return consensus(it == by_q.end() ? std::vector<const Fit*>{} : it->second);
    };
    Consensus q1 = get("Q1");
    Consensus q2 = get("Q2");
    if (!firm(q1.cls) && !firm(q2.cls)) continue;
    Claim c;
    c.kind = "scaling";
    c.series = key.series;
    c.runtime = label(key.series);
    c.scope = key.scope;
    c.category = key.category;
    std::vector<std::string> dep_parts;
    std::vector<std::string> flat_axes;
    std::vector<std::string> ruled_out;
    std::vector<std::string> missing;
    const CategoryWords words = category_words(key.category);
    const Consensus* flat_one = nullptr;
    const std::array<std::pair<const char*, const Consensus*>, 2> per_question = {{{"Q1", &q1}, {"Q2", &q2}}};
    for (const auto& [qid, con] : per_question) {
      if (con->cls == "none") continue;
      c.questions.emplace_back(qid);
      c.classes[qid] = con->cls;
      for (const Fit* f : con->fits) {
        c.fit_ids.push_back(f->id);
        add_runs(c.run_ids, f->run_ids);
      }
      const std::string axis = std::string(qid) == "Q1" ? "bytes" : "iters";
      if (!firm(con->cls)) {
        missing.emplace_back(fmt::format("{}: not enough data", axis_noun(axis)));
      } else if (con->cls == "flat") {
        flat_axes.emplace_back(fmt::format("{} ({})", axis_noun(axis), range_text(*con)));
        ruled_out.emplace_back(fmt::format("per-{} {} work", axis == "bytes" ? "byte" : "iteration", words.area));
        flat_one = con;
      } else {
        dep_parts.push_back(depends_text(*con));
      }
    }
    if (ruled_out.empty()) {
      std::set<std::string> seen;
      for (const auto* con : {&q1, &q2}) {
        if (!firm(con->cls)) continue;
        const std::string unit = con->fits.front()->axis == "bytes" ? "byte" : "iteration";
        std::string r = con->cls == "linear"  ? fmt::format("a {} cost fixed at start-up", words.area)
                        : con->cls == "mixed" ? fmt::format("one scaling law in {} for every configuration",
                                                            axis_noun(con->fits.front()->axis))
                                              : fmt::format("a constant {} cost per {}", words.area, unit);
        if (seen.insert(r).second) ruled_out.push_back(r);
      }
    }
    std::string subject =
        fmt::format("On {} ({}), {} {}", c.runtime, exec_label(key.series), words.noun, scope_text(key.scope));
    std::string body;
    if (!dep_parts.empty() && !flat_axes.empty()) {
      body = fmt::format("{} but are insensitive to {}", fmt::join(dep_parts, " and "), fmt::join(flat_axes, " and "));
    } else if (!dep_parts.empty()) {
      body = fmt::format("{}", fmt::join(dep_parts, " and "));
    } else {
      std::vector<double> c0;
      for (const Fit* f : flat_one->firm) c0.push_back(f->result.c0);
      body = fmt::format("are constant (≈{} per run) and insensitive to {}", human_number(median(c0)),
                         fmt::join(flat_axes, " and "));
    }
    c.text = fmt::format("{} {}, ruling out {}{}.", subject, body, fmt::join(ruled_out, " and "),
                         missing.empty() ? "" : fmt::format(" ({})", fmt::join(missing, "; ")));
    c.question = dependent(q1.cls) ? "Q1" : (dependent(q2.cls) ? "Q2" : (q2.cls == "none" ? "Q1" : "Q2"));
    // Firm: both axes classed, one class each (mixed is a finding, but not one class to compare),
    // and no wide interval.
    c.reliable = firm(q1.cls) && firm(q2.cls) && q1.cls != "mixed" && q2.cls != "mixed" && !q1.wide && !q2.wide;
    c.vendor_key = vendor_key("scaling", key.series, key.scope, key.category);
    c.id = claim_slug(fmt::format("{}/{}/{}/{}", c.question, series_slug(key.series), key.scope, key.category));
    finish_runs(c.run_ids);
    claims.push_back(std::move(c));
  }

  // Q3 claims: categories that appear only with a GPU runtime, and the dominant ones.
  std::map<std::pair<SeriesKey, std::string>, std::vector<const Q3Cell*>> cells;
  for (const auto& q : a.q3) cells[{q.series, q.scope}].push_back(&q);
  for (const auto& entry : cells) {
    const SeriesKey& series = entry.first.first;
    const std::string& scope = entry.first.second;
    const std::vector<const Q3Cell*>& list = entry.second;
    std::set<std::string> categories;
    for (const Q3Cell* cell : list) {
      for (const auto& cat : cell->categories) categories.insert(cat.category);
    }
    std::vector<std::string> ordered(categories.begin(), categories.end());
    std::sort(ordered.begin(), ordered.end(), category_less);
    const Q3Cell* ref = reference_cell(list);
    for (const auto& category : ordered) {
      Q3Summary s = q3_summary(list, category);
      const CategoryWords words = category_words(category);
      const Q3Category* rc = find_category(*ref, category);
      auto base = [&](const std::string& kind) {
        Claim c;
        c.kind = kind;
        c.question = "Q3";
        c.questions = {"Q3"};
        c.series = series;
        c.runtime = label(series);
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
      const std::string ref_text =
          fmt::format("{} × {} iterations", human_bytes(static_cast<double>(ref->bytes)), ref->iters);
      if (s.gpu_only_class() == "gpu-only" && rc) {
        Claim c = base("gpu-only");
        c.classes["Q3"] = "gpu-only";
        c.reliable = true;
        std::vector<double> g;
        std::vector<double> b;
        for (const Q3Cell* cell : list) {
          if (const Q3Category* qc = find_category(*cell, category)) {
            g.push_back(qc->gpu.value);
            if (qc->cpu) b.push_back(qc->cpu->value);
          }
        }
        std::string shares = rc->calls_share ? fmt::format("; at {} they are {} of calls and {} of syscall time",
                                                           ref_text, pct(rc->calls_share), pct(rc->time_share))
                                             : "";
        c.text = fmt::format(
            "On {} ({}), {} {} depend on the GPU runtime: ≈{} per run against ≈{} with the cpu baseline at the same "
            "bytes and iterations ({} of {} cells), ruling out the computation itself as their source{}.",
            c.runtime, exec_label(series), words.noun, scope_text(scope), human_number(median(g)),
            human_number(median(b)), s.gpu_only, s.cells.size(), shares);
        claims.push_back(std::move(c));
      }
      if (s.dominant_class() == "dominant" && rc && rc->calls_share) {
        Claim c = base("dominant");
        c.classes["Q3"] = "dominant";
        c.reliable = true;
        const bool by_calls = s.top_calls == s.cells.size();
        const bool by_time = s.top_time == s.cells.size();
        c.measure = by_calls && by_time ? "calls and time" : (by_calls ? "calls" : "time");
        const auto& mine = by_calls ? rc->calls_share : rc->time_share;
        const auto& theirs = by_calls ? rc->cpu_calls_share : rc->cpu_time_share;
        std::string tail;
        if (!theirs) {
          tail = "; no cpu baseline at these bytes and iterations to compare with";
        } else if (mine->ci.lo > theirs->ci.hi) {
          tail = fmt::format(
              ", more than with the cpu baseline ({}), ruling out the computation itself as what sets the syscall mix",
              pct(theirs));
        } else {
          tail = fmt::format(", as with the cpu baseline ({}), ruling out the GPU runtime as what makes them dominant",
                             pct(theirs));
        }
        const std::string where = scope == kScopeProcess ? "the whole process" : fmt::format("the {} phase", scope);
        const std::string measure =
            by_calls && by_time ? "calls and syscall time" : (by_calls ? "calls" : "syscall time");
        c.text =
            fmt::format("On {} ({}), {} dominate {} by {} (largest share at every one of {} cells; {} of {} at {}){}.",
                        c.runtime, exec_label(series), words.noun, where, measure, s.cells.size(), pct(mine),
                        by_calls ? "calls" : "syscall time", ref_text, tail);
        claims.push_back(std::move(c));
      }
    }
  }
  return claims;
}

namespace {

std::string annotate(VendorGroup& g) {
  std::set<std::string> identities;
  for (const auto& e : g.entries) identities.insert(e.identity);
  auto describe = [&](bool firm_only) {
    std::vector<std::string> parts;
    for (const auto& e : g.entries) {
      if (firm_only && !e.reliable) continue;
      parts.emplace_back(fmt::format("{}: {}{}", e.runtime, e.cls, e.reliable ? "" : " (not firm)"));
    }
    return fmt::format("{}", fmt::join(parts, "; "));
  };
  if (identities.size() < 2) {
    g.annotation = "uncertain";
    return fmt::format("only {} measured", *identities.begin());
  }
  // A firm difference between two runtimes settles it.
  for (const auto& a : g.entries) {
    for (const auto& b : g.entries) {
      if (a.reliable && b.reliable && a.identity != b.identity && a.cls != b.cls) {
        g.annotation = "vendor-specific";
        return fmt::format("classes differ: {}", describe(false));
      }
    }
  }
  for (const auto& a : g.entries) {
    for (const auto& b : g.entries) {
      if (a.reliable && b.reliable && a.identity == b.identity && a.cls != b.cls) {
        g.annotation = "uncertain";
        return fmt::format("{} differs between studies: {}", a.identity, describe(false));
      }
    }
  }
  std::vector<std::string> weak;
  std::set<std::string> firm_identities;
  for (const auto& e : g.entries) {
    if (e.reliable) {
      firm_identities.insert(e.identity);
    } else {
      weak.push_back(
          fmt::format("{} is {}", e.runtime, e.cls == "insufficient" ? "insufficient" : e.cls + ", not firm"));
    }
  }
  if (firm_identities.empty()) {
    g.annotation = "uncertain";
    return fmt::format("no runtime has a firm class: {}", fmt::join(weak, "; "));
  }
  if (!weak.empty() || firm_identities.size() < 2) {
    g.annotation = "uncertain";
    return fmt::format(
        "same class where firm ({}), but {}", describe(true),
        weak.empty() ? std::string("fewer than two runtimes are firm") : fmt::format("{}", fmt::join(weak, "; ")));
  }
  g.annotation = "vendor-agnostic";
  return fmt::format("same class on every runtime ({})", describe(false));
}

}  // namespace

std::vector<VendorGroup> annotate_vendors(Analysis& a) {
  auto label = [&](const SeriesKey& s) {
    auto it = a.runtime_labels.find(s);
    return it == a.runtime_labels.end() ? s.backend : it->second;
  };
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
  // Every series that could have made each claim: same execution label, measured in that scope.
  std::map<std::pair<std::string, std::string>, std::set<SeriesKey>> scaling_universe;  // (exec, scope) -> series
  std::map<std::tuple<SeriesKey, std::string, std::string>, std::vector<const Fit*>> fits_of;
  for (const auto& f : a.fits) {
    scaling_universe[{exec_label(f.series), f.scope}].insert(f.series);
    fits_of[{f.series, f.scope, f.category}].push_back(&f);
  }
  std::map<std::pair<std::string, std::string>, std::set<SeriesKey>> q3_universe;
  std::map<std::pair<SeriesKey, std::string>, std::vector<const Q3Cell*>> cells_of;
  for (const auto& q : a.q3) {
    q3_universe[{exec_label(q.series), q.scope}].insert(q.series);
    cells_of[{q.series, q.scope}].push_back(&q);
  }
  std::map<std::string, const Claim*> claim_by_key_series;
  for (const auto& c : a.claims) claim_by_key_series[c.vendor_key + "#" + series_key_string(c.series)] = &c;

  std::vector<VendorGroup> out;
  for (auto& [key, g] : groups) {
    const bool scaling = g.kind == "scaling";
    const auto& universe = scaling ? scaling_universe[{g.exec, g.scope}] : q3_universe[{g.exec, g.scope}];
    for (const auto& s : universe) {
      VendorEntry e;
      e.db = s.db;
      e.runtime = label(s);
      e.identity = vendor_identity(s);
      e.engine = s.engine;
      auto it = claim_by_key_series.find(key + "#" + series_key_string(s));
      if (it != claim_by_key_series.end()) {
        const Claim& c = *it->second;
        e.claim_id = c.id;
        e.reliable = c.reliable;
        if (scaling) {
          e.cls = fmt::format("Q1 {} / Q2 {}", c.classes.count("Q1") ? c.classes.at("Q1") : "none",
                              c.classes.count("Q2") ? c.classes.at("Q2") : "none");
        } else {
          e.cls = c.classes.at("Q3");
        }
      } else if (scaling) {
        auto f = fits_of.find({s, g.scope, g.category});
        if (f == fits_of.end() || !material(f->second, a.options.material)) {
          e.cls = "absent";
          e.reliable = true;
        } else {
          e.cls = "insufficient";
        }
      } else {
        Q3Summary sum = q3_summary(cells_of[{s, g.scope}], g.category);
        if (g.kind == "gpu-only") {
          e.cls = sum.gpu_only_class();
          e.reliable = sum.with_baseline == sum.cells.size() && e.cls != "mixed";
        } else {
          e.cls = sum.dominant_class();
          e.reliable = e.cls != "mixed";
        }
      }
      g.entries.push_back(std::move(e));
    }
    g.reason = annotate(g);
    out.push_back(g);
  }
  std::map<std::string, const VendorGroup*> by_key;
  for (const auto& g : out) by_key[g.key] = &g;
  for (auto& c : a.claims) {
    const VendorGroup* g = by_key.at(c.vendor_key);
    c.annotation = g->annotation;
    c.annotation_reason = g->reason;
  }
  return out;
}

}  // namespace sysaxis::analysis
