// End to end: a small synthetic study database with known answers -> fits, claims, vendor
// annotation, ResNet checks, analysis.json; every evidence run id resolves to a stored run.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "analysis/analysis.h"
#include "analysis/synthetic.h"

namespace an = sysaxis::analysis;
namespace syn = sysaxis::analysis::synthetic;
using ::testing::HasSubstr;

namespace {

constexpr std::int64_t kKiB = 1024;
constexpr std::int64_t kMiB = 1024 * kKiB;
constexpr std::int64_t kGiB = 1024 * kMiB;
double mib(std::int64_t bytes) {
  return static_cast<double>(bytes) / kMiB;
}

syn::Model constant(double c) {
  return [c](std::int64_t, std::int64_t) { return c; };
}

// The microbenchmarks of a CPU host with an NVIDIA GPU, with answers known by construction:
// - every runtime: startup file calls (constant); minor faults 256 per MiB (+100) in init;
// - cuda kernels: driver (nvidiactl) 500 in init, 3 per iteration in work (never per byte);
//   futex 2 per iteration in work;
// - opencl (PoCL) kernels: no driver calls at all; futex 5 per iteration in work;
// - the cpu baseline: no driver and no futex.
std::vector<syn::Series> micro_study(double noise) {
  std::vector<syn::Series> s;
  const std::vector<std::int64_t> bytes = {4 * kKiB, 64 * kKiB, 16 * kMiB, 1 * kGiB};
  const std::vector<std::int64_t> iters = {1, 10, 100, 1000};
  auto common = [&](syn::Series& x) {
    x.bytes = bytes;
    x.iters = iters;
    x.reps = 3;
    x.noise = noise;
    x.rows.push_back({"startup", "openat", "", "file", constant(30), 2000});
    x.rows.push_back({"startup", "mmap", "file", "memory", constant(20), 1000});
    x.rows.push_back({"init", "mmap", "anon", "memory", constant(10), 1000});
    x.faults.push_back(
        {"init", [](std::int64_t b, std::int64_t) { return 100 + 256 * mib(b); }, nullptr, constant(2), nullptr});
    x.faults.push_back({"work", constant(5), nullptr, nullptr, nullptr});
  };
  syn::Series cpu;
  cpu.backend = "cpu";
  cpu.exec = "cpu";
  common(cpu);
  cpu.rows.push_back({"work", "write", "", "file", constant(0), 100});
  s.push_back(cpu);

  syn::Series cuda;
  cuda.backend = "cuda";
  cuda.platform = "NVIDIA CUDA";
  cuda.device = "NVIDIA H100";
  cuda.exec = "kernels";
  common(cuda);
  cuda.rows.push_back({"init", "ioctl", "nvidiactl:RM_ALLOC", "driver", constant(500), 5000});
  cuda.rows.push_back({"init", "ioctl", "nvidia-uvm:UVM_INIT", "driver", constant(40), 5000});
  cuda.rows.push_back({"work", "ioctl", "nvidiactl:RM_CONTROL", "driver",
                       [](std::int64_t, std::int64_t i) { return 3.0 * static_cast<double>(i); }, 3000});
  cuda.rows.push_back(
      {"work", "futex", "", "sync", [](std::int64_t, std::int64_t i) { return 2.0 * static_cast<double>(i); }, 20000});
  cuda.rows.push_back({"init", "mmap", "nvidiactl", "memory", constant(300), 2000});
  s.push_back(cuda);

  syn::Series pocl;
  pocl.backend = "opencl";
  pocl.platform = "Portable Computing Language";
  pocl.device = "cpu-haswell";
  pocl.exec = "kernels";
  common(pocl);
  pocl.rows.push_back(
      {"work", "futex", "", "sync", [](std::int64_t, std::int64_t i) { return 5.0 * static_cast<double>(i); }, 10000});
  pocl.rows.push_back({"init", "clone3", "", "thread", constant(16), 30000});
  s.push_back(pocl);

  // A failed run that must be ignored.
  syn::Series failed = cuda;
  failed.bytes = {16 * kMiB};
  failed.iters = {10};
  failed.reps = 1;
  failed.status = "error";
  s.push_back(failed);
  return s;
}

// ResNet inference on cuda and cpu at batch 8, 10 and 100 timed iterations: on cuda 20 driver
// calls per iteration in work; on cpu none.
std::vector<syn::Series> resnet_study() {
  std::vector<syn::Series> s;
  for (const char* device : {"cuda", "cpu"}) {
    syn::Series r;
    r.backend = "torch";
    r.exec = device;
    r.workload = "resnet";
    r.bytes = {8};
    r.iters = {10, 100};
    r.reps = 3;
    r.rows.push_back({"startup", "openat", "", "file", constant(3000), 2000});
    r.rows.push_back(
        {"work", "futex", "", "sync", [](std::int64_t, std::int64_t i) { return 7.0 * static_cast<double>(i); }});
    if (std::string(device) == "cuda") {
      r.rows.push_back({"init", "ioctl", "nvidiactl:RM_ALLOC", "driver", constant(2000)});
      r.rows.push_back({"work", "ioctl", "nvidiactl:RM_CONTROL", "driver",
                        [](std::int64_t, std::int64_t i) { return 20.0 * static_cast<double>(i); }});
    }
    r.faults.push_back({"init", constant(50000), constant(3), nullptr, nullptr});
    s.push_back(r);
  }
  return s;
}

std::string temp_db(const std::string& name) {
  // Per process: CTest runs each test in its own process, several at once.
  return (std::filesystem::path(::testing::TempDir()) / (std::to_string(::getpid()) + "-" + name)).string();
}

const an::Fit* find_fit(const an::Analysis& a, const std::string& q, const std::string& backend, std::int64_t fixed,
                        const std::string& scope, const std::string& category) {
  for (const auto& f : a.fits) {
    if (f.question == q && f.series.backend == backend && f.fixed_value == fixed && f.scope == scope &&
        f.category == category)
      return &f;
  }
  return nullptr;
}

const an::Claim* find_claim(const an::Analysis& a, const std::string& kind, const std::string& backend,
                            const std::string& scope, const std::string& category) {
  for (const auto& c : a.claims) {
    if (c.kind == kind && c.series.backend == backend && c.scope == scope && c.category == category) return &c;
  }
  return nullptr;
}

class AnalysisStudy : public ::testing::TestWithParam<double> {
 protected:
  void SetUp() override {
    path_ = temp_db(fmt::format("study-{}.db", static_cast<int>(GetParam() * 1000)));
    auto series = micro_study(GetParam());
    auto resnet = resnet_study();
    series.insert(series.end(), resnet.begin(), resnet.end());
    syn::write_study(path_, series, {{"host", "testhost"}, {"kernel", "6.1"}});
    if (const char* keep = std::getenv("SYSAXIS_ANALYSIS_KEEP_DB"))
      std::filesystem::copy_file(path_, keep, std::filesystem::copy_options::overwrite_existing);
    data_ = an::load_databases({path_});
    an::Options o;
    o.scaling.bootstrap = 200;  // fast; the intervals' quality is tested in analysis_scaling_test
    analysis_ = an::analyze(data_, o);
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
  an::Dataset data_;
  an::Analysis analysis_;
};

}  // namespace

TEST_P(AnalysisStudy, FitsHaveTheKnownAnswers) {
  const auto& a = analysis_;
  EXPECT_EQ(a.inputs.at(0).runs_total, 3U * 48 + 1 + 12);
  EXPECT_EQ(a.inputs.at(0).runs_ok, 3U * 48 + 12);
  EXPECT_EQ(a.inputs.at(0).label, "testhost");
  EXPECT_EQ(a.micro_runs, 144U);
  EXPECT_EQ(a.resnet_runs, 12U);
  // Q2 on cuda, work phase, driver: 3 per iteration at every size.
  for (auto bytes : {4 * kKiB, 1 * kGiB}) {
    const an::Fit* f = find_fit(a, "Q2", "cuda", bytes, "work", "driver");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->result.shape, an::Shape::linear) << f->result.reason;
    EXPECT_NEAR(f->result.c1, 3, 0.1);
    ASSERT_TRUE(f->result.c1_ci);
    // Exact data: a degenerate interval at 3. Noisy data: 3 repetitions give approximate
    // intervals (coverage is tested in analysis_scaling_test), so only the estimate is checked.
    if (GetParam() == 0) {
      EXPECT_TRUE(f->result.c1_ci->contains(3)) << f->result.c1_ci->lo << " " << f->result.c1_ci->hi;
    }
    EXPECT_LT(f->result.c1_ci->lo, f->result.c1_ci->hi + 1e-12);
    EXPECT_EQ(f->levels.size(), 4U);
    EXPECT_EQ(f->run_ids.size(), 12U);
    // The device split and the whole-process view.
    const an::Fit* dev = find_fit(a, "Q2", "cuda", bytes, "work", "driver:nvidiactl");
    ASSERT_TRUE(dev);
    EXPECT_EQ(dev->result.shape, an::Shape::linear);
    const an::Fit* whole = find_fit(a, "Q2", "cuda", bytes, "all", "driver");
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole->result.shape, an::Shape::linear);
    EXPECT_NEAR(whole->result.c0, 543, 10);  // 500 + 40 in init, + 3 x the intercept at 0 iterations
    const an::Fit* uvm = find_fit(a, "Q2", "cuda", bytes, "all", "driver:nvidia-uvm");
    ASSERT_TRUE(uvm);
    EXPECT_EQ(uvm->result.shape, an::Shape::flat);
  }
  // Q1 on cuda, work phase, driver: flat in bytes.
  const an::Fit* q1 = find_fit(a, "Q1", "cuda", 100, "work", "driver");
  ASSERT_TRUE(q1);
  EXPECT_EQ(q1->result.shape, an::Shape::flat) << q1->result.reason;
  EXPECT_EQ(q1->x_unit, "MiB");
  // Page faults scale with bytes: 256 per MiB, on every runtime.
  for (const char* backend : {"cpu", "cuda", "opencl"}) {
    const an::Fit* f = find_fit(a, "Q1", backend, 10, "all", "faults:minor");
    ASSERT_TRUE(f) << backend;
    EXPECT_EQ(f->result.shape, an::Shape::linear) << backend << ": " << f->result.reason;
    EXPECT_NEAR(f->result.c1, 256, 5);
    const an::Fit* w = find_fit(a, "Q1", backend, 10, "work", "faults:minor");
    ASSERT_TRUE(w);
    EXPECT_EQ(w->result.shape, an::Shape::flat);
  }
  // The ResNet runs are not in the microbenchmark fits.
  for (const auto& f : a.fits) EXPECT_EQ(f.workload, "micro");
  for (const auto& f : a.resnet_fits) EXPECT_EQ(f.workload, "resnet");
}

