#include "report/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "report/escape.h"
#include "report/palette.h"

namespace sysaxis::report {

using nlohmann::json;

namespace {

void normalise(SeriesKey& k) {
  // Options only where they mean something, so that a default stored for another execution
  // model does not split a series (the analysis does the same).
  if (k.exec != "alloc") k.alloc_op.clear();
  if (k.exec != "kernels") k.sync.clear();
  if (k.exec != "cpu") k.threads = 1;
}

}  // namespace

SeriesKey series_of(const RunRow& r) {
  SeriesKey k;
  k.db = r.db;
  k.backend = r.backend;
  k.platform = r.platform;
  k.device = r.device;
  k.exec = r.exec;
  k.alloc_op = r.alloc_op;
  k.sync = r.sync;
  k.threads = r.threads;
  k.engine = r.engine;
  normalise(k);
  return k;
}

SeriesKey series_of(const json& j) {
  SeriesKey k;
  k.db = static_cast<std::size_t>(std::max(0.0, jnum(j, "db").value_or(0)));
  k.backend = jstr(j, "backend");
  k.platform = jstr(j, "platform");
  k.device = jstr(j, "device");
  k.exec = jstr(j, "exec");
  k.alloc_op = jstr(j, "alloc_op");
  k.sync = jstr(j, "sync");
  k.threads = static_cast<std::int64_t>(jnum(j, "threads").value_or(1));
  k.engine = jstr(j, "engine");
  normalise(k);
  return k;
}

SeriesKey runtime_of(SeriesKey s) {
  s.exec.clear();
  s.alloc_op.clear();
  s.sync.clear();
  s.threads = 1;
  return s;
}

const json& jfield(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string jstr(const json& j, const char* key, const std::string& fallback) {
  const json& v = jfield(j, key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return jtext(v);
  return fallback;
}

std::optional<double> jnum(const json& j, const char* key) {
  const json& v = jfield(j, key);
  if (v.is_number()) return v.get<double>();
  return std::nullopt;
}

const json& jarray(const json& j, const char* key) {
  static const json kEmpty = json::array();
  const json& v = jfield(j, key);
  return v.is_array() ? v : kEmpty;
}

std::string jtext(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer())
    return v.is_number_unsigned() ? fmt::format("{}", v.get<std::uint64_t>())
                                  : fmt::format("{}", v.get<std::int64_t>());
  if (v.is_number_float()) {
    const double d = v.get<double>();
    return std::isfinite(d) ? fmt::format("{}", d) : std::string();
  }
  if (v.is_null()) return {};
  return v.dump();
}

std::string fmt_num(double v) {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  const double a = std::abs(v);
  if (a < 5e-13) return "0";
  if (a >= 99.95 || (a == std::floor(a) && a < 1e15)) {  // integers, with thousands separators
    const std::string digits = fmt::format("{:.0f}", a);
    std::string out;
    const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    out += digits.substr(0, first);
    for (std::size_t i = first; i < digits.size(); i += 3) out += "," + digits.substr(i, 3);
    return (v < 0 ? "-" : "") + out;
  }
  if (a >= 9.995) return fmt::format("{:.1f}", v);
  return fmt::format("{:.3g}", v);
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " and " : ", ";
    out += words[i];
  }
  return out;
}

Level summarize(double x, const std::vector<double>& values) {
  Level l;
  l.x = x;
  l.n = values.size();
  if (values.empty()) return l;
  double sum = 0;
  l.min = values.front();
  l.max = values.front();
  for (double v : values) {
    sum += v;
    l.min = std::min(l.min, v);
    l.max = std::max(l.max, v);
  }
  l.mean = sum / static_cast<double>(values.size());
  if (values.size() > 1) {
    double ss = 0;
    for (double v : values) ss += (v - l.mean) * (v - l.mean);
    l.sd = std::sqrt(ss / static_cast<double>(values.size() - 1));
  }
  return l;
}

std::string Context::runtime_label(const SeriesKey& s) const {
  if (auto it = labels.find(s); it != labels.end()) return it->second;
  const SeriesKey r = runtime_of(s);
  for (const auto& [k, label] : labels) {
    if (runtime_of(k) == r) return label;
  }
  return s.backend;
}

namespace {

std::string db_label(const StudyDb& db) {
  std::vector<std::string> hosts;
  std::string study;
  for (const auto& [k, v] : db.provenance) {
    if (k == "host" && !v.empty()) hosts.push_back(v);
    if (k == "study" && study.empty()) study = v;
  }
  if (!hosts.empty()) return fmt::format("{}", fmt::join(hosts, "+"));
  if (!study.empty()) return study;
  return std::filesystem::path(db.path).stem().string();
}

}  // namespace

std::string Context::panel_label(const SeriesKey& s) const {
  return engines.size() > 1 ? fmt::format("{} [{}]", runtime_label(s), s.engine) : runtime_label(s);
}

Context make_context(const Study& study, const json& analysis) {
  Context ctx{study, analysis, 1.0, {}, {}, {}};
  for (const auto& r : study.runs) {
    if (r.status == "ok" && r.workload == "micro") ctx.engines.insert(r.engine);
  }
  if (auto m = jnum(jfield(analysis, "method"), "material")) ctx.material = *m;
  for (std::size_t i = 0; i < study.dbs.size(); ++i) ctx.db_labels[i] = db_label(study.dbs[i]);
  // The analysis's labels first (the report must name runtimes as the claims do).
  for (const char* section : {"fits", "claims", "q3"}) {
    for (const auto& j : jarray(analysis, section)) {
      const std::string label = jstr(j, "runtime");
      if (!label.empty()) ctx.labels.emplace(series_of(j), label);
    }
  }
  // The same rule for the rest: the backend, the platform where a backend has several, the
  // device where a platform has several, "@<database>" when several databases are read.
  std::map<std::string, std::set<std::string>> platforms;
  std::map<std::pair<std::string, std::string>, std::set<std::string>> devices;
  std::set<SeriesKey> keys;
  for (const auto& r : study.runs) {
    if (r.status != "ok") continue;
    const SeriesKey k = series_of(r);
    keys.insert(k);
    platforms[k.backend].insert(k.platform);
    devices[{k.backend, k.platform}].insert(k.device);
  }
  for (const auto& k : keys) {
    if (ctx.labels.contains(k)) continue;
    const SeriesKey rt = runtime_of(k);
    bool named = false;
    for (const auto& [other, label] : ctx.labels) {
      if (runtime_of(other) == rt) {
        ctx.labels.emplace(k, label);
        named = true;
        break;
      }
    }
    if (named) continue;
    std::string label = k.backend;
    if (platforms[k.backend].size() > 1 && !k.platform.empty()) label += fmt::format(" ({})", k.platform);
    if (devices[{k.backend, k.platform}].size() > 1 && !k.device.empty()) label += fmt::format(" [{}]", k.device);
    if (study.dbs.size() > 1) label += fmt::format(" @{}", ctx.db_labels[k.db]);
    ctx.labels.emplace(k, label);
  }
  return ctx;
}

std::vector<const RunRow*> micro_runs(const Study& study) {
  std::vector<const RunRow*> out;
  for (const auto& r : study.runs) {
    if (r.status == "ok" && r.workload == "micro") out.push_back(&r);
  }
  return out;
}

namespace {

// Syscall categories (top level) and the events: what one plot line can be.
bool plottable(const std::string& category) {
  return is_event_category(category) || category.find(':') == std::string::npos;
}

std::vector<PlotLine> lines_for(const Context& ctx, const std::vector<double>& xs,
                                const std::vector<std::vector<RunKey>>& runs_at) {
  std::set<std::string> categories;
  for (const auto& runs : runs_at) {
    for (const auto& run : runs) {
      auto it = ctx.study.by_run.find(run);
      if (it == ctx.study.by_run.end()) continue;
      for (const auto& [phase, cats] : it->second) {
        for (const auto& [cat, v] : cats) {
          if (plottable(cat)) categories.insert(cat);
        }
      }
    }
  }
  std::vector<std::string> ordered(categories.begin(), categories.end());
  std::sort(ordered.begin(), ordered.end(), category_less);
  std::vector<PlotLine> lines;
  for (const auto& cat : ordered) {
    PlotLine line;
    line.category = cat;
    double peak = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      std::vector<double> values;
      for (const auto& run : runs_at[i]) values.push_back(ctx.study.whole_process(run, cat));
      Level l = summarize(xs[i], values);
      peak = std::max(peak, l.mean);
      line.levels.push_back(l);
    }
    if (peak >= ctx.material && peak > 0) lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

Plot scaling_plot(const Context& ctx, const std::string& question) {
  const bool q1 = question == "Q1";
  Plot p;
  p.question = question;
  p.name = q1 ? "q1_size" : "q2_repetition";
  p.title = q1 ? "Q1 size: events per run against bytes (iters fixed)"
               : "Q2 repetition: events per run against iters (bytes fixed)";
  p.x_label = q1 ? "bytes" : "iters";
  p.y_label = "events per run (whole process)";
  p.bytes_x = q1;
  // series -> fixed value -> x -> runs
  std::map<SeriesKey, std::map<std::int64_t, std::map<std::int64_t, std::vector<RunKey>>>> grid;
  for (const RunRow* r : micro_runs(ctx.study)) {
    const std::int64_t fixed = q1 ? r->iters : r->bytes;
    const std::int64_t x = q1 ? r->bytes : r->iters;
    grid[series_of(*r)][fixed][x].emplace_back(r->db, r->run_id);
  }
  for (const auto& [series, by_fixed] : grid) {
    // The fixed value with the most levels of the axis, then the most runs, then the largest.
    const std::map<std::int64_t, std::vector<RunKey>>* best = nullptr;
    std::int64_t best_fixed = 0;
    std::tuple<std::size_t, std::size_t, std::int64_t> best_score{0, 0, 0};
    for (const auto& [fixed, by_x] : by_fixed) {
      std::size_t runs = 0;
      for (const auto& [x, ids] : by_x) runs += ids.size();
      std::tuple<std::size_t, std::size_t, std::int64_t> score{by_x.size(), runs, fixed};
      if (!best || score > best_score) {
        best = &by_x;
        best_fixed = fixed;
        best_score = score;
      }
    }
    if (!best || best->size() < 2) continue;
    Panel panel;
    panel.series = series;
    panel.runtime = ctx.panel_label(series);
    panel.exec = exec_label(series);
    panel.fixed = best_fixed;
    for (const auto& [x, ids] : *best) {
      panel.xs.push_back(static_cast<double>(x));
      panel.runs_at.push_back(ids);
    }
    panel.title = fmt::format("{} · {} · {} = {}", panel.runtime, panel.exec, q1 ? "iters" : "bytes",
                              q1 ? fmt::format("{}", best_fixed) : human_bytes(static_cast<double>(best_fixed)));
    panel.lines = lines_for(ctx, panel.xs, panel.runs_at);
    if (!panel.lines.empty()) p.panels.push_back(std::move(panel));
  }
  if (p.panels.empty()) {
    p.empty_reason = fmt::format("no runtime series has microbenchmark runs at two or more values of {} with {} fixed",
                                 q1 ? "bytes" : "iters", q1 ? "iters" : "bytes");
  }
  return p;
}

Plot execution_plot(const Context& ctx) {
  Plot p;
  p.question = "Q3";
  p.name = "q3_execution";
  p.title = "Q3 execution: events per run by execution model (bytes and iters fixed)";
  p.x_label = "execution model";
  p.y_label = "events per run (whole process)";
  p.log_x = false;
  using Cell = std::pair<std::int64_t, std::int64_t>;                                 // (bytes, iters)
  std::map<SeriesKey, std::map<SeriesKey, std::map<Cell, std::vector<RunKey>>>> gpu;  // runtime -> series -> cell
  std::map<SeriesKey, std::map<Cell, std::vector<RunKey>>> baseline;                  // cpu series (1 thread)
  for (const RunRow* r : micro_runs(ctx.study)) {
    const SeriesKey s = series_of(*r);
    const Cell cell{r->bytes, r->iters};
    if (s.backend == "cpu") {
      if (s.exec == "cpu" && s.threads == 1) baseline[s][cell].emplace_back(r->db, r->run_id);
    } else {
      gpu[runtime_of(s)][s][cell].emplace_back(r->db, r->run_id);
    }
  }
  for (const auto& [runtime, series] : gpu) {
    // The baseline: a cpu series of the same database, the same engine preferred.
    const std::map<Cell, std::vector<RunKey>>* base = nullptr;
    const SeriesKey* base_key = nullptr;
    for (const auto& [k, cells] : baseline) {
      if (k.db != runtime.db) continue;
      if (!base || (k.engine == runtime.engine && base_key->engine != runtime.engine)) {
        base = &cells;
        base_key = &k;
      }
    }
    std::set<Cell> cells;
    for (const auto& [s, by_cell] : series) {
      for (const auto& [cell, ids] : by_cell) cells.insert(cell);
    }
    // The cell with a baseline and the most execution models, then the largest bytes and iters
    // (the analysis's reference cell).
    std::optional<Cell> best;
    std::tuple<int, std::size_t, std::int64_t, std::int64_t> best_score{0, 0, 0, 0};
    for (const auto& cell : cells) {
      std::size_t n = 0;
      for (const auto& [s, by_cell] : series) n += by_cell.contains(cell) ? 1 : 0;
      std::tuple<int, std::size_t, std::int64_t, std::int64_t> score{base && base->contains(cell) ? 1 : 0, n,
                                                                     cell.first, cell.second};
      if (!best || score > best_score) {
        best = cell;
        best_score = score;
      }
    }
    if (!best) continue;
    Panel panel;
    panel.series = runtime;
    panel.runtime = ctx.panel_label(series.begin()->first);
    panel.bytes = best->first;
    panel.iters = best->second;
    if (base && base->contains(*best)) {
      panel.x_labels.push_back("cpu baseline");
      panel.x_series.push_back(*base_key);
      panel.runs_at.push_back(base->at(*best));
    }
    std::vector<std::pair<std::string, SeriesKey>> models;
    for (const auto& [s, by_cell] : series) {
      if (by_cell.contains(*best)) models.emplace_back(exec_label(s), s);
    }
    std::sort(models.begin(), models.end());
    for (const auto& [label, s] : models) {
      panel.x_labels.push_back(label);
      panel.x_series.push_back(s);
      panel.runs_at.push_back(series.at(s).at(*best));
    }
    for (std::size_t i = 0; i < panel.x_labels.size(); ++i) panel.xs.push_back(static_cast<double>(i));
    panel.title = fmt::format("{} · {} × {} iterations", panel.runtime, human_bytes(static_cast<double>(panel.bytes)),
                              panel.iters);
    panel.lines = lines_for(ctx, panel.xs, panel.runs_at);
    if (!panel.lines.empty()) p.panels.push_back(std::move(panel));
  }
  if (p.panels.empty()) p.empty_reason = "no microbenchmark runs of a GPU runtime (backend other than cpu)";
  return p;
}

// ---------------------------------------------------------------------------------------------
// Gnuplot files.

namespace {

// A gnuplot single-quoted string: no escapes are processed inside, a quote is doubled.
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

}  // namespace

std::string plot_data(const Plot& p) {
  std::string out = fmt::format("# {}\n# sysaxis report: plot data for {}.gp; one block per panel and category\n",
                                comment(p.title), p.name);
  out += "# columns: x mean min max n sd\n";
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
  std::string out = csv_row({"question", "panel", "runtime", "exec", "fixed_axis", "fixed", "bytes", "iters", "x",
                             "x_label", "category", "n", "mean", "min", "max", "sd"});
  for (std::size_t i = 0; i < p.panels.size(); ++i) {
    const Panel& panel = p.panels[i];
    for (const auto& line : panel.lines) {
      for (std::size_t k = 0; k < line.levels.size(); ++k) {
        const Level& l = line.levels[k];
        const bool q3 = p.question == "Q3";
        out += csv_row(
            {p.question, fmt::format("{}", i + 1), panel.runtime,
             q3 ? (k < panel.x_labels.size() ? exec_label(panel.x_series[k]) : "") : panel.exec,
             q3 ? "" : (p.question == "Q1" ? "iters" : "bytes"), q3 ? "" : fmt::format("{}", panel.fixed),
             q3 ? fmt::format("{}", panel.bytes) : (p.question == "Q1" ? num(l.x) : fmt::format("{}", panel.fixed)),
             q3 ? fmt::format("{}", panel.iters) : (p.question == "Q2" ? num(l.x) : fmt::format("{}", panel.fixed)),
             num(l.x), q3 && k < panel.x_labels.size() ? panel.x_labels[k] : "", line.category, fmt::format("{}", l.n),
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
  out += "# Points: mean over repetitions; error bars: min to max; zero counts cannot be drawn on a log axis.\n";
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
  // Room above and below, so that points on the extreme decades are not drawn on the border.
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
        label = human_bytes(panel.xs[i]);
      } else {
        label = fmt_num(panel.xs[i]);
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
      const CategoryStyle st = category_style(line.category);
      parts.push_back(fmt::format("{} index {} using 1:2:3:4 with yerrorlines lw 1.5 lc rgb '{}' pt {} ps 0.7 title {}",
                                  parts.empty() ? gp_string(p.name + ".dat") : "''", index++, st.color, st.point_type,
                                  gp_string(line.category)));
    }
    out += "plot " + fmt::format("{}", fmt::join(parts, ", \\\n     ")) + "\n";
  }
  out += "\nunset multiplot\n";
  return out;
}

// ---------------------------------------------------------------------------------------------

std::vector<CategoryVerdict> classify_question(const Context& ctx, const std::string& question,
                                               const std::string& phase) {
  std::map<std::string, std::map<SeriesKey, std::vector<const json*>>> grouped;
  for (const auto& f : jarray(ctx.analysis, "fits")) {
    if (jstr(f, "question") != question || jstr(f, "phase") != phase) continue;
    const std::string workload = jstr(f, "workload", "micro");
    if (workload != "micro") continue;
    const std::string category = jstr(f, "category");
    if (category.empty() || !plottable(category)) continue;
    const json& levels = jfield(f, "levels");
    if (levels.is_array() && !levels.empty()) {
      double peak = 0;
      for (const auto& l : levels) peak = std::max(peak, jnum(l, "mean").value_or(0));
      if (peak < ctx.material) continue;
    }
    grouped[category][series_of(f)].push_back(&f);
  }
  std::vector<CategoryVerdict> out;
  for (const auto& [category, by_series] : grouped) {
    CategoryVerdict v;
    v.category = category;
    for (const auto& [series, fits] : by_series) {
      std::set<std::string> classes;
      for (const json* f : fits) {
        const std::string cls = jstr(*f, "class");
        if (!cls.empty() && cls != "insufficient") classes.insert(cls);
      }
      SeriesClass sc{series, classes.empty() ? "insufficient" : (classes.size() == 1 ? *classes.begin() : "mixed"),
                     fits};
      if (sc.cls == "flat") {
        v.flat.push_back(std::move(sc));
      } else if (sc.cls == "insufficient") {
        v.unknown.push_back(std::move(sc));
      } else {
        v.dependent.push_back(std::move(sc));
      }
    }
    out.push_back(std::move(v));
  }
  std::sort(out.begin(), out.end(),
            [](const CategoryVerdict& a, const CategoryVerdict& b) { return category_less(a.category, b.category); });
  return out;
}

}  // namespace sysaxis::report
