// The whole analysis and its one-screen summary. analysis.json is in json.cpp.
#include "analysis/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/text.h"

namespace sysaxis::analysis {

std::string Analysis::label(const SeriesKey& s) const {
  auto it = runtime_labels.find(s);
  return it == runtime_labels.end() ? (s.workload == "micro" ? s.backend : s.workload) : it->second;
}

const Fit* Analysis::fit(std::string_view id) const {
  for (const auto& f : fits) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

const Claim* Analysis::claim(std::string_view id) const {
  for (const auto& c : claims) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const Q3Cell* Analysis::cell(std::string_view id) const {
  for (const auto& q : q3) {
    if (q.id == id) return &q;
  }
  return nullptr;
}

Analysis analyze(const Dataset& data, const Options& options) {
  Analysis a;
  a.options = options;
  a.inputs = data.inputs;
  a.taxonomy = data.taxonomy_source;
  a.words = data.words;
  for (const auto& r : data.runs) (r.workload == "micro" ? a.micro_runs : a.workload_runs) += 1;
  a.runtime_labels = label_runtimes(data.runs, a.inputs);
  a.fits = fit_questions(data, options);
  correct_family(a.fits, options, a.family);
  a.q3 = compare_exec(data, options);
  a.profiles = workload_profiles(data, options);
  a.claims = make_claims(a);
  a.vendor = annotate_vendors(a);
  a.constraints = make_constraints(a);
  a.checks = check_workloads(a);
  a.perturbation = compare_engines(data.runs, a);

  if (a.micro_runs == 0) a.notes.emplace_back("no microbenchmark runs (workload 'micro') with status ok");
  std::size_t few_reps = 0;
  std::size_t few_levels = 0;
  for (const auto& f : a.fits) {
    if (f.result.shape != Shape::insufficient) continue;
    if (f.result.levels < 2) {
      ++few_levels;
    } else if (!f.result.p) {
      ++few_reps;
    }
  }
  if (few_levels) a.notes.emplace_back(fmt::format("{} fits have one value of the axis: insufficient", few_levels));
  if (few_reps) {
    a.notes.push_back(
        fmt::format("{} fits have fewer than {} repetitions at some value: insufficient "
                    "(run the sweep with more repetitions)",
                    few_reps, std::max<std::size_t>(options.scaling.min_reps, 2)));
  }
  // Axes never varied: every verdict about them says "not measured".
  for (const char* q : {"Q1", "Q2"}) {
    if (std::none_of(a.fits.begin(), a.fits.end(), [&](const Fit& f) { return f.question == q; })) {
      a.notes.push_back(fmt::format("{} was not varied in any series: no verdict about {}", q, question(q).axis));
    }
  }
  for (const auto& in : a.inputs) {
    for (const auto& n : in.notes) a.notes.emplace_back(fmt::format("{}: {}", in.path, n));
  }
  return a;
}

std::string summary(const Analysis& a) {
  std::string out;
  out += fmt::format("sysaxis analysis: {} ({} microbenchmark, {} real-workload runs)\n",
                     count_noun(a.inputs.size(), "database", "databases"), a.micro_runs, a.workload_runs);
  for (const auto& in : a.inputs) {
    out += fmt::format("  {} [{}]: {} runs, {} ok\n", in.path, in.label, in.runs_total, in.runs_ok);
  }
  const Family& f = a.family;
  out += fmt::format(
      "fits: {} made, {} tested for dependence, {} significant at FDR q <= {} (Benjamini-Hochberg), "
      "{} depend materially; {} flat, {} insufficient\n",
      f.fits, f.tested, f.significant, a.options.fdr, f.depends, f.flat, f.insufficient);
  std::map<std::string, std::size_t> by_annotation;
  for (const auto& c : a.claims) ++by_annotation[c.annotation.label];
  out += fmt::format("claims: {} ({})\n", a.claims.size(), fmt::join(tally_words(by_annotation), ", "));
  out += fmt::format("constraints: {}\n", a.constraints.size());
  for (const auto& c : a.constraints) {
    out += fmt::format("  {} [{}] {}\n", c.id, c.title, c.text);
    out += fmt::format("     holds on {}; {} counterexample(s)\n",
                       c.holds_on.empty() ? std::string("none") : join_words(c.holds_on), c.fails_on.size());
  }
  if (!a.checks.empty()) {
    std::map<std::string, std::size_t> verdicts;
    for (const auto& c : a.checks) ++verdicts[c.verdict];
    out += fmt::format("real workloads against the constraints: {}\n", fmt::join(tally_words(verdicts), ", "));
  }
  for (const auto& n : a.notes) out += fmt::format("note: {}\n", n);
  return out;
}

}  // namespace sysaxis::analysis
