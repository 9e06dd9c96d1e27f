// Scaling of one metric against one axis (DESIGN.md "Analysis", docs/analysis.md): the affine fit
// and its bootstrap intervals, a test of any dependence (one-way ANOVA across the axis values,
// corrected over the study's family by Benjamini-Hochberg), a materiality threshold, and the
// class flat / linear / step / sublinear / superlinear / decreasing / irregular / insufficient.
// tests/unit/analysis_scaling_test.cpp checks the rules on synthetic series with known answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/stats.h"

namespace sysaxis::analysis {

enum class Shape { flat, linear, step, sublinear, superlinear, decreasing, irregular, insufficient };
std::string_view shape_name(Shape s);
std::optional<Shape> shape_from_name(std::string_view name);
// Whether a class says the metric changes with the axis (every class but flat and insufficient).
bool shape_depends(Shape s);

struct ScalingOptions {
  std::size_t bootstrap = 2000;  // bootstrap replicates
  double confidence = 0.95;      // of every interval
  std::size_t min_levels = 3;    // distinct x needed to tell a shape (two suffice for flat)
  std::size_t min_reps = 2;      // repetitions needed at every x
  // A model (affine or step) fails only when its lack-of-fit F test rejects it at this level AND ...
  double lof_alpha = 0.01;
  // ... some level mean lies further from it than this fraction of the change it fits.
  double lof_relative = 0.05;
  // An interval is "wide" when (c1_hi - c1_lo) * range exceeds this fraction of the metric's scale
  // (the larger of |c0| and |c1| * range): the fit is then not firm evidence.
  double wide_relative = 0.5;
};

struct ScalingFit {
  Shape shape = Shape::insufficient;
  std::string reason;  // one line: why this class
  std::size_t levels = 0;
  std::size_t observations = 0;
  std::size_t min_reps = 0;
  double x_min = 0;
  double x_max = 0;
  // Affine model y = c0 + c1 * x over all repetitions (never through the origin).
  bool fitted = false;  // c0/c1 exist (>= 2 distinct x)
  double c0 = 0;
  double c1 = 0;
  std::optional<stats::Interval> c0_ci;
  std::optional<stats::Interval> c1_ci;
  double r2 = 0;
  std::optional<double> lof_p;
  double lof_relative = 0;
  // Marginal log-log slope (>= 3 levels with a monotone marginal part).
  std::optional<double> slope;
  std::optional<stats::Interval> slope_ci;
  // The one-jump model (>= 2 levels).
  stats::Step step;
  // Dependence: the p-value of stats::dependence_p (ANOVA across the levels and the slope test,
  // Bonferroni-combined), its Benjamini-Hochberg q-value over the family
  // (set by the caller), the change over the measured range (mean at the level furthest from the
  // first level's mean, minus that mean; signed), the upper bound of its bootstrap interval (of
  // the range max - min of the level means), and the materiality threshold it is held against.
  std::optional<double> p;
  std::optional<double> q;
  double effect = 0;
  std::optional<double> effect_hi;
  double material = 0;
  bool wide = false;
  // Whether this fit belongs to the family of tests (has a p-value).
  bool tested() const { return p.has_value(); }
};

// Everything but the class: fits, intervals, the ANOVA p-value, the step model. `seed` makes the
// bootstrap reproducible (stats::seed_for(key, seed)).
ScalingFit measure_scaling(const stats::Levels& levels, const ScalingOptions& options, std::uint64_t seed);

// The class, once the family's q-value is set: "depends" needs q <= alpha AND a material change
// (|effect| >= fit.material); "flat" needs the upper bound of the change below the materiality
// threshold; anything between is insufficient (the data can neither show nor exclude a material
// change). A dependent fit is decreasing when the affine slope's interval lies below 0; otherwise
// linear when the affine model holds, step when one jump explains the levels better, sub- or
// superlinear by the marginal log-log slope, irregular when none of these describes it.
void classify_scaling(ScalingFit& fit, const ScalingOptions& options, double alpha);

}  // namespace sysaxis::analysis
