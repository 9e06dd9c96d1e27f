// The vendor comparison, the ResNet validation and the synthesis.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "report/escape.h"
#include "report/palette.h"
#include "report/sections.h"

namespace sysaxis::report::detail {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Vendor comparison.

void vendor_section(Document& doc, const Context& ctx) {
  doc.heading(2, "Vendor comparison");
  const json& groups = jarray(ctx.analysis, "vendor");
  std::set<std::string> identities;
  std::map<std::string, std::size_t> by_annotation;
  Table t;
  if (!groups.empty()) {
    std::set<std::string> runtimes;
    for (const auto& g : groups) {
      for (const auto& e : jarray(g, "entries")) {
        runtimes.insert(jstr(e, "runtime"));
        identities.insert(jstr(e, "identity", jstr(e, "runtime")));
      }
    }
    t.header = {"Claim (kind · execution · phase · category)"};
    for (const auto& r : runtimes) t.header.push_back(r);
    t.header.emplace_back("Annotation");
    t.header.emplace_back("Reason");
    for (const auto& g : groups) {
      const std::string annotation = jstr(g, "annotation", "–");
      ++by_annotation[annotation];
      std::vector<Inline> row = {{text(
          fmt::format("{} · {} · {} · {}", jstr(g, "kind"), jstr(g, "exec"), jstr(g, "phase"), jstr(g, "category")))}};
      for (const auto& r : runtimes) {
        std::string cell = "–";
        for (const auto& e : jarray(g, "entries")) {
          if (jstr(e, "runtime") != r) continue;
          const json& firm = jfield(e, "firm");
          cell = jstr(e, "class", "–") + (firm.is_boolean() && !firm.get<bool>() ? " (not firm)" : "");
        }
        row.push_back({text(cell)});
      }
      row.push_back({strong(annotation)});
      row.push_back({text(jstr(g, "reason"))});
      t.rows.push_back(std::move(row));
    }
  } else if (!jarray(ctx.analysis, "claims").empty()) {
    // No vendor groups: one row per claim key, its class per runtime, from the claims themselves.
    std::map<std::string, std::map<std::string, std::string>> cells;
    std::map<std::string, std::string> annotation;
    std::set<std::string> runtimes;
    for (const auto& c : jarray(ctx.analysis, "claims")) {
      const SeriesKey s = series_of(c);
      const std::string key = jstr(c, "vendor_key").empty()
                                  ? fmt::format("{} · {} · {} · {}", jstr(c, "kind", jstr(c, "question")),
                                                exec_label(s), jstr(c, "phase"), jstr(c, "category"))
                                  : jstr(c, "vendor_key");
      const std::string rt = ctx.runtime_label(s);
      runtimes.insert(rt);
      identities.insert(s.backend + "|" + s.platform);
      std::vector<std::string> classes;
      const json& cl = jfield(c, "classes");
      if (cl.is_object()) {
        for (auto it = cl.begin(); it != cl.end(); ++it) classes.push_back(it.key() + " " + jtext(it.value()));
      }
      cells[key][rt] = classes.empty() ? "claimed" : join_words(classes);
      annotation[key] = jstr(c, "annotation", "–");
    }
    t.header = {"Claim"};
    for (const auto& r : runtimes) t.header.push_back(r);
    t.header.emplace_back("Annotation");
    for (const auto& [key, by_rt] : cells) {
      ++by_annotation[annotation[key]];
      std::vector<Inline> row = {{text(key)}};
      for (const auto& r : runtimes) row.push_back({text(by_rt.contains(r) ? by_rt.at(r) : "–")});
      row.push_back({strong(annotation[key])});
      t.rows.push_back(std::move(row));
    }
  }
  if (t.rows.empty()) {
    doc.paragraph("No claims to compare: the analysis states none.");
    return;
  }
  std::vector<std::string> parts;
  for (const char* a : {"vendor-agnostic", "vendor-specific", "uncertain"}) {
    parts.push_back(fmt::format("{} {}", by_annotation.contains(a) ? by_annotation.at(a) : 0, a));
  }
  for (const auto& [a, n] : by_annotation) {
    if (a != "vendor-agnostic" && a != "vendor-specific" && a != "uncertain")
      parts.push_back(fmt::format("{} {}", n, a));
  }
  std::string intro = fmt::format(
      "Each claim compared across the runtimes measured ({}): {}. Same class on every runtime → vendor-agnostic; a "
      "firm "
      "difference → vendor-specific; intervals too wide, a class not firm or a runtime missing → uncertain.",
      count_noun(identities.size(), "runtime", "runtimes"), join_words(parts));
  if (identities.size() < 2) {
    intro += " Only one runtime has been measured, so every claim stays uncertain until a second vendor's runtime is.";
  }
  doc.paragraph(intro);
  doc.table(std::move(t));
}

// ---------------------------------------------------------------------------------------------
// ResNet.

std::size_t phase_rank(const std::string& p) {
  static const std::vector<std::string> kOrder = {"startup", "init", "work", "teardown", "all"};
  auto it = std::find(kOrder.begin(), kOrder.end(), p);
  return static_cast<std::size_t>(it - kOrder.begin());
}

void resnet_section(Document& doc, const Context& ctx) {
  doc.heading(2, "ResNet validation");
  using Key = std::tuple<std::size_t, std::string, std::int64_t, std::int64_t, std::string>;
  std::map<Key, std::vector<RunKey>> configs;
  for (const auto& r : ctx.study.runs) {
    if (r.status == "ok" && r.workload == "resnet")
      configs[{r.db, r.exec, r.bytes, r.iters, r.engine}].emplace_back(r.db, r.run_id);
  }
  if (configs.empty()) {
    doc.paragraph(
        "The study holds no ResNet runs (workload 'resnet', status ok): the claims are not yet checked against a real "
        "AI workload.");
    return;
  }
  doc.paragraph(
      "ResNet-50 inference traced with phase markers (batch size in the bytes column, timed iterations in iters; "
      "exec is the torch device). Mean calls per run in each phase; 'all' is a process that never marked a phase.");
  // Columns: categories material in some phase of some configuration.
  std::set<std::string> material;
  std::map<std::pair<Key, std::string>, std::map<std::string, double>> means;
  for (const auto& [key, runs] : configs) {
    std::set<std::string> phases;
    for (const auto& run : runs) {
      auto it = ctx.study.by_run.find(run);
      if (it == ctx.study.by_run.end()) continue;
      for (const auto& [phase, cats] : it->second) phases.insert(phase);
    }
    for (const auto& phase : phases) {
      std::set<std::string> cats;
      for (const auto& run : runs) {
        auto it = ctx.study.by_run.find(run);
        if (it == ctx.study.by_run.end()) continue;
        auto p = it->second.find(phase);
        if (p == it->second.end()) continue;
        for (const auto& [cat, v] : p->second) {
          if (cat.find(':') == std::string::npos || is_event_category(cat)) cats.insert(cat);
        }
      }
      auto& m = means[{key, phase}];
      for (const auto& cat : cats) {
        std::vector<double> values;
        for (const auto& run : runs) values.push_back(ctx.study.in_phase(run, phase, cat));
        const double mean = summarize(0, values).mean;
        m[cat] = mean;
        if (mean >= ctx.material) material.insert(cat);
      }
    }
  }
  std::vector<std::string> columns(material.begin(), material.end());
  std::sort(columns.begin(), columns.end(), category_less);
  Table t;
  t.header = {"Device", "Batch", "Iterations", "Engine", "Phase", "Runs"};
  for (const auto& c : columns) t.header.push_back(c);
  t.align = "lrrllr" + std::string(columns.size(), 'r');
  std::vector<std::pair<Key, std::string>> rows;
  rows.reserve(means.size());
  for (const auto& [k, m] : means) rows.push_back(k);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tuple(a.first, phase_rank(a.second), a.second) < std::tuple(b.first, phase_rank(b.second), b.second);
  });
  for (const auto& k : rows) {
    const auto& [key, phase] = k;
    std::vector<Inline> row = {{text(std::get<1>(key))},
                               {text(fmt::format("{}", std::get<2>(key)))},
                               {text(fmt::format("{}", std::get<3>(key)))},
                               {text(std::get<4>(key))},
                               {text(phase)},
                               {text(fmt::format("{}", configs.at(key).size()))}};
    const auto& m = means.at(k);
    for (const auto& c : columns) row.push_back({text(m.contains(c) ? fmt_num(m.at(c)) : "0")});
    t.rows.push_back(std::move(row));
  }
  doc.heading(3, "Category profile per phase");
  doc.table(std::move(t));

  doc.heading(3, "Claims checked against ResNet");
  const json& claims = jarray(ctx.analysis, "claims");
  std::map<std::string, std::size_t> verdicts;
  Table c;
  c.header = {"Claim (question · runtime · execution · phase · category)", "ResNet", "Reason"};
  // Verdicts that say something first: disagrees, agrees, then cannot tell (stable within each).
  for (const char* wanted : {"disagrees", "agrees", ""}) {
    for (const auto& claim : claims) {
      const json& r = jfield(claim, "resnet");
      const std::string verdict = jstr(r, "verdict", "cannot tell");
      const bool known = verdict == "disagrees" || verdict == "agrees";
      if (*wanted ? verdict != wanted : known) continue;
      ++verdicts[verdict];
      c.rows.push_back({{text(claim_label(ctx, claim))}, {strong(verdict)}, {text(jstr(r, "reason"))}});
    }
  }
  if (c.rows.empty()) {
    doc.paragraph("The analysis states no claims to check.");
    return;
  }
  auto n = [&](const char* v) { return verdicts.contains(v) ? verdicts.at(v) : 0; };
  const std::string rule = jstr(jfield(ctx.analysis, "resnet"), "rule");
  doc.paragraph(fmt::format("Of {}, ResNet agrees with {}, disagrees with {} and cannot tell {}.{}",
                            count_noun(claims.size(), "claim", "claims"), n("agrees"), n("disagrees"), n("cannot tell"),
                            rule.empty() ? "" : " Rule: " + rule + "."));
  doc.table(std::move(c));
}

