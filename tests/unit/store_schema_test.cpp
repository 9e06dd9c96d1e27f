#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "../sweep/store_fixtures.h"
#include "store/schema.h"
#include "store/store.h"

using namespace sysaxis::store;
using store_test::TempDir;
using ::testing::HasSubstr;

namespace {

std::vector<std::string> columns(Database& db, const std::string& view) {
  std::vector<std::string> out;
  auto st = db.prepare("SELECT name FROM pragma_table_info(?)");
  st.bind(1, view);
  while (st.step()) out.push_back(st.column_text(0));
  return out;
}

std::int64_t scalar(Database& db, const std::string& sql) {
  auto st = db.prepare(sql);
  EXPECT_TRUE(st.step()) << sql;
  return st.column_int(0);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const StoreError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(StoreSchema, ContractViewsHaveTheirColumns) {
  TempDir tmp;
  auto st = Store::open_for_run(tmp.file("s.db"), store_test::identity(), sysaxis::syscalls::Taxonomy::builtin(), "t0");
  // CONTRACTS.md: the column names readers rely on, in this order (more may follow).
  const std::map<std::string, std::vector<std::string>> contract = {
      {"runs",
       {"run_id", "backend", "platform", "device", "exec", "bytes", "iters", "rep", "status", "wall_ns", "engine",
        "alloc_op", "sync", "threads", "workload", "study"}},
      {"counts", {"run_id", "phase", "syscall", "detail", "category", "calls", "errors", "time_ns"}},
      {"faults", {"run_id", "phase", "minor", "major", "vol_cs", "invol_cs"}},
      {"provenance", {"key", "value"}},
  };
  for (const auto& [view, want] : contract) {
    auto got = columns(st.db(), view);
    ASSERT_GE(got.size(), want.size()) << view;
    EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(want.size())), want)
        << view;
  }
}

TEST(StoreSchema, EveryViewColumnIsDocumented) {
  std::ifstream in(std::string(SYSAXIS_SOURCE_DIR) + "/docs/store.md");
  ASSERT_TRUE(in) << "docs/store.md is missing";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  EXPECT_THAT(doc, HasSubstr(fmt::format("schema version {}", kSchemaVersion)));
  TempDir tmp;
  auto st = Store::open_for_run(tmp.file("s.db"), store_test::identity(), sysaxis::syscalls::Taxonomy::builtin(), "t0");
  auto objects = st.db().prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')");
  while (objects.step()) {
    const std::string name = objects.column_text(0);
    // Every table and view has a section "### name", and every column a row "| `column` |".
    const auto section = doc.find(fmt::format("### {}\n", name));
    ASSERT_NE(section, std::string::npos) << "docs/store.md has no section for " << name;
    const auto next = doc.find("\n### ", section + 4);
    const std::string body = doc.substr(section, next == std::string::npos ? std::string::npos : next - section);
    for (const auto& col : columns(st.db(), name)) {
      EXPECT_THAT(body, HasSubstr(fmt::format("| `{}` |", col))) << name << "." << col << " is not documented";
    }
  }
}

