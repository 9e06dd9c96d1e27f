// The category table of the plots and sentences is complete: every category of the default
// taxonomy, "other" and the non-syscall events have a colour, a point type and an area word.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "report/palette.h"
#include "report/study.h"
#include "syscalls/taxonomy.h"

namespace sysaxis::report {
namespace {

TEST(ReportPalette, CoversTheTaxonomyAndTheEvents) {
  for (const auto& c : syscalls::Taxonomy::builtin().categories()) EXPECT_TRUE(in_palette(c)) << c;
  EXPECT_TRUE(in_palette(syscalls::Taxonomy::kUncategorised));
  for (auto e : {kFaultsMinor, kFaultsMajor, kCsVoluntary, kCsInvoluntary}) EXPECT_TRUE(in_palette(e)) << e;
}

TEST(ReportPalette, EntriesAreWellFormedAndDistinct) {
  std::set<std::string_view> names;
  std::set<std::string_view> colors;
  const std::regex hex("#[0-9a-f]{6}");
  for (const auto& s : palette()) {
    EXPECT_TRUE(names.insert(s.category).second) << s.category;
    EXPECT_TRUE(colors.insert(s.color).second) << s.color << " used twice";
    EXPECT_TRUE(std::regex_match(std::string(s.color), hex)) << s.color;
    EXPECT_GE(s.point_type, 1);
    EXPECT_LE(s.point_type, 15);
    EXPECT_FALSE(s.area.empty()) << s.category;
  }
}

TEST(ReportPalette, UnknownAndDeviceCategories) {
  EXPECT_EQ(category_style("driver:nvidiactl").color, category_style("driver").color);
  EXPECT_EQ(category_area("driver:nvidiactl"), "nvidiactl driver");
  EXPECT_EQ(category_area("made_up"), "made_up");
  EXPECT_EQ(category_rank("made_up"), palette().size());
  EXPECT_LT(category_rank("memory"), category_rank("driver"));
  // Syscall categories before events, devices right after their category.
  EXPECT_TRUE(category_less("memory", "driver"));
  EXPECT_TRUE(category_less("driver", "driver:nvidiactl"));
  EXPECT_TRUE(category_less("driver:nvidiactl", "sync"));
  EXPECT_TRUE(category_less("made_up", "faults:minor"));
  EXPECT_FALSE(category_less("faults:minor", "memory"));
}

}  // namespace
}  // namespace sysaxis::report
