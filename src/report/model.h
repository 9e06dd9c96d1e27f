// What the report shows, computed from the study (measurements) and the analysis (fits, claims,
// annotations): the runtime series, the configuration plotted per question, the plot data, the
// per-question aggregation of classes. Pure functions of their inputs (deterministic).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "analysis/analysis.h"
#include "analysis/claims.h"
#include "report/study.h"

namespace sysaxis::report {

// One measured configuration of a runtime, everything but the varied axes: the analysis's key,
// normalised as the analysis normalises it (options only where they mean something), so that
// fits match.
using analysis::SeriesKey;
SeriesKey series_of(const RunRow& r);
// From an analysis.json object carrying db, backend, platform, ... (fits, claims, q3 cells).
SeriesKey series_of(const nlohmann::json& j);
// The runtime without the execution model (a Q3 panel).
SeriesKey runtime_of(SeriesKey s);
// "alloc, free", "kernels, sync each", "cpu, 4 threads", "kernels": the analysis's labels.
using analysis::exec_label;

// Accessors that never throw on missing or mistyped fields.
const nlohmann::json& jfield(const nlohmann::json& j, const char* key);  // null when absent
std::string jstr(const nlohmann::json& j, const char* key, const std::string& fallback = "");
std::optional<double> jnum(const nlohmann::json& j, const char* key);
const nlohmann::json& jarray(const nlohmann::json& j, const char* key);  // empty array when absent
// A JSON scalar as CSV text: strings as they are, integers without a fraction, null as "".
std::string jtext(const nlohmann::json& v);

// Numbers for people: "0", "0.123", "12.3", "123", "12,345"; "n/a" for NaN.
std::string fmt_num(double v);
// "4 KiB", "16 MiB", "1 GiB", "100 B", "1.5 MiB".
using analysis::human_bytes;
// "a", "a and b", "a, b and c".
std::string join_words(const std::vector<std::string>& words);

struct Level {
  double x = 0;
  std::size_t n = 0;
  double mean = 0, min = 0, max = 0, sd = 0;
};
Level summarize(double x, const std::vector<double>& values);

struct PlotLine {
  std::string category;
  std::vector<Level> levels;
};

struct Panel {
  std::string title;
  SeriesKey series;                          // Q1/Q2: the series; Q3: the runtime (no execution model)
  std::string runtime;                       // display label
  std::string exec;                          // Q1/Q2: exec_label
  std::int64_t fixed = 0;                    // Q1: iters, Q2: bytes held constant
  std::int64_t bytes = 0, iters = 0;         // Q3: the cell
  std::vector<std::string> x_labels;         // Q3: the execution models (x = 0, 1, ...)
  std::vector<SeriesKey> x_series;           // Q3: the series at each x (the cpu baseline first when present)
  std::vector<std::vector<RunKey>> runs_at;  // runs at each level (parallel to the x values)
  std::vector<double> xs;
  std::vector<PlotLine> lines;  // one per category, in category order
};

struct Plot {
  std::string name;  // file stem: q1_size
  std::string question, title, x_label, y_label;
  bool log_x = true;
  bool bytes_x = false;  // tics as sizes
  std::vector<Panel> panels;
  std::string empty_reason;  // why there is nothing to plot
};

struct Context {
  const Study& study;
  const nlohmann::json& analysis;
  double material = 1.0;                    // events per run for a category to count
  std::map<SeriesKey, std::string> labels;  // runtime display labels
  std::map<std::size_t, std::string> db_labels;
  std::set<std::string> engines;  // of the good microbenchmark runs
  std::string runtime_label(const SeriesKey& s) const;
  // The label with the engine when the study mixes engines ("cpu [ptrace]"), for plot panels.
  std::string panel_label(const SeriesKey& s) const;
};
Context make_context(const Study& study, const nlohmann::json& analysis);

// Good microbenchmark runs (status ok, workload micro).
std::vector<const RunRow*> micro_runs(const Study& study);

Plot scaling_plot(const Context& ctx, const std::string& question);  // "Q1" or "Q2"
Plot execution_plot(const Context& ctx);                             // Q3

// Gnuplot inputs for a plot (file names relative to the report folder).
std::string plot_data(const Plot& p);    // <name>.dat: one block per panel and line
std::string plot_csv(const Plot& p);     // <name>.csv: tidy
std::string plot_script(const Plot& p);  // <name>.gp: writes <name>.svg

// The consensus class of a category on one series for one question and phase (over the fixed
// values of the other axis): flat, linear, sublinear, superlinear, mixed, insufficient.
struct SeriesClass {
  SeriesKey series;
  std::string cls;
  std::vector<const nlohmann::json*> fits;
};
struct CategoryVerdict {
  std::string category;
  std::vector<SeriesClass> dependent;  // linear, sublinear, superlinear, mixed
  std::vector<SeriesClass> flat;
  std::vector<SeriesClass> unknown;  // insufficient
};
// Per top-level category (and events), over every series of the analysis fits of `question`.
std::vector<CategoryVerdict> classify_question(const Context& ctx, const std::string& question,
                                               const std::string& phase);

}  // namespace sysaxis::report
