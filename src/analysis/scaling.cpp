#include "analysis/scaling.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace sysaxis::analysis {

namespace {

constexpr std::array<std::pair<Shape, std::string_view>, 8> kShapes = {{
    {Shape::flat, "flat"},
    {Shape::linear, "linear"},
    {Shape::step, "step"},
    {Shape::sublinear, "sublinear"},
    {Shape::superlinear, "superlinear"},
    {Shape::decreasing, "decreasing"},
    {Shape::irregular, "irregular"},
    {Shape::insufficient, "insufficient"},
}};

std::string num(double v) {
  return fmt::format("{:.4g}", v);
}

}  // namespace

std::string_view shape_name(Shape s) {
  for (const auto& [shape, name] : kShapes) {
    if (shape == s) return name;
  }
  return "insufficient";
}

std::optional<Shape> shape_from_name(std::string_view name) {
  for (const auto& [shape, n] : kShapes) {
    if (n == name) return shape;
  }
  return std::nullopt;
}

bool shape_depends(Shape s) {
  return s != Shape::flat && s != Shape::insufficient;
}

ScalingFit measure_scaling(const stats::Levels& levels, const ScalingOptions& options, std::uint64_t seed) {
  ScalingFit out;
  out.levels = levels.size();
  out.observations = stats::observations(levels);
  out.min_reps = stats::min_repetitions(levels);
  if (levels.empty()) return out;
  out.x_min = levels.front().x;
  out.x_max = levels.back().x;
  const double range = out.x_max - out.x_min;
  const auto means = stats::level_means(levels);
  out.c0 = means[0];
  if (levels.size() < 2) return out;
  std::vector<double> xs;
  std::vector<double> weights;
  for (const auto& l : levels) {
    xs.push_back(l.x);
    weights.push_back(static_cast<double>(l.y.size()));
  }
  const stats::Affine fit = stats::fit_affine(levels);
  out.fitted = fit.ok;
  out.c0 = fit.c0;
  out.c1 = fit.c1;
  out.r2 = stats::r_squared(levels, fit);
  const stats::LackOfFit lof = stats::lack_of_fit(levels, fit);
  out.lof_p = lof.p;
  out.lof_relative = lof.relative;
  const double sign = fit.c1 < 0 ? -1.0 : 1.0;
  if (levels.size() >= 3) out.slope = stats::marginal_loglog_slope(xs, means, sign);
  out.step = stats::fit_step(levels);
  // The change over the range: the level mean furthest from the first level's, signed.
  for (double m : means) {
    if (std::abs(m - means[0]) > std::abs(out.effect)) out.effect = m - means[0];
  }
  if (out.min_reps < std::max<std::size_t>(options.min_reps, 2)) return out;
  out.p = stats::dependence_p(levels, fit);

  std::vector<double> c0s;
  std::vector<double> slopes;
  std::vector<double> ranges;
  c0s.reserve(options.bootstrap);
  ranges.reserve(options.bootstrap);
  auto c1s = stats::bootstrap_levels(levels, options.bootstrap, seed, [&](std::span<const double> m) {
    stats::Affine f = stats::fit_affine_weighted(xs, m, weights);
    c0s.push_back(f.c0);
    const auto [lo, hi] = std::minmax_element(m.begin(), m.end());
    ranges.push_back(*hi - *lo);
    if (levels.size() >= 3) {
      if (auto s = stats::marginal_loglog_slope(xs, m, sign)) slopes.push_back(*s);
    }
    return std::optional<double>(f.c1);
  });
  out.c1_ci = stats::percentile_interval(std::move(c1s), options.confidence);
  out.c0_ci = stats::percentile_interval(std::move(c0s), options.confidence);
  out.effect_hi = stats::percentile_interval(std::move(ranges), options.confidence).hi;
  if (out.slope && slopes.size() * 2 >= options.bootstrap) {
    out.slope_ci = stats::percentile_interval(std::move(slopes), options.confidence);
  }
  const double scale = std::max(std::abs(out.c0), std::abs(out.c1) * range);
  const double width = (out.c1_ci->hi - out.c1_ci->lo) * range;
  out.wide = scale > 0 ? width > options.wide_relative * scale : width > 0;
  return out;
}