TEST(StoreSchema, CountsSumThreadsAndResolveCategories) {
  TempDir tmp;
  auto st = Store::open_for_run(tmp.file("s.db"), store_test::identity(), sysaxis::syscalls::Taxonomy::builtin(), "t0");
  const Cell c = store_test::cell(4096);
  st.ensure_cells({{c, {{"Q1", "Q1"}}}});
  auto sid = st.add_session(store_test::session("s1"));
  st.record_run(store_test::run_record(c, 1, sid, "u1"), counters_from_trace(store_test::trace_result()));
  Database& db = st.db();
  // futex in work: 5 + 7 + 2 over three threads of the command, 1 in the child process.
  auto q = db.prepare("SELECT calls, errors, time_ns, category FROM counts WHERE phase = 'work' AND syscall = 'futex'");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.column_int(0), 15);
  EXPECT_EQ(q.column_int(1), 4);
  EXPECT_EQ(q.column_int(2), 150);
  EXPECT_EQ(q.column_text(3), "sync");
  EXPECT_FALSE(q.step());
  EXPECT_EQ(scalar(db,
                   "SELECT count(*) FROM counts WHERE syscall = 'ioctl' AND detail = 'nvidiactl:RM_ALLOC' AND "
                   "category = 'driver'"),
            1);
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM counts WHERE syscall = 'i386:open' AND category = 'file'"), 1);
  // Raw counters keep the thread roles and processes apart.
  EXPECT_EQ(scalar(db, "SELECT threads FROM counters WHERE syscall = 'futex' AND role = 'thread'"), 2);
  EXPECT_EQ(scalar(db, "SELECT calls FROM counters WHERE syscall = 'futex' AND proc = 1"), 1);
  EXPECT_EQ(scalar(db, "SELECT parent FROM processes WHERE proc = 1"), 0);
  // faults: summed over processes.
  auto f = db.prepare("SELECT minor, major, vol_cs, invol_cs FROM faults WHERE phase = 'work'");
  ASSERT_TRUE(f.step());
  EXPECT_EQ(f.column_int(0), 15);
  EXPECT_EQ(f.column_int(1), 1);
  EXPECT_EQ(f.column_int(2), 3);
  EXPECT_EQ(f.column_int(3), 3);
  // runs: one row with the cell's axes.
  auto r = db.prepare("SELECT backend, platform, exec, bytes, iters, rep, status, workload, study FROM runs");
  ASSERT_TRUE(r.step());
  EXPECT_EQ(r.column_text(0), "opencl");
  EXPECT_EQ(r.column_text(1), "P");
  EXPECT_EQ(r.column_text(2), "kernels");
  EXPECT_EQ(r.column_int(3), 4096);
  EXPECT_EQ(r.column_int(4), 10);
  EXPECT_EQ(r.column_int(5), 1);
  EXPECT_EQ(r.column_text(6), "ok");
  EXPECT_EQ(r.column_text(7), "micro");
  EXPECT_EQ(r.column_text(8), "study-x");
  // tidy_counts: counts with the run's axes, one row per run, phase, syscall and detail.
  EXPECT_EQ(scalar(db, "SELECT count(*) FROM tidy_counts"), scalar(db, "SELECT count(*) FROM counts"));
}

TEST(StoreSchema, ProvenanceKeys) {
  TempDir tmp;
  auto st = Store::open_for_run(tmp.file("s.db"), store_test::identity(), sysaxis::syscalls::Taxonomy::builtin(), "t0");
  const Cell c = store_test::cell(4096);
  st.ensure_cells({{c, {}}});
  auto sid = st.add_session(store_test::session("s1"));
  st.record_run(store_test::run_record(c, 1, sid, "u1"), counters_from_trace(store_test::trace_result()));
  std::map<std::string, std::string> kv;
  auto q = st.db().prepare("SELECT key, value FROM provenance");
  while (q.step()) kv[q.column_text(0)] = q.column_text(1);
  for (auto key : {"host", "cpu", "kernel", "os", "sysaxis_revision", "sysaxis_version", "engine", "spec_hash", "study",
                   "schema_version", "seed", "runtime_version.opencl"}) {
    EXPECT_TRUE(kv.contains(key)) << key;
  }
  EXPECT_EQ(kv["host"], "host-s1");
  EXPECT_EQ(kv["runtime_version.opencl"], "rt 1");
}

TEST(StoreSchema, ANewTaxonomyReanalysesStoredRuns) {
  TempDir tmp;
  auto st = Store::open_for_run(tmp.file("s.db"), store_test::identity(), sysaxis::syscalls::Taxonomy::builtin(), "t0");
  const Cell c = store_test::cell(4096);
  st.ensure_cells({{c, {}}});
  auto sid = st.add_session(store_test::session("s1"));
  st.record_run(store_test::run_record(c, 1, sid, "u1"), counters_from_trace(store_test::trace_result()));
  auto mine = sysaxis::syscalls::Taxonomy::parse(R"(schema = "sysaxis.taxonomy/1"
[categories.waits]
syscalls = ["futex"]
)",
                                                 "mine.toml");
  const auto before = st.meta("taxonomy_hash");
  st.set_taxonomy(mine);
  EXPECT_NE(st.meta("taxonomy_hash"), before);
  EXPECT_EQ(st.meta("taxonomy_source"), "mine.toml");
  EXPECT_EQ(scalar(st.db(), "SELECT count(*) FROM counts WHERE syscall = 'futex' AND category = 'waits'"), 1);
  EXPECT_EQ(scalar(st.db(), "SELECT count(*) FROM counts WHERE syscall = 'ioctl' AND category = 'other'"), 1);
}

TEST(StoreSchema, ReopenKeepsRunsAndRefusesAnotherSpec) {
  TempDir tmp;
  const std::string path = tmp.file("s.db");
  store_test::make_study(path, "hash-a", 3, {{0, 1}, {1, 1}}, "a");
  {
    auto st = Store::open_for_run(path, store_test::identity("hash-a"), sysaxis::syscalls::Taxonomy::builtin(), "t1");
    auto runs = st.stored_runs();
    EXPECT_EQ(runs.size(), 2U);
    EXPECT_EQ(runs.at({store_test::cell(4096).key(), 1}), "ok");
  }
  EXPECT_THAT(error_of([&] {
                Store::open_for_run(path, store_test::identity("hash-b"), sysaxis::syscalls::Taxonomy::builtin(), "t");
              }),
              HasSubstr("another spec"));
}

