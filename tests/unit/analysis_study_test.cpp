// End to end on a synthetic study made through the store, with answers known by construction:
// fits for calls and time, steps, the family, claims, the vendor annotation, constraints with scope
// and counterexamples, the real-workload checks, and the analysis.json round trip.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "../support/synthetic_study.h"
#include "analysis/analysis.h"
#include "analysis/compare.h"

namespace an = sysaxis::analysis;
namespace syn = sysaxis::test;
using ::testing::HasSubstr;

namespace {

constexpr std::int64_t kMiB = 1024 * 1024;

class TempDir {
 public:
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "sysaxis-analysis-test.XXXXXX").string();
    if (!mkdtemp(t.data())) throw std::runtime_error("mkdtemp");
    path_ = t;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& n) const { return (path_ / n).string(); }

 private:
  std::filesystem::path path_;
};

an::Options fast() {
  an::Options o;
  o.scaling.bootstrap = 300;
  return o;
}

class Study : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    db_ = dir_->file("gpu.db");
    syn::write_study(db_, syn::gpu_study());
    data_ = new an::Dataset(an::load_databases({db_}));
    result_ = new an::Analysis(an::analyze(*data_, fast()));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete data_;
    delete dir_;
  }
  static const an::Fit* fit(const std::string& backend, const std::string& platform, const std::string& exec,
                            const std::string& q, std::int64_t fixed, const std::string& scope,
                            const std::string& category, const std::string& metric) {
    for (const auto& f : result_->fits) {
      if (f.series.backend == backend && f.series.platform == platform && f.series.exec == exec && f.question == q &&
          f.fixed_value == fixed && f.scope == scope && f.category == category && f.metric == metric) {
        return &f;
      }
    }
    return nullptr;
  }
  static inline TempDir* dir_ = nullptr;
  static inline std::string db_;
  static inline an::Dataset* data_ = nullptr;
  static inline an::Analysis* result_ = nullptr;
};

}  // namespace

TEST_F(Study, CountsAndTimeAreBothFitted) {
  // 7 driver calls per pair at every size, but the time in them grows with the size.
  const an::Fit* calls = fit("cuda", "", "alloc", "Q1", 10, "all", "driver", "calls");
  const an::Fit* time = fit("cuda", "", "alloc", "Q1", 10, "all", "driver", "time_ns");
  ASSERT_TRUE(calls && time);
  EXPECT_EQ(calls->result.shape, an::Shape::flat) << calls->result.reason;
  EXPECT_EQ(time->result.shape, an::Shape::linear) << time->result.reason;
  EXPECT_NEAR(time->result.c1, 10 * 600, 1);  // ns per MiB at 10 iterations
}

TEST_F(Study, TheCrossedDesignShowsWhereAClassHolds) {
  // mmap per iteration only from 64 MiB on: flat against iters at 1 MiB, linear at 64 and 256 MiB.
  const an::Fit* small = fit("cuda", "", "alloc", "Q2", 1 * kMiB, "all", "memory", "calls");
  const an::Fit* large = fit("cuda", "", "alloc", "Q2", 64 * kMiB, "all", "memory", "calls");
  ASSERT_TRUE(small && large);
  EXPECT_EQ(small->result.shape, an::Shape::flat) << small->result.reason;
  EXPECT_EQ(large->result.shape, an::Shape::linear) << large->result.reason;
  EXPECT_NEAR(large->result.c1, 3, 1e-6);
  // And against bytes, at 100 iterations, a step between 16 and 64 MiB.
  const an::Fit* step = fit("cuda", "", "alloc", "Q1", 100, "all", "memory", "calls");
  ASSERT_TRUE(step);
  EXPECT_EQ(step->result.shape, an::Shape::step) << step->result.reason;
  EXPECT_EQ(step->result.step.x_below, 16);
  EXPECT_EQ(step->result.step.x_above, 64);
}

TEST_F(Study, TheFamilyIsCountedAndCorrected) {
  const auto& f = result_->family;
  EXPECT_EQ(f.fits, result_->fits.size());
  EXPECT_GT(f.tested, 0U);
  EXPECT_LE(f.depends, f.significant);
  EXPECT_EQ(f.depends + f.flat + f.insufficient, f.fits);
  for (const auto& x : result_->fits) {
    if (x.result.p) {
      ASSERT_TRUE(x.result.q) << x.id;
      EXPECT_GE(*x.result.q, *x.result.p) << x.id;
    }
  }
}

TEST_F(Study, CpuTimeWithoutSyscalls) {
  const an::Fit* cpu = fit("cuda", "", "kernels", "Q2", 1 * kMiB, "all", "cpu", "time_ns");
  const an::Fit* sys = fit("cuda", "", "kernels", "Q2", 1 * kMiB, "work", "syscalls", "calls");
  ASSERT_TRUE(cpu && sys);
  EXPECT_EQ(cpu->result.shape, an::Shape::linear) << cpu->result.reason;
  EXPECT_NEAR(cpu->result.c1, 5e6, 1);
  EXPECT_EQ(sys->result.shape, an::Shape::flat) << sys->result.reason;
}

