// Real AI workloads (every workload but the microbenchmarks: resnet, train, dataload, ...): their
// OS profile per phase, and the check of each constraint against them (DESIGN.md "Real AI
// workloads"; docs/analysis.md).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/analysis.h"
#include "analysis/text.h"

namespace sysaxis::analysis {

std::vector<WorkloadProfile> workload_profiles(const Dataset& data, const Options& options) {
  std::map<std::tuple<SeriesKey, std::int64_t, std::int64_t>, std::vector<const Run*>> groups;
  for (const auto& r : data.runs) {
    if (r.workload != "micro") groups[{series_of(r), r.bytes, r.iters}].push_back(&r);
  }
  std::vector<WorkloadProfile> out;
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
      WorkloadProfile p;
      p.series = std::get<0>(key);
      p.bytes = std::get<1>(key);
      p.iters = std::get<2>(key);
      p.phase = phase;
      std::set<std::string> cats;
      std::vector<const Run*> in;
      for (const Run* r : group) {
        if (!r->measured(phase, std::string(kSyscalls))) continue;
        in.push_back(r);
        p.run_ids.push_back(r->run_id);
        if (auto s = r->scopes.find(phase); s != r->scopes.end()) {
          for (const auto& [cat, t] : s->second) cats.insert(cat);
        }
      }
      if (in.empty()) continue;
      std::sort(p.run_ids.begin(), p.run_ids.end());
      std::vector<std::string> ordered(cats.begin(), cats.end());
      std::sort(ordered.begin(), ordered.end(), data.words.order());
      const std::string seed_base =
          fmt::format("profile|{}|{}|{}|{}", series_key_string(p.series), p.bytes, p.iters, phase);
      for (const auto& cat : ordered) {
        if (!std::all_of(in.begin(), in.end(), [&](const Run* r) { return r->measured(phase, cat); })) continue;
        ProfileCategory c;
        c.category = cat;
        auto seed = [&](std::string_view tag) {
          return stats::seed_for(fmt::format("{}|{}|{}", seed_base, tag, cat), options.seed);
        };
        std::vector<double> calls;
        std::vector<double> time;
        std::vector<double> total_calls;
        std::vector<double> total_time;
        for (const Run* r : in) {
          const Tally t = r->tally(phase, cat);
          calls.push_back(t.calls);
          time.push_back(t.time_ns);
          const Tally all = r->tally(phase, std::string(kSyscalls));
          total_calls.push_back(all.calls);
          total_time.push_back(all.time_ns);
        }
        c.calls = stats::bootstrap_mean(calls, boot, conf, seed("calls"));
        c.time_ns = stats::bootstrap_mean(time, boot, conf, seed("time"));
        if (is_top_category(cat)) {
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

struct Tallies {
  std::vector<std::string> agree, disagree, unknown;
};

std::string fit_text(const Vocabulary& words, const Fit& f) {
  std::string ci;
  if (f.result.c1_ci) {
    ci = fmt::format(" [{}, {}]", human_metric(f.result.c1_ci->lo, f.metric),
                     human_metric(f.result.c1_ci->hi, f.metric));
  }
  return fmt::format("{} {} {} ({} per {}{}; fit {})", words.of(f.category).noun, f.metric == kTime ? "time" : "counts",
                     shape_name(f.result.shape), human_metric(f.result.c1, f.metric), f.x_unit, ci, f.id);
}

// A workload's verdict on one clause of an axis constraint, from its fits of that axis.
void check_axis_clause(const Vocabulary& words, const Clause& clause, const std::vector<const Fit*>& fits, Tallies& t,
                       std::vector<std::string>& ids) {
  std::vector<const Fit*> calls;
  std::vector<const Fit*> time;
  for (const Fit* f : fits) {
    if (f->category != clause.category) continue;
    (f->metric == kTime ? time : calls).push_back(f);
    ids.push_back(f->id);
  }
  const std::string noun = words.of(clause.category).noun;
  if (calls.empty()) {
    t.unknown.push_back(fmt::format("{}: none made", noun));
    return;
  }
  auto all = [](const std::vector<const Fit*>& v, auto pred) { return std::all_of(v.begin(), v.end(), pred); };
  auto any = [](const std::vector<const Fit*>& v, auto pred) { return std::any_of(v.begin(), v.end(), pred); };
  auto dep = [](const Fit* f) { return shape_depends(f->result.shape); };
  auto flat = [](const Fit* f) { return f->result.shape == Shape::flat; };
  auto first_dep = [&](const std::vector<const Fit*>& v) {
    for (const Fit* f : v) {
      if (dep(f)) return fit_text(words, *f);
    }
    return fit_text(words, *v.front());
  };
  if (clause.status == "insensitive") {
    if (any(calls, dep) || any(time, dep)) {
      t.disagree.push_back(any(calls, dep) ? first_dep(calls) : first_dep(time));
    } else if (all(calls, flat) && all(time, flat)) {
      t.agree.push_back(fmt::format("{} flat", noun));
    } else {
      t.unknown.push_back(fmt::format("{}: insufficient", noun));
    }
  } else if (clause.status == "drives") {
    if (any(calls, dep)) {
      t.agree.push_back(first_dep(calls));
    } else if (all(calls, flat)) {
      t.disagree.push_back(fmt::format("{} counts flat ({})", noun, calls.front()->id));
    } else {
      t.unknown.push_back(fmt::format("{}: insufficient", noun));
    }
  } else if (clause.status == "time-only") {
    // The clause: counts insensitive everywhere, time dependent on some runtimes.
    if (any(calls, dep)) {
      t.disagree.push_back(first_dep(calls));
    } else if (all(calls, flat)) {
      t.agree.push_back(any(time, dep) ? first_dep(time) : fmt::format("{} counts flat", noun));
    } else {
      t.unknown.push_back(fmt::format("{}: insufficient", noun));
    }
  } else if (clause.status == "drives-some") {
    t.unknown.push_back(fmt::format("{}: the constraint says it depends on some runtimes only", noun));
  }
}

std::string verdict_of(const Tallies& t, std::string& reason) {
  std::vector<std::string> parts;
  for (const auto& s : t.disagree) parts.push_back("disagrees: " + s);
  for (const auto& s : t.agree) parts.push_back("agrees: " + s);
  for (const auto& s : t.unknown) parts.push_back(s);
  reason = parts.empty() ? std::string("no evidence") : fmt::format("{}", fmt::join(parts, "; "));
  if (!t.disagree.empty()) return "disagrees";
  if (!t.agree.empty()) return "agrees";
  return "cannot tell";
}

}  // namespace

std::vector<WorkloadCheck> check_workloads(const Analysis& a) {
  std::vector<WorkloadCheck> out;
  std::set<SeriesKey> series;
  std::map<SeriesKey, std::vector<const Fit*>> fits;
  for (const auto& f : a.fits) {
    if (f.series.workload == "micro") continue;
    series.insert(f.series);
    if (f.scope == kScopeProcess || f.scope == kScopeWork) fits[f.series].push_back(&f);
  }
  for (const auto& p : a.profiles) series.insert(p.series);
  for (const auto& s : series) {
    for (const auto& c : a.constraints) {
      WorkloadCheck check;
      check.workload = s.workload;
      check.runtime = fmt::format("{} ({})", a.label(s), exec_label(s));
      check.constraint = c.id;
      Tallies t;
      if (c.axis == "bytes" || c.axis == "iters") {
        const std::string q = c.axis == "bytes" ? "Q1" : "Q2";
        std::vector<const Fit*> mine;
        for (const Fit* f : fits[s]) {
          if (f->question == q && f->scope == kScopeProcess) mine.push_back(f);
        }
        if (mine.empty()) {
          check.reason = fmt::format("{} was measured at one value of {} only", s.workload,
                                     c.axis == "bytes" ? "its size knob" : "iterations");
          out.push_back(std::move(check));
          continue;
        }
        for (const auto& clause : c.clauses) check_axis_clause(a.words, clause, mine, t, check.fit_ids);
      } else if (c.axis == "exec") {
        // The workload on the GPU against the same workload on the CPU at the same knobs.
        if (!executor_of(s).gpu) {
          check.reason = "executes on the CPU: nothing to compare with a CPU baseline";
          out.push_back(std::move(check));
          continue;
        }
        for (const auto& p : a.profiles) {
          if (p.series != s || p.phase != kScopeProcess) continue;
          const WorkloadProfile* base = nullptr;
          for (const auto& b : a.profiles) {
            if (b.series.workload == s.workload && b.series.db == s.db && b.series.exec == "cpu" &&
                b.phase == kScopeProcess && b.bytes == p.bytes && b.iters == p.iters) {
              base = &b;
            }
          }
          const std::string where = fmt::format("size {} × {} iterations", p.bytes, p.iters);
          if (!base) {
            t.unknown.push_back(fmt::format("{}: no CPU run of {} to compare with", where, s.workload));
            continue;
          }
          for (const auto& clause : c.clauses) {
            if (clause.status != "gpu-only") continue;
            const ProfileCategory* g = nullptr;
            const ProfileCategory* b = nullptr;
            for (const auto& pc : p.categories) {
              if (pc.category == clause.category) g = &pc;
            }
            for (const auto& pc : base->categories) {
              if (pc.category == clause.category) b = &pc;
            }
            const double material = a.options.material.threshold(clause.category, kCalls, 0);
            const double gv = g ? g->calls.value : 0;
            const double bv = b ? b->calls.value : 0;
            const bool only =
                g && g->calls.ci.lo >= material && (!b || b->calls.ci.hi <= a.options.gpu_only_ratio * g->calls.ci.lo);
            (only ? t.agree : t.disagree)
                .push_back(fmt::format("{}: {} ≈{} per run on {}, ≈{} on cpu", where, a.words.of(clause.category).noun,
                                       human_number(gv), s.exec, human_number(bv)));
          }
        }
      } else if (c.axis == "cpu") {
        if (!executor_of(s).gpu) {
          check.reason = "executes on the CPU: its CPU time is the work itself";
          out.push_back(std::move(check));
          continue;
        }
        const Fit* cpu = nullptr;
        const Fit* sys = nullptr;
        for (const Fit* f : fits[s]) {
          if (f->question != "Q2") continue;
          if (f->category == kCpu && f->scope == kScopeProcess) cpu = f;
          if (f->category == kSyscalls && f->metric == kCalls && f->scope == kScopeWork) sys = f;
        }
        if (!cpu || !sys) {
          t.unknown.push_back("no CPU time or no work phase measured against iterations");
        } else {
          check.fit_ids = {cpu->id, sys->id};
          if (shape_depends(cpu->result.shape) && sys->result.shape == Shape::flat) {
            t.agree.push_back(fmt::format("{}; syscalls in the work phase flat", fit_text(a.words, *cpu)));
          } else if (shape_depends(sys->result.shape)) {
            t.disagree.push_back(fit_text(a.words, *sys));
          } else {
            t.unknown.push_back(fmt::format("{}; {}", fit_text(a.words, *cpu), fit_text(a.words, *sys)));
          }
        }
      }
      check.verdict = verdict_of(t, check.reason);
      std::sort(check.fit_ids.begin(), check.fit_ids.end());
      check.fit_ids.erase(std::unique(check.fit_ids.begin(), check.fit_ids.end()), check.fit_ids.end());
      out.push_back(std::move(check));
    }
  }
  return out;
}

}  // namespace sysaxis::analysis
