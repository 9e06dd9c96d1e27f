// The statistics of the analysis, one pure function at a time (src/analysis/stats.h).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "analysis/stats.h"

namespace st = sysaxis::analysis::stats;

TEST(StatsGroupLevels, SortsAndGroupsRepetitionsByX) {
  std::vector<double> x = {10, 1, 10, 1, 5};
  std::vector<double> y = {3, 1, 4, 2, 9};
  auto levels = st::group_levels(x, y);
  ASSERT_EQ(levels.size(), 3U);
  EXPECT_EQ(levels[0].x, 1);
  EXPECT_EQ(levels[0].y, (std::vector<double>{1, 2}));
  EXPECT_EQ(levels[1].x, 5);
  EXPECT_EQ(levels[2].y, (std::vector<double>{3, 4}));
  EXPECT_EQ(st::observations(levels), 5U);
  EXPECT_EQ(st::min_repetitions(levels), 1U);
  EXPECT_EQ(st::level_means(levels), (std::vector<double>{1.5, 9, 3.5}));
}

TEST(StatsMoments, MeanAndSampleStandardDeviation) {
  std::vector<double> v = {2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(st::mean(v), 5.0);
  EXPECT_NEAR(st::std_dev(v), std::sqrt(32.0 / 7.0), 1e-12);
  EXPECT_EQ(st::mean(std::vector<double>{}), 0.0);
  EXPECT_EQ(st::std_dev(std::vector<double>{3}), 0.0);
}

TEST(StatsQuantile, Type7LikeR) {
  std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(st::quantile_sorted(v, 0.25), 1.75);  // R: quantile(1:4, .25)
  EXPECT_DOUBLE_EQ(st::quantile_sorted(v, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(st::quantile_sorted(v, 0), 1);
  EXPECT_DOUBLE_EQ(st::quantile_sorted(v, 1), 4);
  EXPECT_TRUE(std::isnan(st::quantile_sorted(std::vector<double>{}, 0.5)));
  auto ci = st::percentile_interval({5, 1, 4, 2, 3}, 0.5);
  EXPECT_DOUBLE_EQ(ci.lo, 2);
  EXPECT_DOUBLE_EQ(ci.hi, 4);
  EXPECT_TRUE(ci.contains(3));
  EXPECT_FALSE(ci.contains(4.5));
}

TEST(StatsAffine, ExactLineWithConstantIsRecovered) {
  std::vector<double> x;
  std::vector<double> y;
  for (double xv : {1.0, 10.0, 100.0, 1000.0}) {
    for (int r = 0; r < 3; ++r) {
      x.push_back(xv);
      y.push_back(20000 + 3 * xv);
    }
  }
  auto levels = st::group_levels(x, y);
  auto fit = st::fit_affine(levels);
  ASSERT_TRUE(fit.ok);
  EXPECT_NEAR(fit.c0, 20000, 1e-6);
  EXPECT_NEAR(fit.c1, 3, 1e-9);
  EXPECT_NEAR(st::r_squared(levels, fit), 1.0, 1e-12);
}

TEST(StatsAffine, OrdinaryLeastSquaresOverAllRepetitions) {
  // Unequal repetitions: level means weighted by their counts equal OLS on every point.
  // Points (0,0) (0,2) (1,1) (2,5): xbar=0.75, ybar=2, Sxx=2.75, Sxy=5.
  auto levels = st::group_levels(std::vector<double>{0, 0, 1, 2}, std::vector<double>{0, 2, 1, 5});
  auto fit = st::fit_affine(levels);
  EXPECT_NEAR(fit.c1, 5.0 / 2.75, 1e-12);
  EXPECT_NEAR(fit.c0, 2 - 0.75 * 5.0 / 2.75, 1e-12);
  auto one = st::fit_affine(st::group_levels(std::vector<double>{3, 3}, std::vector<double>{1, 2}));
  EXPECT_FALSE(one.ok);
  EXPECT_DOUBLE_EQ(one.c0, 1.5);
}

TEST(StatsBeta, ClosedForms) {
  for (double x : {0.01, 0.2, 0.5, 0.77, 0.99}) {
    EXPECT_NEAR(st::incomplete_beta(1, 1, x), x, 1e-12);
    EXPECT_NEAR(st::incomplete_beta(3, 1, x), std::pow(x, 3), 1e-12);
    EXPECT_NEAR(st::incomplete_beta(1, 4, x), 1 - std::pow(1 - x, 4), 1e-12);
  }
  EXPECT_NEAR(st::incomplete_beta(7.5, 7.5, 0.5), 0.5, 1e-12);
  EXPECT_EQ(st::incomplete_beta(2, 3, 0), 0);
  EXPECT_EQ(st::incomplete_beta(2, 3, 1), 1);
}

TEST(StatsF, SurvivalFunction) {
  // d1 = 2 has the closed form (1 + 2f/d2)^(-d2/2).
  for (double f : {0.1, 1.0, 3.0, 20.0}) {
    for (double d2 : {1.0, 4.0, 10.0, 57.0}) {
      EXPECT_NEAR(st::f_survival(f, 2, d2), std::pow(1 + 2 * f / d2, -d2 / 2), 1e-10) << f << " " << d2;
    }
  }
  EXPECT_NEAR(st::f_survival(1, 5, 5), 0.5, 1e-12);      // equal degrees of freedom: median 1
  EXPECT_NEAR(st::f_survival(4.96, 1, 10), 0.05, 5e-4);  // table value F(0.95; 1, 10) = 4.96
  EXPECT_EQ(st::f_survival(0, 3, 4), 1);
  EXPECT_EQ(st::f_survival(INFINITY, 3, 4), 0);
}

TEST(StatsLackOfFit, ZeroForALineLargeForACurve) {
  std::vector<double> x;
  std::vector<double> line;
  std::vector<double> curve;
  for (double xv : {1.0, 2.0, 3.0, 4.0, 5.0}) {
    for (double e : {-1.0, 0.0, 1.0}) {
      x.push_back(xv);
      line.push_back(10 + 2 * xv + e);
      curve.push_back(10 + 2 * xv * xv + e);
    }
  }
  auto l = st::group_levels(x, line);
  auto lof = st::lack_of_fit(l, st::fit_affine(l));
  EXPECT_NEAR(lof.ss_lof, 0, 1e-9);
  EXPECT_NEAR(lof.ss_pe, 10, 1e-9);  // 5 levels x (1 + 0 + 1)
  EXPECT_EQ(lof.df_lof, 3U);
  EXPECT_EQ(lof.df_pe, 10U);
  ASSERT_TRUE(lof.p);
  EXPECT_GT(*lof.p, 0.99);
  EXPECT_LT(lof.relative, 1e-9);
  auto c = st::group_levels(x, curve);
  auto lofc = st::lack_of_fit(c, st::fit_affine(c));
  ASSERT_TRUE(lofc.p);
  EXPECT_LT(*lofc.p, 1e-4);
  EXPECT_GT(lofc.relative, 0.05);
}

TEST(StatsLackOfFit, NoReplicateNoise) {
  auto exact = st::group_levels(std::vector<double>{1, 1, 2, 2, 3, 3}, std::vector<double>{5, 5, 7, 7, 9, 9});
  auto lof = st::lack_of_fit(exact, st::fit_affine(exact));
  ASSERT_TRUE(lof.p);
  EXPECT_EQ(*lof.p, 1.0);
  auto bent = st::group_levels(std::vector<double>{1, 1, 2, 2, 3, 3}, std::vector<double>{5, 5, 8, 8, 9, 9});
  auto lofb = st::lack_of_fit(bent, st::fit_affine(bent));
  ASSERT_TRUE(lofb.p);
  EXPECT_EQ(*lofb.p, 0.0);
  auto two = st::group_levels(std::vector<double>{1, 2}, std::vector<double>{5, 8});
  EXPECT_FALSE(st::lack_of_fit(two, st::fit_affine(two)).p);
}

TEST(StatsLogLog, MarginalSlopeSeesThroughTheConstant) {
  std::vector<double> x = {1, 10, 100, 1000};
  std::vector<double> linear;
  std::vector<double> logarithmic;
  std::vector<double> quadratic;
  for (double v : x) {
    linear.push_back(20000 + 3 * v);
    logarithmic.push_back(100 + 50 * std::log(v));
    quadratic.push_back(100 + v * v);
  }
  // The raw log-log slope of a linear count with a large constant looks sublinear ...
  auto raw = st::loglog_slope(x, linear);
  ASSERT_TRUE(raw);
  EXPECT_LT(*raw, 0.1);
  // ... the marginal part's slope does not.
  auto m = st::marginal_loglog_slope(x, linear, 1);
  ASSERT_TRUE(m);
  EXPECT_NEAR(*m, 1.0, 1e-9);
  EXPECT_LT(*st::marginal_loglog_slope(x, logarithmic, 1), 0.5);
  EXPECT_GT(*st::marginal_loglog_slope(x, quadratic, 1), 1.5);
  // A falling count uses the sign of the trend.
  std::vector<double> falling = {100, 91, 1, 0};
  EXPECT_TRUE(st::marginal_loglog_slope(std::vector<double>{1, 10, 100, 101}, falling, -1));
  EXPECT_FALSE(st::marginal_loglog_slope(std::vector<double>{1, 10, 100, 101}, falling, 1));
  EXPECT_FALSE(st::marginal_loglog_slope(std::vector<double>{1, 2}, std::vector<double>{1, 2}, 1));
}

TEST(StatsRng, SplitMix64ReferenceSequenceAndUniformIndices) {
  st::Rng rng(0);
  EXPECT_EQ(rng.next(), 0xe220a8397b1dcdafULL);  // SplitMix64's published first output for seed 0
  EXPECT_EQ(rng.next(), 0x6e789e6aa1b965f4ULL);
  st::Rng a(42);
  std::vector<int> hist(7, 0);
  for (int i = 0; i < 70000; ++i) {
    auto v = a.below(7);
    ASSERT_LT(v, 7U);
    ++hist[v];
  }
  for (int h : hist) EXPECT_NEAR(h, 10000, 400);
  EXPECT_NE(st::seed_for("a", 1), st::seed_for("b", 1));
  EXPECT_NE(st::seed_for("a", 1), st::seed_for("a", 2));
  EXPECT_EQ(st::seed_for("a", 1), st::seed_for("a", 1));
}

TEST(StatsBootstrap, DeterministicAndSensible) {
  std::vector<double> v = {10, 12, 9, 11, 13, 8, 10, 11};
  auto e1 = st::bootstrap_mean(v, 1000, 0.95, 7);
  auto e2 = st::bootstrap_mean(v, 1000, 0.95, 7);
  auto e3 = st::bootstrap_mean(v, 1000, 0.95, 8);
  EXPECT_DOUBLE_EQ(e1.value, 10.5);
  EXPECT_EQ(e1.ci.lo, e2.ci.lo);
  EXPECT_EQ(e1.ci.hi, e2.ci.hi);
  EXPECT_TRUE(e1.ci.lo != e3.ci.lo || e1.ci.hi != e3.ci.hi);
  EXPECT_LT(e1.ci.lo, 10.5);
  EXPECT_GT(e1.ci.hi, 10.5);
  EXPECT_GT(e1.ci.lo, 9);
  EXPECT_LT(e1.ci.hi, 12);
  auto single = st::bootstrap_mean(std::vector<double>{4}, 1000, 0.95, 1);
  EXPECT_EQ(single.ci.lo, 4);
  EXPECT_EQ(single.ci.hi, 4);
  std::vector<double> num = {1, 2, 3};
  std::vector<double> den = {10, 10, 10};
  auto r = st::bootstrap_ratio(num, den, 1000, 0.95, 3);
  EXPECT_DOUBLE_EQ(r.value, 0.2);
  EXPECT_GE(r.ci.lo, 0.1);
  EXPECT_LE(r.ci.hi, 0.3);
  EXPECT_EQ(st::bootstrap_ratio(std::vector<double>{0, 0}, std::vector<double>{0, 0}, 10, 0.95, 3).value, 0);
}

TEST(StatsBootstrap, StratifiedResamplingKeepsEachLevel) {
  // Every resample draws level i's repetitions from level i only: with constant levels the
  // resampled means never change.
  auto levels = st::group_levels(std::vector<double>{1, 1, 2, 2}, std::vector<double>{5, 5, 9, 9});
  std::set<std::pair<double, double>> seen;
  auto out = st::bootstrap_levels(levels, 100, 1, [&](std::span<const double> m) {
    seen.insert({m[0], m[1]});
    return std::optional<double>(m[1] - m[0]);
  });
  EXPECT_EQ(out.size(), 100U);
  EXPECT_EQ(seen.size(), 1U);
  EXPECT_EQ(out.front(), 4);
}
