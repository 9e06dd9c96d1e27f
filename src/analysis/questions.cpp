// Q1 and Q2 (fits per series, fixed value of the other axis, scope, category and metric, with the
// family's false-discovery control) and Q3 (the execution models compared at fixed bytes and iters).
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "analysis/analysis.h"

namespace sysaxis::analysis {

const std::vector<QuestionInfo>& questions() {
  static const std::vector<QuestionInfo> q = {
      {"Q1", "bytes", "Q1 size",
       "Q1 size: holding `iters` and execution constant, how do syscall categories change with `bytes`?"},
      {"Q2", "iters", "Q2 repetition",
       "Q2 repetition: holding `bytes` and execution constant, which categories scale with `iters`, which stay "
       "constant?"},
      {"Q3", "exec", "Q3 execution",
       "Q3 execution: at fixed `bytes` and `iters`, which categories appear or dominate only with a GPU runtime?"},
  };
  return q;
}

const QuestionInfo& question(std::string_view id) {
  for (const auto& q : questions()) {
    if (q.id == id) return q;
  }
  throw AnalysisError(fmt::format("unknown question '{}'", id));
}

double Materiality::threshold(std::string_view category, std::string_view metric, double reference) const {
  double absolute = calls;
  if (metric == kTime) absolute = category_kind(category) == CategoryKind::cpu ? cpu_ns : time_ns;
  return std::max(absolute, relative * std::abs(reference));
}

SeriesKey series_of(const Run& r) {
  SeriesKey k;
  k.db = r.db;
  k.workload = r.workload;
  k.backend = r.backend;
  k.platform = r.platform;
  k.device = r.device;
  k.exec = r.exec;
  k.engine = r.engine;
  k.options = r.options;
  return k;
}

std::string series_key_string(const SeriesKey& s) {
  std::string opts;
  for (const auto& [k, v] : s.options) opts += fmt::format("{}{}={}", opts.empty() ? "" : ",", k, v);
  return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}", s.db, s.workload, s.backend, s.platform, s.device, s.exec, opts,
                     s.engine);
}

std::string exec_label(const SeriesKey& s) {
  std::vector<std::string> parts{s.exec};
  for (const auto& [k, v] : s.options) {
    if (k == "sync") {
      parts.push_back("sync " + v);
    } else if (k == "threads") {
      parts.push_back(v + " threads");
    } else if (k == "streams") {
      parts.push_back(v + " streams");
    } else if (k == "sync_mode") {
      parts.push_back(v + " wait");
    } else if (k == "copy" || k == "alloc_op" || k == "alloc_api" || k == "host_mem") {
      parts.push_back(v);
    } else {
      parts.push_back(fmt::format("{}={}", k, v));
    }
  }
  if (s.workload != "micro") return fmt::format("{} on {}", s.workload, s.exec);
  return fmt::format("{}", fmt::join(parts, ", "));
}

namespace {

bool contains_ci(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  return it != hay.end();
}

}  // namespace

Executor executor_of(const SeriesKey& s) {
  const std::string where = s.platform + " " + s.device;
  if (s.workload != "micro") {
    if (s.exec == "cuda") return {"NVIDIA GPU", true};
    if (s.exec == "cpu") return {"CPU", false};
    return {"unknown", false};
  }
  if (s.backend == "cpu") return {"CPU", false};
  if (s.backend == "cuda") return {"NVIDIA GPU", true};
  if (contains_ci(where, "Portable Computing Language") || contains_ci(where, "pocl") ||
      contains_ci(where, "HIP-CPU") || contains_ci(s.device, "cpu")) {
    return {"CPU", false};
  }
  if (contains_ci(where, "NVIDIA")) return {"NVIDIA GPU", true};
  if (contains_ci(where, "AMD") || contains_ci(where, "gfx") || contains_ci(where, "Radeon")) return {"AMD GPU", true};
  if (contains_ci(where, "Intel")) return {"Intel GPU", true};
  if (s.backend == "hip") return {"CPU", false};  // HIP without a GPU platform is HIP-CPU
  return {"unknown", false};
}

std::string api_of(const SeriesKey& s) {
  return s.workload == "micro" ? s.backend : s.workload;
}

