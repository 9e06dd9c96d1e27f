// Words, colours and numbers of the analysis and the report (src/analysis/text.h, vocabulary.h).
#include "analysis/text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "analysis/dataset.h"
#include "analysis/vocabulary.h"
#include "syscalls/taxonomy.h"

namespace an = sysaxis::analysis;

TEST(AnalysisText, EveryTaxonomyCategoryAndEventHasWordsAndAColour) {
  const an::Vocabulary words;
  std::set<std::string> colours;
  std::vector<std::string> cats = sysaxis::syscalls::Taxonomy::builtin().categories();
  for (auto c : {an::kSyscalls, an::kFaultsMinor, an::kFaultsMajor, an::kCsVoluntary, an::kCsInvoluntary, an::kCpu,
                 an::kCpuUser, an::kCpuSystem}) {
    cats.emplace_back(c);
  }
  for (const auto& c : cats) {
    EXPECT_TRUE(words.has(c)) << c;
    const auto w = words.of(c);
    EXPECT_EQ(w.colour.size(), 7U) << c;
    colours.insert(w.colour);
  }
  EXPECT_EQ(colours.size(), cats.size()) << "every category its own colour";
  EXPECT_EQ(words.of("driver:nvidiactl").noun, "ioctl calls to nvidiactl");
  EXPECT_EQ(words.of("driver:nvidiactl").colour, words.of("driver").colour);
  EXPECT_FALSE(words.has("no_such_category"));
  EXPECT_EQ(words.of("no_such_category").noun, "no_such_category calls");
}

// The words the analysis and the report used before they were fields of taxonomy/default.toml:
// the built-in taxonomy gives exactly these, so committed analyses and reports stay as they were.
TEST(AnalysisText, BuiltinTaxonomyKeepsTheWordsOfBefore) {
  struct Row {
    const char *category, *noun, *area, *colour;
    int point;
  };
  const Row before[] = {
      {"memory", "memory-management calls", "memory-management", "#1f77b4", 7},
      {"driver", "driver calls (ioctl on GPU devices)", "driver", "#d62728", 5},
      {"terminal", "terminal calls (ioctl on ttys)", "terminal", "#ff9896", 3},
      {"device", "calls to other devices (ioctl)", "device", "#c49c94", 2},
      {"sync", "synchronisation calls", "synchronisation", "#2ca02c", 9},
      {"sched", "scheduler calls", "scheduler", "#9467bd", 11},
      {"thread", "thread calls", "thread", "#ff7f0e", 13},
      {"process", "process calls", "process", "#8c564b", 4},
      {"file", "file calls", "file", "#17becf", 6},
      {"poll", "polling calls", "polling", "#e377c2", 8},
      {"signal", "signal calls", "signal", "#bcbd22", 10},
      {"time", "clock calls", "clock", "#7f7f7f", 12},
      {"ipc_net", "IPC and network calls", "IPC and network", "#393b79", 14},
      {"info", "information calls", "information", "#637939", 1},
      {"system", "system-administration calls", "system-administration", "#843c39", 2},
      {"other", "uncategorised calls", "uncategorised", "#a0a0a0", 3},
      {"syscalls", "syscalls (all categories)", "OS", "#000080", 15},
      {"faults:minor", "minor page faults", "page-fault", "#000000", 7},
      {"faults:major", "major page faults", "major-fault", "#555555", 9},
      {"cs:voluntary", "voluntary context switches", "blocking", "#b5651d", 5},
      {"cs:involuntary", "involuntary context switches", "preemption", "#6b4c9a", 11},
      {"cpu", "CPU time of the process tree", "CPU", "#e6550d", 13},
      {"cpu:user", "user CPU time", "user-CPU", "#fd8d3c", 13},
      {"cpu:system", "system CPU time", "kernel-CPU", "#a63603", 13},
  };
  const an::Vocabulary words;
  EXPECT_TRUE(words.is_builtin());
  std::vector<std::string> order;
  for (const auto& r : before) {
    const auto w = words.of(r.category);
    EXPECT_EQ(w.noun, r.noun) << r.category;
    EXPECT_EQ(w.area, r.area) << r.category;
    EXPECT_EQ(w.colour, r.colour) << r.category;
    EXPECT_EQ(w.point, r.point) << r.category;
    order.emplace_back(r.category);
  }
  // The order of before: the taxonomy's file order (a device right after "driver"), then the
  // total, faults and switches, CPU time, each group by name.
  std::vector<std::string> sorted = order;
  std::reverse(sorted.begin(), sorted.end());
  sorted.emplace_back("driver:nvidiactl");
  std::sort(sorted.begin(), sorted.end(), words.order());
  order.resize(16);  // the taxonomy's and "other"
  order.insert(order.begin() + 2, "driver:nvidiactl");
  order.insert(order.end(), {"syscalls", "cs:involuntary", "cs:voluntary", "faults:major", "faults:minor", "cpu",
                             "cpu:system", "cpu:user"});
  EXPECT_EQ(sorted, order);
}

