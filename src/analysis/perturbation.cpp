// The tracer's perturbation: cells measured with more than one engine (DESIGN.md, "Tracing
// engines": ptrace stops the tracee twice per syscall and can change what timing-dependent
// runtimes do). A sweep under another engine may be its own database (specs/perturbation.toml):
// cells pair across databases; the device stays in the key, so runs of another machine do not.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "analysis/analysis.h"

namespace sysaxis::analysis {

std::vector<Perturbation> compare_engines(const std::vector<Run>& runs, const Analysis& a) {
  using Cell = std::tuple<SeriesKey, std::int64_t, std::int64_t>;
  std::map<Cell, std::map<std::string, std::vector<const Run*>>> cells;
  std::map<Cell, SeriesKey> named_by;
  for (const auto& r : runs) {
    SeriesKey s = series_of(r);
    const SeriesKey measured = s;
    s.engine.clear();
    s.db = 0;
    const Cell cell{s, r.bytes, r.iters};
    cells[cell][r.engine].push_back(&r);
    named_by.emplace(cell, measured);
  }
  std::vector<Perturbation> out;
  for (const auto& [cell, by_engine] : cells) {
    if (by_engine.size() < 2) continue;
    Perturbation p;
    p.series = std::get<0>(cell);
    p.runtime = a.label(named_by.at(cell));
    p.bytes = std::get<1>(cell);
    p.iters = std::get<2>(cell);
    std::set<std::string> cats;
    for (const auto& [engine, list] : by_engine) {
      for (const Run* r : list) {
        for (const auto& [cat, t] : r->tally_scope(kScopeProcess)) {
          if (is_top_category(cat)) cats.insert(cat);
        }
      }
    }
    std::map<std::string, std::vector<double>> means;  // category -> mean per engine
    for (const auto& [engine, list] : by_engine) {
      EngineMeans m;
      m.engine = engine;
      std::vector<double> totals;
      std::set<std::size_t> dbs;
      for (const Run* r : list) {
        m.run_ids.push_back(r->run_id);
        dbs.insert(r->db);
        totals.push_back(r->tally(kScopeProcess, std::string(kSyscalls)).calls);
      }
      std::sort(m.run_ids.begin(), m.run_ids.end());
      m.dbs.assign(dbs.begin(), dbs.end());
      m.syscalls = stats::bootstrap_mean(
          totals, a.options.scaling.bootstrap, a.options.scaling.confidence,
          stats::seed_for(
              fmt::format("perturbation|{}|{}|{}|{}", series_key_string(p.series), p.bytes, p.iters, engine),
              a.options.seed));
      for (const auto& cat : cats) {
        std::vector<double> v;
        for (const Run* r : list) v.push_back(r->tally(kScopeProcess, cat).calls);
        means[cat].push_back(stats::mean(v));
      }
      p.engines.push_back(std::move(m));
    }
    double best = -1;
    for (const auto& [cat, v] : means) {
      const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
      if (*hi - *lo > best) {
        best = *hi - *lo;
        p.largest_category = cat;
      }
    }
    if (!p.largest_category.empty()) {
      const auto& v = means.at(p.largest_category);
      for (std::size_t i = 0; i < p.engines.size(); ++i) p.engines[i].largest = v[i];
    }
    double lo = 0;
    double hi = 0;
    for (const auto& m : p.engines) {
      lo = lo == 0 ? m.syscalls.value : std::min(lo, m.syscalls.value);
      hi = std::max(hi, m.syscalls.value);
    }
    p.ratio = lo > 0 ? hi / lo : 0;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace sysaxis::analysis