std::map<SeriesKey, std::string> label_runtimes(const std::vector<Run>& runs, const std::vector<Input>& inputs) {
  std::map<std::string, std::set<std::string>> platforms;  // backend -> platforms
  std::map<std::string, std::set<std::string>> devices;    // backend|platform -> devices
  std::set<SeriesKey> keys;
  for (const auto& r : runs) {
    SeriesKey k = series_of(r);
    keys.insert(k);
    platforms[k.workload + "|" + k.backend].insert(k.platform);
    devices[k.workload + "|" + k.backend + "|" + k.platform].insert(k.device);
  }
  std::map<SeriesKey, std::string> labels;
  for (const auto& k : keys) {
    std::string label = k.workload == "micro" ? k.backend : k.workload;
    if (k.workload == "micro") {
      if (platforms[k.workload + "|" + k.backend].size() > 1 && !k.platform.empty()) {
        label += fmt::format(" ({})", k.platform);
      }
      if (devices[k.workload + "|" + k.backend + "|" + k.platform].size() > 1 && !k.device.empty()) {
        label += fmt::format(" [{}]", k.device);
      }
    }
    if (inputs.size() > 1 && k.db < inputs.size()) label += fmt::format(" @{}", inputs[k.db].label);
    labels[k] = label;
  }
  return labels;
}

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

struct AxisSpec {
  std::string question, axis, fixed_axis;
  std::function<double(const Run&)> x;
  std::function<std::int64_t(const Run&)> fixed;
};

const std::vector<AxisSpec>& axes() {
  static const std::vector<AxisSpec> a = {
      {"Q1", "bytes", "iters",
       [](const Run& r) {
         return r.workload == "micro" ? static_cast<double>(r.bytes) / kMiB : static_cast<double>(r.bytes);
       },
       [](const Run& r) { return r.iters; }},
      {"Q2", "iters", "bytes", [](const Run& r) { return static_cast<double>(r.iters); },
       [](const Run& r) { return r.bytes; }},
  };
  return a;
}

std::string x_unit(const AxisSpec& spec, const SeriesKey& s) {
  if (spec.axis == "iters") return "iteration";
  if (s.workload == "micro") return "MiB";
  if (s.workload == "resnet") return "image";
  return "unit";
}

std::vector<std::string> sorted_categories(const std::vector<const Run*>& runs, const Vocabulary& words) {
  std::set<std::string> cats;
  for (const Run* r : runs) {
    for (const auto& [scope, tallies] : r->scopes) {
      for (const auto& [cat, t] : tallies) cats.insert(cat);
    }
  }
  std::vector<std::string> out(cats.begin(), cats.end());
  std::sort(out.begin(), out.end(), words.order());
  return out;
}

LevelSummary summarize(const stats::Level& l) {
  LevelSummary s;
  s.x = l.x;
  s.n = l.y.size();
  s.mean = stats::mean(l.y);
  s.sd = stats::std_dev(l.y);
  s.min = l.y.empty() ? 0 : *std::min_element(l.y.begin(), l.y.end());
  s.max = l.y.empty() ? 0 : *std::max_element(l.y.begin(), l.y.end());
  return s;
}

struct Observations {
  stats::Levels levels;
  std::vector<std::int64_t> ids;
};

// The levels of one (scope, category, metric) over a group; empty when a run lacks the measurement.
Observations observe(const std::vector<const Run*>& group, const AxisSpec& spec, std::string_view scope,
                     const std::string& category, std::string_view metric) {
  Observations o;
  std::vector<double> x;
  std::vector<double> y;
  for (const Run* r : group) {
    if (!r->measured(scope, category)) continue;
    x.push_back(spec.x(*r));
    y.push_back(r->tally(scope, category).metric(metric));
    o.ids.push_back(r->run_id);
  }
  o.levels = stats::group_levels(x, y);
  std::sort(o.ids.begin(), o.ids.end());
  return o;
}