TEST_P(AnalysisStudy, ClaimsReadCorrectlyWithAnnotations) {
  const auto& a = analysis_;
  const an::Claim* c = find_claim(a, "scaling", "cuda", "work", "driver");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->question, "Q2");
  EXPECT_EQ(c->classes.at("Q1"), "flat");
  EXPECT_EQ(c->classes.at("Q2"), "linear");
  EXPECT_THAT(c->text, HasSubstr("On cuda (kernels, sync each), driver calls (ioctl) in the work phase depend on "
                                 "iterations (≈"));
  EXPECT_THAT(c->text, ::testing::ContainsRegex("≈(3|2.9[5-9]|3.0[0-5]) per iteration"));
  EXPECT_THAT(c->text, HasSubstr("but are insensitive to data size (4 KiB–1 GiB), ruling out per-byte driver work"));
  // PoCL has no driver calls: the claim is vendor-specific.
  EXPECT_EQ(c->annotation, "vendor-specific") << c->annotation_reason;
  EXPECT_THAT(c->annotation_reason, HasSubstr("absent"));
  // Futex per iteration on both GPU runtimes, never per byte: vendor-agnostic.
  const an::Claim* sync = find_claim(a, "scaling", "opencl", "work", "sync");
  ASSERT_TRUE(sync);
  EXPECT_EQ(sync->classes.at("Q2"), "linear");
  EXPECT_EQ(sync->annotation, "vendor-agnostic") << sync->annotation_reason;
  // Constant startup files on the cpu baseline: one runtime only -> uncertain.
  const an::Claim* files = find_claim(a, "scaling", "cpu", "all", "file");
  ASSERT_TRUE(files);
  EXPECT_THAT(files->text, HasSubstr("are constant (≈30 per run) and insensitive to data size"));
  EXPECT_THAT(files->text, HasSubstr("ruling out per-byte file work and per-iteration file work"));
  EXPECT_EQ(files->annotation, "uncertain");
  EXPECT_THAT(files->annotation_reason, HasSubstr("only cpu measured"));
  // Faults depend on bytes but not on iterations.
  const an::Claim* faults = find_claim(a, "scaling", "cuda", "all", "faults:minor");
  ASSERT_TRUE(faults);
  EXPECT_EQ(faults->question, "Q1");
  EXPECT_THAT(faults->text, HasSubstr("minor page faults over the whole process depend on data size (≈"));
  EXPECT_THAT(faults->text, ::testing::ContainsRegex("≈25[4-8] per MiB"));
  EXPECT_THAT(faults->text, HasSubstr("ruling out per-iteration page-fault work"));
  EXPECT_EQ(faults->annotation, "vendor-agnostic") << faults->annotation_reason;
  // Immaterial categories make no claims (major faults are always 0).
  EXPECT_FALSE(find_claim(a, "scaling", "cuda", "all", "faults:major"));
}

