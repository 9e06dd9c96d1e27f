// Numbers in prose against the analysis they cite, on a committed analysis (the real analyser's
// output): a cited number that agrees passes, an edited one fails, a number without a source fails,
// names and settings are exempt.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "analysis/analysis.h"
#include "analysis/citations.h"

namespace sysaxis::analysis {
namespace {

class Citations : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    a_ = new Analysis(read_analysis_file(std::string(SYSAXIS_SOURCE_DIR) +
                                         "/results/2026-11-24-h100-phase1/report/analysis.json.gz"));
  }
  static void TearDownTestSuite() {
    delete a_;
    a_ = nullptr;
  }
  static CitationCheck check(const std::string& doc) { return check_citations(doc, {{"h100", a_}}); }
  // A fit with a positive slope, an interval that is not a point, and an intercept far from it.
  static const Fit& sloped() {
    for (const auto& f : a_->fits) {
      const auto& r = f.result;
      if (r.c1_ci && r.c1 > 1 && r.c1_ci->hi - r.c1_ci->lo > 0.1 * r.c1 && f.metric == kCalls &&
          std::abs(r.c0 - r.c1) > r.c1) {
        return f;
      }
    }
    throw std::runtime_error("no sloped fit in the committed analysis");
  }
  static std::string problems(const CitationCheck& c) {
    std::string s;
    for (const auto& p : c.problems) s += fmt::format("{}: {}\n", p.line, p.text);
    return s;
  }
  static Analysis* a_;
};
Analysis* Citations::a_ = nullptr;

TEST_F(Citations, ACitedNumberAgreesAndAnEditedOneFails) {
  const Fit& f = sloped();
  const std::string ok = fmt::format("It grows by {:.4g} calls per MiB [fit:{}@h100].\n", f.result.c1, f.id);
  const CitationCheck good = check(ok);
  EXPECT_TRUE(good.ok()) << problems(good);
  EXPECT_EQ(good.citations, 1U);
  EXPECT_EQ(good.numbers, 1U);
  // The same sentence with the number edited (tripled, outside the interval) fails, on its line.
  const std::string bad =
      fmt::format("Title\n\nIt grows by {:.4g} calls per MiB [fit:{}@h100].\n", 3 * f.result.c1_ci->hi, f.id);
  const CitationCheck wrong = check(bad);
  ASSERT_EQ(wrong.problems.size(), 1U) << problems(wrong);
  EXPECT_EQ(wrong.problems[0].line, 3U);
  EXPECT_NE(wrong.problems[0].text.find("disagrees"), std::string::npos);
}

TEST_F(Citations, InsideTheIntervalAgrees) {
  const Fit& f = sloped();
  const double mid = 0.5 * (f.result.c1_ci->lo + f.result.c1_ci->hi);
  EXPECT_TRUE(check(fmt::format("About {:.6g} per MiB [fit:{}@h100].", mid, f.id)).ok());
  EXPECT_TRUE(check(fmt::format("{:.6g} [{:.6g}, {:.6g}] [fit:{}@h100]", f.result.c1, f.result.c1_ci->lo,
                                f.result.c1_ci->hi, f.id))
                  .ok());
}

TEST_F(Citations, PrecisionIsTheNumbersOwn) {
  // Key numbers of the constraints: their value rounded to fewer digits still agrees, a value
  // off by more than half its last digit does not.
  const KeyNumber* n = nullptr;
  for (const auto& c : a_->constraints) {
    for (const auto& k : c.numbers) {
      if (!n && !k.lo && k.value > 10 && k.value < 1000) n = &k;
    }
  }
  ASSERT_NE(n, nullptr);
  const double v = n->value;
  EXPECT_TRUE(check(fmt::format("{:.0f} events [constraint:{}@h100]", v, n->id)).ok());
  EXPECT_FALSE(check(fmt::format("{:.0f} events [constraint:{}@h100]", v + 2, n->id)).ok());
  // Trailing zeros of an integer are not precise ("1,100" stands for 1,050-1,150); thousands groups
  // are one number.
  const auto fits = static_cast<long>(a_->family.fits);
  ASSERT_GT(fits, 1000);
  const long hundreds = (fits + 50) / 100 * 100;
  auto grouped = [](long x) { return fmt::format("{},{:03d}", x / 1000, static_cast<int>(x % 1000)); };
  EXPECT_TRUE(check(fmt::format("about {} fits [family@h100].", grouped(hundreds))).ok()) << grouped(hundreds);
  EXPECT_FALSE(check(fmt::format("about {} fits [family@h100].", grouped(hundreds + 100))).ok());
}