void add_group_fits(std::vector<Fit>& out, const SeriesKey& key, const AxisSpec& spec, std::int64_t fixed,
                    const std::vector<const Run*>& group, const Vocabulary& words, const Options& options) {
  for (const auto& category : sorted_categories(group, words)) {
    for (std::string_view metric : metrics_of(category)) {
      for (std::string_view scope : {kScopeProcess, kScopeWork}) {
        if (category_kind(category) == CategoryKind::cpu && scope != kScopeProcess) continue;
        Observations o = observe(group, spec, scope, category, metric);
        if (o.levels.size() < 2) continue;
        // The materiality reference: the category's largest level in this scope (one rule in
        // every scope: a change must be a stated share of what the scope measures).
        double reference = 0;
        for (const auto& l : o.levels) reference = std::max(reference, std::abs(stats::mean(l.y)));
        Fit f;
        f.question = spec.question;
        f.series = key;
        f.axis = spec.axis;
        f.x_unit = x_unit(spec, key);
        f.fixed_axis = spec.fixed_axis;
        f.fixed_value = fixed;
        f.scope = std::string(scope);
        f.category = category;
        f.metric = std::string(metric);
        const std::string seed_key = fmt::format("{}|{}|{}={}|{}|{}|{}", spec.question, series_key_string(key),
                                                 spec.fixed_axis, fixed, scope, category, metric);
        f.result = measure_scaling(o.levels, options.scaling, stats::seed_for(seed_key, options.seed));
        f.result.material = options.material.threshold(category, metric, reference);
        for (const auto& l : o.levels) f.levels.push_back(summarize(l));
        f.run_ids = std::move(o.ids);
        out.push_back(std::move(f));
      }
    }
  }
}

}  // namespace

std::vector<Fit> fit_questions(const Dataset& data, const Options& options) {
  std::map<SeriesKey, std::vector<const Run*>> by_series;
  for (const auto& r : data.runs) by_series[series_of(r)].push_back(&r);
  std::vector<Fit> fits;
  for (const auto& spec : axes()) {
    // Slices: per series, per value of the other axis, the runs and the distinct values of the axis.
    struct Slice {
      std::vector<const Run*> runs;
      std::set<double> xs;
    };
    std::map<SeriesKey, std::map<std::int64_t, Slice>> slices;
    std::size_t most = 0;
    for (const auto& [key, series_runs] : by_series) {
      for (const Run* r : series_runs) {
        Slice& sl = slices[key][spec.fixed(*r)];
        sl.runs.push_back(r);
        sl.xs.insert(spec.x(*r));
        most = std::max(most, sl.xs.size());
      }
    }
    // A slice with fewer values of the axis than a shape needs (two sizes that the Q2 sweeps of a
    // crossed spec meet at one iteration count) is not part of the question's design: it is fitted
    // only in a study that has no better slice (a smoke spec of two values per axis).
    const std::size_t need = std::min(options.scaling.min_levels, most);
    for (const auto& [key, by_fixed] : slices) {
      for (const auto& [fixed, sl] : by_fixed) {
        if (sl.xs.size() >= need) add_group_fits(fits, key, spec, fixed, sl.runs, data.words, options);
      }
    }
  }
  std::size_t micro = 0;
  std::size_t work = 0;
  for (auto& f : fits) f.id = f.series.workload == "micro" ? fmt::format("F{}", ++micro) : fmt::format("W{}", ++work);
  return fits;
}

void correct_family(std::vector<Fit>& fits, const Options& options, Family& family) {
  std::vector<double> p;
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < fits.size(); ++i) {
    if (fits[i].result.p) {
      p.push_back(*fits[i].result.p);
      at.push_back(i);
    }
  }
  const auto q = stats::benjamini_hochberg(p);
  for (std::size_t k = 0; k < at.size(); ++k) fits[at[k]].result.q = q[k];
  family = {};
  family.fits = fits.size();
  family.tested = p.size();
  for (auto& f : fits) {
    classify_scaling(f.result, options.scaling, options.fdr);
    if (f.result.q && *f.result.q <= options.fdr) ++family.significant;
    if (shape_depends(f.result.shape)) ++family.depends;
    if (f.result.shape == Shape::flat) ++family.flat;
    if (f.result.shape == Shape::insufficient) ++family.insufficient;
  }
}

const Q3Category* Q3Cell::find(std::string_view category, std::string_view metric) const {
  for (const auto& c : categories) {
    if (c.category == category && c.metric == metric) return &c;
  }
  return nullptr;
}