TEST_P(AnalysisStudy, Q3FindsTheDriverOnlyWithAGpuRuntime) {
  const auto& a = analysis_;
  const an::Claim* c = find_claim(a, "gpu-only", "cuda", "all", "driver");
  ASSERT_TRUE(c);
  EXPECT_THAT(c->text, HasSubstr("depend on the GPU runtime"));
  EXPECT_THAT(c->text, HasSubstr("(16 of 16 cells)"));
  EXPECT_EQ(c->q3_ids.size(), 16U);
  EXPECT_EQ(c->annotation, "vendor-specific") << c->annotation_reason;  // PoCL: not gpu-only
  EXPECT_FALSE(find_claim(a, "gpu-only", "opencl", "all", "driver"));
  // The thread calls of PoCL appear only with it too.
  EXPECT_TRUE(find_claim(a, "gpu-only", "opencl", "all", "thread"));
  // Shares add up to one over the top-level categories of a cell.
  for (const auto& cell : a.q3) {
    double sum = 0;
    for (const auto& cat : cell.categories) {
      if (an::is_top_category(cat.category) && !an::is_event_category(cat.category)) sum += cat.calls_share->value;
    }
    EXPECT_NEAR(sum, 1.0, 1e-9) << cell.id;
    ASSERT_TRUE(cell.baseline);
    EXPECT_EQ(cell.baseline->backend, "cpu");
  }
}

