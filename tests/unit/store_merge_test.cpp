#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <tuple>

#include "../sweep/store_fixtures.h"
#include "store/merge.h"
#include "store/store.h"

using namespace sysaxis::store;
using store_test::TempDir;
using ::testing::HasSubstr;

namespace {

// (cell_key, rep, status, calls summed over the run's counts)
std::set<std::tuple<std::string, std::int64_t, std::string, std::int64_t>> runs_of(const std::string& path) {
  Store st = Store::open_existing(path, true);
  std::set<std::tuple<std::string, std::int64_t, std::string, std::int64_t>> out;
  auto q = st.db().prepare(
      "SELECT r.cell_key, r.rep, r.status, (SELECT SUM(calls) FROM counts k WHERE k.run_id = r.run_id) FROM runs r");
  while (q.step()) out.insert({q.column_text(0), q.column_int(1), q.column_text(2), q.column_int(3)});
  return out;
}

std::int64_t count(const std::string& path, const std::string& sql) {
  Store st = Store::open_existing(path, true);
  auto q = st.db().prepare(sql);
  q.step();
  return q.column_int(0);
}

}  // namespace

TEST(StoreMerge, ShardsMergeIntoTheWhole) {
  TempDir tmp;
  store_test::make_study(tmp.file("a.db"), "h", 4, {{0, 1}, {2, 1}, {0, 2}}, "a");
  store_test::make_study(tmp.file("b.db"), "h", 4, {{1, 1}, {3, 1}, {1, 2}}, "b");
  store_test::make_study(tmp.file("whole.db"), "h", 4, {{0, 1}, {2, 1}, {0, 2}, {1, 1}, {3, 1}, {1, 2}}, "w");
  auto r = merge_studies(tmp.file("out.db"), {tmp.file("a.db"), tmp.file("b.db")}, {});
  EXPECT_EQ(r.runs_added, 6);
  EXPECT_EQ(r.runs_total, 6);
  EXPECT_EQ(runs_of(tmp.file("out.db")), runs_of(tmp.file("whole.db")));
  EXPECT_EQ(count(tmp.file("out.db"), "SELECT count(*) FROM sessions"), 2);
  EXPECT_EQ(count(tmp.file("out.db"), "SELECT count(*) FROM cells"), 4);
  EXPECT_EQ(count(tmp.file("out.db"), "SELECT count(*) FROM cell_sweeps"), 4);
  EXPECT_EQ(count(tmp.file("out.db"), "SELECT count(*) FROM taxonomy"),
            count(tmp.file("a.db"), "SELECT count(*) FROM taxonomy"));
  EXPECT_EQ(count(tmp.file("out.db"), "SELECT count(*) FROM processes"), 12);
  // Merging an input again changes nothing; an existing OUT is extended.
  auto again = merge_studies(tmp.file("out.db"), {tmp.file("b.db")}, {});
  EXPECT_EQ(again.runs_added, 0);
  EXPECT_EQ(again.runs_already_there, 3);
  EXPECT_EQ(runs_of(tmp.file("out.db")), runs_of(tmp.file("whole.db")));
  // No temporary file is left beside OUT.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(tmp.file("out.db")).parent_path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 4);
}

TEST(StoreMerge, MixedSpecsAreRefusedAndOutIsUntouched) {
  TempDir tmp;
  store_test::make_study(tmp.file("a.db"), "h1", 2, {{0, 1}}, "a");
  store_test::make_study(tmp.file("b.db"), "h2", 2, {{1, 1}}, "b");
  try {
    merge_studies(tmp.file("out.db"), {tmp.file("a.db"), tmp.file("b.db")}, {});
    FAIL() << "no error";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("only shards of one spec merge"));
    EXPECT_THAT(e.what(), HasSubstr("b.db"));
  }
  EXPECT_FALSE(std::filesystem::exists(tmp.file("out.db")));
  // An existing OUT of another spec is refused too, and left as it was.
  store_test::make_study(tmp.file("out.db"), "h2", 2, {{1, 1}}, "o");
  const auto before = runs_of(tmp.file("out.db"));
  EXPECT_THROW(merge_studies(tmp.file("out.db"), {tmp.file("a.db")}, {}), StoreError);
  EXPECT_EQ(runs_of(tmp.file("out.db")), before);
}

TEST(StoreMerge, OtherSchemaVersionsAndMissingInputsAreRefused) {
  TempDir tmp;
  store_test::make_study(tmp.file("a.db"), "h", 2, {{0, 1}}, "a");
  store_test::make_study(tmp.file("b.db"), "h", 2, {{1, 1}}, "b");
  {
    Database db(tmp.file("b.db"), Database::Mode::read_write);
    db.exec("UPDATE meta SET value = '3' WHERE key = 'schema_version'");
  }
  EXPECT_THAT(
      [&] {
        try {
          merge_studies(tmp.file("out.db"), {tmp.file("a.db"), tmp.file("b.db")}, {});
        } catch (const StoreError& e) {
          return std::string(e.what());
        }
        return std::string();
      }(),
      HasSubstr("schema version 3"));
  EXPECT_THROW(merge_studies(tmp.file("out.db"), {tmp.file("nope.db")}, {}), StoreError);
  EXPECT_THROW(merge_studies(tmp.file("a.db"), {tmp.file("a.db")}, {}), StoreError);
  EXPECT_FALSE(std::filesystem::exists(tmp.file("out.db")));
}

TEST(StoreMerge, OverlappingRunsAreRefusedUnlessSkipped) {
  TempDir tmp;
  store_test::make_study(tmp.file("a.db"), "h", 2, {{0, 1}, {1, 1}}, "a");
  store_test::make_study(tmp.file("b.db"), "h", 2, {{1, 1}}, "b");  // another run of (cell 1, rep 1)
  try {
    merge_studies(tmp.file("out.db"), {tmp.file("a.db"), tmp.file("b.db")}, {});
    FAIL() << "no error";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("--skip-duplicates"));
  }
  EXPECT_FALSE(std::filesystem::exists(tmp.file("out.db")));
  MergeOptions skip;
  skip.skip_duplicates = true;
  auto r = merge_studies(tmp.file("out.db"), {tmp.file("a.db"), tmp.file("b.db")}, skip);
  EXPECT_EQ(r.runs_added, 2);
  EXPECT_EQ(r.duplicates_skipped, 1);
  EXPECT_EQ(runs_of(tmp.file("out.db")), runs_of(tmp.file("a.db")));
}