namespace {

std::vector<double> values(const std::vector<const Run*>& runs, std::string_view scope, const std::string& category,
                           std::string_view metric) {
  std::vector<double> v;
  v.reserve(runs.size());
  for (const Run* r : runs) v.push_back(r->tally(scope, category).metric(metric));
  return v;
}

std::vector<std::int64_t> ids_of(const std::vector<const Run*>& runs) {
  std::vector<std::int64_t> ids;
  ids.reserve(runs.size());
  for (const Run* r : runs) ids.push_back(r->run_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

std::vector<Q3Cell> compare_exec(const Dataset& data, const Options& options) {
  // (db, engine, bytes, iters) -> series -> runs
  using CellKey = std::tuple<std::size_t, std::string, std::int64_t, std::int64_t>;
  std::map<CellKey, std::map<SeriesKey, std::vector<const Run*>>> cells;
  for (const auto& r : data.runs) {
    if (r.workload == "micro") cells[{r.db, r.engine, r.bytes, r.iters}][series_of(r)].push_back(&r);
  }
  const std::size_t boot = options.scaling.bootstrap;
  const double conf = options.scaling.confidence;
  std::vector<Q3Cell> out;
  for (const auto& [cell, series] : cells) {
    // The baseline: the cpu execution of the cell, backend cpu preferred, then the fewest threads.
    const SeriesKey* baseline = nullptr;
    for (const auto& [key, rs] : series) {
      if (key.exec != "cpu") continue;
      auto rank = [](const SeriesKey& k) { return std::make_tuple(k.backend != "cpu", k.options); };
      if (!baseline || rank(key) < rank(*baseline)) baseline = &key;
    }
    for (const auto& [key, gpu_all] : series) {
      if (key.exec == "cpu") continue;
      for (std::string_view scope : {kScopeProcess, kScopeWork}) {
        std::vector<const Run*> gpu;
        for (const Run* r : gpu_all) {
          if (r->measured(scope, std::string(kSyscalls))) gpu.push_back(r);
        }
        if (gpu.empty()) continue;
        std::vector<const Run*> cpu;
        if (baseline) {
          for (const Run* r : series.at(*baseline)) {
            if (r->measured(scope, std::string(kSyscalls))) cpu.push_back(r);
          }
        }
        Q3Cell q;
        q.series = key;
        q.bytes = std::get<2>(cell);
        q.iters = std::get<3>(cell);
        q.scope = std::string(scope);
        q.run_ids = ids_of(gpu);
        if (!cpu.empty()) {
          q.baseline = *baseline;
          q.baseline_run_ids = ids_of(cpu);
        }
        std::vector<const Run*> both = gpu;
        both.insert(both.end(), cpu.begin(), cpu.end());
        const std::string seed_base =
            fmt::format("Q3|{}|bytes={}|iters={}|{}", series_key_string(key), q.bytes, q.iters, scope);
        for (const auto& category : sorted_categories(both, data.words)) {
          auto lacks = [&](const Run* r) { return !r->measured(scope, category); };
          if (std::any_of(gpu.begin(), gpu.end(), lacks) || std::any_of(cpu.begin(), cpu.end(), lacks)) continue;
          for (std::string_view metric : metrics_of(category)) {
            Q3Category c;
            c.category = category;
            c.metric = std::string(metric);
            auto seed = [&](std::string_view tag) {
              return stats::seed_for(fmt::format("{}|{}|{}|{}", seed_base, tag, category, metric), options.seed);
            };
            const auto g = values(gpu, scope, category, metric);
            c.gpu = stats::bootstrap_mean(g, boot, conf, seed("gpu"));
            const double material = options.material.threshold(category, metric, 0);
            if (!cpu.empty()) {
              const auto b = values(cpu, scope, category, metric);
              c.cpu = stats::bootstrap_mean(b, boot, conf, seed("cpu"));
              c.gpu_only = c.gpu.ci.lo >= material && c.cpu->ci.hi <= options.gpu_only_ratio * c.gpu.ci.lo;
              if (is_top_category(category)) {
                const auto bt = values(cpu, scope, std::string(kSyscalls), metric);
                c.cpu_share = stats::bootstrap_ratio(b, bt, boot, conf, seed("cpushare"));
              }
            }
            if (is_top_category(category)) {
              const auto gt = values(gpu, scope, std::string(kSyscalls), metric);
              c.share = stats::bootstrap_ratio(g, gt, boot, conf, seed("share"));
            }
            q.categories.push_back(std::move(c));
          }
        }
        // Ranks among top-level syscall categories by share, per metric (ties by category order).
        for (std::string_view metric : {kCalls, kTime}) {
          std::vector<Q3Category*> top;
          for (auto& c : q.categories) {
            if (c.metric == metric && c.share) top.push_back(&c);
          }
          std::stable_sort(top.begin(), top.end(),
                           [](const Q3Category* a, const Q3Category* b) { return a->share->value > b->share->value; });
          for (std::size_t i = 0; i < top.size(); ++i) top[i]->rank = static_cast<int>(i + 1);
        }
        out.push_back(std::move(q));
      }
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) out[i].id = fmt::format("X{}", i + 1);
  return out;
}

}  // namespace sysaxis::analysis
