// The three questions: answers, draft constraints, plots and tables (Q1 size, Q2 repetition,
// Q3 execution).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "report/escape.h"
#include "report/palette.h"
#include "report/sections.h"

namespace sysaxis::report::detail {

using nlohmann::json;

namespace {

// Fits indexed by (question, series, phase, category).
struct FitIndex {
  std::map<std::tuple<std::string, SeriesKey, std::string, std::string>, std::vector<const json*>> by_key;
  explicit FitIndex(const json& analysis) {
    for (const auto& f : jarray(analysis, "fits")) {
      if (jstr(f, "workload", "micro") != "micro") continue;
      by_key[{jstr(f, "question"), series_of(f), jstr(f, "phase"), jstr(f, "category")}].push_back(&f);
    }
  }
  const std::vector<const json*>& find(const std::string& q, const SeriesKey& s, const std::string& phase,
                                       const std::string& cat) const {
    static const std::vector<const json*> kNone;
    auto it = by_key.find({q, s, phase, cat});
    return it == by_key.end() ? kNone : it->second;
  }
  const json* at_fixed(const std::string& q, const SeriesKey& s, const std::string& phase, const std::string& cat,
                       std::int64_t fixed) const {
    for (const json* f : find(q, s, phase, cat)) {
      if (fit_fixed(*f) == fixed) return f;
    }
    return nullptr;
  }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Q1 and Q2.

ScalingSummary summarize_scaling(const std::vector<CategoryVerdict>& verdicts) {
  ScalingSummary s;
  for (const auto& v : verdicts) {
    for (const auto* list : {&v.dependent, &v.flat, &v.unknown}) {
      for (const auto& sc : *list) s.series.insert(sc.series);
    }
    if (!v.dependent.empty()) {
      s.dependent.push_back(v);
    } else if (!v.flat.empty()) {
      s.flat.push_back(v);
    } else {
      s.unknown.push_back(v);
    }
  }
  return s;
}

std::string dependent_item(const CategoryVerdict& v, const std::string& unit) {
  std::map<std::string, std::size_t> by_class;
  std::vector<double> c1;
  for (const auto& sc : v.dependent) {
    ++by_class[sc.cls];
    for (const json* f : sc.fits) {
      const std::string cls = jstr(*f, "class");
      if (cls != "flat" && cls != "insufficient") {
        if (auto c = jnum(*f, "c1")) c1.push_back(*c);
      }
    }
  }
  const std::size_t total = v.dependent.size() + v.flat.size() + v.unknown.size();
  std::vector<std::string> parts;
  parts.reserve(by_class.size());
  for (const auto& [cls, n] : by_class) parts.push_back(fmt::format("{} on {}", cls, n));
  std::string out = fmt::format("{} ({} of {} series", v.category, join_words(parts), total);
  if (!v.flat.empty()) out += fmt::format(", flat on {}", v.flat.size());
  if (!c1.empty()) out += fmt::format("; median marginal cost {} per {}", fmt_num(median(c1)), unit);
  return out + ")";
}

std::string x_unit_of(const std::vector<CategoryVerdict>& verdicts, const std::string& fallback) {
  for (const auto& v : verdicts) {
    for (const auto* list : {&v.dependent, &v.flat, &v.unknown}) {
      for (const auto& sc : *list) {
        for (const json* f : sc.fits) {
          if (!jstr(*f, "x_unit").empty()) return jstr(*f, "x_unit");
        }
      }
    }
  }
  return fallback;
}

void scaling_answer(Document& doc, const Context& ctx, const QuestionInfo& q, std::string& constraint) {
  const auto all = classify_question(ctx, q.id, "all");
  const auto work = classify_question(ctx, q.id, "work");
  const ScalingSummary s = summarize_scaling(all);
  const ScalingSummary w = summarize_scaling(work);
  const std::string unit = x_unit_of(all, q.axis == "bytes" ? "MiB" : "iteration");
  if (s.series.empty()) {
    doc.paragraph(
        Inline{strong("Answer. "),
               text(fmt::format("Not answered: the analysis holds no {} fits of the whole process (it needs a "
                                "runtime measured at three or more values of {} with repetitions).",
                                q.id, q.axis))});
    constraint = "No draft constraint: not enough data.";
    return;
  }
  std::string a = fmt::format("Fitted over the whole process (count = c0 + c1·{}) on {} with {} held fixed: ", q.axis,
                              count_noun(s.series.size(), "runtime series", "runtime series"), q.fixed_axis);
  if (!s.dependent.empty()) {
    std::vector<std::string> items;
    for (const auto& v : s.dependent) items.push_back(dependent_item(v, unit));
    a += fmt::format("{} {} with {}: {}. ", count_noun(s.dependent.size(), "category", "categories"),
                     s.dependent.size() == 1 ? "changes" : "change", q.axis, join_words(items));
  } else {
    a += fmt::format("no category changes with {}. ", q.axis);
  }
  if (!s.flat.empty()) {
    a += fmt::format("{} flat on every series that makes {}: {}. ",
                     s.flat.size() == 1 ? "One category stays" : fmt::format("{} categories stay", s.flat.size()),
                     s.flat.size() == 1 ? "it" : "them", join_words(names_of(s.flat)));
  }
  if (!s.unknown.empty()) {
    a += fmt::format("Not classified (too few levels or repetitions): {}. ", join_words(names_of(s.unknown)));
  }
  if (!w.series.empty()) {
    a += fmt::format(
        "In the work phase alone, {} with {}{}.",
        w.dependent.empty()
            ? std::string("nothing changes")
            : fmt::format("{} {}", join_words(names_of(w.dependent)), w.dependent.size() == 1 ? "changes" : "change"),
        q.axis,
        w.flat.empty()
            ? std::string()
            : fmt::format(" and {} {} flat", join_words(names_of(w.flat)), w.flat.size() == 1 ? "stays" : "stay"));
  } else {
    a += "No work-phase fits (the runs carry no phase markers, or too few).";
  }
  while (!a.empty() && a.back() == ' ') a.pop_back();
  doc.paragraph(Inline{strong("Answer. "), text(a)});

  const auto dep = names_of(s.dependent);
  const auto flat = names_of(s.flat);
  const std::string per = q.per;
  if (!dep.empty() && !flat.empty()) {
    constraint = fmt::format(
        "OS interaction depends on {} through {}, but is insensitive to {} in {} (flat on every runtime measured), "
        "ruling out per-{} {} work.",
        q.axis, join_words(dep), q.axis, join_words(flat), per, join_words(areas_of(flat)));
  } else if (!flat.empty()) {
    constraint = fmt::format(
        "OS interaction is insensitive to {}: every category measured ({}) is flat on every runtime, ruling out "
        "per-{} work in the OS for these workloads.",
        q.axis, join_words(flat), per);
  } else if (!dep.empty()) {
    constraint = fmt::format(
        "OS interaction depends on {} in every category classified ({}), ruling out an OS cost fixed regardless of "
        "{}.",
        q.axis, join_words(dep), q.axis);
  } else {
    constraint = "No draft constraint: no category could be classified.";
  }
}

void scaling_table(Document& doc, const Context& ctx, const QuestionInfo& q, const Plot& plot) {
  const FitIndex index(ctx.analysis);
  const bool q1 = q.id == "Q1";
  const std::string ci = confidence_label(ctx.analysis);
  Table t;
  t.header = {"Runtime",
              "Execution",
              fmt::format("{} (fixed)", q.fixed_axis),
              "Category",
              fmt::format("Mean per run, smallest → largest {}", q.axis),
              "Class",
              "c0",
              fmt::format("c1 [{}]", ci),
              "Class (work phase)",
              fmt::format("c1, work phase [{}]", ci),
              fmt::format("Class at other {} values", q.fixed_axis)};
  t.align = "lllllllrlrl";
  t.align[4] = 'r';
  t.align[6] = 'r';
  for (const auto& panel : plot.panels) {
    // The plotted categories and the driver's devices.
    std::vector<std::string> categories;
    for (const auto& line : panel.lines) categories.push_back(line.category);
    std::set<std::string> devices;
    for (const auto& runs : panel.runs_at) {
      for (const auto& run : runs) {
        auto it = ctx.study.by_run.find(run);
        if (it == ctx.study.by_run.end()) continue;
        for (const auto& [phase, cats] : it->second) {
          for (const auto& [cat, v] : cats) {
            if (cat.starts_with("driver:")) devices.insert(cat);
          }
        }
      }
    }
    categories.insert(categories.end(), devices.begin(), devices.end());
    std::sort(categories.begin(), categories.end(), category_less);
    for (const auto& cat : categories) {
      std::vector<double> first;
      std::vector<double> last;
      for (const auto& run : panel.runs_at.front()) first.push_back(ctx.study.whole_process(run, cat));
      for (const auto& run : panel.runs_at.back()) last.push_back(ctx.study.whole_process(run, cat));
      const Level lf = summarize(panel.xs.front(), first);
      const Level ll = summarize(panel.xs.back(), last);
      if (std::max(lf.mean, ll.mean) < ctx.material && cat.starts_with("driver:")) continue;
      const json* fa = index.at_fixed(q.id, panel.series, "all", cat, panel.fixed);
      const json* fw = index.at_fixed(q.id, panel.series, "work", cat, panel.fixed);
      const std::string unit = fa ? jstr(*fa, "x_unit") : std::string();
      const std::string per = unit.empty() ? std::string() : "/" + unit;
      std::vector<std::string> others;
      const std::string cls = fa ? jstr(*fa, "class", "–") : "–";
      for (const json* f : index.find(q.id, panel.series, "all", cat)) {
        auto fx = fit_fixed(*f);
        if (!fx || *fx == panel.fixed || jstr(*f, "class") == cls) continue;
        others.push_back(fmt::format("{} at {}", jstr(*f, "class"),
                                     q1 ? fmt::format("{}", *fx) : human_bytes(static_cast<double>(*fx))));
      }
      const std::string fixed_text =
          q1 ? fmt::format("{}", panel.fixed) : human_bytes(static_cast<double>(panel.fixed));
      t.rows.push_back({{text(panel.runtime)},
                        {text(panel.exec)},
                        {text(fixed_text)},
                        {code(cat)},
                        {text(fmt::format("{} → {}", fmt_num(lf.mean), fmt_num(ll.mean)))},
                        {text(cls)},
                        {text(fa ? interval(*fa, "c0") : "–")},
                        {text(fa ? interval(*fa, "c1", per) : "–")},
                        {text(fw ? jstr(*fw, "class", "–") : "–")},
                        {text(fw ? interval(*fw, "c1", per) : "–")},
                        {text(others.empty() ? (fa ? "same" : "–") : join_words(others))}});
    }
  }
  if (t.rows.empty()) return;
  doc.table(std::move(t));
}

// ---------------------------------------------------------------------------------------------
// Q3.

bool overlaps(const json& c) {
  auto gl = jnum(c, "gpu_mean_lo");
  auto gh = jnum(c, "gpu_mean_hi");
  auto cl = jnum(c, "cpu_mean_lo");
  auto ch = jnum(c, "cpu_mean_hi");
  if (!gl || !gh || !cl || !ch) return false;
  return *gl <= *ch && *cl <= *gh;
}

std::vector<Q3Category> summarize_q3(const Context& ctx, std::set<SeriesKey>& series_seen) {
  // series -> its cells (whole process)
  std::map<SeriesKey, std::vector<const json*>> cells;
  for (const auto& q : jarray(ctx.analysis, "q3")) {
    if (jstr(q, "phase", "all") != "all") continue;
    cells[series_of(q)].push_back(&q);
  }
  std::map<std::string, Q3Category> out;
  for (const auto& [series, list] : cells) {
    series_seen.insert(series);
    const json* ref = nullptr;
    for (const json* c : list) {
      auto key = [](const json* x) { return std::pair{jnum(*x, "bytes").value_or(0), jnum(*x, "iters").value_or(0)}; };
      if (!ref || key(c) > key(ref)) ref = c;
    }
    std::map<std::string, std::tuple<std::size_t, std::size_t, std::size_t, std::size_t>>
        tally;  // compared, gpu-only, with-cpu, overlap
    for (const json* cell : list) {
      for (const auto& c : jarray(*cell, "categories")) {
        const std::string cat = jstr(c, "category");
        if (cat.empty() || cat.starts_with("driver:")) continue;
        auto& [compared, only, with_cpu, overlap] = tally[cat];
        const json& g = jfield(c, "gpu_only");
        if (g.is_boolean()) {
          ++compared;
          if (g.get<bool>()) ++only;
        }
        if (jnum(c, "cpu_mean")) {
          ++with_cpu;
          if (overlaps(c)) ++overlap;
        }
      }
    }
    const std::string name = series_name(ctx, series);
    for (const auto& [cat, t] : tally) {
      const auto& [compared, only, with_cpu, overlap] = t;
      Q3Category& qc = out[cat];
      qc.category = cat;
      if (compared > 0 && only == compared) {
        qc.gpu_only_on.push_back(name);
      } else if (with_cpu > 0 && overlap == with_cpu) {
        qc.similar_on.push_back(name);
      } else if (with_cpu > 0) {
        qc.elevated_on.push_back(name);
      }
    }
    if (!ref) continue;
    for (const auto& c : jarray(*ref, "categories")) {
      const std::string cat = jstr(c, "category");
      if (jnum(c, "rank_calls").value_or(0) == 1 && !cat.starts_with("driver:")) {
        out[cat].category = cat;
        out[cat].dominant.push_back(fmt::format("{} ({} of calls)", name, percent(c, "calls_share")));
      }
    }
  }
  std::vector<Q3Category> v;
  v.reserve(out.size());
  for (auto& [cat, qc] : out) v.push_back(std::move(qc));
  std::sort(v.begin(), v.end(),
            [](const Q3Category& a, const Q3Category& b) { return category_less(a.category, b.category); });
  return v;
}

void q3_answer(Document& doc, const Context& ctx, std::string& constraint) {
  std::set<SeriesKey> series;
  const auto cats = summarize_q3(ctx, series);
  if (series.empty()) {
    doc.paragraph(Inline{strong("Answer. "),
                         text("Not answered: the analysis holds no Q3 comparison (it needs a GPU runtime and the cpu "
                              "baseline measured at the same bytes and iters).")});
    constraint = "No draft constraint: not enough data.";
    return;
  }
  std::vector<std::string> only;
  std::vector<std::string> only_items;
  std::vector<std::string> similar;
  std::vector<std::string> elevated;
  std::vector<std::string> dominant;
  for (const auto& c : cats) {
    if (!c.gpu_only_on.empty()) {
      only.push_back(c.category);
      only_items.push_back(fmt::format("{} (on {} of {} GPU series)", c.category, c.gpu_only_on.size(), series.size()));
    } else if (!c.similar_on.empty() && c.elevated_on.empty()) {
      similar.push_back(c.category);
    } else if (!c.elevated_on.empty()) {
      elevated.push_back(fmt::format("{} (on {})", c.category, join_words(c.elevated_on)));
    }
    for (const auto& d : c.dominant) dominant.push_back(fmt::format("{} on {}", c.category, d));
  }
  std::string a =
      fmt::format("Compared with the cpu baseline at the same bytes and iters, over the whole process, on {}: ",
                  count_noun(series.size(), "GPU runtime series", "GPU runtime series"));
  a += only.empty() ? std::string("no category appears only with a GPU runtime. ")
                    : fmt::format("{} {} only with a GPU runtime. ", join_words(only_items),
                                  only_items.size() == 1 ? "appears" : "appear");
  if (!elevated.empty())
    a += fmt::format("Present in the baseline but at a different level: {}. ", join_words(elevated));
  if (!similar.empty()) a += fmt::format("At the baseline's level on every GPU series: {}. ", join_words(similar));
  if (!dominant.empty()) {
    a += fmt::format("The largest share of calls at the largest cell: {}.", join_words(dominant));
  }
  while (!a.empty() && a.back() == ' ') a.pop_back();
  doc.paragraph(Inline{strong("Answer. "), text(a)});
  if (!only.empty() && !similar.empty()) {
    constraint = fmt::format(
        "OS interaction depends on the execution model through {} (absent without a GPU runtime), but is insensitive "
        "to it in {}, ruling out the computation itself as the source of the {} activity.",
        join_words(only), join_words(similar), join_words(areas_of(only)));
  } else if (!only.empty()) {
    constraint = fmt::format(
        "OS interaction depends on the execution model through {} (absent without a GPU runtime), ruling out the "
        "computation itself as the source of the {} activity.",
        join_words(only), join_words(areas_of(only)));
  } else if (!similar.empty()) {
    constraint = fmt::format(
        "OS interaction is insensitive to the execution model in {} (at the cpu baseline's level with a GPU runtime), "
        "ruling out GPU-specific {} work.",
        join_words(similar), join_words(areas_of(similar)));
  } else {
    constraint = "No draft constraint: the comparison separates no category.";
  }
}

void q3_table(Document& doc, const Context& ctx, const Plot& plot) {
  // Columns: the union of the execution models, the baseline first.
  std::vector<std::string> models;
  for (const auto& p : plot.panels) {
    for (const auto& l : p.x_labels) {
      if (std::find(models.begin(), models.end(), l) == models.end()) models.push_back(l);
    }
  }
  std::sort(models.begin(), models.end(), [](const std::string& a, const std::string& b) {
    if ((a == "cpu baseline") != (b == "cpu baseline")) return a == "cpu baseline";
    return a < b;
  });
  // Analysis cells by (series, bytes, iters).
  std::map<std::tuple<SeriesKey, std::int64_t, std::int64_t>, const json*> cells;
  for (const auto& q : jarray(ctx.analysis, "q3")) {
    if (jstr(q, "phase", "all") != "all") continue;
    cells[{series_of(q), static_cast<std::int64_t>(jnum(q, "bytes").value_or(-1)),
           static_cast<std::int64_t>(jnum(q, "iters").value_or(-1))}] = &q;
  }
  Table t;
  t.header = {"Runtime", "bytes × iters", "Category"};
  for (const auto& m : models) t.header.push_back(m);
  t.header.emplace_back("GPU-only with (analysis)");
  t.header.emplace_back("Largest share of calls with (analysis)");
  t.align = std::string(3, 'l') + std::string(models.size(), 'r') + "ll";
  for (const auto& p : plot.panels) {
    for (const auto& line : p.lines) {
      std::vector<Inline> row = {{text(p.runtime)},
                                 {text(fmt::format("{} × {}", human_bytes(static_cast<double>(p.bytes)), p.iters))},
                                 {code(line.category)}};
      for (const auto& m : models) {
        auto it = std::find(p.x_labels.begin(), p.x_labels.end(), m);
        if (it == p.x_labels.end()) {
          row.push_back({text("–")});
        } else {
          row.push_back({text(fmt_num(line.levels[static_cast<std::size_t>(it - p.x_labels.begin())].mean))});
        }
      }
      std::vector<std::string> only;
      std::vector<std::string> top;
      bool compared = false;
      for (std::size_t k = 0; k < p.x_series.size(); ++k) {
        auto c = cells.find({p.x_series[k], p.bytes, p.iters});
        if (c == cells.end()) continue;
        for (const auto& cat : jarray(*c->second, "categories")) {
          if (jstr(cat, "category") != line.category) continue;
          const json& g = jfield(cat, "gpu_only");
          if (g.is_boolean()) {
            compared = true;
            if (g.get<bool>()) only.push_back(p.x_labels[k]);
          }
          if (jnum(cat, "rank_calls").value_or(0) == 1) {
            top.push_back(fmt::format("{} ({})", p.x_labels[k], percent(cat, "calls_share")));
          }
        }
      }
      row.push_back({text(only.empty() ? (compared ? "no" : "–") : join_words(only))});
      row.push_back({text(top.empty() ? "–" : join_words(top))});
      t.rows.push_back(std::move(row));
    }
  }
  if (!t.rows.empty()) doc.table(std::move(t));
}

// ---------------------------------------------------------------------------------------------

void plot_block(Document& doc, const Plot& plot, const Options& options, const std::string& caption) {
  if (plot.panels.empty()) {
    doc.paragraph(fmt::format("No plot: {}.", plot.empty_reason));
    return;
  }
  if (!options.plots) {
    doc.paragraph(Inline{text("Plot not rendered (--no-plots): run "), code(fmt::format("gnuplot {}.gp", plot.name)),
                         text(fmt::format(" in this folder to draw {}.svg from {}.dat.", plot.name, plot.name))});
    return;
  }
  doc.figure(plot.name + ".svg", plot.title,
             Inline{text(caption + " Data: "), link(plot.name + ".csv", plot.name + ".csv"), text(", "),
                    link(plot.name + ".dat", plot.name + ".dat"), text("; script: "),
                    link(plot.name + ".gp", plot.name + ".gp"), text(".")});
}

void question_claims_note(Document& doc, const json& analysis, const std::string& q) {
  std::size_t n = 0;
  std::size_t firm = 0;
  for (const auto& c : jarray(analysis, "claims")) {
    if (jstr(c, "question") != q) continue;
    ++n;
    if (jfield(c, "firm").is_boolean() && jfield(c, "firm").get<bool>()) ++firm;
  }
  if (n > 0) {
    doc.paragraph(Inline{text(fmt::format("The analysis states {} for {} ({} firm); they are listed under ",
                                          count_noun(n, "claim", "claims"), q, firm)),
                         link("Claims", "#claims"), text(" and in "), link("claims.csv", "claims.csv"), text(".")});
  }
}

}  // namespace sysaxis::report::detail
