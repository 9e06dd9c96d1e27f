// What the report computes from the study and the analysis: number wording, the configuration
// plotted per question, plot files, the per-category verdicts (src/report/model.h).
#include "report/model.h"

#include <gtest/gtest.h>

#include <cmath>

namespace sysaxis::report {
namespace {

using nlohmann::json;

TEST(ReportModel, NumbersForPeople) {
  EXPECT_EQ(fmt_num(0), "0");
  EXPECT_EQ(fmt_num(-0.0), "0");
  EXPECT_EQ(fmt_num(0.123456), "0.123");
  EXPECT_EQ(fmt_num(2), "2");
  EXPECT_EQ(fmt_num(12.34), "12.3");
  EXPECT_EQ(fmt_num(10), "10");
  EXPECT_EQ(fmt_num(37.0), "37");
  EXPECT_EQ(fmt_num(123.4), "123");
  EXPECT_EQ(fmt_num(999.6), "1,000");
  EXPECT_EQ(fmt_num(12345), "12,345");
  EXPECT_EQ(fmt_num(-1234567), "-1,234,567");
  EXPECT_EQ(fmt_num(std::nan("")), "n/a");
  EXPECT_EQ(human_bytes(4096), "4 KiB");
  EXPECT_EQ(human_bytes(1 << 30), "1 GiB");
  EXPECT_EQ(human_bytes(1536 * 1024), "1.5 MiB");
  EXPECT_EQ(human_bytes(100), "100 B");
  EXPECT_EQ(join_words({}), "");
  EXPECT_EQ(join_words({"a"}), "a");
  EXPECT_EQ(join_words({"a", "b"}), "a and b");
  EXPECT_EQ(join_words({"a", "b", "c"}), "a, b and c");
}

TEST(ReportModel, SummarizesRepetitions) {
  const Level l = summarize(3, {1, 2, 6});
  EXPECT_EQ(l.x, 3);
  EXPECT_EQ(l.n, 3u);
  EXPECT_DOUBLE_EQ(l.mean, 3);
  EXPECT_DOUBLE_EQ(l.min, 1);
  EXPECT_DOUBLE_EQ(l.max, 6);
  EXPECT_NEAR(l.sd, std::sqrt(7.0), 1e-12);
  EXPECT_EQ(summarize(1, {}).n, 0u);
  EXPECT_EQ(summarize(1, {5}).sd, 0);
}

TEST(ReportModel, JsonAccessorsNeverThrow) {
  const json j = json::parse(R"({"s": "x", "n": 2.5, "i": 7, "b": true, "a": [1], "null": null})");
  EXPECT_EQ(jstr(j, "s"), "x");
  EXPECT_EQ(jstr(j, "i"), "7");
  EXPECT_EQ(jstr(j, "missing", "d"), "d");
  EXPECT_EQ(jstr(j, "a", "d"), "d");
  EXPECT_EQ(jnum(j, "n"), 2.5);
  EXPECT_FALSE(jnum(j, "s"));
  EXPECT_EQ(jarray(j, "a").size(), 1u);
  EXPECT_TRUE(jarray(j, "s").empty());
  EXPECT_TRUE(jarray(json("not an object"), "a").empty());
  EXPECT_EQ(jtext(j["b"]), "true");
  EXPECT_EQ(jtext(j["null"]), "");
  EXPECT_EQ(jtext(j["n"]), "2.5");
}

TEST(ReportModel, SeriesAreNormalisedLikeTheAnalysis) {
  RunRow r;
  r.backend = "cuda";
  r.exec = "kernels";
  r.alloc_op = "free";  // meaningless for kernels
  r.sync = "end";
  r.threads = 4;  // meaningless for a GPU execution
  const SeriesKey k = series_of(r);
  EXPECT_EQ(k.alloc_op, "");
  EXPECT_EQ(k.sync, "end");
  EXPECT_EQ(k.threads, 1);
  EXPECT_EQ(exec_label(k), "kernels, sync end");
  const json j = {{"backend", "cuda"}, {"exec", "kernels"}, {"alloc_op", "free"}, {"sync", "end"}, {"threads", 4}};
  EXPECT_EQ(series_of(j), k);
  SeriesKey cpu;
  cpu.exec = "cpu";
  cpu.threads = 4;
  EXPECT_EQ(exec_label(cpu), "cpu, 4 threads");
}

// A study in memory: cpu runs at three sizes with iters 1 and two with iters 10; a cuda runtime
// with alloc and kernels at one cell and the cpu baseline there.
Study small_study() {
  Study s;
  s.dbs.push_back({"mem.db", {{"host", "h"}}, {}});
  std::int64_t id = 0;
  auto add = [&](const std::string& backend, const std::string& exec, std::int64_t bytes, std::int64_t iters) {
    for (int rep = 0; rep < 3; ++rep) {
      RunRow r;
      r.run_id = ++id;
      r.backend = backend;
      r.exec = exec;
      r.bytes = bytes;
      r.iters = iters;
      r.rep = rep;
      r.status = "ok";
      r.engine = "ptrace";
      r.workload = "micro";
      s.runs.push_back(r);
      s.counts.push_back({0, id, "work", "memory", "", 5 + rep, 0, 100});
      if (backend == "cuda") s.counts.push_back({0, id, "init", "driver", "nvidiactl", 100, 0, 100});
      s.faults.push_back({0, id, "work", bytes / 4096, 0, 1, 0});
    }
  };
  for (std::int64_t b : {4096, 65536, 1 << 20}) add("cpu", "cpu", b, 1);
  for (std::int64_t b : {4096, 65536}) add("cpu", "cpu", b, 10);
  add("cpu", "cpu", 1 << 20, 100);
  add("cuda", "alloc", 1 << 20, 100);
  add("cuda", "kernels", 1 << 20, 100);
  add("cuda", "kernels", 4096, 1);
  s.index();
  return s;
}

TEST(ReportModel, ScalingPlotPicksTheFixedValueWithTheMostLevels) {
  const Study s = small_study();
  const json analysis = json::object();
  const Context ctx = make_context(s, analysis);
  const Plot q1 = scaling_plot(ctx, "Q1");
  ASSERT_EQ(q1.panels.size(), 1u);  // cuda has no series with two sizes at one iters
  const Panel& p = q1.panels[0];
  EXPECT_EQ(p.fixed, 1);  // 3 levels at iters 1, 2 at iters 10
  EXPECT_EQ(p.xs, (std::vector<double>{4096, 65536, 1 << 20}));
  ASSERT_EQ(p.lines.size(), 3u);  // memory, faults:minor, cs:voluntary (driver absent on cpu)
  EXPECT_EQ(p.lines[0].category, "memory");
  EXPECT_DOUBLE_EQ(p.lines[0].levels[0].mean, 6);
  EXPECT_DOUBLE_EQ(p.lines[0].levels[0].min, 5);
  EXPECT_DOUBLE_EQ(p.lines[0].levels[0].max, 7);
  EXPECT_EQ(p.lines[1].category, "faults:minor");
  EXPECT_DOUBLE_EQ(p.lines[1].levels[2].mean, 256);
  EXPECT_EQ(p.lines[2].category, "cs:voluntary");

  const Plot q2 = scaling_plot(ctx, "Q2");
  ASSERT_EQ(q2.panels.size(), 1u);  // every cpu size has two iters values: the largest size wins the tie
  EXPECT_EQ(q2.panels[0].fixed, 1 << 20);
}

TEST(ReportModel, ExecutionPlotComparesWithTheBaseline) {
  const Study s = small_study();
  const json analysis = json::object();
  const Context ctx = make_context(s, analysis);
  const Plot q3 = execution_plot(ctx);
  ASSERT_EQ(q3.panels.size(), 1u);
  const Panel& p = q3.panels[0];
  EXPECT_EQ(p.bytes, 1 << 20);  // the cell with the baseline and both execution models
  EXPECT_EQ(p.iters, 100);
  EXPECT_EQ(p.x_labels, (std::vector<std::string>{"cpu baseline", "alloc", "kernels"}));
  ASSERT_FALSE(p.lines.empty());
  EXPECT_EQ(p.lines[1].category, "driver");
  EXPECT_DOUBLE_EQ(p.lines[1].levels[0].mean, 0);
  EXPECT_DOUBLE_EQ(p.lines[1].levels[1].mean, 100);
}

TEST(ReportModel, PlotFilesAreRelativeAndQuoted) {
  Plot p;
  p.name = "q1_size";
  p.question = "Q1";
  p.title = "Q1 size";
  p.x_label = "bytes";
  p.y_label = "events";
  p.bytes_x = true;
  Panel panel;
  panel.title = "it's \"odd\"\nname";
  panel.xs = {4096, 1 << 20};
  panel.lines.push_back({"memory", {summarize(4096, {1, 3}), summarize(1 << 20, {2})}});
  panel.lines.push_back({"driver", {summarize(4096, {5}), summarize(1 << 20, {5})}});
  p.panels.push_back(panel);
  const std::string gp = plot_script(p);
  EXPECT_NE(gp.find("set output 'q1_size.svg'"), std::string::npos);
  EXPECT_NE(gp.find("set title 'it''s \"odd\" name'"), std::string::npos) << gp;
  EXPECT_NE(gp.find("plot 'q1_size.dat' index 0 using 1:2:3:4"), std::string::npos) << gp;
  EXPECT_NE(gp.find("'' index 1 using 1:2:3:4"), std::string::npos) << gp;
  EXPECT_NE(gp.find("set xtics ('4 KiB' 4096, '1 MiB' 1048576)"), std::string::npos) << gp;
  EXPECT_NE(gp.find("set termoption noenhanced"), std::string::npos);
  EXPECT_EQ(gp.find("/tmp"), std::string::npos);
  const std::string dat = plot_data(p);
  EXPECT_NE(dat.find("# index 0: panel 'it's \"odd\" name', category memory\n4096 2 1 3 2 1.4142135623730951\n"),
            std::string::npos)
      << dat;
  EXPECT_NE(dat.find("\n\n\n# index 1:"), std::string::npos);
  const std::string csv = plot_csv(p);
  EXPECT_TRUE(csv.starts_with("question,panel,runtime,exec,fixed_axis,fixed,bytes,iters,x,x_label,category,n,mean,"));
}

TEST(ReportModel, ClassifiesCategoriesOverSeriesAndFixedValues) {
  const Study s = small_study();
  const json analysis = json::parse(R"({"fits": [
    {"question": "Q2", "phase": "all", "category": "driver", "backend": "cuda", "exec": "kernels", "class": "linear",
     "c1": 3, "fixed": {"bytes": 4096}, "levels": [{"mean": 10}]},
    {"question": "Q2", "phase": "all", "category": "driver", "backend": "cuda", "exec": "kernels", "class": "linear",
     "c1": 3, "fixed": {"bytes": 65536}},
    {"question": "Q2", "phase": "all", "category": "driver", "backend": "cuda", "exec": "alloc", "class": "flat",
     "fixed": {"bytes": 4096}},
    {"question": "Q2", "phase": "all", "category": "memory", "backend": "cpu", "exec": "cpu", "class": "flat",
     "fixed": {"bytes": 4096}},
    {"question": "Q2", "phase": "all", "category": "memory", "backend": "cpu", "exec": "cpu", "class": "linear",
     "fixed": {"bytes": 65536}},
    {"question": "Q2", "phase": "all", "category": "sync", "backend": "cpu", "exec": "cpu", "class": "insufficient"},
    {"question": "Q2", "phase": "all", "category": "tiny", "backend": "cpu", "exec": "cpu", "class": "linear",
     "levels": [{"mean": 0.2}]},
    {"question": "Q2", "phase": "all", "category": "driver:nvidiactl", "backend": "cuda", "exec": "alloc",
     "class": "linear"},
    {"question": "Q1", "phase": "all", "category": "memory", "backend": "cpu", "exec": "cpu", "class": "flat"},
    {"question": "Q2", "phase": "work", "category": "memory", "backend": "cpu", "exec": "cpu", "class": "flat"},
    "garbage", 42, {"class": 7}
  ]})");
  const Context ctx = make_context(s, analysis);
  const auto v = classify_question(ctx, "Q2", "all");
  ASSERT_EQ(v.size(), 3u);  // memory, driver, sync (tiny is not material, devices are not summarised)
  EXPECT_EQ(v[0].category, "memory");
  ASSERT_EQ(v[0].dependent.size(), 1u);
  EXPECT_EQ(v[0].dependent[0].cls, "mixed");
  EXPECT_EQ(v[1].category, "driver");
  EXPECT_EQ(v[1].dependent.size(), 1u);
  EXPECT_EQ(v[1].dependent[0].cls, "linear");
  EXPECT_EQ(v[1].flat.size(), 1u);
  EXPECT_EQ(v[2].category, "sync");
  EXPECT_EQ(v[2].unknown.size(), 1u);
}

}  // namespace
}  // namespace sysaxis::report
