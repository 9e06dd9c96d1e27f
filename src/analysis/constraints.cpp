// Claims merged into at most six constraints (DESIGN.md "Claims -> constraints"): per axis, which
// categories drive OS interaction and which are insensitive to it, with the runtimes where each
// clause holds, the counterexamples where it fails (with numbers), the claims behind it and its key
// numbers with intervals. docs/analysis.md states the rules.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/analysis.h"
#include "analysis/text.h"

namespace sysaxis::analysis {

namespace {

// The runtimes a constraint speaks about: the GPU-executed microbenchmark series when the study
// has any, else every non-baseline microbenchmark series (runtimes that execute on the CPU).
struct Subject {
  std::vector<SeriesKey> series;
  std::vector<SeriesKey> beside;  // the rest: the baseline and CPU-executed runtimes
  bool gpu = false;
  std::string noun;  // "the GPU runtimes measured"
};

Subject subject_of(const Analysis& a) {
  std::set<SeriesKey> all;
  for (const auto& f : a.fits) {
    if (f.series.workload == "micro") all.insert(f.series);
  }
  Subject s;
  for (const auto& k : all) s.gpu = s.gpu || executor_of(k).gpu;
  for (const auto& k : all) {
    const bool in = s.gpu ? executor_of(k).gpu : k.exec != "cpu";
    (in ? s.series : s.beside).push_back(k);
  }
  s.noun = s.gpu ? "the GPU runtimes measured" : "the runtimes measured (all executing on the CPU)";
  return s;
}

std::string series_name(const Analysis& a, const SeriesKey& s) {
  return fmt::format("{} ({})", a.label(s), exec_label(s));
}

const Verdict* find_verdict(const Claim& c, std::string_view question, std::string_view metric) {
  for (const auto& v : c.verdicts) {
    if (v.question == question && v.metric == metric) return &v;
  }
  return nullptr;
}

// The fits of a verdict that depend (their class is dependent).
std::vector<const Fit*> dependent_fits(const Analysis& a, const Verdict& v) {
  std::vector<const Fit*> out;
  for (const auto& id : v.fit_ids) {
    const Fit* f = a.fit(id);
    if (f && shape_depends(f->result.shape)) out.push_back(f);
  }
  return out;
}

std::string fit_numbers(const Fit& f) {
  const ScalingFit& r = f.result;
  const std::string c1 = human_metric(r.c1, f.metric);
  std::string ci;
  if (r.c1_ci) ci = fmt::format(" [{}, {}]", human_metric(r.c1_ci->lo, f.metric), human_metric(r.c1_ci->hi, f.metric));
  if (r.shape == Shape::step) {
    return fmt::format("a step between {} and {} {} ({} → {})", human_number(r.step.x_below),
                       human_number(r.step.x_above), f.x_unit, human_metric(r.step.below, f.metric),
                       human_metric(r.step.above, f.metric));
  }
  return fmt::format("{}, {} per {}{}", shape_name(r.shape), c1, f.x_unit, ci);
}

std::string fixed_text(const Fit& f) {
  if (f.fixed_axis == "bytes") return fmt::format("at {}", human_bytes(static_cast<double>(f.fixed_value)));
  return fmt::format("at {} iterations", f.fixed_value);
}

// "(cuda (alloc, free))", "(2 of 4 runtime series: cuda (alloc, free), opencl (kernels, sync each))",
// "(3 of 4 runtime series)": where a clause holds, named while the list stays short.
std::string where_text(const Analysis& a, const std::vector<std::pair<const Claim*, const Verdict*>>& list,
                       std::size_t of) {
  std::vector<std::string> names;
  names.reserve(list.size());
  for (const auto& [cl, v] : list) names.push_back(series_name(a, cl->series));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (names.size() == of) return fmt::format("(all {} runtime series)", of);
  if (names.size() <= 2) return fmt::format("({} of {} runtime series: {})", names.size(), of, join_words(names));
  return fmt::format("({} of {} runtime series)", names.size(), of);
}

struct CategoryState {
  std::string category;
  std::vector<const Claim*> claims;
  std::vector<std::pair<const Claim*, const Verdict*>> calls_dep, time_dep, flat;
  std::size_t material = 0;
};

void add_number(Constraint& c, std::string label, const Fit& f) {
  KeyNumber n;
  n.id = fmt::format("{}.{}", c.id, c.numbers.size() + 1);
  n.label = std::move(label);
  if (f.result.shape == Shape::step) {
    n.value = f.result.step.above - f.result.step.below;
    n.unit = fmt::format("{} per run, jump between {} and {} {}", f.metric == kTime ? "ns" : "events",
                         human_number(f.result.step.x_below), human_number(f.result.step.x_above), f.x_unit);
  } else {
    n.value = f.result.c1;
    if (f.result.c1_ci) {
      n.lo = f.result.c1_ci->lo;
      n.hi = f.result.c1_ci->hi;
    }
    n.unit = fmt::format("{} per {}", f.metric == kTime ? "ns" : "events", f.x_unit);
  }
  n.source = "fit:" + f.id;
  c.numbers.push_back(std::move(n));
}

Counterexample counterexample(const Analysis& a, const Claim& claim, const Verdict& v, const std::string& what) {
  Counterexample e;
  e.runtime = a.label(claim.series);
  e.exec = exec_label(claim.series);
  e.scope = claim.scope;
  e.category = claim.category;
  e.metric = v.metric;
  e.cls = v.cls;
  std::vector<std::string> parts;
  for (const Fit* f : dependent_fits(a, v)) parts.push_back(fmt::format("{} {}", fit_numbers(*f), fixed_text(*f)));
  e.text = fmt::format("{} ({}): {} {} — {}", e.runtime, e.exec, a.words.of(claim.category).noun, what,
                       parts.empty() ? v.cls : fmt::format("{}", fmt::join(parts, "; ")));
  e.source = v.fit_ids.empty() ? "claim:" + claim.id : "fit:" + v.fit_ids.front();
  return e;
}

void axis_constraint(const Analysis& a, const Subject& subject, const std::string& question, Constraint& c) {
  const QuestionInfo& q = analysis::question(question);
  const std::string axis_noun = question == "Q1" ? "data size" : "repetition";
  const std::string unit = question == "Q1" ? "byte" : "iteration";
  std::set<SeriesKey> in(subject.series.begin(), subject.series.end());
  // Per category and runtime series: its claims in the whole process and in the work phase. A
  // series depends on the axis when a verdict of either scope does; it is insensitive only when
  // every verdict of both scopes (counts and time) is flat.
  struct PerSeries {
    std::vector<const Claim*> claims;
    std::pair<const Claim*, const Verdict*> calls_dep{nullptr, nullptr}, time_dep{nullptr, nullptr};
    std::pair<const Claim*, const Verdict*> calls_flat{nullptr, nullptr};
    bool all_flat = true;
    bool any_calls = false;
  };
  std::map<std::string, std::map<SeriesKey, PerSeries>> by;
  for (const auto& claim : a.claims) {
    if (claim.kind != "scaling" || !in.contains(claim.series)) continue;
    if (claim.scope != kScopeProcess && claim.scope != kScopeWork) continue;
    const CategoryKind kind = category_kind(claim.category);
    if (kind != CategoryKind::syscall && kind != CategoryKind::event) continue;
    const Verdict* calls = find_verdict(claim, question, kCalls);
    if (!calls || calls->cls == "not measured") continue;
    const Verdict* time = find_verdict(claim, question, kTime);
    PerSeries& ps = by[claim.category][claim.series];
    ps.claims.push_back(&claim);
    ps.any_calls = true;
    if (calls->depends() && !ps.calls_dep.first) ps.calls_dep = {&claim, calls};
    if (time && time->depends() && !ps.time_dep.first) ps.time_dep = {&claim, time};
    if (calls->flat() && !ps.calls_flat.first) ps.calls_flat = {&claim, calls};
    ps.all_flat = ps.all_flat && calls->flat() && (!time || time->flat());
  }
  std::map<std::string, CategoryState> states;
  std::set<SeriesKey> measured;
  for (const auto& [cat, series] : by) {
    CategoryState& st = states[cat];
    st.category = cat;
    for (const auto& [key, ps] : series) {
      measured.insert(key);
      st.claims.insert(st.claims.end(), ps.claims.begin(), ps.claims.end());
      ++st.material;
      if (ps.calls_dep.first) st.calls_dep.push_back(ps.calls_dep);
      if (ps.time_dep.first) st.time_dep.push_back(ps.time_dep);
      if (ps.all_flat && ps.calls_flat.first) st.flat.push_back(ps.calls_flat);
    }
  }
  if (measured.empty()) return;
  std::vector<std::string> drives;
  std::vector<std::string> insensitive;
  std::vector<std::string> time_only;
  std::vector<std::string> areas;
  std::set<SeriesKey> failing;
  std::vector<std::string> ordered = keys_of(states);
  std::sort(ordered.begin(), ordered.end(), a.words.order());
  for (const auto& cat : ordered) {
    const CategoryState& st = states.at(cat);
    const CategoryWords words = a.words.of(cat);
    for (const Claim* cl : st.claims) c.claims.push_back(cl->id);
    auto add_numbers = [&](const std::vector<std::pair<const Claim*, const Verdict*>>& list, const std::string& what) {
      for (const auto& [cl, v] : list) {
        for (const Fit* f : dependent_fits(a, *v)) {
          if (c.numbers.size() < 12) {
            add_number(c,
                       fmt::format("{}{}, {} ({}), {}", what, words.noun, a.label(cl->series), exec_label(cl->series),
                                   fixed_text(*f)),
                       *f);
          }
        }
      }
    };
    if (st.calls_dep.empty() && !st.time_dep.empty()) {
      // The counts never depend, the time in the calls does: counts hide this cost.
      time_only.push_back(fmt::format("{} {}", words.noun, where_text(a, st.time_dep, st.material)));
      c.clauses.push_back({cat, "time-only"});
      add_numbers(st.time_dep, "time in ");
    } else if (st.flat.size() * 2 > st.material) {
      // Insensitive on most runtimes (a strict majority): where it depends is a counterexample.
      insensitive.push_back(words.noun);
      areas.push_back(words.area);
      c.clauses.push_back({cat, "insensitive"});
      for (const auto& [cl, v] : st.calls_dep) {
        c.fails_on.push_back(counterexample(a, *cl, *v, fmt::format("depend on {}", axis_noun)));
        failing.insert(cl->series);
      }
      for (const auto& [cl, v] : st.time_dep) {
        const Verdict* calls = find_verdict(*cl, question, kCalls);
        if (calls && calls->depends()) continue;  // already a counterexample
        c.fails_on.push_back(counterexample(a, *cl, *v, fmt::format("take time that depends on {}", axis_noun)));
        failing.insert(cl->series);
      }
    } else if (!st.calls_dep.empty()) {
      // Drives: on a majority, the runtimes where it is flat are counterexamples; on a minority,
      // the clause names where it holds.
      const bool majority = st.calls_dep.size() * 2 > st.material;
      drives.push_back(fmt::format("{} {}", words.noun, where_text(a, st.calls_dep, st.material)));
      c.clauses.push_back({cat, majority ? "drives" : "drives-some"});
      add_numbers(st.calls_dep, "");
      if (majority) {
        for (const auto& [cl, v] : st.flat) {
          c.fails_on.push_back(counterexample(a, *cl, *v, fmt::format("do not depend on {}", axis_noun)));
          failing.insert(cl->series);
        }
      }
    }
  }
  std::sort(c.claims.begin(), c.claims.end());
  c.claims.erase(std::unique(c.claims.begin(), c.claims.end()), c.claims.end());
  for (const auto& s : measured) {
    if (!failing.contains(s)) c.holds_on.push_back(series_name(a, s));
  }
  // The range measured, for the statement's scope.
  // Per value of the other axis, the range of the axis measured there.
  std::map<std::int64_t, std::pair<double, double>> ranges;
  for (const auto& f : a.fits) {
    if (f.question != question || !in.contains(f.series) || f.scope != kScopeProcess) continue;
    auto [it, fresh] = ranges.try_emplace(f.fixed_value, f.result.x_min, f.result.x_max);
    if (!fresh) {
      it->second.first = std::min(it->second.first, f.result.x_min);
      it->second.second = std::max(it->second.second, f.result.x_max);
    }
  }
  auto range_text = [&](std::pair<double, double> r) {
    return question == "Q1"
               ? fmt::format("{}–{}", human_bytes(r.first * 1024 * 1024), human_bytes(r.second * 1024 * 1024))
               : fmt::format("{}–{} iterations", human_number(r.first), human_number(r.second));
  };
  auto fixed_word = [&](std::int64_t v) {
    return question == "Q1" ? std::to_string(v) : human_bytes(static_cast<double>(v));
  };
  std::vector<std::string> fixed_values;
  std::set<std::string> distinct_ranges;
  double lo = INFINITY;
  double hi = -INFINITY;
  for (const auto& [v, r] : ranges) {
    fixed_values.push_back(fixed_word(v));
    distinct_ranges.insert(range_text(r));
    lo = std::min(lo, r.first);
    hi = std::max(hi, r.second);
  }
  const std::string other = question == "Q1" ? "iters" : "bytes";
  // One range when every value of the other axis saw the same one, else each with its own.
  std::string range = range_text({lo, hi});
  if (distinct_ranges.size() > 1) {
    std::vector<std::string> each;
    each.reserve(ranges.size());
    for (const auto& [v, r] : ranges) each.push_back(fmt::format("{} at {}", range_text(r), fixed_word(v)));
    range = join_words(each);
  }
  c.scope_note = distinct_ranges.size() > 1
                     ? fmt::format("{} over {}; {}", q.axis, range,
                                   count_noun(measured.size(), "runtime series", "runtime series"))
                     : fmt::format("{} over {}, at {} {}; {}", q.axis, range, other, join_words(fixed_values),
                                   count_noun(measured.size(), "runtime series", "runtime series"));
  c.axis = std::string(q.axis);
  c.title = question == "Q1" ? "Size" : "Repetition";
  std::string text = fmt::format("On {}, OS interaction (whole process and work phase) ", subject.noun);
  if (!drives.empty()) {
    text += fmt::format("depends on {} through {}", axis_noun, join_words(drives));
  } else {
    text += fmt::format("depends on {} in no syscall category", axis_noun);
  }
  // Where the other axis was measured: at several values the verdict holds at each of them; at one
  // value, the statement says that it was tested there only.
  std::string at_fixed =
      fixed_values.size() > 1
          ? fmt::format("at each measured {} ({})", other, join_words(fixed_values))
          : fmt::format("at {} = {} only: not tested at other values of {}", other, join_words(fixed_values), other);
  if (distinct_ranges.size() > 1) at_fixed.clear();  // the range names each value
  if (!insensitive.empty()) {
    text +=
        fmt::format(", but {} are insensitive to it (counts and time, {}{}), ruling out per-{} {} work",
                    join_words(insensitive), range, at_fixed.empty() ? "" : ", " + at_fixed, unit, join_words(areas));
  }
  text += ".";
  if (!time_only.empty()) {
    text += fmt::format(
        " The counts of {} are insensitive to {} on every runtime series measured, but the time in them is not: counts "
        "hide this cost.",
        join_words(time_only), axis_noun);
  }
  if (!c.fails_on.empty()) {
    text += fmt::format(" It fails in {}: see the counterexamples.", count_noun(c.fails_on.size(), "case", "cases"));
  }
  c.text = text;
  // Beside: what the other runtimes show for the insensitive categories.
  std::set<SeriesKey> others(subject.beside.begin(), subject.beside.end());
  std::set<std::string> insens_cats;
  for (const auto& cat : ordered) {
    if (std::find(insensitive.begin(), insensitive.end(), a.words.of(cat).noun) != insensitive.end()) {
      insens_cats.insert(cat);
    }
  }
  for (const auto& claim : a.claims) {
    if (claim.kind != "scaling" || claim.scope != kScopeProcess || !others.contains(claim.series)) continue;
    if (!insens_cats.contains(claim.category)) continue;
    const Verdict* calls = find_verdict(claim, question, kCalls);
    if (calls && calls->depends()) {
      std::vector<std::string> parts;
      for (const Fit* f : dependent_fits(a, *calls))
        parts.push_back(fmt::format("{} {}", fit_numbers(*f), fixed_text(*f)));
      c.beside.push_back(fmt::format("{}: {} depend on {} ({})", series_name(a, claim.series),
                                     a.words.of(claim.category).noun, axis_noun, fmt::join(parts, "; ")));
    }
  }
}

void exec_constraint(const Analysis& a, const Subject& subject, Constraint& c) {
  std::set<SeriesKey> in(subject.series.begin(), subject.series.end());
  std::set<SeriesKey> compared;
  std::map<std::string, std::vector<const Claim*>> gpu_only;
  std::map<std::string, std::vector<const Claim*>> dominant_time;
  for (const auto& q : a.q3) {
    if (in.contains(q.series) && q.scope == kScopeProcess && q.baseline) compared.insert(q.series);
  }
  if (compared.empty()) return;
  for (const auto& claim : a.claims) {
    if (claim.scope != kScopeProcess || !compared.contains(claim.series)) continue;
    if (claim.kind == "gpu-only") gpu_only[claim.category].push_back(&claim);
    if (claim.kind == "dominant" && claim.measure.find("time") != std::string::npos) {
      dominant_time[claim.category].push_back(&claim);
    }
  }
  std::vector<std::string> cats;
  std::vector<std::string> ordered = keys_of(gpu_only);
  std::sort(ordered.begin(), ordered.end(), a.words.order());
  std::set<SeriesKey> failing;
  for (const auto& cat : ordered) {
    const auto& list = gpu_only.at(cat);
    if (list.size() * 2 <= compared.size()) continue;
    cats.push_back(a.words.of(cat).noun);
    c.clauses.push_back({cat, "gpu-only"});
    std::set<SeriesKey> with;
    for (const Claim* cl : list) {
      with.insert(cl->series);
      c.claims.push_back(cl->id);
    }
    for (const auto& s : compared) {
      if (with.contains(s)) continue;
      Counterexample e;
      e.runtime = a.label(s);
      e.exec = exec_label(s);
      e.scope = std::string(kScopeProcess);
      e.category = cat;
      e.metric = std::string(kCalls);
      e.cls = "not gpu-only";
      // The numbers of its reference cell.
      const Q3Cell* ref = nullptr;
      for (const auto& q : a.q3) {
        if (q.series == s && q.scope == kScopeProcess && q.baseline &&
            (!ref || std::tie(q.bytes, q.iters) > std::tie(ref->bytes, ref->iters))) {
          ref = &q;
        }
      }
      const Q3Category* qc = ref ? ref->find(cat, kCalls) : nullptr;
      e.text = fmt::format("{} ({}): {} also with the cpu baseline or below materiality ({} per run against {})",
                           e.runtime, e.exec, a.words.of(cat).noun, qc ? human_number(qc->gpu.value) : std::string("0"),
                           qc && qc->cpu ? human_number(qc->cpu->value) : std::string("n/a"));
      e.source = ref ? "q3:" + ref->id : std::string();
      c.fails_on.push_back(std::move(e));
      failing.insert(s);
    }
    // Key number: the per-run mean at the reference cell of the first series.
    const Claim* first = list.front();
    const Q3Cell* ref = nullptr;
    for (const auto& id : first->q3_ids) {
      const Q3Cell* q = a.cell(id);
      if (q && (!ref || std::tie(q->bytes, q->iters) > std::tie(ref->bytes, ref->iters))) ref = q;
    }
    if (ref) {
      for (std::string_view metric : metrics_of(cat)) {
        const Q3Category* qc = ref->find(cat, metric);
        if (!qc || c.numbers.size() >= 12) continue;
        KeyNumber n;
        n.id = fmt::format("{}.{}", c.id, c.numbers.size() + 1);
        n.label = fmt::format("{} per run, {} ({}), {} × {} iterations, whole process", a.words.of(cat).noun,
                              a.label(ref->series), exec_label(ref->series),
                              human_bytes(static_cast<double>(ref->bytes)), ref->iters);
        n.value = qc->gpu.value;
        n.lo = qc->gpu.ci.lo;
        n.hi = qc->gpu.ci.hi;
        n.unit = metric == kTime ? "ns per run" : "events per run";
        n.source = "q3:" + ref->id;
        c.numbers.push_back(std::move(n));
      }
    }
  }
  std::vector<std::string> dom;
  for (const auto& [cat, list] : dominant_time) {
    if (list.size() * 2 <= compared.size()) continue;
    dom.push_back(a.words.of(cat).noun);
    c.clauses.push_back({cat, "dominant"});
    for (const Claim* cl : list) c.claims.push_back(cl->id);
  }
  if (cats.empty() && dom.empty()) return;
  std::sort(c.claims.begin(), c.claims.end());
  c.claims.erase(std::unique(c.claims.begin(), c.claims.end()), c.claims.end());
  for (const auto& s : compared) {
    if (!failing.contains(s)) c.holds_on.push_back(series_name(a, s));
  }
  c.axis = "exec";
  c.title = "Execution model";
  c.scope_note = fmt::format("{} compared with the cpu baseline at the same bytes and iterations",
                             count_noun(compared.size(), "runtime series", "runtime series"));
  std::string text = fmt::format("On {}, ", subject.noun);
  if (!cats.empty()) {
    text += fmt::format(
        "{} appear only with the {} runtime (none or under 5% of it with the cpu baseline at the same "
        "bytes and iterations), ruling out the computation itself as their source",
        join_words(cats), subject.gpu ? "GPU" : "accelerator");
  }
  if (!dom.empty()) {
    text += fmt::format("{}{} carry the largest share of syscall time", cats.empty() ? "" : "; ", join_words(dom));
  }
  text += ".";
  c.text = text;
  for (const auto& s : subject.beside) {
    if (s.exec != "cpu")
      c.beside.push_back(fmt::format("{}: executes on the CPU (compare its Q3 cells)", series_name(a, s)));
  }
}

void cpu_constraint(const Analysis& a, const Subject& subject, Constraint& c) {
  std::set<SeriesKey> in(subject.series.begin(), subject.series.end());
  // Per kernels series: CPU time against iterations, and syscalls in the work phase.
  std::map<SeriesKey, std::vector<const Fit*>> cpu;
  std::map<SeriesKey, std::vector<const Fit*>> sys;
  for (const auto& f : a.fits) {
    if (f.question != "Q2" || f.series.exec != "kernels" || f.series.workload != "micro") continue;
    if (f.category == kCpu && f.scope == kScopeProcess) cpu[f.series].push_back(&f);
    if (f.category == kSyscalls && f.metric == kCalls && f.scope == kScopeWork) sys[f.series].push_back(&f);
  }
  if (cpu.empty()) return;
  std::vector<std::string> spin;
  std::vector<std::string> visible;
  for (const auto& [s, fits] : cpu) {
    if (!in.contains(s)) continue;
    const auto it = sys.find(s);
    if (it == sys.end()) continue;
    for (const Fit* f : fits) {
      const Fit* calls = nullptr;
      for (const Fit* g : it->second) {
        if (g->fixed_value == f->fixed_value) calls = g;
      }
      if (!calls) continue;
      const bool cpu_grows = f->result.shape == Shape::linear || f->result.shape == Shape::step ||
                             f->result.shape == Shape::sublinear || f->result.shape == Shape::superlinear;
      const bool calls_flat = calls->result.shape == Shape::flat;
      if (cpu_grows && calls_flat) {
        spin.push_back(series_name(a, s));
        c.holds_on.push_back(fmt::format("{} {}", series_name(a, s), fixed_text(*f)));
        if (c.numbers.size() < 12) {
          add_number(c, fmt::format("CPU time per synchronised launch, {}, {}", series_name(a, s), fixed_text(*f)), *f);
        }
      } else if (shape_depends(calls->result.shape)) {
        Counterexample e;
        e.runtime = a.label(s);
        e.exec = exec_label(s);
        e.scope = std::string(kScopeWork);
        e.category = std::string(kSyscalls);
        e.metric = std::string(kCalls);
        e.cls = std::string(shape_name(calls->result.shape));
        e.text = fmt::format("{}: waiting shows as syscalls in the work phase ({} {}); CPU time {}", series_name(a, s),
                             fit_numbers(*calls), fixed_text(*calls), fit_numbers(*f));
        e.source = "fit:" + calls->id;
        c.fails_on.push_back(std::move(e));
        visible.push_back(series_name(a, s));
      }
    }
  }
  if (spin.empty()) return;
  std::sort(spin.begin(), spin.end());
  spin.erase(std::unique(spin.begin(), spin.end()), spin.end());
  c.clauses.push_back({std::string(kCpu), "spin"});
  c.axis = "cpu";
  c.title = "CPU time without syscalls";
  c.scope_note =
      "kernels series against iterations: CPU time of the process tree (user + system) and the work phase's "
      "syscalls";
  c.text = fmt::format(
      "On {}, CPU time grows with the number of synchronised kernel launches while the work phase makes no more "
      "syscalls: the host waits by spinning, a cost that counting syscalls misses, ruling out syscall counts as a "
      "measure of what waiting for the GPU costs the host.",
      join_words(spin));
  for (const auto& s : subject.beside) {
    if (s.exec != "kernels") continue;
    auto it = sys.find(s);
    if (it == sys.end()) continue;
    for (const Fit* g : it->second) {
      if (shape_depends(g->result.shape)) {
        c.beside.push_back(
            fmt::format("{}: syscalls in the work phase {} {}", series_name(a, s), fit_numbers(*g), fixed_text(*g)));
      }
    }
  }
}

}  // namespace

std::vector<Constraint> make_constraints(const Analysis& a) {
  const Subject subject = subject_of(a);
  std::vector<Constraint> out;
  if (subject.series.empty()) return out;
  auto build = [&](auto&& fn) {
    Constraint c;
    c.id = fmt::format("C{}", out.size() + 1);
    fn(c);
    if (!c.text.empty() && out.size() < a.options.max_constraints) out.push_back(std::move(c));
  };
  build([&](Constraint& c) { axis_constraint(a, subject, "Q1", c); });
  build([&](Constraint& c) { axis_constraint(a, subject, "Q2", c); });
  build([&](Constraint& c) { exec_constraint(a, subject, c); });
  build([&](Constraint& c) { cpu_constraint(a, subject, c); });
  return out;
}

}  // namespace sysaxis::analysis
