// ResNet runs (workload 'resnet'): kept apart from the microbenchmark fits; their category
// profile per phase, and the check of each claim against them (docs/analysis.md, "ResNet").
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/analysis.h"
#include "analysis/claims.h"

namespace sysaxis::analysis {

std::vector<ResnetProfile> resnet_profiles(const std::vector<Run>& runs, const Options& options) {
  using Key = std::tuple<std::size_t, std::string, std::string, std::int64_t, std::int64_t>;
  std::map<Key, std::vector<const Run*>> groups;
  for (const auto& r : runs) {
    if (r.workload == "resnet") groups[{r.db, r.exec, r.engine, r.bytes, r.iters}].push_back(&r);
  }
  std::vector<ResnetProfile> out;
  const std::size_t boot = options.scaling.bootstrap;
  const double conf = options.scaling.confidence;
  for (const auto& [key, group] : groups) {
    // Phases in workflow order, then any other, then the whole process.
    std::set<std::string> seen;
    for (const Run* r : group) {
      for (const auto& [scope, t] : r->scopes) seen.insert(scope);
    }
    std::vector<std::string> phases;
    for (std::string_view p : {"startup", "init", "work", "teardown"}) {
      if (seen.erase(std::string(p))) phases.emplace_back(p);
    }
    seen.erase(std::string(kScopeProcess));
    phases.insert(phases.end(), seen.begin(), seen.end());
    phases.emplace_back(kScopeProcess);
    for (const auto& phase : phases) {
      ResnetProfile p;
      p.db = std::get<0>(key);
      p.exec = std::get<1>(key);
      p.engine = std::get<2>(key);
      p.batch = std::get<3>(key);
      p.iters = std::get<4>(key);
      p.phase = phase;
      std::set<std::string> cats;
      std::vector<const Run*> in;
      for (const Run* r : group) {
        if (!r->has_counts(phase) && !r->has_faults(phase)) continue;
        in.push_back(r);
        p.run_ids.push_back(r->run_id);
        if (auto s = r->scopes.find(phase); s != r->scopes.end()) {
          for (const auto& [cat, t] : s->second) cats.insert(cat);
        }
      }
      if (in.empty()) continue;
      std::sort(p.run_ids.begin(), p.run_ids.end());
      std::vector<std::string> ordered(cats.begin(), cats.end());
      std::sort(ordered.begin(), ordered.end(), category_less);
      std::vector<double> total_calls(in.size(), 0);
      std::vector<double> total_time(in.size(), 0);
      for (std::size_t i = 0; i < in.size(); ++i) {
        if (auto s = in[i]->scopes.find(phase); s != in[i]->scopes.end()) {
          for (const auto& [cat, t] : s->second) {
            if (is_top_category(cat) && !is_event_category(cat)) {
              total_calls[i] += t.calls;
              total_time[i] += t.time_ns;
            }
          }
        }
      }
      const std::string seed_base =
          fmt::format("resnet|{}|{}|{}|{}|{}|{}", p.db, p.exec, p.engine, p.batch, p.iters, phase);
      for (const auto& cat : ordered) {
        ResnetProfileCategory c;
        c.category = cat;
        auto seed = [&](std::string_view tag) {
          return stats::seed_for(fmt::format("{}|{}|{}", seed_base, tag, cat), options.seed);
        };
        std::vector<double> calls;
        std::vector<double> time;
        for (const Run* r : in) {
          Tally t = r->tally(phase, cat);
          calls.push_back(t.calls);
          time.push_back(t.time_ns);
        }
        c.calls = stats::bootstrap_mean(calls, boot, conf, seed("calls"));
        c.time_ns = stats::bootstrap_mean(time, boot, conf, seed("time"));
        if (!is_event_category(cat)) {
          c.calls_share = stats::bootstrap_ratio(calls, total_calls, boot, conf, seed("share"));
          c.time_share = stats::bootstrap_ratio(time, total_time, boot, conf, seed("tshare"));
        }
        p.categories.push_back(std::move(c));
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

namespace {

// The ResNet execution a claim's runtime corresponds to (none: cannot tell).
std::optional<std::string> resnet_exec_for(const SeriesKey& s, std::string& why) {
  if (s.backend == "cuda" && s.exec == "kernels") return "cuda";
  if (s.backend == "cpu" && s.exec == "cpu") return "cpu";
  if (s.exec == "alloc") {
    why = "ResNet has no allocation-only execution to compare with";
  } else {
    why = fmt::format("no ResNet runs on {} (ResNet runs on the cpu and cuda torch devices)", s.backend);
  }
  return std::nullopt;
}

struct ResnetRuns {
  std::vector<const Run*> runs;
  std::size_t db = 0;
};

// ResNet runs of one exec, from the claim's own database when it has any, else from the first
// database that has some.
std::optional<ResnetRuns> pick_runs(const std::vector<Run>& runs, const std::string& exec, std::size_t db) {
  std::map<std::size_t, std::vector<const Run*>> by_db;
  for (const auto& r : runs) {
    if (r.workload == "resnet" && r.exec == exec) by_db[r.db].push_back(&r);
  }
  if (by_db.empty()) return std::nullopt;
  auto it = by_db.find(db);
  if (it == by_db.end()) it = by_db.begin();
  return ResnetRuns{it->second, it->first};
}

bool has_scope(const Run& r, std::string_view scope, std::string_view category) {
  return is_event_category(category) ? r.has_faults(scope) : r.has_counts(scope);
}

struct Verdicts {
  std::vector<std::string> agree, disagree, unknown;
  void add(bool ok, std::string why) { (ok ? agree : disagree).push_back(std::move(why)); }
};

}  // namespace

void check_resnet(Analysis& a, const std::vector<Run>& runs) {
  const Options& o = a.options;
  for (auto& c : a.claims) {
    ResnetCheck& check = c.resnet;
    std::string why;
    auto exec = resnet_exec_for(c.series, why);
    if (!exec) {
      check.reason = why;
      continue;
    }
    auto picked = pick_runs(runs, *exec, c.series.db);
    if (!picked) {
      check.reason = fmt::format("no ResNet runs on {}", *exec);
      continue;
    }
    std::vector<const Run*> in;
    for (const Run* r : picked->runs) {
      if (has_scope(*r, c.scope, c.category)) in.push_back(r);
    }
    if (in.empty()) {
      check.reason = fmt::format("the ResNet runs on {} have no {} phase", *exec, c.scope);
      continue;
    }
    double top = 0;
    for (const Run* r : in) top = std::max(top, r->tally(c.scope, c.category).calls);
    Verdicts v;
    if (c.kind == "scaling") {
      if (top < o.material) {
        check.reason = fmt::format("ResNet on {} makes no {} here (fewer than {} per run)", *exec, c.category,
                                   human_number(o.material));
        for (const Run* r : in) check.runs.emplace_back(r->db, r->run_id);
        continue;
      }
      for (const auto& [q, cls] : c.classes) {
        if (cls == "insufficient" || cls == "mixed" || cls == "none") continue;
        const std::string axis = q == "Q1" ? "batch size (as the size axis)" : "iterations";
        bool any = false;
        for (const auto& f : a.resnet_fits) {
          if (f.question != q || f.series.db != picked->db || f.series.exec != *exec || f.scope != c.scope ||
              f.category != c.category)
            continue;
          any = true;
          check.fit_ids.push_back(f.id);
          std::string where =
              fmt::format("{} at {} {}", axis, f.fixed_axis == "bytes" ? "batch" : "iters", f.fixed_value);
          if (!f.result.depends) {
            v.unknown.emplace_back(fmt::format("{}: fewer than 2 repetitions", where));
            continue;
          }
          const bool claim_depends = cls != "flat";
          // The claim's sign: from its own fits of this question.
          double claim_c1 = 0;
          for (const auto& cf : a.fits) {
            if (std::find(c.fit_ids.begin(), c.fit_ids.end(), cf.id) != c.fit_ids.end() && cf.question == q) {
              claim_c1 += cf.result.c1;
            }
          }
          const bool resnet_depends = *f.result.depends;
          std::string got = fmt::format("{}: ResNet {} (c1 {} per {} [{}, {}])", where,
                                        resnet_depends ? "depends" : "is flat", human_number(f.result.c1), f.x_unit,
                                        human_number(f.result.c1_ci->lo), human_number(f.result.c1_ci->hi));
          if (claim_depends != resnet_depends) {
            v.add(false, got);
          } else if (claim_depends && (claim_c1 > 0) != (f.result.c1 > 0)) {
            v.add(false, got + ", opposite sign");
          } else {
            v.add(true, got);
          }
        }
        if (!any) {
          v.unknown.emplace_back(fmt::format("{}: ResNet measured at one value only", axis));
        }
      }
      for (const Run* r : in) check.runs.emplace_back(r->db, r->run_id);
    } else {
      // Q3: ResNet on cuda against ResNet on cpu at the same batch and iterations.
      std::map<std::pair<std::int64_t, std::int64_t>, std::vector<const Run*>> gpu_cells;
      for (const Run* r : in) gpu_cells[{r->bytes, r->iters}].push_back(r);
      std::optional<ResnetRuns> cpu;
      if (c.kind == "gpu-only") cpu = pick_runs(runs, "cpu", picked->db);
      for (const auto& [cell, gpu] : gpu_cells) {
        const std::string where = fmt::format("batch {} × {} iterations", cell.first, cell.second);
        for (const Run* r : gpu) check.runs.emplace_back(r->db, r->run_id);
        std::vector<double> g;
        for (const Run* r : gpu) g.push_back(r->tally(c.scope, c.category).calls);
        const std::string seed = fmt::format("check|{}|{}|{}|{}", c.id, cell.first, cell.second, c.scope);
        if (c.kind == "gpu-only") {
          std::vector<double> b;
          if (cpu) {
            for (const Run* r : cpu->runs) {
              if (r->bytes == cell.first && r->iters == cell.second && has_scope(*r, c.scope, c.category)) {
                b.push_back(r->tally(c.scope, c.category).calls);
                check.runs.emplace_back(r->db, r->run_id);
              }
            }
          }
          if (b.empty()) {
            v.unknown.emplace_back(fmt::format("{}: no ResNet cpu runs to compare with", where));
            continue;
          }
          auto ge =
              stats::bootstrap_mean(g, o.scaling.bootstrap, o.scaling.confidence, stats::seed_for(seed + "|g", o.seed));
          if (ge.value < o.material) {
            v.unknown.push_back(
                fmt::format("{}: ResNet on cuda makes no {} (≈{} per run)", where, c.category, human_number(ge.value)));
            continue;
          }
          auto be =
              stats::bootstrap_mean(b, o.scaling.bootstrap, o.scaling.confidence, stats::seed_for(seed + "|b", o.seed));
          bool only = ge.ci.lo >= o.material && be.ci.hi <= o.gpu_only_ratio * ge.ci.lo;
          v.add(only, fmt::format("{}: ≈{} per run on cuda, ≈{} on cpu", where, human_number(ge.value),
                                  human_number(be.value)));
        } else {
          // dominant: the category with the largest share of calls (or time, as the claim says).
          std::map<std::string, std::pair<double, double>> sums;  // category -> (calls, time)
          for (const Run* r : gpu) {
            auto s = r->scopes.find(c.scope);
            if (s == r->scopes.end()) continue;
            for (const auto& [cat, t] : s->second) {
              if (is_top_category(cat) && !is_event_category(cat)) {
                sums[cat].first += t.calls;
                sums[cat].second += t.time_ns;
              }
            }
          }
          const bool by_calls = c.measure != "time";
          std::string best;
          double best_v = -1;
          for (const auto& [cat, st] : sums) {
            double val = by_calls ? st.first : st.second;
            if (val > best_v) {
              best_v = val;
              best = cat;
            }
          }
          v.add(best == c.category, fmt::format("{}: the largest share of {} is {}", where,
                                                by_calls ? "calls" : "syscall time", best.empty() ? "none" : best));
        }
      }
    }
    std::sort(check.runs.begin(), check.runs.end());
    check.runs.erase(std::unique(check.runs.begin(), check.runs.end()), check.runs.end());
    std::vector<std::string> parts;
    for (const auto& s : v.disagree) parts.push_back(s);
    for (const auto& s : v.agree) parts.push_back(s);
    for (const auto& s : v.unknown) parts.push_back(s);
    if (!v.disagree.empty()) {
      check.verdict = "disagrees";
    } else if (!v.agree.empty()) {
      check.verdict = "agrees";
    } else {
      check.verdict = "cannot tell";
    }
    check.reason =
        parts.empty() ? std::string("no ResNet evidence for this claim") : fmt::format("{}", fmt::join(parts, "; "));
  }
}

}  // namespace sysaxis::analysis
