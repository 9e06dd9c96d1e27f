// The report's plots, from the analysis's level summaries (fits) and Q3 cells: no number is
// recomputed here. Per question a plot of counts and one of time in the calls (with the process
// tree's CPU time beside it), one panel per runtime series; Q3 one panel per runtime.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "analysis/text.h"
#include "common/text.h"
#include "report/report.h"

namespace sysaxis::report {

using analysis::Analysis;
using analysis::Fit;
using analysis::SeriesKey;

namespace {

std::string gp_string(std::string_view s) {
  std::string clean = sanitize_utf8(s);
  std::replace(clean.begin(), clean.end(), '\n', ' ');
  std::replace(clean.begin(), clean.end(), '\t', ' ');
  std::string out = "'";
  for (char c : clean) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string comment(std::string_view s) {
  std::string clean = sanitize_utf8(s);
  std::replace(clean.begin(), clean.end(), '\n', ' ');
  return clean;
}

std::string num(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "NaN";
}

// Categories drawn: top-level syscall categories and page faults (counts), top-level categories
// and CPU time (time); a line needs some level at or above `floor`.
bool drawn(const Fit& f, bool time) {
  using analysis::CategoryKind;
  const CategoryKind k = analysis::category_kind(f.category);
  if (time)
    return f.metric == analysis::kTime && (k == CategoryKind::syscall || k == CategoryKind::cpu) &&
           f.category.find(':') == std::string::npos;
  return f.metric == analysis::kCalls && (k == CategoryKind::syscall || f.category == analysis::kFaultsMinor);
}

Plot scaling_plot(const Analysis& a, const std::string& question, bool time) {
  const auto& q = analysis::question(question);
  Plot p;
  p.question = question;
  p.name = fmt::format("{}_{}{}", question == "Q1" ? "q1" : "q2", question == "Q1" ? "size" : "repetition",
                       time ? "_time" : "");
  p.title =
      fmt::format("{}: {} per run against {} ({} fixed)", q.name, time ? "time in syscalls and CPU time" : "events",
                  q.axis, question == "Q1" ? "iters" : "bytes");
  p.x_label = question == "Q1" ? "bytes" : "iters";
  p.y_label = time ? "time per run (ns)" : "events per run";
  p.bytes_x = question == "Q1";
  // Per micro series: the fixed value with the most levels (ties: the largest value).
  std::map<SeriesKey, std::map<std::int64_t, std::vector<const Fit*>>> by;
  for (const auto& f : a.fits) {
    if (f.question != question || f.series.workload != "micro" || f.scope != analysis::kScopeProcess) continue;
    if (!drawn(f, time)) continue;
    by[f.series][f.fixed_value].push_back(&f);
  }
  const double floor = time ? 10e3 : 1.0;  // 10 us, 1 event
  for (const auto& [series, fixed] : by) {
    const std::vector<const Fit*>* best = nullptr;
    std::int64_t best_fixed = 0;
    std::size_t best_levels = 0;
    for (const auto& [value, fits] : fixed) {
      std::size_t levels = 0;
      for (const Fit* f : fits) levels = std::max(levels, f->levels.size());
      if (levels >= best_levels) {
        best = &fits;
        best_fixed = value;
        best_levels = levels;
      }
    }
    Panel panel;
    panel.runtime = a.label(series);
    panel.exec = analysis::exec_label(series);
    panel.title = fmt::format(
        "{} ({}), {} = {}", panel.runtime, panel.exec, question == "Q1" ? "iters" : "bytes",
        question == "Q1" ? std::to_string(best_fixed) : analysis::human_bytes(static_cast<double>(best_fixed)));
    std::set<double> xs;
    std::vector<const Fit*> fits = *best;
    std::sort(fits.begin(), fits.end(),
              [&a](const Fit* x, const Fit* y) { return a.words.less(x->category, y->category); });
    for (const Fit* f : fits) {
      const bool visible = std::any_of(f->levels.begin(), f->levels.end(),
                                       [&](const analysis::LevelSummary& l) { return l.mean >= floor; });
      if (!visible) continue;
      PlotLine line;
      line.category = f->category;
      line.words = a.words.of(f->category);
      for (auto l : f->levels) {
        if (question == "Q1") {  // MiB back to bytes for the axis
          l.x *= 1024.0 * 1024.0;
        }
        xs.insert(l.x);
        line.levels.push_back(l);
      }
      panel.lines.push_back(std::move(line));
      panel.sources.push_back(f->id);
    }
    if (panel.lines.empty()) continue;
    panel.xs.assign(xs.begin(), xs.end());
    p.panels.push_back(std::move(panel));
  }
  return p;
}

Plot execution_plot(const Analysis& a) {
  Plot p;
  p.question = "Q3";
  p.name = "q3_execution";
  p.title = "Q3 execution: events per run by execution model (cpu baseline first)";
  p.x_label = "execution model";
  p.y_label = "events per run";
  p.log_x = false;
  // Per runtime (a series without its execution model): the cell with the most execution models.
  struct RuntimeKey {
    std::size_t db;
    std::string backend, platform, device, engine;
    auto tie() const { return std::tie(db, backend, platform, device, engine); }
    bool operator<(const RuntimeKey& o) const { return tie() < o.tie(); }
  };
  std::map<RuntimeKey, std::map<std::pair<std::int64_t, std::int64_t>, std::vector<const analysis::Q3Cell*>>> by;
  for (const auto& q : a.q3) {
    if (q.scope != analysis::kScopeProcess || !q.baseline) continue;
    by[{q.series.db, q.series.backend, q.series.platform, q.series.device, q.series.engine}][{q.bytes, q.iters}]
        .push_back(&q);
  }
  for (const auto& [rk, cells] : by) {
    const std::vector<const analysis::Q3Cell*>* best = nullptr;
    std::pair<std::int64_t, std::int64_t> where{};
    for (const auto& [cell, list] : cells) {
      if (!best || list.size() >= best->size()) {
        best = &list;
        where = cell;
      }
    }
    if (!best || best->empty()) continue;
    Panel panel;
    panel.runtime = a.label(best->front()->series);
    panel.title = fmt::format("{}, {} x {} iterations", panel.runtime,
                              analysis::human_bytes(static_cast<double>(where.first)), where.second);
    panel.x_labels.emplace_back("cpu baseline");
    for (const auto* q : *best) {
      panel.x_labels.push_back(analysis::exec_label(q->series));
      panel.sources.push_back(q->id);
    }
    for (std::size_t i = 0; i < panel.x_labels.size(); ++i) panel.xs.push_back(static_cast<double>(i));
    std::set<std::string> cats;
    for (const auto* q : *best) {
      for (const auto& c : q->categories) {
        if (c.metric == analysis::kCalls &&
            (analysis::is_top_category(c.category) || c.category == analysis::kFaultsMinor)) {
          cats.insert(c.category);
        }
      }
    }
    std::vector<std::string> ordered(cats.begin(), cats.end());
    std::sort(ordered.begin(), ordered.end(), a.words.order());
    for (const auto& cat : ordered) {
      PlotLine line;
      line.category = cat;
      line.words = a.words.of(cat);
      bool visible = false;
      auto level = [](double x, const analysis::stats::Estimate& e) {
        analysis::LevelSummary l;
        l.x = x;
        l.mean = e.value;
        l.min = e.ci.lo;
        l.max = e.ci.hi;
        return l;
      };
      const auto* base = best->front()->find(cat, analysis::kCalls);
      if (base && base->cpu) {
        line.levels.push_back(level(0, *base->cpu));
        visible = visible || base->cpu->value >= 1;
      }
      for (std::size_t i = 0; i < best->size(); ++i) {
        const auto* c = (*best)[i]->find(cat, analysis::kCalls);
        if (!c) continue;
        line.levels.push_back(level(static_cast<double>(i + 1), c->gpu));
        visible = visible || c->gpu.value >= 1;
      }
      if (visible) panel.lines.push_back(std::move(line));
    }
    if (!panel.lines.empty()) p.panels.push_back(std::move(panel));
  }
  return p;
}

}  // namespace

std::vector<Plot> make_plots(const Analysis& a) {
  std::vector<Plot> out;
  for (const char* q : {"Q1", "Q2"}) {
    for (bool time : {false, true}) out.push_back(scaling_plot(a, q, time));
  }
  out.push_back(execution_plot(a));
  return out;
}

std::string plot_data(const Plot& p) {
  std::string out = fmt::format("# {}\n# sysaxis report: plot data for {}.gp; one block per panel and category\n",
                                comment(p.title), p.name);
  out += p.question == "Q3" ? "# columns: x mean lo hi (a 95% bootstrap interval of the mean)\n"
                            : "# columns: x mean min max n sd\n";
  std::size_t index = 0;
  for (const auto& panel : p.panels) {
    for (const auto& line : panel.lines) {
      out += fmt::format("\n\n# index {}: panel '{}', category {}\n", index++, comment(panel.title), line.category);
      for (const auto& l : line.levels) {
        out += fmt::format("{} {} {} {} {} {}\n", num(l.x), num(l.mean), num(l.min), num(l.max), l.n, num(l.sd));
      }
    }
  }
  return out;
}

std::string plot_csv(const Plot& p) {
  std::string out =
      csv_row({"question", "panel", "runtime", "exec", "x", "x_label", "category", "n", "mean", "min", "max", "sd"});
  for (std::size_t i = 0; i < p.panels.size(); ++i) {
    const Panel& panel = p.panels[i];
    for (const auto& line : panel.lines) {
      for (const auto& l : line.levels) {
        const auto k = static_cast<std::size_t>(l.x);
        const bool q3 = p.question == "Q3";
        out += csv_row({p.question, fmt::format("{}", i + 1), panel.runtime,
                        q3 ? (k < panel.x_labels.size() ? panel.x_labels[k] : "") : panel.exec, num(l.x),
                        q3 && k < panel.x_labels.size() ? panel.x_labels[k] : "", line.category, fmt::format("{}", l.n),
                        num(l.mean), num(l.min), num(l.max), num(l.sd)});
      }
    }
  }
  return out;
}

std::string plot_script(const Plot& p) {
  const std::size_t n = p.panels.size();
  const std::size_t cols = n >= 3 ? 2 : 1;
  const std::size_t rows = (n + cols - 1) / cols;
  const std::size_t width = cols == 1 ? 780 : 1200;
  const std::size_t height = 48 + rows * 330;
  std::string out;
  out += fmt::format("# {}\n", comment(p.title));
  out += fmt::format("# sysaxis report: re-plot with `gnuplot {}.gp` in this folder (reads {}.dat, writes {}.svg).\n",
                     p.name, p.name, p.name);
  out += p.question == "Q3" ? "# Points: mean over repetitions; error bars: its 95% bootstrap interval.\n"
                            : "# Points: mean over repetitions; error bars: min to max; zero cannot be drawn on a log "
                              "axis.\n";
  out += fmt::format("set terminal svg size {},{} fixed font 'DejaVu Sans,10' background '#ffffff'\n", width, height);
  out += fmt::format("set output '{}.svg'\n", p.name);
  out += "set termoption noenhanced\n";
  out += "set encoding utf8\n";
  out += "set datafile missing 'NaN'\n";
  out += p.log_x ? "set logscale xy\n" : "set logscale y\n";
  out += "set format y '%g'\n";
  out += "set grid xtics ytics mytics lc rgb '#e0e0e0'\n";
  out += "set key outside right top vertical Left reverse samplen 2 spacing 1.1 font ',9'\n";
  out += fmt::format("set xlabel {}\n", gp_string(p.x_label));
  out += fmt::format("set ylabel {}\n", gp_string(p.y_label));
  out += "set bars small\n";
  out += "set offsets 0, 0, graph 0.04, graph 0.04\n";
  out += fmt::format("set multiplot layout {},{} title {} font ',12'\n", rows, cols, gp_string(p.title));
  std::size_t index = 0;
  for (const auto& panel : p.panels) {
    out += fmt::format("\n# panel: {}\n", comment(panel.title));
    out += fmt::format("set title {}\n", gp_string(panel.title));
    std::vector<std::string> tics;
    for (std::size_t i = 0; i < panel.xs.size(); ++i) {
      std::string label;
      if (!p.log_x) {
        label = i < panel.x_labels.size() ? panel.x_labels[i] : num(panel.xs[i]);
      } else if (p.bytes_x) {
        label = analysis::human_bytes(panel.xs[i]);
      } else {
        label = analysis::fmt_num(panel.xs[i]);
      }
      tics.push_back(fmt::format("{} {}", gp_string(label), num(panel.xs[i])));
    }
    out += fmt::format("set xtics ({})\n", fmt::join(tics, ", "));
    if (p.log_x) {
      const double lo = panel.xs.front();
      const double hi = panel.xs.back();
      const double pad = std::pow(hi / lo, 0.06);
      out += fmt::format("set xrange [{}:{}]\n", num(lo / pad), num(hi * pad));
    } else {
      out += fmt::format("set xrange [-0.4:{}]\n", num(static_cast<double>(panel.xs.size()) - 0.6));
    }
    std::vector<std::string> parts;
    for (const auto& line : panel.lines) {
      const analysis::CategoryWords& st = line.words;
      parts.push_back(fmt::format("{} index {} using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '{}' pt {} ps 0.7 title {}",
                                  parts.empty() ? gp_string(p.name + ".dat") : "''", index++, st.colour, st.point,
                                  gp_string(line.category)));
    }
    out += "plot " + fmt::format("{}", fmt::join(parts, ", \\\n     ")) + "\n";
  }
  out += "\nunset multiplot\n";
  return out;
}

}  // namespace sysaxis::report
