// Statistics of the analysis as small pure functions (in the spirit of Google Benchmark's
// statistics.cc / complexity.cc): grouping repetitions by x, the affine least-squares fit
// count = c0 + c1*x, the lack-of-fit F test against replicate noise, the log-log slope of the
// marginal part, a seeded portable random generator and percentile bootstrap intervals.
// docs/analysis.md describes the method; tests/unit/stats_*_test.cpp check each function.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace sysaxis::analysis::stats {

// All repetitions measured at one value of the varied axis.
struct Level {
  double x = 0;
  std::vector<double> y;
};
// Levels sorted by x ascending, one per distinct x.
using Levels = std::vector<Level>;

// Groups observations (x[i], y[i]) by distinct x; levels ascending, repetitions in input order.
Levels group_levels(std::span<const double> x, std::span<const double> y);

double mean(std::span<const double> v);     // 0 for an empty span
double std_dev(std::span<const double> v);  // sample standard deviation, 0 when n < 2
std::vector<double> level_means(const Levels& levels);
std::size_t observations(const Levels& levels);
std::size_t min_repetitions(const Levels& levels);  // 0 for no levels

// Quantile (Hyndman-Fan type 7, linear interpolation) of an ascending sequence; q in [0, 1].
double quantile_sorted(std::span<const double> sorted, double q);

struct Interval {
  double lo = 0;
  double hi = 0;
  bool contains(double v) const { return lo <= v && v <= hi; }
};
// Equal-tailed percentile interval of the samples at the given confidence (e.g. 0.95).
Interval percentile_interval(std::vector<double> samples, double confidence);

// count = c0 + c1 * x by ordinary least squares over all repetitions (never through the origin).
struct Affine {
  double c0 = 0;
  double c1 = 0;
  bool ok = false;  // false with fewer than two distinct x
  double at(double x) const { return c0 + c1 * x; }
};
Affine fit_affine(const Levels& levels);
// The same fit from level means weighted by their repetition counts (equivalent, used by the bootstrap).
Affine fit_affine_weighted(std::span<const double> x, std::span<const double> means, std::span<const double> weights);

// Coefficient of determination of a fit over all repetitions (1 when the data are constant and fitted).
double r_squared(const Levels& levels, const Affine& fit);

// Lack-of-fit test of the affine model against the replicate ("pure error") noise.
struct LackOfFit {
  double ss_lof = 0;        // sum over levels of n_i * (mean_i - fit(x_i))^2
  double ss_pe = 0;         // sum of squared deviations of repetitions from their level mean
  std::size_t df_lof = 0;   // levels - 2
  std::size_t df_pe = 0;    // observations - levels
  std::optional<double> p;  // P(F >= observed) under the affine model; none when df_lof or df_pe is 0
  // Largest deviation of a level mean from the fit, relative to the fitted change |c1| * (x_max - x_min)
  // (infinite when the fitted change is 0 and a level deviates).
  double relative = 0;
};
LackOfFit lack_of_fit(const Levels& levels, const Affine& fit);

// Regularized incomplete beta function I_x(a, b), a, b > 0, x in [0, 1].
double incomplete_beta(double a, double b, double x);
// Upper tail P(F >= f) of Fisher's F distribution with (d1, d2) degrees of freedom.
double f_survival(double f, double d1, double d2);

// Log-log slope of the marginal part: with m_i = sign * (mean_i - mean_0) and dx_i = x_i - x_0
// (level 0 = smallest x), the least-squares slope of log m_i on log dx_i over the levels i >= 1
// with m_i > 0. 1 for a linear marginal cost, < 1 sublinear, > 1 superlinear. None when fewer
// than two levels have a positive marginal part.
std::optional<double> marginal_loglog_slope(std::span<const double> x, std::span<const double> means, double sign);

// Least-squares slope of log y on log x over the points with x > 0 and y > 0 (none with < 2 such points).
std::optional<double> loglog_slope(std::span<const double> x, std::span<const double> y);

