// The report's sections: each formats part of the typed analysis into the document.
#include "report/sections.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "analysis/text.h"

namespace sysaxis::report::detail {

using analysis::Analysis;
using analysis::Constraint;
using analysis::Fit;
using analysis::fmt_num;
using analysis::human_bytes;
using analysis::human_metric;
using analysis::join_words;
using analysis::SeriesKey;

namespace {

std::string interval(double v, const std::optional<double>& lo, const std::optional<double>& hi,
                     std::string_view metric = "calls") {
  if (lo && hi) {
    return fmt::format("{} [{}, {}]", human_metric(v, metric), human_metric(*lo, metric), human_metric(*hi, metric));
  }
  return human_metric(v, metric);
}

std::string pct(const std::optional<analysis::stats::Estimate>& e) {
  if (!e) return "–";
  return fmt::format("{:.0f}% [{:.0f}, {:.0f}]", 100 * e->value, 100 * e->ci.lo, 100 * e->ci.hi);
}

std::string fixed_text(const Fit& f) {
  return f.fixed_axis == "bytes" ? (f.series.workload == "micro" ? human_bytes(static_cast<double>(f.fixed_value))
                                                                 : fmt::format("size {}", f.fixed_value))
                                 : fmt::format("{} it.", f.fixed_value);
}

// "linear, 3 per iteration [2.9, 3.1]" for a table cell.
std::string fit_cell(const Fit& f) {
  const auto& r = f.result;
  switch (r.shape) {
    case analysis::Shape::flat: return "flat";
    case analysis::Shape::insufficient: return "insufficient";
    case analysis::Shape::step:
      return fmt::format(
          "step {}→{} between {} and {}", human_metric(r.step.below, f.metric), human_metric(r.step.above, f.metric),
          f.axis == "bytes" && f.x_unit == "MiB" ? human_bytes(r.step.x_below * 1048576) : fmt_num(r.step.x_below),
          f.axis == "bytes" && f.x_unit == "MiB" ? human_bytes(r.step.x_above * 1048576) : fmt_num(r.step.x_above));
    default: {
      std::string ci;
      if (r.c1_ci)
        ci = fmt::format(" [{}, {}]", human_metric(r.c1_ci->lo, f.metric), human_metric(r.c1_ci->hi, f.metric));
      return fmt::format("{}, {}/{}{}", analysis::shape_name(r.shape), human_metric(r.c1, f.metric), f.x_unit, ci);
    }
  }
}

std::string series_name(const Analysis& a, const SeriesKey& s) {
  return fmt::format("{} ({})", a.label(s), analysis::exec_label(s));
}

}  // namespace

void intro_section(Document& doc, const Analysis& a, const analysis::Dataset& data) {
  std::set<std::string> backends;
  std::size_t ok = 0;
  for (const auto& r : data.runs) {
    ++ok;
    backends.insert(r.workload == "micro" ? r.backend : r.workload);
  }
  std::vector<std::string> dbs;
  for (const auto& in : a.inputs)
    dbs.push_back(fmt::format("{} ({} runs, {} ok)", in.label, in.runs_total, in.runs_ok));
  const auto& f = a.family;
  const auto& m = a.options.material;
  doc.paragraph(fmt::format(
      "Which axes of GPU/AI execution drive interaction with the operating system, which do not, and which behaviours "
      "hold across vendors and real workloads. This report formats the analysis of {} good runs ({} microbenchmark, {} "
      "real-workload) from {}: {}. Measured: {}.",
      ok, a.micro_runs, a.workload_runs, analysis::count_noun(a.inputs.size(), "database", "databases"),
      join_words(dbs), join_words({backends.begin(), backends.end()})));
  doc.paragraph(fmt::format(
      "Method (docs/analysis.md): every category is fitted for calls and for time in the calls (and the process tree's "
      "CPU time where recorded) against each axis at every measured value of the other axis. {} fits were made; {} "
      "had repetitions to test for dependence (one-way ANOVA across the axis values); {} are significant after "
      "Benjamini-Hochberg correction at q ≤ {}; {} of those change materially (by at least {} events, {} of syscall "
      "time or {} of CPU time per run, and {}% of the category's level in the fit's scope) and are classed as a "
      "dependence. {} fits are flat (a material change excluded) and {} insufficient. Constraints lead; the claims "
      "they "
      "rest on are in the appendix and claims.csv.",
      f.fits, f.tested, f.significant, a.options.fdr, f.depends, fmt_num(m.calls), analysis::human_time(m.time_ns),
      analysis::human_time(m.cpu_ns), fmt_num(100 * m.relative), f.flat, f.insufficient));
  std::vector<Inline> toc;
  for (const char* t :
       {"Constraints", "Q1 size", "Q2 repetition", "Q3 execution", "Vendor comparison", "OS cost per API call",
        "Real workloads", "Synthesis", "Appendix: claims", "Provenance", "Files"}) {
    toc.push_back({link(t, "#" + anchor_of(t))});
  }
  doc.bullets(std::move(toc));
}

void constraints_section(Document& doc, const Analysis& a) {
  doc.heading(2, "Constraints");
  if (a.constraints.empty()) {
    doc.paragraph(
        "The analysis found no constraint: no runtime series was measured against the axes with enough "
        "repetitions (see the notes under Provenance).");
    return;
  }
  doc.paragraph(fmt::format(
      "{} merged mechanically from the claims (docs/analysis.md, \"Constraints\"). Each states what the data allow, "
      "where it holds, and where it fails (counterexamples with their numbers); every number cites the fit (F…) or Q3 "
      "cell (X…) of analysis.json it comes from.",
      analysis::count_noun(a.constraints.size(), "constraint", "constraints")));
  for (const auto& c : a.constraints) {
    doc.heading(3, fmt::format("{} {}", c.id, c.title));
    doc.paragraph(Inline{strong(c.text)});
    doc.paragraph(Inline{emph("Measured:"), text(" " + c.scope_note)});
    std::vector<Inline> holds;
    for (const auto& h : c.holds_on) holds.push_back({text(h)});
    doc.paragraph(fmt::format("Holds on {}:", analysis::count_noun(c.holds_on.size(), "series", "series")));
    if (!holds.empty()) doc.bullets(std::move(holds));
    if (!c.fails_on.empty()) {
      Table t{{"Counterexample", "Category", "Metric", "Class", "Source"}, "lllll", {}};
      for (const auto& e : c.fails_on) {
        t.rows.push_back({{text(e.text)}, {code(e.category)}, {text(e.metric)}, {text(e.cls)}, {code(e.source)}});
      }
      doc.paragraph(fmt::format("Fails on ({}):", e_count(c.fails_on.size())));
      doc.table(std::move(t));
    }
    if (!c.beside.empty()) {
      std::vector<Inline> beside;
      for (const auto& b : c.beside) beside.push_back({text(b)});
      doc.paragraph("Beside it (the cpu baseline and runtimes that execute on the CPU):");
      doc.bullets(std::move(beside));
    }
    if (!c.numbers.empty()) {
      Table t{{"Number", "What", "Value [95% CI]", "Unit", "Source"}, "llrll", {}};
      for (const auto& n : c.numbers) {
        const std::string_view metric = n.unit.starts_with("ns") ? "time_ns" : "calls";
        std::string unit = n.unit;
        if (metric == "time_ns") unit = unit.substr(3);  // "ns per MiB" -> "per MiB": the value carries its unit
        t.rows.push_back({{code(n.id)},
                          {text(n.label)},
                          {text(interval(n.value, n.lo, n.hi, metric))},
                          {text(unit)},
                          {code(n.source)}});
      }
      doc.table(std::move(t));
    }
    doc.paragraph(fmt::format("Rests on {} (claims.csv).", analysis::count_noun(c.claims.size(), "claim", "claims")));
  }
}

std::string e_count(std::size_t n) {
  return analysis::count_noun(n, "case", "cases");
}

const Constraint* constraint_on(const Analysis& a, std::string_view axis) {
  for (const auto& c : a.constraints) {
    if (c.axis == axis) return &c;
  }
  return nullptr;
}

void scaling_section(Document& doc, const Analysis& a, const std::string& question, const std::vector<Plot>& plots,
                     const Options& options) {
  const auto& q = analysis::question(question);
  doc.heading(2, std::string(q.name));
  doc.paragraph(Inline{strong("Question."), text(" " + std::string(q.text))});
  // Per category: series whose calls / time depend, are flat, insufficient (whole process, every fixed value).
  struct Tally {
    std::set<SeriesKey> dep, flat, insufficient;
  };
  std::map<std::string, std::map<std::string, Tally>> by;  // category -> metric -> tally
  std::map<std::tuple<SeriesKey, std::string, std::string>, std::vector<const Fit*>> crossed;
  std::set<SeriesKey> series;
  std::set<std::int64_t> fixed_values;
  for (const auto& f : a.fits) {
    if (f.question != question || f.series.workload != "micro") continue;
    if (analysis::category_kind(f.category) == analysis::CategoryKind::part) continue;
    if (f.scope != analysis::kScopeProcess) {
      if (f.scope == analysis::kScopeWork) crossed[{f.series, f.category + " (work)", f.metric}].push_back(&f);
      continue;
    }
    series.insert(f.series);
    fixed_values.insert(f.fixed_value);
    Tally& t = by[f.category][f.metric];
    if (analysis::shape_depends(f.result.shape)) {
      t.dep.insert(f.series);
    } else if (f.result.shape == analysis::Shape::flat) {
      t.flat.insert(f.series);
    } else {
      t.insufficient.insert(f.series);
    }
    crossed[{f.series, f.category, f.metric}].push_back(&f);
  }
  if (series.empty()) {
    doc.paragraph(fmt::format("Not measured: no runtime series varied {} at two or more values.", q.axis));
    return;
  }
  std::vector<std::string> fixed;
  fixed.reserve(fixed_values.size());
  for (auto v : fixed_values) {
    fixed.push_back(question == "Q1" ? std::to_string(v) : human_bytes(static_cast<double>(v)));
  }
  const Constraint* c = constraint_on(a, q.axis);
  // The answer: per metric, the categories that change on some series and those flat everywhere.
  auto listing = [&](const char* metric, bool depends) {
    std::vector<std::string> out;
    for (const auto& [cat, m] : by) {
      auto it = m.find(metric);
      if (it == m.end()) continue;
      const Tally& t = it->second;
      if (depends && !t.dep.empty()) {
        std::vector<std::string> where;
        for (const auto& s : t.dep) where.push_back(series_name(a, s));
        out.push_back(t.dep.size() <= 2 ? fmt::format("{} ({})", cat, join_words(where))
                                        : fmt::format("{} ({} series)", cat, t.dep.size()));
      } else if (!depends && t.dep.empty() && t.insufficient.empty() && !t.flat.empty()) {
        out.push_back(cat);
      }
    }
    return out;
  };
  const auto calls_dep = listing("calls", true);
  const auto time_dep = listing("time_ns", true);
  const auto calls_flat = listing("calls", false);
  doc.paragraph(Inline{
      strong("Answer."),
      text(fmt::format(" Fitted over the whole process on {} at {} = {}. Counts change with {} for {}; the time in "
                       "the calls changes for {}. Flat on every series (counts): {}. The work phase, the classes at "
                       "each value of the other axis and the numbers are in the tables below and fits.csv.",
                       analysis::count_noun(series.size(), "runtime series", "runtime series"),
                       question == "Q1" ? "iters" : "bytes", join_words(fixed), q.axis,
                       calls_dep.empty() ? std::string("no category") : join_words(calls_dep),
                       time_dep.empty() ? std::string("no category") : join_words(time_dep),
                       calls_flat.empty() ? std::string("none") : join_words(calls_flat)))});
  if (c) doc.paragraph(Inline{strong("Draft constraint."), text(fmt::format(" {} (see {})", c->text, c->id))});
  for (const auto& p : plots) {
    if (p.question != question || p.panels.empty()) continue;
    doc.figure(p.name + ".svg", p.title,
               Inline{text(fmt::format("{}: one panel per runtime series at the {} value with the most levels; points "
                                       "are means over repetitions, error bars span min to max. ",
                                       p.title, question == "Q1" ? "iters" : "bytes")),
                      text("Data: "), link(p.name + ".csv", p.name + ".csv"), text(", "),
                      link(p.name + ".dat", p.name + ".dat"), text("; script: "), link(p.name + ".gp", p.name + ".gp"),
                      text(".")});
  }
  (void)options;
  Table t{{"Category", "Counts depend on", "Counts flat on", "Counts insufficient", "Time depends on", "Time flat on",
           "Time insufficient"},
          "lrrrrrr",
          {}};
  std::vector<std::string> cats = analysis::keys_of(by);
  std::sort(cats.begin(), cats.end(), a.words.order());
  for (const auto& cat : cats) {
    auto cell = [&](const char* metric, int which) -> Inline {
      auto it = by[cat].find(metric);
      if (it == by[cat].end()) return {text("–")};
      const Tally& tl = it->second;
      const std::size_t n = which == 0 ? tl.dep.size() : which == 1 ? tl.flat.size() : tl.insufficient.size();
      return {text(fmt::format("{}", n))};
    };
    t.rows.push_back({{code(cat)},
                      cell("calls", 0),
                      cell("calls", 1),
                      cell("calls", 2),
                      cell("time_ns", 0),
                      cell("time_ns", 1),
                      cell("time_ns", 2)});
  }
  doc.paragraph("Series per class, whole process, counting a series once per class it shows at some fixed value:");
  doc.table(std::move(t));
  // The crossed view: every dependence, with the class at each measured value of the other axis.
  Table d{{"Runtime", "Category", "Metric",
           fmt::format("Class at each {} measured", question == "Q1" ? "iters" : "bytes"), "Fits"},
          "lllll",
          {}};
  for (const auto& [key, fits] : crossed) {
    const bool any =
        std::any_of(fits.begin(), fits.end(), [](const Fit* f) { return analysis::shape_depends(f->result.shape); });
    if (!any) continue;
    std::vector<const Fit*> sorted = fits;
    std::sort(sorted.begin(), sorted.end(), [](const Fit* x, const Fit* y) { return x->fixed_value < y->fixed_value; });
    std::vector<std::string> at;
    std::vector<std::string> ids;
    for (const Fit* f : sorted) {
      at.push_back(fmt::format("{}: {}", fixed_text(*f), fit_cell(*f)));
      ids.push_back(f->id);
    }
    if (sorted.size() == 1) at.emplace_back("other values: not measured");
    d.rows.push_back({{text(series_name(a, std::get<0>(key)))},
                      {code(std::get<1>(key))},
                      {text(std::get<2>(key))},
                      {text(fmt::format("{}", fmt::join(at, "; ")))},
                      {code(fmt::format("{}", fmt::join(ids, " ")))}});
  }
  if (!d.rows.empty()) {
    doc.paragraph(
        "Every dependence, with its class at each measured value of the other axis (\"not measured\" where "
        "only one was):");
    doc.table(std::move(d));
  }
}

void execution_section(Document& doc, const Analysis& a, const std::vector<Plot>& plots) {
  const auto& q = analysis::question("Q3");
  doc.heading(2, std::string(q.name));
  doc.paragraph(Inline{strong("Question."), text(" " + std::string(q.text))});
  const Constraint* c = constraint_on(a, "exec");
  std::size_t cells = 0;
  for (const auto& x : a.q3) cells += x.scope == analysis::kScopeProcess && x.baseline;
  if (cells == 0) {
    doc.paragraph("Not measured: no GPU-runtime cell has a cpu baseline at the same bytes and iterations.");
    return;
  }
  // Per executor (GPU-executed, or executed on the CPU and reported beside): the categories.
  std::map<bool, std::map<std::string, std::set<std::string>>> only;
  std::map<bool, std::map<std::string, std::set<std::string>>> dominant;
  for (const auto& cl : a.claims) {
    if (cl.scope != analysis::kScopeProcess) continue;
    const bool gpu = analysis::executor_of(cl.series).gpu;
    if (cl.kind == "gpu-only") only[gpu][cl.category].insert(series_name(a, cl.series));
    if (cl.kind == "dominant" && cl.measure.find("time") != std::string::npos) {
      dominant[gpu][cl.category].insert(series_name(a, cl.series));
    }
  }
  auto describe = [&a](const std::map<std::string, std::set<std::string>>& m) {
    std::vector<std::string> cats = analysis::keys_of(m);
    std::sort(cats.begin(), cats.end(), a.words.order());
    std::vector<std::string> out;
    out.reserve(cats.size());
    for (const auto& cat : cats) out.push_back(fmt::format("{} ({} series)", cat, m.at(cat).size()));
    return out.empty() ? std::string("no category") : join_words(out);
  };
  doc.paragraph(Inline{
      strong("Answer."),
      text(fmt::format(" {} compared with the cpu baseline at the same bytes and iterations (whole process). On GPU "
                       "runtimes, appear only with the runtime at every cell: {}; carry the largest share of syscall "
                       "time at every cell: {}. Beside them, on runtimes that execute on the CPU: appear only with "
                       "the runtime: {}; largest share of syscall time: {}.",
                       analysis::count_noun(cells, "cell", "cells"), describe(only[true]), describe(dominant[true]),
                       describe(only[false]), describe(dominant[false])))});
  if (c) doc.paragraph(Inline{strong("Draft constraint."), text(fmt::format(" {} (see {})", c->text, c->id))});
  for (const auto& p : plots) {
    if (p.question != "Q3" || p.panels.empty()) continue;
    doc.figure(p.name + ".svg", p.title,
               Inline{text("One panel per runtime at the cell with the most execution models; points are means over "
                           "repetitions, error bars their 95% bootstrap interval. Data: "),
                      link(p.name + ".csv", p.name + ".csv"), text("; script: "), link(p.name + ".gp", p.name + ".gp"),
                      text(".")});
  }
  // Variants side by side: per runtime and cell, every execution model with syscalls, time in them,
  // driver calls and CPU time per run.
  Table t{{"Runtime", "Cell", "Execution", "Syscalls/run", "Time in syscalls/run", "Driver calls/run", "CPU time/run",
           "Cell id"},
          "lllrrrrl",
          {}};
  // Per runtime, the cell with the most execution models (ties: the most iterations, then bytes).
  std::map<std::string, std::map<std::pair<std::int64_t, std::int64_t>, std::size_t>> models;
  for (const auto& x : a.q3) {
    if (x.scope == analysis::kScopeProcess) ++models[a.label(x.series)][{x.iters, x.bytes}];
  }
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> chosen;
  for (const auto& [runtime, cells_of] : models) {
    std::size_t best = 0;
    for (const auto& [cell, n] : cells_of) {
      if (n >= best) {
        best = n;
        chosen[runtime] = cell;
      }
    }
  }
  for (const auto& x : a.q3) {
    if (x.scope != analysis::kScopeProcess) continue;
    if (chosen[a.label(x.series)] != std::make_pair(x.iters, x.bytes)) continue;
    auto val = [&](std::string_view cat, std::string_view metric) -> std::string {
      const auto* e = x.find(cat, metric);
      return e ? human_metric(e->gpu.value, metric) : "–";
    };
    t.rows.push_back({{text(a.label(x.series))},
                      {text(fmt::format("{} × {}", human_bytes(static_cast<double>(x.bytes)), x.iters))},
                      {text(analysis::exec_label(x.series))},
                      {text(val(analysis::kSyscalls, analysis::kCalls))},
                      {text(val(analysis::kSyscalls, analysis::kTime))},
                      {text(val("driver", analysis::kCalls))},
                      {text(val(analysis::kCpu, analysis::kTime))},
                      {code(x.id)}});
  }
  doc.paragraph(
      "Execution models and their variants side by side, per runtime at the cell with the most of them "
      "(whole process, means per run; every cell and the cpu baseline of each are in q3.csv):");
  doc.table(std::move(t));
  // Per GPU series at its reference cell: the categories that appear only with it.
  Table g{{"Runtime", "Category", "GPU runtime/run", "cpu baseline/run", "Share of calls", "Share of time", "Cell"},
          "llrrrrl",
          {}};
  for (const auto& cl : a.claims) {
    if (cl.kind != "gpu-only" || cl.scope != analysis::kScopeProcess) continue;
    const analysis::Q3Cell* ref = nullptr;
    for (const auto& id : cl.q3_ids) {
      const auto* x = a.cell(id);
      if (x && (!ref || std::tie(x->bytes, x->iters) > std::tie(ref->bytes, ref->iters))) ref = x;
    }
    if (!ref) continue;
    const auto* calls = ref->find(cl.category, analysis::kCalls);
    const auto* time = ref->find(cl.category, analysis::kTime);
    if (!calls) continue;
    g.rows.push_back({{text(series_name(a, cl.series))},
                      {code(cl.category)},
                      {text(interval(calls->gpu.value, calls->gpu.ci.lo, calls->gpu.ci.hi))},
                      {text(calls->cpu ? interval(calls->cpu->value, calls->cpu->ci.lo, calls->cpu->ci.hi) : "–")},
                      {text(pct(calls->share))},
                      {text(time ? pct(time->share) : "–")},
                      {code(ref->id)}});
  }
  if (!g.rows.empty()) {
    doc.paragraph("Categories that appear only with a GPU runtime (at the largest cell measured):");
    doc.table(std::move(g));
  }
}

void vendor_section(Document& doc, const Analysis& a) {
  doc.heading(2, "Vendor comparison");
  std::map<std::string, std::size_t> labels;
  std::set<std::string> vendors;
  for (const auto& c : a.claims) ++labels[c.annotation.label];
  for (const auto& g : a.vendor) {
    for (const auto& e : g.entries) vendors.insert(e.vendor);
  }
  const std::vector<std::string> parts = analysis::tally_words(labels);
  doc.paragraph(fmt::format(
      "A vendor is the maker of the device that executes the work (DESIGN.md). Executors measured: {}. A claim is "
      "vendor-agnostic only with the same class on two or more GPU vendors; two APIs on one vendor's driver make it "
      "API-agnostic on that vendor; runtimes that execute on the CPU are reported beside. Claims by annotation: {}.",
      join_words({vendors.begin(), vendors.end()}), parts.empty() ? std::string("none") : join_words(parts)));
  Table t{{"Execution", "Category", "Kind", "Annotation", "APIs", "Reason"}, "llllll", {}};
  for (const auto& g : a.vendor) {
    if (g.scope != analysis::kScopeProcess) continue;
    const bool gpu =
        std::any_of(g.entries.begin(), g.entries.end(), [](const auto& e) { return e.vendor.ends_with("GPU"); });
    if (!gpu) continue;
    t.rows.push_back({{text(g.exec)},
                      {code(g.category)},
                      {text(g.kind)},
                      {text(g.annotation.label)},
                      {text(g.annotation.api)},
                      {text(g.annotation.reason)}});
  }
  if (!t.rows.empty()) {
    doc.paragraph("Groups of claims with a GPU runtime (whole process; vendor.csv has every group and entry):");
    doc.table(std::move(t));
  }
}

void api_section(Document& doc) {
  doc.heading(2, "OS cost per API call");
  doc.paragraph(
      "Not measured in this study: per-API attribution needs `sysaxis trace --api` (eBPF engine) and a "
      "spec with `api = [...]` (docs/trace-format.md).");
}

void workloads_section(Document& doc, const Analysis& a) {
  doc.heading(2, "Real workloads");
  if (a.checks.empty() && a.profiles.empty()) {
    doc.paragraph("No real-workload runs in this study.");
    return;
  }
  std::map<std::string, std::size_t> verdicts;
  for (const auto& c : a.checks) ++verdicts[c.verdict];
  const std::vector<std::string> parts = analysis::tally_words(verdicts);
  doc.paragraph(
      fmt::format("Each real workload checked against each constraint: the workload's own fits on the same "
                  "axis (its size knob for size, its iterations for repetition), its GPU runs against its "
                  "CPU runs for the execution model. Verdicts: {}.",
                  parts.empty() ? std::string("none") : join_words(parts)));
  Table t{{"Workload", "Constraint", "Verdict", "Evidence"}, "llll", {}};
  for (const auto& c : a.checks) {
    t.rows.push_back({{text(c.runtime)}, {code(c.constraint)}, {strong(c.verdict)}, {text(c.reason)}});
  }
  doc.table(std::move(t));
  Table p{{"Workload", "Size", "Iterations", "Phase", "Syscalls/run", "Time in syscalls/run", "Largest by calls",
           "Largest by time"},
          "lrrlrrll",
          {}};
  for (const auto& pr : a.profiles) {
    if (pr.phase != analysis::kScopeProcess && pr.phase != "init" && pr.phase != "work") continue;
    const analysis::ProfileCategory* total = nullptr;
    const analysis::ProfileCategory* by_calls = nullptr;
    const analysis::ProfileCategory* by_time = nullptr;
    for (const auto& c : pr.categories) {
      if (c.category == analysis::kSyscalls) total = &c;
      if (!analysis::is_top_category(c.category)) continue;
      if (!by_calls || c.calls.value > by_calls->calls.value) by_calls = &c;
      if (!by_time || c.time_ns.value > by_time->time_ns.value) by_time = &c;
    }
    if (!total) continue;
    p.rows.push_back({{text(series_name(a, pr.series))},
                      {text(fmt::format("{}", pr.bytes))},
                      {text(fmt::format("{}", pr.iters))},
                      {text(pr.phase)},
                      {text(fmt_num(total->calls.value))},
                      {text(analysis::human_time(total->time_ns.value))},
                      {text(by_calls ? fmt::format("{} ({})", by_calls->category, pct(by_calls->calls_share)) : "–")},
                      {text(by_time ? fmt::format("{} ({})", by_time->category, pct(by_time->time_share)) : "–")}});
  }
  if (!p.rows.empty()) {
    doc.paragraph("Their OS profile (means per run; profiles.csv has every phase and category):");
    doc.table(std::move(p));
  }
}

void perturbation_section(Document& doc, const Analysis& a) {
  doc.heading(2, "Tracer perturbation");
  if (a.perturbation.empty()) {
    doc.paragraph(
        "No cell was measured with more than one engine, so the tracer's perturbation is not measured here. "
        "ptrace stops the tracee twice per syscall and can change what timing-dependent runtimes do "
        "(DESIGN.md); a sweep of the same cells under the other engine (specs/perturbation.toml) measures it.");
    return;
  }
  doc.paragraph(
      "The same cells measured by more than one engine (one database or several): syscalls per run under "
      "each, their ratio, and the category whose means differ most.");
  Table t{{"Runtime", "Execution", "bytes × iters", "Syscalls per run (engine)", "Ratio", "Largest difference"},
          "lllrrl",
          {}};
  for (const auto& p : a.perturbation) {
    std::vector<std::string> per;
    std::vector<std::string> largest;
    for (const auto& e : p.engines) {
      per.push_back(fmt::format("{} ({})", fmt_num(e.syscalls.value), e.engine));
      largest.push_back(fmt::format("{} {}", e.engine, fmt_num(e.largest)));
    }
    t.rows.push_back({{text(p.runtime)},
                      {text(analysis::exec_label(p.series))},
                      {text(fmt::format("{} × {}",
                                        p.series.workload == "micro" ? human_bytes(static_cast<double>(p.bytes))
                                                                     : fmt::format("size {}", p.bytes),
                                        p.iters))},
                      {text(fmt::format("{}", fmt::join(per, " / ")))},
                      {text(p.ratio > 0 ? fmt::format("{:.2f}", p.ratio) : "–")},
                      {text(fmt::format("{}: {}", p.largest_category, join_words(largest)))}});
  }
  doc.table(std::move(t));
}

void synthesis_section(Document& doc, const Analysis& a, const std::string& findings) {
  doc.heading(2, "Synthesis");
  std::vector<Inline> items;
  for (const auto& c : a.constraints) {
    std::string next;
    if (!c.fails_on.empty()) {
      next =
          fmt::format("explain the {} where it fails (first: {})", e_count(c.fails_on.size()), c.fails_on.front().text);
    } else {
      next = "test it on the runtimes and vendors not measured here";
    }
    items.push_back({strong(c.id + " " + c.title + ": "), text(next)});
  }
  if (!items.empty()) {
    doc.paragraph("What Phase 2 must investigate, per constraint:");
    doc.bullets(std::move(items));
  }
  if (!findings.empty()) {
    doc.paragraph("The findings document of this study:");
    doc.markdown(findings, 2);
  }
}

void claims_section(Document& doc, const Analysis& a) {
  doc.heading(2, "Appendix: claims");
  doc.paragraph(
      fmt::format("{} generated mechanically from the classes, each with its evidence (fits, Q3 cells, runs) "
                  "in analysis.json; claims.csv has them all with their verdicts.",
                  analysis::count_noun(a.claims.size(), "claim", "claims")));
  Table t{{"Claim", "Firm", "Annotation", "Text"}, "llll", {}};
  for (const auto& c : a.claims) {
    if (c.scope != analysis::kScopeProcess) continue;
    t.rows.push_back({{code(c.id)}, {text(c.firm ? "yes" : "no")}, {text(c.annotation.label)}, {text(c.text)}});
  }
  doc.paragraph("Whole-process claims (the work phase's are in claims.csv):");
  doc.table(std::move(t));
}

namespace {

std::string relative_to(const std::filesystem::path& out_dir, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path abs = fs::absolute(path, ec).lexically_normal();
  const fs::path out = fs::absolute(out_dir, ec).lexically_normal();
  fs::path rel = abs.lexically_relative(out);
  return rel.empty() ? path : rel.string();
}

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@") ==
                        std::string::npos) {
    return s;
  }
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

void provenance_section(Document& doc, const Analysis& a, const Options& options) {
  doc.heading(2, "Provenance");
  for (const auto& in : a.inputs) {
    doc.heading(3, in.label);
    Table t{{"Key", "Value"}, "ll", {}};
    t.rows.push_back({{text("file")}, {code(in.path)}});
    for (const auto& [k, v] : in.provenance) t.rows.push_back({{text(k)}, {code(v)}});
    std::vector<std::string> by;
    for (const auto& [s, n] : in.runs_by_status) by.push_back(fmt::format("{} {}", n, s));
    t.rows.push_back({{text("runs")}, {text(join_words(by))}});
    doc.table(std::move(t));
  }
  doc.paragraph(Inline{text("Analysis: sysaxis "), code(a.tool_version), text(" revision "), code(a.tool_revision),
                       text(", taxonomy "), code(a.taxonomy),
                       text(fmt::format(", {} bootstrap replicates, seed {}, confidence {}.",
                                        a.options.scaling.bootstrap, a.options.seed, a.options.scaling.confidence))});
  if (!a.notes.empty()) {
    std::vector<Inline> notes;
    for (const auto& n : a.notes) notes.push_back({text(n)});
    doc.paragraph("Notes of the analysis:");
    doc.bullets(std::move(notes));
  }
  doc.heading(3, "Regenerate");
  std::string dbs;
  for (const auto& d : options.dbs) dbs += " --db " + shell_quote(relative_to(options.out_dir, d));
  std::string cmd = "# in the folder of this report\n";
  if (options.analysis_path.empty()) {
    cmd += fmt::format("sysaxis report{} -o .", dbs);
  } else {
    cmd += fmt::format("sysaxis analyze{} -o analysis.json\nsysaxis report{} -o . --analysis analysis.json", dbs, dbs);
  }
  if (!options.findings_path.empty()) {
    cmd += " --findings " + shell_quote(relative_to(options.out_dir, options.findings_path));
  }
  if (!options.plots) cmd += " --no-plots";
  cmd += "\n# one plot alone, from its data:\ngnuplot q1_size.gp";
  doc.code_block(cmd);
}

void files_section(Document& doc, const std::vector<TextFile>& files, const std::vector<Plot>& plots, bool images) {
  doc.heading(2, "Files");
  std::vector<Inline> items;
  items.reserve(files.size() + plots.size());
  for (const auto& f : files) items.push_back({link(f.name, f.name)});
  if (images) {
    for (const auto& p : plots) items.push_back({link(p.name + ".svg", p.name + ".svg")});
  }
  doc.paragraph("Beside this report (tidy CSV for pandas or R; re-plot with gnuplot in this folder):");
  doc.bullets(std::move(items));
}

}  // namespace sysaxis::report::detail
