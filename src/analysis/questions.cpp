// Q1 and Q2 (scaling fits per runtime series and fixed value of the other axis) and Q3 (the
// execution models compared at fixed bytes and iters).
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "analysis/analysis.h"

namespace sysaxis::analysis {

const std::vector<QuestionInfo>& questions() {
  static const std::vector<QuestionInfo> q = {
      {"Q1", "bytes",
       "Q1 size: holding `iters` and execution constant, how do syscall categories change with `bytes`?"},
      {"Q2", "iters",
       "Q2 repetition: holding `bytes` and execution constant, which categories scale with `iters`, which stay "
       "constant?"},
      {"Q3", "exec",
       "Q3 execution: at fixed `bytes` and `iters`, which categories appear or dominate only with a GPU runtime?"},
  };
  return q;
}

std::string vendor_identity(const SeriesKey& s) {
  return s.platform.empty() ? s.backend : fmt::format("{} ({})", s.backend, s.platform);
}

std::string exec_label(const SeriesKey& s) {
  if (s.exec == "alloc" && !s.alloc_op.empty()) return fmt::format("alloc, {}", s.alloc_op);
  if (s.exec == "kernels" && !s.sync.empty()) return fmt::format("kernels, sync {}", s.sync);
  if (s.exec == "cpu" && s.threads > 1) return fmt::format("cpu, {} threads", s.threads);
  return s.exec;
}

SeriesKey series_of(const Run& r) {
  SeriesKey k;
  k.db = r.db;
  k.backend = r.backend;
  k.platform = r.platform;
  k.device = r.device;
  k.exec = r.exec;
  k.engine = r.engine;
  k.threads = r.threads;
  // Options only where they mean something, so that a default stored for another execution
  // model does not split a series.
  if (r.exec == "alloc") k.alloc_op = r.alloc_op;
  if (r.exec == "kernels") k.sync = r.sync;
  if (r.exec != "cpu") k.threads = 1;
  return k;
}

std::string series_key_string(const SeriesKey& s) {
  return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}", s.db, s.backend, s.platform, s.device, s.exec, s.alloc_op, s.sync,
                     s.threads, s.engine);
}

std::map<SeriesKey, std::string> label_runtimes(const std::vector<Run>& runs, const std::vector<Input>& inputs) {
  std::map<std::string, std::set<std::string>> platforms;  // backend -> platforms
  std::map<std::string, std::set<std::string>> devices;    // backend|platform -> devices
  std::set<SeriesKey> keys;
  for (const auto& r : runs) {
    SeriesKey k = series_of(r);
    keys.insert(k);
    platforms[k.backend].insert(k.platform);
    devices[vendor_identity(k)].insert(k.device);
  }
  std::map<SeriesKey, std::string> labels;
  for (const auto& k : keys) {
    std::string label = k.backend;
    if (platforms[k.backend].size() > 1 && !k.platform.empty()) label += fmt::format(" ({})", k.platform);
    if (devices[vendor_identity(k)].size() > 1 && !k.device.empty()) label += fmt::format(" [{}]", k.device);
    if (inputs.size() > 1 && k.db < inputs.size()) label += fmt::format(" @{}", inputs[k.db].label);
    labels[k] = label;
  }
  return labels;
}

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

struct AxisSpec {
  std::string question, axis, x_unit, fixed_axis;
  std::function<double(const Run&)> x;
  std::function<std::int64_t(const Run&)> fixed;
};

std::vector<AxisSpec> axes(std::string_view workload) {
  const bool resnet = workload == "resnet";
  return {
      {"Q1", "bytes", resnet ? "image" : "MiB", "iters",
       [resnet](const Run& r) { return resnet ? static_cast<double>(r.bytes) : static_cast<double>(r.bytes) / kMiB; },
       [](const Run& r) { return r.iters; }},
      {"Q2", "iters", "iteration", "bytes", [](const Run& r) { return static_cast<double>(r.iters); },
       [](const Run& r) { return r.bytes; }},
  };
}