TEST_P(AnalysisStudy, ResnetIsProfiledAndChecksClaims) {
  const auto& a = analysis_;
  const an::Claim* c = find_claim(a, "scaling", "cuda", "work", "driver");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->resnet.verdict, "agrees") << c->resnet.reason;
  EXPECT_FALSE(c->resnet.fit_ids.empty());
  EXPECT_EQ(c->resnet.runs.size(), 6U);
  // PoCL claims have no ResNet counterpart.
  const an::Claim* sync = find_claim(a, "scaling", "opencl", "work", "sync");
  ASSERT_TRUE(sync);
  EXPECT_EQ(sync->resnet.verdict, "cannot tell");
  // The cpu baseline's constant startup files: ResNet on cpu opens files at startup too (constant).
  const an::Claim* files = find_claim(a, "scaling", "cpu", "all", "file");
  ASSERT_TRUE(files);
  EXPECT_EQ(files->resnet.verdict, "agrees") << files->resnet.reason;
  // Q3: ResNet makes driver calls only on cuda, like the microbenchmark.
  const an::Claim* gpu = find_claim(a, "gpu-only", "cuda", "all", "driver");
  ASSERT_TRUE(gpu);
  EXPECT_EQ(gpu->resnet.verdict, "agrees") << gpu->resnet.reason;
  // The profile: one per (exec, batch, iters) and phase, with the whole process.
  std::set<std::string> phases;
  for (const auto& p : a.resnet_profiles) {
    if (p.exec == "cuda" && p.iters == 100) phases.insert(p.phase);
  }
  EXPECT_EQ(phases, (std::set<std::string>{"startup", "init", "work", "all"}));
}