TEST_F(Study, NoGpuClaimIsVendorAgnosticWithOneGpuVendor) {
  ASSERT_FALSE(result_->claims.empty());
  bool api_agnostic = false;
  for (const auto& c : result_->claims) {
    EXPECT_NE(c.annotation.label, "vendor-agnostic") << c.id;
    if (c.annotation.api.find("API-agnostic on NVIDIA GPU (cuda, opencl)") != std::string::npos) api_agnostic = true;
    if (an::executor_of(c.series).gpu) {
      EXPECT_THAT(c.annotation.reason, HasSubstr("AMD GPU")) << c.id;
    }
  }
  EXPECT_TRUE(api_agnostic);
}

TEST_F(Study, ConstraintsHaveScopeCounterexamplesAndSources) {
  const auto& cs = result_->constraints;
  ASSERT_GE(cs.size(), 3U);
  ASSERT_LE(cs.size(), 6U);
  std::set<std::string> axes;
  for (const auto& c : cs) {
    axes.insert(c.axis);
    EXPECT_FALSE(c.text.empty());
    EXPECT_FALSE(c.holds_on.empty() && c.fails_on.empty()) << c.id;
    for (const auto& n : c.numbers) {
      ASSERT_TRUE(n.source.starts_with("fit:") || n.source.starts_with("q3:")) << n.source;
      if (n.source.starts_with("fit:")) {
        EXPECT_TRUE(result_->fit(n.source.substr(4))) << n.source;
      } else {
        EXPECT_TRUE(result_->cell(n.source.substr(3))) << n.source;
      }
    }
    for (const auto& id : c.claims) EXPECT_TRUE(result_->claim(id)) << id;
  }
  EXPECT_TRUE(axes.contains("bytes"));
  EXPECT_TRUE(axes.contains("iters"));
  EXPECT_TRUE(axes.contains("exec"));
  EXPECT_TRUE(axes.contains("cpu"));
  // The size constraint says that the driver's counts hide a cost that grows with size.
  for (const auto& c : cs) {
    if (c.axis != "bytes") continue;
    bool time_only = false;
    for (const auto& cl : c.clauses) time_only = time_only || (cl.category == "driver" && cl.status == "time-only");
    EXPECT_TRUE(time_only) << c.text;
    EXPECT_THAT(c.text, HasSubstr("counts hide this cost"));
    // PoCL is reported beside, never in the GPU statement's scope.
    for (const auto& h : c.holds_on) EXPECT_THAT(h, ::testing::Not(HasSubstr("Portable")));
  }
}

TEST_F(Study, JsonRoundTripIsExact) {
  const std::string once = an::dump_json(an::to_json(*result_));
  const an::Analysis back = an::from_json(nlohmann::json::parse(once));
  EXPECT_EQ(an::dump_json(an::to_json(back)), once);
  const auto cmp = an::compare_analyses(*result_, back);
  EXPECT_TRUE(an::reproduced(cmp));
}

TEST_F(Study, DeterministicAndSeeded) {
  const an::Analysis again = an::analyze(*data_, fast());
  EXPECT_EQ(an::dump_json(an::to_json(again)), an::dump_json(an::to_json(*result_)));
}

// A user's taxonomy with a category of its own (no words given): the analysis names it, records
// its words and order in analysis.json, and reads them back; the built-in taxonomy's words are
// left out of the file.
TEST_F(Study, AUserTaxonomyNamesItsOwnCategories) {
  EXPECT_FALSE(an::to_json(*result_).contains("categories"));
  std::ifstream in(std::string(SYSAXIS_SOURCE_DIR) + "/taxonomy/default.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  const std::string mmap = "\"brk\", \"mmap\", ";
  ASSERT_NE(text.find(mmap), std::string::npos);
  text.replace(text.find(mmap), mmap.size(), "\"brk\", ");
  text += "\n[categories.mapping]\nsyscalls = [\"mmap\"]\n";
  const auto taxonomy = sysaxis::syscalls::Taxonomy::parse(text, "mine.toml");
  const an::Dataset data = an::load_databases({db_}, taxonomy);
  const an::Analysis a = an::analyze(data, fast());
  EXPECT_TRUE(std::any_of(a.fits.begin(), a.fits.end(), [](const an::Fit& f) { return f.category == "mapping"; }));
  const auto w = a.words.of("mapping");
  EXPECT_EQ(w.noun, "mapping calls");
  EXPECT_NE(w.colour, "#b0b0b0");
  const auto j = an::to_json(a);
  ASSERT_TRUE(j.contains("categories"));
  EXPECT_EQ(j["categories"].size(), taxonomy.categories().size() + 1);  // and uncategorised calls
  EXPECT_EQ(j["categories"][taxonomy.categories().size() - 1]["category"], "mapping");
  const an::Analysis back = an::from_json(nlohmann::json::parse(an::dump_json(j)));
  EXPECT_EQ(back.words.taxonomy(), a.words.taxonomy());
  EXPECT_EQ(an::dump_json(an::to_json(back)), an::dump_json(j));
}

TEST(AnalysisJson, RejectsOtherSchemas) {
  EXPECT_THROW(an::from_json(nlohmann::json::parse(R"({"schema": "sysaxis.analysis/1"})")), an::AnalysisError);
  EXPECT_THROW(an::from_json(nlohmann::json::parse("[]")), an::AnalysisError);
  try {
    an::from_json(nlohmann::json::parse(R"({"schema": "sysaxis.analysis/2", "tool": {}})"));
    FAIL() << "no error";
  } catch (const an::AnalysisError& e) {
    EXPECT_THAT(e.what(), HasSubstr("missing field"));
  }
}