TEST(StoreSchema, AnotherSchemaVersionIsRefused) {
  TempDir tmp;
  const std::string path = tmp.file("s.db");
  store_test::make_study(path, "hash-a", 1, {{0, 1}}, "a");
  {
    Database db(path, Database::Mode::read_write);
    db.exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  }
  const std::string err = error_of([&] { Store::open_existing(path, true); });
  EXPECT_THAT(err, HasSubstr("schema version 99"));
  EXPECT_THAT(err, HasSubstr(fmt::format("reads schema versions 1 to {} only", kSchemaVersion)));
  EXPECT_THAT(error_of([&] {
                Store::open_for_run(path, store_test::identity("hash-a"), sysaxis::syscalls::Taxonomy::builtin(), "t");
              }),
              HasSubstr("schema version 99"));
}

TEST(StoreSchema, OtherFilesAreNotStudies) {
  TempDir tmp;
  const std::string text = tmp.file("notes.txt");
  std::ofstream(text) << "hello, this is not a database at all, but it is long enough to look like one......\n";
  EXPECT_THAT(error_of([&] { Store::open_existing(text, true); }), HasSubstr("not a sysaxis study database"));
  const std::string other = tmp.file("other.db");
  {
    Database db(other, Database::Mode::create);
    db.exec("CREATE TABLE t (x)");
  }
  EXPECT_THAT(error_of([&] { Store::open_existing(other, true); }), HasSubstr("not a sysaxis study database"));
  EXPECT_THAT(error_of([&] {
                Store::open_for_run(other, store_test::identity(), sysaxis::syscalls::Taxonomy::builtin(), "t");
              }),
              HasSubstr("not a sysaxis study database"));
  EXPECT_THAT(error_of([&] { Store::open_existing(tmp.file("absent.db"), true); }), HasSubstr("absent.db"));
}

TEST(StoreSchema, AFullDiskLosesNothingStored) {
  TempDir tmp;
  const std::string path = tmp.file("s.db");
  auto st = Store::open_for_run(path, store_test::identity(), sysaxis::syscalls::Taxonomy::builtin(), "t0");
  std::vector<CellRecord> cells;
  for (int i = 1; i <= 400; ++i) cells.push_back({store_test::cell(4096U * static_cast<std::uint64_t>(i)), {}});
  st.ensure_cells(cells);
  auto sid = st.add_session(store_test::session("s1"));
  // Simulate a full disk: the database may not grow past its current size plus a little.
  const auto pages = scalar(st.db(), "PRAGMA page_count");
  st.db().exec(fmt::format("PRAGMA max_page_count = {}", pages + 8));
  auto counters = counters_from_trace(store_test::trace_result());
  int stored = 0;
  std::string err;
  for (int i = 1; i <= 400 && err.empty(); ++i) {
    try {
      auto rec = store_test::run_record(store_test::cell(4096U * static_cast<std::uint64_t>(i)), 1, sid,
                                        fmt::format("u{}", i));
      rec.output = std::string(2000, 'x');
      st.record_run(rec, counters);
      ++stored;
    } catch (const StoreError& e) {
      err = e.what();
    }
  }
  EXPECT_THAT(err, HasSubstr("full"));
  EXPECT_GT(stored, 0);
  // The failed run left nothing behind; every committed run is complete.
  EXPECT_EQ(scalar(st.db(), "SELECT count(*) FROM run_records"), stored);
  EXPECT_EQ(scalar(st.db(), "SELECT count(DISTINCT run_id) FROM counters"), stored);
  st.db().exec("PRAGMA integrity_check");
}

TEST(StoreSchema, DeletingFailedRunsCascades) {
  TempDir tmp;
  auto st = Store::open_for_run(tmp.file("s.db"), store_test::identity(), sysaxis::syscalls::Taxonomy::builtin(), "t0");
  const Cell a = store_test::cell(4096), b = store_test::cell(8192);
  st.ensure_cells({{a, {}}, {b, {}}});
  auto sid = st.add_session(store_test::session("s1"));
  auto counters = counters_from_trace(store_test::trace_result());
  st.record_run(store_test::run_record(a, 1, sid, "u1"), counters);
  st.record_run(store_test::run_record(a, 2, sid, "u2", "timeout"), counters);
  st.record_run(store_test::run_record(b, 1, sid, "u3", "crashed"), counters);
  EXPECT_EQ(st.delete_failed_runs({a.key()}), 1);
  EXPECT_EQ(st.stored_runs().size(), 2U);
  EXPECT_EQ(scalar(st.db(), "SELECT count(DISTINCT run_id) FROM counters"), 2);
  EXPECT_EQ(scalar(st.db(), "SELECT count(DISTINCT run_id) FROM processes"), 2);
  // A (cell, rep) is stored once.
  EXPECT_THROW(st.record_run(store_test::run_record(a, 1, sid, "u4"), counters), StoreError);
}