TEST_P(AnalysisStudy, EvidenceRunIdsResolveToStoredOkRuns) {
  auto json = an::to_json(analysis_);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::set<std::int64_t> ok;
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT run_id FROM runs WHERE status = 'ok'", -1, &s, nullptr), SQLITE_OK);
  while (sqlite3_step(s) == SQLITE_ROW) ok.insert(sqlite3_column_int64(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(db);
  std::set<std::string> fit_ids;
  for (const auto& f : json["fits"]) fit_ids.insert(f["id"].get<std::string>());
  std::set<std::string> q3_ids;
  for (const auto& q : json["q3"]) q3_ids.insert(q["id"].get<std::string>());
  ASSERT_FALSE(json["claims"].empty());
  std::set<std::string> claim_ids;
  for (const auto& c : json["claims"]) {
    EXPECT_TRUE(claim_ids.insert(c["id"].get<std::string>()).second) << "duplicate claim id " << c["id"];
    ASSERT_FALSE(c["evidence"].empty()) << c["id"];
    for (const auto& e : c["evidence"]) {
      if (e.contains("fit")) {
        EXPECT_TRUE(fit_ids.contains(e["fit"].get<std::string>()));
      }
      if (e.contains("q3")) {
        EXPECT_TRUE(q3_ids.contains(e["q3"].get<std::string>()));
      }
      for (const auto& id : e["run_ids"]) EXPECT_TRUE(ok.contains(id.get<std::int64_t>())) << id;
    }
    for (const auto& id : c["run_ids"]) EXPECT_TRUE(ok.contains(id.get<std::int64_t>())) << id;
    for (const auto& r : c["resnet"]["runs"]) EXPECT_TRUE(ok.contains(r["run_id"].get<std::int64_t>()));
    EXPECT_TRUE(c["annotation"] == "vendor-agnostic" || c["annotation"] == "vendor-specific" ||
                c["annotation"] == "uncertain");
  }
  for (const auto& f : json["fits"]) {
    for (const auto& id : f["run_ids"]) EXPECT_TRUE(ok.contains(id.get<std::int64_t>()));
  }
  // Every claim belongs to one vendor group, which lists it.
  for (const auto& g : json["vendor"]) {
    for (const auto& id : g["claims"]) EXPECT_TRUE(claim_ids.contains(id.get<std::string>()));
  }
}

TEST_P(AnalysisStudy, JsonHasTheDesignCoreAndIsDeterministic) {
  auto json = an::to_json(analysis_);
  EXPECT_EQ(json["schema"], "sysaxis.analysis/1");
  ASSERT_FALSE(json["fits"].empty());
  for (const char* key :
       {"question", "backend", "exec", "phase", "category", "axis", "class", "c0", "c1", "c1_lo", "c1_hi"}) {
    EXPECT_TRUE(json["fits"][0].contains(key)) << key;
  }
  for (const char* key : {"id", "question", "text", "annotation", "evidence"}) {
    EXPECT_TRUE(json["claims"][0].contains(key)) << key;
  }
  // Twice from the database: byte-identical.
  an::Options o;
  o.scaling.bootstrap = 200;
  auto again = an::to_json(an::analyze(an::load_databases({path_}), o));
  EXPECT_EQ(an::dump_json(json), an::dump_json(again));
  // The compact text is the same JSON.
  EXPECT_EQ(nlohmann::ordered_json::parse(an::dump_json(json)), json);
  auto text = an::summary(analysis_);
  EXPECT_THAT(text, HasSubstr("Q1 (vary bytes at fixed iters)"));
  EXPECT_THAT(text, HasSubstr("Claims: "));
  EXPECT_LE(std::count(text.begin(), text.end(), '\n'), 50);
}

INSTANTIATE_TEST_SUITE_P(Noise, AnalysisStudy, ::testing::Values(0.0, 0.01),
                         [](const ::testing::TestParamInfo<double>& p) {
                           return p.param == 0 ? std::string("exact") : std::string("noisy");
                         });

TEST(AnalysisStudies, TwoDatabasesAreComparedAcrossStudies) {
  // The same cpu host measured twice (two files): one runtime -> uncertain; plus a second GPU
  // vendor in the other file makes the futex claim comparable.
  const std::string a_path = temp_db("a.db");
  const std::string b_path = temp_db("b.db");
  syn::write_study(a_path, micro_study(0), {{"host", "alpha"}});
  auto other = micro_study(0);
  other[1].backend = "hip";  // pretend another vendor's runtime with the same behaviour
  other[1].platform = "AMD ROCm";
  for (auto& r : other[1].rows) {
    if (r.syscall == "ioctl") r.detail = "kfd:" + r.detail.substr(r.detail.find(':') + 1);
  }
  syn::write_study(b_path, other, {{"host", "beta"}});
  an::Options o;
  o.scaling.bootstrap = 200;
  auto a = an::analyze(an::load_databases({a_path, b_path}), o);
  ASSERT_EQ(a.inputs.size(), 2U);
  const an::Claim* c = nullptr;
  for (const auto& x : a.claims) {
    if (x.kind == "scaling" && x.series.backend == "cuda" && x.scope == "work" && x.category == "driver") c = &x;
  }
  ASSERT_TRUE(c);
  EXPECT_THAT(c->runtime, HasSubstr("@alpha"));
  // cuda and hip: both flat in bytes, linear in iters; PoCL (in both files) has none -> still vendor-specific.
  EXPECT_EQ(c->annotation, "vendor-specific");
  // The device-level claims differ by name: nvidiactl only on cuda.
  bool kfd = false;
  for (const auto& x : a.claims) kfd = kfd || x.category == "driver:kfd";
  EXPECT_TRUE(kfd);
  std::filesystem::remove(a_path);
  std::filesystem::remove(b_path);
}