void classify_scaling(ScalingFit& f, const ScalingOptions& options, double alpha) {
  f.shape = Shape::insufficient;
  const std::size_t reps = std::max<std::size_t>(options.min_reps, 2);
  if (f.levels < 2) {
    f.reason = "one value of the axis only";
    return;
  }
  if (!f.p) {
    f.reason = fmt::format("only {} repetition(s) at some value of the axis (need {})", f.min_reps, reps);
    return;
  }
  const double q = f.q.value_or(*f.p);
  const bool significant = q <= alpha;
  const bool material = std::abs(f.effect) >= f.material;
  if (!(significant && material)) {
    const double hi = f.effect_hi.value_or(std::abs(f.effect));
    if (hi < f.material) {
      f.shape = Shape::flat;
      f.reason = fmt::format(
          "change over the range at most {} (upper {:.0f}% bound), below the materiality "
          "threshold {}",
          num(hi), 100 * options.confidence, num(f.material));
    } else if (significant) {
      f.reason = fmt::format(
          "a change of {} (q = {}) is below the materiality threshold {}, but its upper bound {} "
          "is not",
          num(f.effect), num(q), num(f.material), num(hi));
    } else {
      f.reason = fmt::format("no significant change (q = {}), but the data cannot exclude one of {} (threshold {})",
                             num(q), num(hi), num(f.material));
    }
    return;
  }
  const std::string why =
      fmt::format("changes by {} over the range (q = {}, threshold {})", num(f.effect), num(q), num(f.material));
  if (f.levels < options.min_levels) {
    f.reason = fmt::format("{}; only {} values of the axis: no shape can be told (need {})", why, f.levels,
                           options.min_levels);
    return;
  }
  const bool affine_fails = f.lof_p && *f.lof_p < options.lof_alpha && f.lof_relative > options.lof_relative;
  const bool step_fails =
      !f.step.ok || (f.step.p ? (*f.step.p < options.lof_alpha && f.step.relative > options.lof_relative)
                              : f.step.relative > options.lof_relative);
  const bool step_better = !step_fails && (affine_fails || f.step.relative < f.lof_relative);
  const std::string step_text = f.step.ok ? fmt::format("one jump between {} and {} ({} -> {})", num(f.step.x_below),
                                                        num(f.step.x_above), num(f.step.below), num(f.step.above))
                                          : std::string();
  // A direction needs the slope's interval and the change over the range to agree: a bump that
  // returns to its start is not a decrease.
  if (f.c1_ci && f.c1_ci->hi < 0 && f.effect < 0) {
    f.shape = Shape::decreasing;
    f.reason = fmt::format("{}; the affine slope's interval lies below 0{}", why,
                           step_better ? "; " + step_text : std::string());
    return;
  }
  if (f.c1_ci && f.c1_ci->lo > 0 && f.effect > 0) {
    if (step_better && f.levels >= 4) {
      f.shape = Shape::step;
      f.reason = fmt::format(
          "{}; {} explains the levels (largest deviation {:.1f}% of the jump) better than a line "
          "({:.1f}% of the change)",
          why, step_text, 100 * f.step.relative, 100 * f.lof_relative);
      return;
    }
    if (!affine_fails) {
      f.shape = Shape::linear;
      f.reason = fmt::format(
          "{}; the affine fit explains the data (lack-of-fit p = {}, largest deviation {:.1f}% "
          "of the change)",
          why, f.lof_p ? num(*f.lof_p) : std::string("n/a"), 100 * f.lof_relative);
      return;
    }
    if (f.slope) {
      f.shape = *f.slope < 1 ? Shape::sublinear : Shape::superlinear;
      f.reason = fmt::format(
          "{}; neither a line (deviation {:.0f}% of the change) nor one jump fits; marginal "
          "log-log slope {}",
          why, 100 * f.lof_relative, num(*f.slope));
      return;
    }
  }
  if (step_better && f.levels >= 4) {
    f.shape = Shape::step;
    f.reason = fmt::format("{}; {} (largest deviation {:.1f}% of the jump)", why, step_text, 100 * f.step.relative);
    return;
  }
  f.shape = Shape::irregular;
  f.reason = fmt::format("{}; not monotone: no line, jump or curve describes it", why);
}

}  // namespace sysaxis::analysis
