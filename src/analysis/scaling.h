// Scaling of one count against one axis: the affine fit, its bootstrap intervals and the class
// flat / linear / sublinear / superlinear / insufficient of DESIGN.md ("Analysis").
// docs/analysis.md states every rule and threshold; tests/unit/analysis_scaling_test.cpp checks
// them on synthetic series with known answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/stats.h"

namespace sysaxis::analysis {

enum class Shape { flat, linear, sublinear, superlinear, insufficient };
std::string_view shape_name(Shape s);

struct ScalingOptions {
  std::size_t bootstrap = 2000;  // bootstrap replicates
  double confidence = 0.95;      // of every interval
  std::size_t min_levels = 3;    // distinct x needed to tell linear from curved
  std::size_t min_reps = 2;      // repetitions needed at every x (the bootstrap resamples them)
  // Flat by negligibility: the largest marginal change allowed by the interval,
  // max(|c1_lo|, |c1_hi|) * (x_max - x_min), is at most this fraction of |c0| ...
  double negligible_relative = 0.05;
  // ... or at most this many events per run over the whole measured range.
  double negligible_absolute = 0.5;
  // The affine fit fails only when the lack-of-fit F test rejects it at this level AND ...
  double lof_alpha = 0.01;
  // ... some level mean lies further from the line than this fraction of the fitted change.
  double lof_relative = 0.05;
  // An interval is "wide" when (c1_hi - c1_lo) * range exceeds this fraction of the count's scale
  // (the larger of |c0| and |c1| * range): the class then does not count as firm evidence.
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
  double c0 = 0;
  double c1 = 0;
  bool fitted = false;  // c0/c1 exist (>= 2 distinct x)
  std::optional<stats::Interval> c0_ci;
  std::optional<stats::Interval> c1_ci;
  double r2 = 0;
  std::optional<double> lof_p;
  double lof_relative = 0;
  std::optional<double> slope;  // marginal log-log slope (>= 3 levels, monotone marginal part)
  std::optional<stats::Interval> slope_ci;
  // Whether the count changes with the axis at all: the flat rule alone, which needs only two
  // levels (used to check claims against workloads measured at two values). None when the
  // interval cannot be computed.
  std::optional<bool> depends;
  bool wide = false;
};

// Fits and classifies. `seed` makes the bootstrap reproducible (use stats::seed_for(key, seed)).
ScalingFit classify_scaling(const stats::Levels& levels, const ScalingOptions& options, std::uint64_t seed);

}  // namespace sysaxis::analysis
