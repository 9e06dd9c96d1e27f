// The statistics of the family of dependence tests (src/analysis/stats.h): one-way ANOVA,
// Benjamini-Hochberg, the one-jump model.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/stats.h"

namespace st = sysaxis::analysis::stats;

namespace {
st::Levels levels(const std::vector<std::pair<double, std::vector<double>>>& v) {
  st::Levels out;
  for (const auto& [x, y] : v) out.push_back({x, y});
  return out;
}
}  // namespace

TEST(StatsAnova, ExactDataIsDecidedExactly) {
  EXPECT_EQ(st::anova_p(levels({{1, {5, 5}}, {2, {5, 5}}, {3, {5, 5}}})), 1.0);
  EXPECT_EQ(st::anova_p(levels({{1, {5, 5}}, {2, {6, 6}}, {3, {5, 5}}})), 0.0);
  EXPECT_FALSE(st::anova_p(levels({{1, {5}}, {2, {6}}})));  // no within-level degrees of freedom
  EXPECT_FALSE(st::anova_p(levels({{1, {5, 6, 7}}})));      // one level
}

TEST(StatsAnova, MatchesAReferenceValue) {
  // Three groups {1,2,3}, {2,3,4}, {5,6,7}: F = 13 with (2, 6) degrees of freedom, p = 0.006584 (R: aov).
  auto p = st::anova_p(levels({{1, {1, 2, 3}}, {2, {2, 3, 4}}, {3, {5, 6, 7}}}));
  ASSERT_TRUE(p);
  EXPECT_NEAR(*p, 0.006584, 1e-5);
}

TEST(StatsBenjaminiHochberg, ReferenceValues) {
  // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const auto q = st::benjamini_hochberg(p);
  ASSERT_EQ(q.size(), 4U);
  EXPECT_NEAR(q[0], 0.02, 1e-12);
  EXPECT_NEAR(q[1], 0.04, 1e-12);
  EXPECT_NEAR(q[2], 0.04, 1e-12);
  EXPECT_NEAR(q[3], 0.02, 1e-12);
  EXPECT_TRUE(st::benjamini_hochberg({}).empty());
  EXPECT_EQ(st::benjamini_hochberg(std::vector<double>{0.9, 1.0}), (std::vector<double>{1.0, 1.0}));
}

TEST(StatsStep, FindsTheJump) {
  auto s = st::fit_step(levels({{1, {10, 10}}, {4, {10, 10}}, {16, {10, 10}}, {64, {30, 30}}, {256, {30, 30}}}));
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.split, 3U);
  EXPECT_EQ(s.x_below, 16);
  EXPECT_EQ(s.x_above, 64);
  EXPECT_EQ(s.below, 10);
  EXPECT_EQ(s.above, 30);
  EXPECT_EQ(s.relative, 0);
  ASSERT_TRUE(s.p);
  EXPECT_EQ(*s.p, 1.0);
}

TEST(StatsStep, ALineIsNoStep) {
  auto s = st::fit_step(levels({{1, {1, 1}}, {2, {2, 2}}, {3, {3, 3}}, {4, {4, 4}}, {5, {5, 5}}}));
  ASSERT_TRUE(s.ok);
  EXPECT_GT(s.relative, 0.2);
  ASSERT_TRUE(s.p);
  EXPECT_EQ(*s.p, 0.0);
}
