#include "analysis/scaling.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sysaxis::analysis {

std::string_view shape_name(Shape s) {
  switch (s) {
    case Shape::flat: return "flat";
    case Shape::linear: return "linear";
    case Shape::sublinear: return "sublinear";
    case Shape::superlinear: return "superlinear";
    case Shape::insufficient: return "insufficient";
  }
  return "insufficient";
}

ScalingFit classify_scaling(const stats::Levels& levels, const ScalingOptions& options, std::uint64_t seed) {
  ScalingFit out;
  out.levels = levels.size();
  out.observations = stats::observations(levels);
  out.min_reps = stats::min_repetitions(levels);
  if (levels.empty()) {
    out.reason = "no runs";
    return out;
  }
  out.x_min = levels.front().x;
  out.x_max = levels.back().x;
  const double range = out.x_max - out.x_min;
  const auto means = stats::level_means(levels);
  std::vector<double> xs;
  std::vector<double> weights;
  for (const auto& l : levels) {
    xs.push_back(l.x);
    weights.push_back(static_cast<double>(l.y.size()));
  }
  if (levels.size() < 2) {
    out.c0 = means[0];
    out.reason = "one value of the axis only";
    return out;
  }
  const stats::Affine fit = stats::fit_affine(levels);
  out.fitted = fit.ok;
  out.c0 = fit.c0;
  out.c1 = fit.c1;
  out.r2 = stats::r_squared(levels, fit);
  const double sign = fit.c1 < 0 ? -1.0 : 1.0;
  if (levels.size() >= 3) out.slope = stats::marginal_loglog_slope(xs, means, sign);

  const bool have_ci = out.min_reps >= std::max<std::size_t>(options.min_reps, 2);
  bool flat_by_interval = false;
  bool negligible = false;
  double largest_change = 0;
  if (have_ci) {
    std::vector<double> c0s;
    std::vector<double> slopes;
    c0s.reserve(options.bootstrap);
    auto c1s = stats::bootstrap_levels(levels, options.bootstrap, seed, [&](std::span<const double> m) {
      stats::Affine f = stats::fit_affine_weighted(xs, m, weights);
      c0s.push_back(f.c0);
      if (levels.size() >= 3) {
        if (auto s = stats::marginal_loglog_slope(xs, m, sign)) slopes.push_back(*s);
      }
      return std::optional<double>(f.c1);
    });
    out.c1_ci = stats::percentile_interval(std::move(c1s), options.confidence);
    out.c0_ci = stats::percentile_interval(std::move(c0s), options.confidence);
    // The slope interval only where most replicates have a monotone marginal part.
    if (out.slope && slopes.size() * 2 >= options.bootstrap) {
      out.slope_ci = stats::percentile_interval(std::move(slopes), options.confidence);
    }
    flat_by_interval = out.c1_ci->contains(0.0);
    largest_change = std::max(std::abs(out.c1_ci->lo), std::abs(out.c1_ci->hi)) * range;
    negligible =
        largest_change <= std::max(options.negligible_relative * std::abs(out.c0), options.negligible_absolute);
    out.depends = !(flat_by_interval || negligible);
    const double scale = std::max(std::abs(out.c0), std::abs(out.c1) * range);
    const double width = (out.c1_ci->hi - out.c1_ci->lo) * range;
    out.wide = scale > 0 ? width > options.wide_relative * scale : width > 0;
  }
  const stats::LackOfFit lof = stats::lack_of_fit(levels, fit);
  out.lof_p = lof.p;
  out.lof_relative = lof.relative;

  if (levels.size() < options.min_levels) {
    out.reason = fmt::format("only {} distinct values of the axis (need {})", levels.size(), options.min_levels);
    return out;
  }
  if (!have_ci) {
    out.reason = fmt::format("only {} repetition(s) at some value of the axis (need {})", out.min_reps,
                             std::max<std::size_t>(options.min_reps, 2));
    return out;
  }
  if (!*out.depends) {
    out.shape = Shape::flat;
    if (flat_by_interval) {
      out.reason = fmt::format("c1 interval [{:.4g}, {:.4g}] contains 0", out.c1_ci->lo, out.c1_ci->hi);
    } else {
      out.reason = fmt::format("marginal change at most {:.3g} over the range, negligible against c0 = {:.4g}",
                               largest_change, out.c0);
    }
    return out;
  }
  const bool affine_fails = lof.p && *lof.p < options.lof_alpha && lof.relative > options.lof_relative;
  if (!affine_fails) {
    out.shape = Shape::linear;
    out.reason =
        fmt::format("the affine fit explains the data (lack-of-fit p = {}, largest deviation {:.1f}% of the change)",
                    lof.p ? fmt::format("{:.3g}", *lof.p) : std::string("n/a"), 100.0 * lof.relative);
    return out;
  }
  if (!out.slope) {
    out.reason = fmt::format(
        "the affine fit fails (p = {:.3g}, deviation {:.0f}% of the change) and the marginal part is not monotone",
        *lof.p, 100.0 * lof.relative);
    return out;
  }
  out.shape = *out.slope < 1 ? Shape::sublinear : (*out.slope > 1 ? Shape::superlinear : Shape::linear);
  out.reason = fmt::format(
      "the affine fit fails (lack-of-fit p = {:.3g}, deviation {:.0f}% of the change); marginal log-log slope {:.3g}",
      *lof.p, 100.0 * lof.relative, *out.slope);
  return out;
}

}  // namespace sysaxis::analysis