std::vector<std::string> sorted_categories(const std::vector<const Run*>& runs) {
  std::set<std::string> cats;
  for (const Run* r : runs) {
    for (const auto& [scope, tallies] : r->scopes) {
      for (const auto& [cat, t] : tallies) cats.insert(cat);
    }
  }
  std::vector<std::string> out(cats.begin(), cats.end());
  std::sort(out.begin(), out.end(), category_less);
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

void add_group_fits(std::vector<Fit>& out, const SeriesKey& key, std::string_view workload, const AxisSpec& spec,
                    std::int64_t fixed, const std::vector<const Run*>& group, const Options& options) {
  const auto categories = sorted_categories(group);
  for (std::string_view scope : {kScopeProcess, kScopeWork}) {
    for (const auto& category : categories) {
      const bool event = is_event_category(category);
      std::vector<double> x;
      std::vector<double> y;
      std::vector<std::int64_t> ids;
      for (const Run* r : group) {
        if (event ? !r->has_faults(scope) : !r->has_counts(scope)) continue;
        x.push_back(spec.x(*r));
        y.push_back(r->tally(scope, category).calls);
        ids.push_back(r->run_id);
      }
      auto levels = stats::group_levels(x, y);
      if (levels.size() < 2) continue;
      Fit f;
      f.question = spec.question;
      f.workload = std::string(workload);
      f.series = key;
      f.axis = spec.axis;
      f.x_unit = spec.x_unit;
      f.fixed_axis = spec.fixed_axis;
      f.fixed_value = fixed;
      f.scope = std::string(scope);
      f.category = category;
      std::string seed_key = fmt::format("{}|{}|{}|{}={}|{}|{}", workload, spec.question, series_key_string(key),
                                         spec.fixed_axis, fixed, scope, category);
      f.result = classify_scaling(levels, options.scaling, stats::seed_for(seed_key, options.seed));
      for (const auto& l : levels) f.levels.push_back(summarize(l));
      std::sort(ids.begin(), ids.end());
      f.run_ids = std::move(ids);
      out.push_back(std::move(f));
    }
  }
}

}  // namespace

std::vector<Fit> fit_questions(const std::vector<Run>& runs, const Options& options, std::string_view workload) {
  std::map<SeriesKey, std::vector<const Run*>> by_series;
  for (const auto& r : runs) {
    if (r.workload == workload) by_series[series_of(r)].push_back(&r);
  }
  std::vector<Fit> fits;
  for (const auto& spec : axes(workload)) {
    for (const auto& [key, series_runs] : by_series) {
      std::map<std::int64_t, std::vector<const Run*>> groups;
      for (const Run* r : series_runs) groups[spec.fixed(*r)].push_back(r);
      for (const auto& [fixed, group] : groups) add_group_fits(fits, key, workload, spec, fixed, group, options);
    }
  }
  const char* prefix = workload == "resnet" ? "R" : "F";
  for (std::size_t i = 0; i < fits.size(); ++i) fits[i].id = fmt::format("{}{}", prefix, i + 1);
  return fits;
}