// One-way analysis of variance across the levels: does the mean differ between values of the
// axis at all (any shape: line, step, curve)? F = (between-level mean square) / (within-level
// mean square) with (levels - 1, observations - levels) degrees of freedom. With no replicate
// noise at all the test is exact: p = 0 when the level means differ, 1 when they are equal.
// None with fewer than two levels or no within-level degrees of freedom.
std::optional<double> anova_p(const Levels& levels);

// Test of the affine slope against 0: F = (regression sum of squares) / (residual mean square)
// with (1, observations - 2) degrees of freedom; exact data decide exactly. None with fewer than
// two levels or three observations.
std::optional<double> slope_p(const Levels& levels, const Affine& fit);

// The dependence test of a fit: the smaller of the ANOVA and slope p-values, Bonferroni-doubled
// (the ANOVA detects any shape, the slope test has the power against a trend).
std::optional<double> dependence_p(const Levels& levels, const Affine& fit);

// Benjamini-Hochberg adjusted p-values ("q-values") of a family of tests, in input order: the
// smallest false discovery rate at which each test is a discovery. Rejecting every q <= alpha
// controls the false discovery rate at alpha for independent or positively dependent tests.
std::vector<double> benjamini_hochberg(std::span<const double> p);

// Piecewise-constant model with one jump: the levels split into those at x <= x[k] and those
// above, each side at its (repetition-weighted) mean. The split with the smallest residual sum of
// squares over the level means wins.
struct Step {
  bool ok = false;          // needs at least two levels
  std::size_t split = 0;    // number of levels below the jump
  double x_below = 0;       // the largest x below the jump
  double x_above = 0;       // the smallest x above it
  double below = 0;         // mean below
  double above = 0;         // mean above
  double relative = 0;      // largest deviation of a level mean from its side's mean, relative to |above - below|
  std::optional<double> p;  // lack-of-fit F test of the step model against the replicate noise
};
Step fit_step(const Levels& levels);

// SplitMix64: small, fast, and the same sequence on every platform and standard library
// (std::uniform_int_distribution is not), so that bootstrap intervals are reproducible.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform integer in [0, n), n > 0, without modulo bias.
  std::uint64_t below(std::uint64_t n);

 private:
  std::uint64_t state_;
};

// 64-bit FNV-1a of a string, mixed with a seed: one independent, order-free seed per fit.
std::uint64_t seed_for(std::string_view key, std::uint64_t seed);

// Stratified bootstrap: `replicates` times, resample the repetitions within each level (with
// replacement, same count) and call `statistic` with the resampled level means. The repetitions
// are first rescaled about their level mean by sqrt(n/(n-1)) (so that a resampled mean has the
// sample variance of a mean, not (n-1)/n of it). Returns the statistic's values in order; a
// statistic returning none is skipped.
std::vector<double> bootstrap_levels(const Levels& levels, std::size_t replicates, std::uint64_t seed,
                                     const std::function<std::optional<double>(std::span<const double>)>& statistic);

// Bootstrap over independent runs: resample indices 0..n-1 with replacement and call `statistic`
// with the resampled index list.
std::vector<double> bootstrap_indices(
    std::size_t n, std::size_t replicates, std::uint64_t seed,
    const std::function<std::optional<double>(std::span<const std::size_t>)>& statistic);

// Mean of the values and its percentile bootstrap interval (a degenerate interval for n < 2).
struct Estimate {
  double value = 0;
  Interval ci;
};
Estimate bootstrap_mean(std::span<const double> values, std::size_t replicates, double confidence, std::uint64_t seed);
// Ratio sum(num) / sum(den) over runs (0 when the denominator is 0) with its bootstrap interval.
Estimate bootstrap_ratio(std::span<const double> num, std::span<const double> den, std::size_t replicates,
                         double confidence, std::uint64_t seed);

}  // namespace sysaxis::analysis::stats
