// Reading study databases through the contract's views (src/analysis/dataset.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "analysis/claims.h"
#include "analysis/dataset.h"
#include "analysis/synthetic.h"
#include "syscalls/taxonomy.h"

namespace an = sysaxis::analysis;
namespace syn = sysaxis::analysis::synthetic;
using ::testing::HasSubstr;

namespace {

std::string temp(const std::string& name) {
  // Per process: CTest runs each test in its own process, several at once.
  return (std::filesystem::path(::testing::TempDir()) / (std::to_string(::getpid()) + "-" + name)).string();
}

void sql(const std::string& path, const std::string& statements) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, statements.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

std::string load_error(const std::string& path) {
  try {
    an::load_databases({path});
  } catch (const an::DatabaseError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(AnalysisCategories, CollapseAndDeviceSplit) {
  using V = std::vector<std::string>;
  EXPECT_EQ(an::category_keys("memory", "anon"), V{"memory"});
  EXPECT_EQ(an::category_keys("driver", "nvidiactl:RM_ALLOC"), (V{"driver", "driver:nvidiactl"}));
  EXPECT_EQ(an::category_keys("driver", "kfd"), (V{"driver", "driver:kfd"}));
  EXPECT_EQ(an::category_keys("driver", ""), V{"driver"});
  EXPECT_EQ(an::category_keys("driver:nvidia-uvm:UVM_MAP", "nvidia-uvm:UVM_MAP"), (V{"driver", "driver:nvidia-uvm"}));
  EXPECT_EQ(an::category_keys("driver:drm", ""), (V{"driver", "driver:drm"}));
  EXPECT_EQ(an::category_keys("", ""), V{"other"});
  EXPECT_TRUE(an::is_event_category("faults:minor"));
  EXPECT_TRUE(an::is_event_category("cs:voluntary"));
  EXPECT_FALSE(an::is_event_category("driver:kfd"));
  EXPECT_TRUE(an::is_top_category("driver"));
  EXPECT_FALSE(an::is_top_category("driver:kfd"));
  std::vector<std::string> cats = {"faults:minor", "memory", "driver:nvidiactl", "cs:voluntary", "driver", "file"};
  std::sort(cats.begin(), cats.end(), an::category_less);
  EXPECT_EQ(cats, (V{"driver", "driver:nvidiactl", "file", "memory", "cs:voluntary", "faults:minor"}));
}

TEST(AnalysisCategories, EveryTaxonomyCategoryHasWords) {
  for (const auto& c : sysaxis::syscalls::Taxonomy::builtin().categories()) {
    EXPECT_TRUE(an::has_category_words(c)) << c << " has no entry in the words table of src/analysis/claims.cpp";
  }
  for (auto c : {an::kFaultsMinor, an::kFaultsMajor, an::kCsVoluntary, an::kCsInvoluntary}) {
    EXPECT_TRUE(an::has_category_words(c)) << c;
  }
  EXPECT_EQ(an::category_words("driver:kfd").noun, "ioctl calls to kfd");
  EXPECT_EQ(an::category_words("mine").noun, "mine calls");
}

TEST(AnalysisCategories, HumanNumbers) {
  EXPECT_EQ(an::human_bytes(4096), "4 KiB");
  EXPECT_EQ(an::human_bytes(1 << 30), "1 GiB");
  EXPECT_EQ(an::human_bytes(std::int64_t{1536} * 1024), "1.5 MiB");
  EXPECT_EQ(an::human_bytes(100), "100 B");
  EXPECT_EQ(an::human_number(3.004), "3");
  EXPECT_EQ(an::human_number(2.9876), "2.99");
  EXPECT_EQ(an::human_number(256.2), "256");
  EXPECT_EQ(an::human_number(12.34), "12.3");
  EXPECT_EQ(an::human_number(30.0), "30");
  EXPECT_EQ(an::human_number(-0.5), "-0.5");
  EXPECT_EQ(an::human_number(0), "0");
}

TEST(AnalysisDataset, BadInputsGiveOneLineErrors) {
  EXPECT_THAT(load_error(temp("does-not-exist.db")), HasSubstr("no such file"));
  EXPECT_THAT(load_error(::testing::TempDir()), HasSubstr("is a directory"));
  const std::string junk = temp("junk.db");
  std::ofstream(junk) << "this is not a database, but it is long enough to have a header of sorts...........";
  EXPECT_THAT(load_error(junk), HasSubstr("not a SQLite database"));
  const std::string empty = temp("empty.db");
  std::filesystem::remove(empty);
  sql(empty, "CREATE TABLE other (x);");
  EXPECT_THAT(load_error(empty), HasSubstr("not a sysaxis study database (no view 'runs')"));
  const std::string cols = temp("cols.db");
  std::filesystem::remove(cols);
  sql(cols,
      "CREATE TABLE runs (run_id INTEGER, backend TEXT, exec TEXT, bytes INTEGER, iters INTEGER, status TEXT);"
      "CREATE TABLE counts (run_id INTEGER, phase TEXT, syscall TEXT, detail TEXT, category TEXT, calls INTEGER, "
      "errors INTEGER, time_ns INTEGER);");
  EXPECT_THAT(load_error(cols), HasSubstr("the runs view has no column 'rep'"));
  const std::string counts = temp("counts.db");
  std::filesystem::remove(counts);
  sql(counts,
      "CREATE TABLE runs (run_id INTEGER, backend TEXT, exec TEXT, bytes INTEGER, iters INTEGER, rep INTEGER, status "
      "TEXT);"
      "CREATE TABLE counts (run_id INTEGER, phase TEXT, syscall TEXT, calls INTEGER);");
  EXPECT_THAT(load_error(counts), HasSubstr("counts view"));
  for (const auto& p : {junk, empty, cols, counts}) std::filesystem::remove(p);
}

TEST(AnalysisDataset, ReadsTheViewsPhasesFaultsAndProvenance) {
  const std::string path = temp("views.db");
  std::filesystem::remove(path);
  // Views over tables, as the study store provides them; extra columns are ignored.
  sql(path,
      "CREATE TABLE r (id INTEGER, backend TEXT, platform TEXT, exec TEXT, bytes INTEGER, iters INTEGER, rep INTEGER, "
      "status TEXT, workload TEXT, extra TEXT);"
      "INSERT INTO r VALUES (7, 'cuda', NULL, 'kernels', 4096, 10, 0, 'ok', 'micro', 'x'),"
      "                     (8, 'cuda', NULL, 'kernels', 4096, 10, 1, 'timeout', 'micro', 'x'),"
      "                     (9, 'cpu', '', 'cpu', 4096, 10, 0, 'ok', NULL, 'x');"
      "CREATE VIEW runs AS SELECT id AS run_id, backend, platform, exec, bytes, iters, rep, status, workload, extra "
      "FROM r;"
      "CREATE TABLE c (run_id INTEGER, phase TEXT, syscall TEXT, detail TEXT, category TEXT, calls INTEGER, errors "
      "INTEGER, time_ns INTEGER);"
      "INSERT INTO c VALUES (7, 'init', 'ioctl', 'nvidiactl:RM_ALLOC', 'driver', 10, 0, 1000),"
      "                     (7, 'work', 'ioctl', 'nvidia-uvm:UVM_MAP', 'driver:nvidia-uvm:UVM_MAP', 4, 1, 400),"
      "                     (7, 'all', 'futex', '', 'sync', 3, 0, 30),"
      "                     (8, 'work', 'ioctl', '', 'driver', 99, 0, 1),"
      "                     (9, 'all', 'openat', '', 'file', 5, 0, 50);"
      "CREATE VIEW counts AS SELECT * FROM c;"
      "CREATE TABLE faults (run_id INTEGER, phase TEXT, minor INTEGER, major INTEGER, vol_cs INTEGER, invol_cs "
      "INTEGER);"
      "INSERT INTO faults VALUES (7, 'init', 100, 1, 5, 2), (7, 'work', 20, 0, 1, 0);"
      "CREATE TABLE provenance (key TEXT, value TEXT);"
      "INSERT INTO provenance VALUES ('kernel', '6.1'), ('host', 'gpu-node');");
  auto d = an::load_databases({path});
  ASSERT_EQ(d.inputs.size(), 1U);
  EXPECT_EQ(d.inputs[0].runs_total, 3U);
  EXPECT_EQ(d.inputs[0].runs_ok, 2U);
  EXPECT_EQ(d.inputs[0].runs_by_status.at("timeout"), 1U);
  EXPECT_EQ(d.inputs[0].label, "gpu-node");
  EXPECT_EQ(d.inputs[0].provenance.at("kernel"), "6.1");
  ASSERT_EQ(d.runs.size(), 2U);
  const an::Run& r = d.runs[0];
  EXPECT_EQ(r.run_id, 7);
  EXPECT_EQ(r.platform, "");
  EXPECT_EQ(r.workload, "micro");
  EXPECT_EQ(r.threads, 1);
  EXPECT_EQ(r.tally("all", "driver").calls, 14);  // whole process: every phase
  EXPECT_EQ(r.tally("all", "driver").time_ns, 1400);
  EXPECT_EQ(r.tally("all", "driver:nvidiactl").calls, 10);
  EXPECT_EQ(r.tally("work", "driver").calls, 4);
  EXPECT_EQ(r.tally("work", "driver").errors, 1);
  EXPECT_EQ(r.tally("work", "driver:nvidia-uvm").calls, 4);
  EXPECT_EQ(r.tally("unmarked", "sync").calls, 3);  // the view's 'all' = a process that never marked
  EXPECT_EQ(r.tally("all", "sync").calls, 3);
  EXPECT_EQ(r.tally("all", "faults:minor").calls, 120);
  EXPECT_EQ(r.tally("work", "cs:voluntary").calls, 1);
  EXPECT_TRUE(r.has_counts("work"));
  EXPECT_TRUE(r.has_faults("work"));
  EXPECT_TRUE(r.marked());
  EXPECT_TRUE(r.has_counts("teardown"));  // marked: a phase without rows has no syscalls
  EXPECT_EQ(r.tally("work", "memory").calls, 0);
  const an::Run& cpu = d.runs[1];
  EXPECT_EQ(cpu.workload, "micro");  // NULL workload counts as a microbenchmark
  EXPECT_FALSE(cpu.has_faults("all"));
  EXPECT_FALSE(cpu.marked());  // only unmarked rows
  EXPECT_FALSE(cpu.has_counts("work"));
  EXPECT_TRUE(cpu.has_counts("all"));
  EXPECT_TRUE(d.inputs[0].notes.empty());
  std::filesystem::remove(path);
}

TEST(AnalysisDataset, SyntheticStudyRoundTrip) {
  const std::string path = temp("syn.db");
  syn::Series s;
  s.bytes = {4096, 8192};
  s.iters = {1, 2};
  s.reps = 2;
  s.rows.push_back({"work", "write", "", "file", [](std::int64_t, std::int64_t i) { return 10.0 * i; }});
  s.faults.push_back({"init", [](std::int64_t b, std::int64_t) { return b / 4096.0; }, nullptr, nullptr, nullptr});
  syn::write_study(path, {s}, {{"host", "h"}});
  auto d = an::load_databases({path});
  ASSERT_EQ(d.runs.size(), 8U);
  EXPECT_EQ(d.runs[0].run_id, 1);
  EXPECT_EQ(d.runs[7].bytes, 8192);
  EXPECT_EQ(d.runs[7].iters, 2);
  EXPECT_EQ(d.runs[7].rep, 1);
  EXPECT_EQ(d.runs[7].tally("work", "file").calls, 20);
  EXPECT_EQ(d.runs[7].tally("init", "faults:minor").calls, 2);
  std::filesystem::remove(path);
}