namespace {

// Per run of a set: the category's events in a scope.
std::vector<double> values(const std::vector<const Run*>& runs, std::string_view scope, const std::string& category) {
  std::vector<double> v;
  v.reserve(runs.size());
  for (const Run* r : runs) v.push_back(r->tally(scope, category).calls);
  return v;
}

// Syscall totals per run in a scope (top-level categories only, so nothing counts twice).
std::pair<std::vector<double>, std::vector<double>> totals(const std::vector<const Run*>& runs,
                                                           std::string_view scope) {
  std::vector<double> calls;
  std::vector<double> time;
  for (const Run* r : runs) {
    double c = 0;
    double t = 0;
    auto s = r->scopes.find(std::string(scope));
    if (s != r->scopes.end()) {
      for (const auto& [cat, tally] : s->second) {
        if (is_top_category(cat) && !is_event_category(cat)) {
          c += tally.calls;
          t += tally.time_ns;
        }
      }
    }
    calls.push_back(c);
    time.push_back(t);
  }
  return {calls, time};
}

std::vector<std::int64_t> ids_of(const std::vector<const Run*>& runs) {
  std::vector<std::int64_t> ids;
  ids.reserve(runs.size());
  for (const Run* r : runs) ids.push_back(r->run_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

std::vector<Q3Cell> compare_exec(const std::vector<Run>& runs, const Options& options) {
  // (db, engine, bytes, iters) -> series -> runs
  using CellKey = std::tuple<std::size_t, std::string, std::int64_t, std::int64_t>;
  std::map<CellKey, std::map<SeriesKey, std::vector<const Run*>>> cells;
  for (const auto& r : runs) {
    if (r.workload != "micro") continue;
    cells[{r.db, r.engine, r.bytes, r.iters}][series_of(r)].push_back(&r);
  }
  const std::size_t boot = options.scaling.bootstrap;
  const double conf = options.scaling.confidence;
  std::vector<Q3Cell> out;
  for (const auto& [cell, series] : cells) {
    // The baseline: the cpu execution of the cell, backend cpu preferred, then fewest threads.
    const SeriesKey* baseline = nullptr;
    for (const auto& [key, rs] : series) {
      if (key.exec != "cpu") continue;
      auto rank = [](const SeriesKey& k) { return std::make_tuple(k.backend != "cpu", k.threads); };
      if (!baseline || rank(key) < rank(*baseline)) baseline = &key;
    }
    for (const auto& [key, gpu_all] : series) {
      if (key.exec == "cpu") continue;
      for (std::string_view scope : {kScopeProcess, kScopeWork}) {
        std::vector<const Run*> gpu;
        for (const Run* r : gpu_all) {
          if (r->has_counts(scope)) gpu.push_back(r);
        }
        if (gpu.empty()) continue;
        std::vector<const Run*> cpu;
        if (baseline) {
          for (const Run* r : series.at(*baseline)) {
            if (r->has_counts(scope)) cpu.push_back(r);
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
        auto [gpu_calls, gpu_time] = totals(gpu, scope);
        const std::string seed_base =
            fmt::format("Q3|{}|bytes={}|iters={}|{}", series_key_string(key), q.bytes, q.iters, scope);
        for (const auto& category : sorted_categories(both)) {
          const bool event = is_event_category(category);
          if (event) {
            // Faults need the faults view in this scope on every run compared.
            auto lacks = [&](const Run* r) { return !r->has_faults(scope); };
            if (std::any_of(gpu.begin(), gpu.end(), lacks) || std::any_of(cpu.begin(), cpu.end(), lacks)) continue;
          }
          Q3Category c;
          c.category = category;
          auto seed = [&](std::string_view tag) {
            return stats::seed_for(fmt::format("{}|{}|{}", seed_base, tag, category), options.seed);
          };
          auto g = values(gpu, scope, category);
          c.gpu = stats::bootstrap_mean(g, boot, conf, seed("gpu"));
          if (!cpu.empty()) {
            auto b = values(cpu, scope, category);
            c.cpu = stats::bootstrap_mean(b, boot, conf, seed("cpu"));
            c.gpu_only = c.gpu.ci.lo >= options.material && c.cpu->ci.hi <= options.gpu_only_ratio * c.gpu.ci.lo;
          }
          if (!event) {
            std::vector<double> t;
            t.reserve(gpu.size());
            for (const Run* r : gpu) t.push_back(r->tally(scope, category).time_ns);
            if (!cpu.empty()) {
              auto [cpu_calls, cpu_time] = totals(cpu, scope);
              auto b = values(cpu, scope, category);
              std::vector<double> bt;
              bt.reserve(cpu.size());
              for (const Run* r : cpu) bt.push_back(r->tally(scope, category).time_ns);
              c.cpu_calls_share = stats::bootstrap_ratio(b, cpu_calls, boot, conf, seed("cpushare"));
              c.cpu_time_share = stats::bootstrap_ratio(bt, cpu_time, boot, conf, seed("cputshare"));
            }
            c.calls_share = stats::bootstrap_ratio(g, gpu_calls, boot, conf, seed("share"));
            c.time_share = stats::bootstrap_ratio(t, gpu_time, boot, conf, seed("tshare"));
          }
          q.categories.push_back(std::move(c));
        }
        // Ranks among top-level syscall categories (ties by name, which is the order already).
        auto rank_by = [&](auto share_of, auto set_rank) {
          std::vector<Q3Category*> top;
          for (auto& c : q.categories) {
            if (is_top_category(c.category) && !is_event_category(c.category)) top.push_back(&c);
          }
          std::stable_sort(top.begin(), top.end(),
                           [&](Q3Category* a, Q3Category* b) { return share_of(*a) > share_of(*b); });
          for (std::size_t i = 0; i < top.size(); ++i) set_rank(*top[i], static_cast<int>(i + 1));
        };
        rank_by([](const Q3Category& c) { return c.calls_share->value; },
                [](Q3Category& c, int r) { c.rank_calls = r; });
        rank_by([](const Q3Category& c) { return c.time_share->value; }, [](Q3Category& c, int r) { c.rank_time = r; });
        out.push_back(std::move(q));
      }
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) out[i].id = fmt::format("X{}", i + 1);
  return out;
}

}  // namespace sysaxis::analysis