// A study of schema version 1 (the committed CPU study of 2026-11-24, written by the first
// release) still reads, and `run` migrates it in place without losing a row.
TEST(StoreSchema, VersionOneStudiesAreMigratedInPlace) {
  TempDir tmp;
  const std::string path = tmp.file("v1.db");
  const std::string source = std::string(SYSAXIS_SOURCE_DIR) + "/results/2026-11-24-vm-cpu-phase1/vm-cpu-phase1.db.gz";
  ASSERT_EQ(std::system(fmt::format("gzip -dc '{}' > '{}'", source, path).c_str()), 0);
  std::int64_t runs = 0;
  std::int64_t counters = 0;
  std::int64_t file_ioctls = 0;
  {
    Store ro = Store::open_existing(path, true);  // read-only: read as it is
    EXPECT_EQ(ro.meta("schema_version"), "1");
    runs = scalar(ro.db(), "SELECT count(*) FROM run_records");
    counters = scalar(ro.db(), "SELECT count(*) FROM counters");
    file_ioctls = scalar(ro.db(), "SELECT count(*) FROM counts WHERE syscall = 'ioctl' AND detail LIKE 'file:%'");
    ASSERT_GT(file_ioctls, 0);
    // Version 1 filed every ioctl under the syscall's category.
    EXPECT_EQ(scalar(ro.db(), "SELECT count(*) FROM counts WHERE syscall = 'ioctl' AND category <> 'driver'"), 0);
  }
  Store rw = Store::open_existing(path, false);
  EXPECT_EQ(rw.meta("schema_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(scalar(rw.db(), "SELECT count(*) FROM run_records"), runs);
  EXPECT_EQ(scalar(rw.db(), "SELECT count(*) FROM counters"), counters);
  EXPECT_EQ(scalar(rw.db(), "SELECT count(*) FROM runs WHERE cpu_user_ns IS NOT NULL"), 0);
  EXPECT_EQ(scalar(rw.db(),
                   "SELECT count(*) FROM counts WHERE syscall = 'ioctl' AND detail LIKE 'file:%' AND "
                   "category = 'file'"),
            file_ioctls);
  EXPECT_EQ(scalar(rw.db(), "SELECT count(*) FROM counts WHERE category = 'driver' AND detail LIKE 'file:%'"), 0);
}

TEST(StoreSchema, CountsViewCategorisesIoctlByDeviceClass) {
  TempDir tmp;
  const auto& tax = sysaxis::syscalls::Taxonomy::builtin();
  auto st = Store::open_for_run(tmp.file("s.db"), store_test::identity(), tax, "t0");
  const auto c = store_test::cell(4096);
  st.ensure_cells({{c, {{"Q1", "Q1"}}}});
  const auto sid = st.add_session(store_test::session("s"));
  auto trace = store_test::trace_result();
  const std::vector<std::string> details = {"nvidiactl:RM_ALLOC", "file:TCGETS", "pts:TCGETS",
                                            "socket:SIOCGIFCONF", "misc:X",      "mem:TCGETS"};
  for (const auto& d : details) {
    sysaxis::trace::Row r;
    r.phase = "init";
    r.pid = 100;
    r.tid = 100;
    r.comm = "wl";
    r.syscall = "ioctl";
    r.detail = d;
    r.calls = 1;
    trace.rows.push_back(r);
  }
  auto rec = store_test::run_record(c, 1, sid, "u1");
  rec.cpu_user_ns = 1234;
  rec.cpu_sys_ns = 56;
  st.record_run(rec, sysaxis::store::counters_from_trace(trace));
  for (const auto& d : details) {
    auto q = st.db().prepare("SELECT category FROM counts WHERE phase = 'init' AND syscall = 'ioctl' AND detail = ?");
    q.bind(1, d);
    ASSERT_TRUE(q.step()) << d;
    EXPECT_EQ(q.column_text(0), tax.category("ioctl", d)) << d;
  }
  EXPECT_EQ(scalar(st.db(), "SELECT cpu_user_ns FROM runs"), 1234);
  EXPECT_EQ(scalar(st.db(), "SELECT cpu_sys_ns FROM runs"), 56);
}