// ---------------------------------------------------------------------------------------------
// Tracer perturbation.

void perturbation_section(Document& doc, const Context& ctx) {
  doc.heading(2, "Tracer perturbation");
  // The same cell (everything but the engine) measured with several engines.
  using Cell =
      std::tuple<SeriesKey, std::string, std::int64_t, std::int64_t>;  // series without engine, workload, bytes, iters
  std::map<Cell, std::map<std::string, std::vector<RunKey>>> cells;
  std::map<Cell, SeriesKey> named_by;  // a series of the cell as measured: it has the runtime's label
  std::set<std::string> engines;
  for (const auto& r : ctx.study.runs) {
    if (r.status != "ok") continue;
    SeriesKey s = series_of(r);
    const SeriesKey as_measured = s;
    s.engine.clear();
    s.db = 0;  // a sweep under another engine may be its own database (specs/perturbation.toml); the
               // device stays in the key, so runs of another machine do not pair up
    const Cell cell{s, r.workload, r.bytes, r.iters};
    cells[cell][r.engine].emplace_back(r.db, r.run_id);
    named_by.emplace(cell, as_measured);
    engines.insert(r.engine.empty() ? "(none)" : r.engine);
  }
  Table t;
  t.header = {"Runtime", "Execution",        "Workload", "bytes × iters",
              "Engines", "Syscalls per run", "Ratio",    "Largest difference"};
  t.align = "llllrrrl";
  for (const auto& [cell, by_engine] : cells) {
    if (by_engine.size() < 2) continue;
    const auto& [series, workload, bytes, iters] = cell;
    std::vector<std::string> names;
    std::vector<double> totals;
    std::map<std::string, std::vector<double>> per_category;  // category -> mean per engine
    for (const auto& [engine, runs] : by_engine) {
      names.push_back(engine.empty() ? "(none)" : engine);
      std::set<std::string> cats;
      for (const auto& run : runs) {
        auto it = ctx.study.by_run.find(run);
        if (it == ctx.study.by_run.end()) continue;
        for (const auto& [phase, m] : it->second) {
          for (const auto& [cat, v] : m) {
            if (cat.find(':') == std::string::npos) cats.insert(cat);
          }
        }
      }
      double total = 0;
      for (const auto& cat : cats) {
        std::vector<double> values;
        for (const auto& run : runs) values.push_back(ctx.study.whole_process(run, cat));
        const double mean = summarize(0, values).mean;
        total += mean;
        auto& v = per_category[cat];
        v.resize(names.size() - 1, 0);
        v.push_back(mean);
      }
      totals.push_back(total);
    }
    std::string largest = "–";
    double best = 0;
    for (auto& [cat, v] : per_category) {
      v.resize(names.size(), 0);
      const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
      if (*hi - *lo > best) {
        best = *hi - *lo;
        std::vector<std::string> parts;
        for (std::size_t i = 0; i < v.size(); ++i) parts.push_back(fmt::format("{} {}", names[i], fmt_num(v[i])));
        largest = fmt::format("{}: {}", cat, join_words(parts));
      }
    }
    std::vector<std::string> total_text;
    total_text.reserve(totals.size());
    for (double x : totals) total_text.push_back(fmt_num(x));
    const auto [lo, hi] = std::minmax_element(totals.begin(), totals.end());
    t.rows.push_back(
        {{text(ctx.runtime_label(named_by.at(cell)))},
         {text(exec_label(series))},
         {text(workload)},
         {text(fmt::format(
             "{} × {}", workload == "resnet" ? fmt::format("batch {}", bytes) : human_bytes(static_cast<double>(bytes)),
             iters))},
         {text(join_words(names))},
         {text(fmt::format("{}", fmt::join(total_text, " / ")))},
         {text(*lo > 0 ? fmt::format("{:.2f}", *hi / *lo) : "–")},
         {text(largest)}});
  }
  if (t.rows.empty()) {
    doc.paragraph(fmt::format(
        "No cell was measured with more than one engine (engines used: {}), so the tracer's perturbation is not "
        "measured here. ptrace stops the tracee twice per syscall and can change what timing-dependent runtimes do "
        "(DESIGN.md); compare with a sweep of the same cells under the other engine.",
        join_words({engines.begin(), engines.end()})));
    return;
  }
  doc.paragraph(
      "Cells measured with several engines: syscalls per run over the whole process with each engine (in the order "
      "named), the ratio of the largest to the smallest, and the category that differs most. ptrace stops the "
      "tracee twice per syscall, which can change what timing-dependent runtimes do.");
  doc.table(std::move(t));
}