TEST_F(Citations, TimeUnitsConvertToNanoseconds) {
  for (const auto& f : a_->fits) {
    if (f.metric != kTime || !f.result.c1_ci || f.result.c1 < 2000 || f.result.c1 > 900000) continue;
    const double us = f.result.c1 / 1000;
    EXPECT_TRUE(check(fmt::format("{:.3g} µs per MiB [fit:{}@h100]", us, f.id)).ok()) << f.id;
    EXPECT_TRUE(check(fmt::format("{:.3g} us per MiB [fit:{}@h100]", us, f.id)).ok()) << f.id;
    // The same digits in milliseconds are a thousand times off.
    EXPECT_FALSE(check(fmt::format("{:.3g} ms per MiB [fit:{}@h100]", us, f.id)).ok()) << f.id;
    return;
  }
  GTEST_SKIP() << "no time fit in the range of this test";
}

TEST_F(Citations, AnIntervalTakesTheUnitOfItsValue) {
  for (const auto& f : a_->fits) {
    const auto& r = f.result;
    if (f.metric != kTime || f.series.workload != "micro" || !r.c1_ci || r.c1 < 2000 || r.c1 > 900000 ||
        r.c1_ci->hi < 1.2 * r.c1) {
      continue;
    }
    const auto us = [](double ns) { return ns / 1000; };
    const std::string ok = fmt::format("{:.3g} µs per MiB [{:.3g}, {:.3g}] [fit:{}@h100]", us(r.c1), us(r.c1_ci->lo),
                                       us(r.c1_ci->hi), f.id);
    EXPECT_TRUE(check(ok).ok()) << ok << "\n" << problems(check(ok));
    // An upper bound edited far past the interval (and past every time of a microbenchmark run)
    // fails, in the value's unit.
    const std::string bad = fmt::format("{:.3g} µs per MiB [{:.3g}, {:.0f}] [fit:{}@h100]", us(r.c1), us(r.c1_ci->lo),
                                        us(1e6 * r.c1_ci->hi), f.id);
    const CitationCheck wrong = check(bad);
    ASSERT_EQ(wrong.problems.size(), 1U) << bad << "\n" << problems(wrong);
    EXPECT_NE(wrong.problems[0].text.find("disagrees"), std::string::npos);
    return;
  }
  GTEST_SKIP() << "no time fit with an interval in the range of this test";
}

TEST_F(Citations, ANumberWithoutASourceFails) {
  const CitationCheck c = check("The driver makes 7 calls per allocation.\n");
  ASSERT_EQ(c.problems.size(), 1U) << problems(c);
  EXPECT_NE(c.problems[0].text.find("no source"), std::string::npos);
  // A citation in the next sentence does not cover it.
  const Fit& f = sloped();
  EXPECT_FALSE(check(fmt::format("It makes 7 calls. It grows [fit:{}@h100].", f.id)).ok());
  // A table row is covered by the citation in its source column.
  EXPECT_TRUE(check(fmt::format("| x | {:.4g} | [fit:{}@h100] |", f.result.c1, f.id)).ok());
}

TEST_F(Citations, NamesAndSettingsAreExempt) {
  const CitationCheck c = check(
      "# C1 Size\n\nOn the H100 and H200, at 64 MiB and 1–1000 iterations on 2 vCPUs and 16 cores, "
      "with `PoCL 3.1` and `torch 1.13`, Q1 to Q3 of Phase 1 ran on x86_64 (results/`2026-11-24`) and "
      "on 2026-11-24. See [the results](../results/2026-11-24-h100-phase1/README.md).\n\n"
      "```\n42 calls\n```\n\n1. a list item\n");
  EXPECT_TRUE(c.ok()) << problems(c);
}

TEST_F(Citations, UnknownItemsAndSourcesAreReported) {
  EXPECT_EQ(check("7 calls [fit:F999999@h100].").problems.size(), 1U);
  EXPECT_EQ(check("7 calls [fit:F1@elsewhere].").problems.size(), 1U);
  EXPECT_EQ(check("7 calls [fit:F1].").problems.size(), 2U);  // malformed, so 7 has no source
  EXPECT_EQ(check("a [q3:X1/nonesuch@h100] b").problems.size(), 1U);
}

TEST_F(Citations, SourcesAreTheDocumentsReferenceDefinitions) {
  const auto s = citation_sources(
      "text\n\n[h100]: ../results/2026-11-24-h100-phase1/report/analysis.json.gz\n[other]: https://example.org\n");
  ASSERT_EQ(s.size(), 1U);
  EXPECT_EQ(s.at("h100"), "../results/2026-11-24-h100-phase1/report/analysis.json.gz");
}

TEST_F(Citations, FamilyAndRuns) {
  EXPECT_TRUE(check(fmt::format("{} fits, {} depend [family@h100].", a_->family.fits, a_->family.depends)).ok());
  EXPECT_FALSE(check(fmt::format("{} fits [family@h100].", a_->family.fits + 7)).ok());
  EXPECT_TRUE(check(fmt::format("{} runs [runs@h100].", a_->micro_runs)).ok());
}

}  // namespace
}  // namespace sysaxis::analysis
