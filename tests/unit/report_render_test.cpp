// The whole report built and written from an in-memory study: deterministic (the same inputs give
// byte-identical files), robust to an analysis with missing or mistyped fields.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/report.h"

namespace sysaxis::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Study study() {
  Study s;
  s.dbs.push_back({"study.db", {{"host", "node | <1>"}, {"kernel", "6.1"}}, {}});
  std::int64_t id = 0;
  for (const char* backend : {"cpu", "opencl"}) {
    for (const char* exec : {"cpu", "alloc", "kernels"}) {
      if ((std::string(backend) == "cpu") != (std::string(exec) == "cpu")) continue;
      for (std::int64_t b : {4096, 65536, 1 << 20}) {
        for (std::int64_t i : {1, 10, 100}) {
          for (int rep = 0; rep < 2; ++rep) {
            RunRow r;
            r.run_id = ++id;
            r.backend = backend;
            r.exec = exec;
            r.bytes = b;
            r.iters = i;
            r.rep = rep;
            r.status = "ok";
            r.engine = "ptrace";
            r.workload = "micro";
            r.study = "unit";
            if (std::string(exec) == "kernels") r.sync = "each";
            s.runs.push_back(r);
            s.counts.push_back({0, id, "startup", "file", "", 40 + rep, 1, 4000});
            s.counts.push_back({0, id, "work", "sync", "", (std::string(exec) == "kernels" ? 3 : 0) * i, 0, 10});
            s.faults.push_back({0, id, "work", b / 4096 + 10, 0, 0, 0});
          }
        }
      }
    }
  }
  s.index();
  return s;
}

const json kAnalysis = json::parse(R"({
  "schema": "sysaxis.analysis/1",
  "fits": [{"id": "f1", "question": "Q2", "phase": "all", "category": "sync", "backend": "opencl",
            "exec": "kernels", "sync": "each", "engine": "ptrace", "class": "linear", "c0": 0, "c1": 3,
            "c1_lo": 2.9, "c1_hi": 3.1, "x_unit": "iteration", "fixed": {"bytes": 1048576}, "run_ids": [1]}],
  "claims": [{"id": "c1", "question": "Q2", "kind": "scaling", "backend": "opencl", "exec": "kernels",
              "phase": "all", "category": "sync", "text": "On opencl, sync depends on iters | <b>.",
              "annotation": "uncertain", "firm": true, "resnet": {"verdict": "cannot tell"}}]
})");

Options options(const fs::path& out) {
  Options o;
  o.dbs = {"study.db"};
  o.out_dir = out;
  o.analysis_path = "analysis.json";
  o.plots = false;
  o.tool_version = "test";
  o.tool_revision = "r";
  return o;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ReportRender, BuildingTwiceGivesTheSameDocumentAndFiles) {
  const Study s = study();
  const Content a = build_report(s, kAnalysis, "", "# Notes\n", options("out"));
  const Content b = build_report(s, kAnalysis, "", "# Notes\n", options("out"));
  EXPECT_EQ(render_markdown(a.doc), render_markdown(b.doc));
  EXPECT_EQ(render_html(a.doc, nullptr), render_html(b.doc, nullptr));
  ASSERT_EQ(a.files.size(), b.files.size());
  for (std::size_t i = 0; i < a.files.size(); ++i) {
    EXPECT_EQ(a.files[i].name, b.files[i].name);
    EXPECT_EQ(a.files[i].content, b.files[i].content) << a.files[i].name;
  }
  const std::string md = render_markdown(a.doc);
  EXPECT_NE(md.find("On opencl, sync depends on iters \\| \\<b\\>."), std::string::npos);
  EXPECT_NE(md.find("OS interaction depends on iters in every category classified (sync)"), std::string::npos) << md;
}

TEST(ReportRender, WritingTwiceGivesByteIdenticalFiles) {
  const fs::path root = fs::temp_directory_path() / ("sysaxis-report-render-" + std::to_string(::getpid()));
  fs::remove_all(root);
  const Study s = study();
  const auto first = write_report(s, kAnalysis, "", "", options(root / "a"));
  const auto second = write_report(s, kAnalysis, "", "", options(root / "b"));
  ASSERT_EQ(first, second);
  EXPECT_GE(first.size(), 14u);
  for (const auto& f : first) EXPECT_EQ(slurp(root / "a" / f), slurp(root / "b" / f)) << f;
  // Nothing else left in the folder (no staging folder, no temporary file).
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(root / "a")) ++entries;
  EXPECT_EQ(entries, first.size());
  fs::remove_all(root);
}

TEST(ReportRender, SurvivesAnAnalysisWithMissingOrMistypedFields) {
  const Study s = study();
  for (const char* text :
       {R"({"schema": "sysaxis.analysis/1"})",
        R"({"schema": "sysaxis.analysis/1", "fits": 3, "claims": "x", "q3": {}, "vendor": [1, "a", null]})",
        R"({"schema": "sysaxis.analysis/1", "fits": [{"question": "Q1", "phase": "all", "category": 5,
               "class": ["x"], "fixed": {"iters": "ten"}, "levels": "none", "c1": "big"}],
               "claims": [{"question": "Q1", "resnet": 3, "classes": [1], "evidence": 2}],
               "q3": [{"phase": "all", "categories": [{"category": "driver", "gpu_only": "yes", "rank_calls": "1"}]}],
               "vendor": [{"entries": [{"runtime": 1, "firm": "no"}]}], "method": [], "generator": 1})"}) {
    const json a = json::parse(text);
    EXPECT_NO_THROW({
      const Content c = build_report(s, a, "", "", options("out"));
      (void)render_markdown(c.doc);
      (void)render_html(c.doc, nullptr);
    }) << text;
  }
}

TEST(ReportRender, ChecksThatTheAnalysisBelongsToTheStudy) {
  const Study s = study();
  EXPECT_NO_THROW(check_analysis(s, kAnalysis));
  EXPECT_THROW(check_analysis(s, json::array()), AnalysisError);
  EXPECT_THROW(check_analysis(s, json::parse(R"({"schema": "other/1"})")), AnalysisError);
  EXPECT_THROW(check_analysis(s, json::parse(R"({"schema": "sysaxis.analysis/1", "inputs": [{}, {}]})")),
               AnalysisError);
  EXPECT_THROW(check_analysis(s, json::parse(R"({"schema": "sysaxis.analysis/1", "inputs": [{"runs_ok": 1}]})")),
               AnalysisError);
  EXPECT_NO_THROW(check_analysis(s, json::parse(R"({"schema": "sysaxis.analysis/1", "inputs": [{"runs_ok": 54}]})")));
  EXPECT_THROW(
      check_analysis(s, json::parse(R"({"schema": "sysaxis.analysis/1", "claims": [{"id": "c", "run_ids": [9999]}]})")),
      AnalysisError);
  EXPECT_THROW(
      check_analysis(
          s, json::parse(R"({"schema": "sysaxis.analysis/1", "fits": [{"id": "f", "db": 1, "run_ids": [1]}]})")),
      AnalysisError);
}

}  // namespace
}  // namespace sysaxis::report