// ---------------------------------------------------------------------------------------------
// Synthesis.

void synthesis_section(Document& doc, const Context& ctx, const std::vector<AxisResult>& axes,
                       const std::string& findings) {
  doc.heading(2, "Synthesis");
  doc.paragraph(
      "Generated from the classes and claims above; the hand-written findings, where given, follow at the end.");

  doc.heading(3, "Axes that drive OS interaction");
  std::vector<Inline> drive;
  std::vector<Inline> quiet;
  for (const auto& a : axes) {
    if (!a.measured) {
      drive.push_back({strong(a.axis), text(": not measured (no fits or comparison).")});
      continue;
    }
    if (!a.drives.empty()) {
      drive.push_back({strong(a.axis), text(fmt::format(" drives {}.", join_words(a.drives)))});
    }
    if (!a.insensitive.empty()) {
      quiet.push_back({strong(a.axis), text(fmt::format(" leaves {} unchanged.", join_words(a.insensitive)))});
    }
    if (a.drives.empty()) {
      quiet.push_back({strong(a.axis), text(" drives no category measured.")});
    }
  }
  if (drive.empty()) drive.push_back({text("No axis drives a category measured.")});
  doc.bullets(std::move(drive));
  doc.heading(3, "Axes that do not");
  if (quiet.empty()) quiet.push_back({text("Every measured category changes with every axis measured.")});
  doc.bullets(std::move(quiet));

  // Structural: vendor-agnostic groups; across workloads when ResNet agrees on their claims.
  doc.heading(3, "Structural across vendors and workloads");
  std::map<std::string, std::string> verdict_of;  // claim id -> ResNet verdict
  std::map<std::string, const json*> claim_by_id;
  for (const auto& c : jarray(ctx.analysis, "claims")) {
    verdict_of[jstr(c, "id")] = jstr(jfield(c, "resnet"), "verdict", "cannot tell");
    claim_by_id[jstr(c, "id")] = &c;
  }
  std::vector<Inline> both;
  std::vector<Inline> vendors_only;
  std::vector<Inline> specific;
  for (const auto& g : jarray(ctx.analysis, "vendor")) {
    const std::string label =
        fmt::format("{} · {} · {} · {}", jstr(g, "kind"), jstr(g, "exec"), jstr(g, "phase"), jstr(g, "category"));
    const std::string annotation = jstr(g, "annotation");
    if (annotation == "vendor-specific") {
      specific.push_back({text(fmt::format("{}: {}", label, jstr(g, "reason")))});
      continue;
    }
    if (annotation != "vendor-agnostic") continue;
    std::size_t agrees = 0;
    std::size_t disagrees = 0;
    for (const auto& id : jarray(g, "claims")) {
      const std::string v = verdict_of[jtext(id)];
      agrees += v == "agrees";
      disagrees += v == "disagrees";
    }
    std::string example;
    if (!jarray(g, "claims").empty()) {
      auto it = claim_by_id.find(jtext(jarray(g, "claims").front()));
      if (it != claim_by_id.end()) example = jstr(*it->second, "text");
    }
    Inline item{strong(label), text(example.empty() ? "" : ": " + example)};
    if (agrees > 0 && disagrees == 0) {
      both.push_back(std::move(item));
    } else {
      item.push_back(text(disagrees ? " (ResNet disagrees)" : " (not settled by ResNet)"));
      vendors_only.push_back(std::move(item));
    }
  }
  if (both.empty() && vendors_only.empty()) {
    doc.paragraph(
        "Nothing is established as structural yet: no claim is vendor-agnostic (that needs firm, equal classes on two "
        "or more runtimes).");
  } else {
    constexpr std::size_t kShown = 12;
    auto shown = [](std::vector<Inline> items) {
      if (items.size() > kShown) {
        const std::size_t more = items.size() - kShown;
        items.resize(kShown);
        items.push_back({text(fmt::format("… and {} more in vendor.csv.", more))});
      }
      return items;
    };
    if (!both.empty()) {
      doc.paragraph(fmt::format("Vendor-agnostic and confirmed by ResNet ({}):", both.size()));
      doc.bullets(shown(std::move(both)));
    } else {
      doc.paragraph("No vendor-agnostic claim is confirmed by ResNet yet.");
    }
    if (!vendors_only.empty()) {
      doc.paragraph(fmt::format("Vendor-agnostic across the microbenchmarks only ({}):", vendors_only.size()));
      doc.bullets(shown(std::move(vendors_only)));
    }
  }

  doc.heading(3, "What Phase 2 must investigate");
  std::vector<Inline> todo;
  constexpr std::size_t kCap = 8;
  // One bullet per item up to kCap, then one bullet saying where the rest is.
  auto add_items = [&todo](const std::string& lead, const std::vector<std::string>& items, const std::string& where) {
    for (std::size_t i = 0; i < items.size() && i < kCap; ++i) todo.push_back({strong(lead), text(" " + items[i])});
    if (items.size() > kCap) {
      todo.push_back({strong(lead), text(fmt::format(" {} more in {}.", items.size() - kCap, where))});
    }
  };
  {
    std::vector<std::string> labels;
    labels.reserve(specific.size());
    for (const auto& item : specific) labels.push_back(plain(item) + ".");
    add_items("Vendor-specific:", labels, "vendor.csv");
  }
  std::vector<std::string> disagree;
  std::size_t cannot = 0;
  for (const auto& c : jarray(ctx.analysis, "claims")) {
    const std::string v = jstr(jfield(c, "resnet"), "verdict", "cannot tell");
    if (v == "disagrees") {
      const std::string reason = jstr(jfield(c, "resnet"), "reason");
      disagree.push_back(claim_label(ctx, c) + (reason.empty() ? "." : ": " + reason + "."));
    }
    if (v == "cannot tell") ++cannot;
  }
  add_items("ResNet disagrees:", disagree, "claims.csv");
  std::vector<std::string> curved;
  std::set<std::string> seen;
  for (const auto& f : jarray(ctx.analysis, "fits")) {
    const std::string cls = jstr(f, "class");
    if ((cls == "sublinear" || cls == "superlinear") && jstr(f, "workload", "micro") == "micro") {
      std::string item = fmt::format("{} {} in {} on {} ({}; not a fixed cost per unit).", jstr(f, "category"), cls,
                                     jstr(f, "axis"), series_name(ctx, series_of(f)), jstr(f, "phase"));
      if (seen.insert(item).second) curved.push_back(item);
    }
  }
  add_items("Non-linear scaling:", curved, "fits.csv");
  std::size_t uncertain = 0;
  for (const auto& c : jarray(ctx.analysis, "claims")) uncertain += jstr(c, "annotation") == "uncertain";
  std::size_t insufficient = 0;
  for (const auto& f : jarray(ctx.analysis, "fits")) insufficient += jstr(f, "class") == "insufficient";
  if (uncertain || insufficient) {
    todo.push_back(
        {strong("Open by lack of data:"),
         text(fmt::format(" {} uncertain, {} not classified (more levels, repetitions or runtimes "
                          "settle them).",
                          count_noun(uncertain, "claim", "claims"), count_noun(insufficient, "fit", "fits")))});
  }
  if (cannot) {
    todo.push_back({strong("Claims ResNet cannot tell:"),
                    text(fmt::format(" {} (ResNet does not exercise that runtime, phase or category).",
                                     count_noun(cannot, "claim", "claims")))});
  }
  std::set<std::string> measured;
  for (const auto& r : ctx.study.runs) {
    if (r.status == "ok" && r.workload == "micro") measured.insert(r.backend);
  }
  std::vector<std::string> unmeasured;
  for (const char* b : {"cpu", "opencl", "cuda", "hip"}) {
    if (!measured.contains(b)) unmeasured.emplace_back(b);
  }
  if (!unmeasured.empty()) {
    todo.push_back({strong("Runtimes not measured here:"),
                    text(fmt::format(" {} (their behaviour is unknown, not absent).", join_words(unmeasured)))});
  }
  // HIP on an AMD GPU (ROCm) needs an AMD GPU; HIP-CPU runs the same API on the CPU.
  const bool amd_gpu_measured = std::any_of(ctx.study.runs.begin(), ctx.study.runs.end(), [](const auto& r) {
    return r.status == "ok" && r.workload == "micro" && r.backend == "hip" && r.platform != "HIP-CPU";
  });
  if (!amd_gpu_measured) {
    todo.push_back({strong("AMD GPUs:"),
                    text(" not measured. The HIP backend's ROCm path is built but ran on no AMD GPU; hip results "
                         "here, if any, come from HIP-CPU, which executes on the CPU.")});
  }
  std::map<std::string, std::size_t> failed;
  for (const auto& r : ctx.study.runs) {
    if (r.status != "ok") ++failed[r.status.empty() ? "(no status)" : r.status];
  }
  if (!failed.empty()) {
    std::vector<std::string> parts;
    parts.reserve(failed.size());
    for (const auto& [s, n] : failed) parts.push_back(fmt::format("{} {}", n, s));
    todo.push_back({strong("Runs that did not complete:"),
                    text(fmt::format(" {} (see runs.csv); what failed may hide OS interaction.", join_words(parts)))});
  }
  if (todo.empty()) todo.push_back({text("Nothing open in the generated synthesis.")});
  doc.bullets(std::move(todo));

  doc.heading(3, "Findings");
  if (findings.empty()) {
    doc.paragraph("No hand-written findings given (pass --findings docs/findings.md).");
  } else {
    doc.paragraph("Hand-written (docs/findings.md), included as written:");
    doc.markdown(shift_markdown_headings(findings, 3));
  }
}

}  // namespace sysaxis::report::detail