TEST(AnalysisText, AUserCategoryGetsANounAColourAndAPlace) {
  const auto t = sysaxis::syscalls::Taxonomy::parse(R"(schema = "sysaxis.taxonomy/1"
[categories.gpu_mem]
syscalls = ["mmap", "munmap"]
[categories.memory]
noun = "memory-management calls"
colour = "#1f77b4"
order = 10
syscalls = ["brk"]
[categories.rest]
syscalls = ["read"]
)",
                                                    "mine.toml");
  const an::Vocabulary words(t);
  EXPECT_FALSE(words.is_builtin());
  EXPECT_TRUE(words.has("gpu_mem"));
  const auto w = words.of("gpu_mem");
  EXPECT_EQ(w.noun, "gpu_mem calls");
  EXPECT_EQ(w.area, "gpu_mem");
  ASSERT_EQ(w.colour.size(), 7U);
  EXPECT_NE(w.colour, "#b0b0b0");  // the grey of a name no vocabulary knows
  EXPECT_NE(w.colour, words.of("other").colour);
  EXPECT_NE(w.colour, words.of("memory").colour);
  EXPECT_NE(w.colour, words.of("rest").colour);
  EXPECT_EQ(words.of("memory").noun, "memory-management calls");
  EXPECT_EQ(words.of("memory").area, "memory");  // not given: the name
  // Categories with an order first, the others after them in file order, then uncategorised calls.
  std::vector<std::string> cats = {"other", "rest", "syscalls", "gpu_mem", "memory", "faults:minor"};
  std::sort(cats.begin(), cats.end(), words.order());
  EXPECT_EQ(cats, (std::vector<std::string>{"memory", "gpu_mem", "rest", "other", "syscalls", "faults:minor"}));
  // The same file gives the same words: the palette is deterministic.
  EXPECT_EQ(an::Vocabulary(sysaxis::syscalls::Taxonomy::parse(
                               R"(schema = "sysaxis.taxonomy/1"
[categories.gpu_mem]
syscalls = ["mmap", "munmap"]
)",
                               "again.toml"))
                .of("gpu_mem")
                .colour,
            an::Vocabulary(sysaxis::syscalls::Taxonomy::parse(
                               R"(schema = "sysaxis.taxonomy/1"
[categories.gpu_mem]
syscalls = ["mmap"]
)",
                               "again2.toml"))
                .of("gpu_mem")
                .colour);
}

TEST(AnalysisText, Numbers) {
  EXPECT_EQ(an::human_bytes(4096), "4 KiB");
  EXPECT_EQ(an::human_bytes(1.5 * 1024 * 1024), "1.5 MiB");
  EXPECT_EQ(an::human_time(850), "850 ns");
  EXPECT_EQ(an::human_time(73000), "73 µs");
  EXPECT_EQ(an::human_time(1.2e6), "1.2 ms");
  EXPECT_EQ(an::human_time(3.4e9), "3.4 s");
  EXPECT_EQ(an::fmt_num(12345), "12,345");
  EXPECT_EQ(an::fmt_num(0.1234), "0.123");
  EXPECT_EQ(an::join_words({"a", "b", "c"}), "a, b and c");
  EXPECT_EQ(an::count_noun(1, "run", "runs"), "1 run");
}
