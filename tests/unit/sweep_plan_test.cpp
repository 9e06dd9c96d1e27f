#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "sweep/plan.h"
#include "sweep/spec.h"

using namespace sysaxis::sweep;
using sysaxis::store::Cell;
using ::testing::HasSubstr;

namespace {

const std::string kSpec = R"(schema = "sysaxis.spec/1"
study = "t"
repetitions = 3
timeout = "1m"
seed = 5

[[backend]]
name = "cpu"

[[backend]]
name = "opencl"
platform = "P"

[[sweep]]
name = "Q1"
exec = ["cpu", "alloc", "kernels"]
bytes = "4KiB..64KiB x4"
iters = 10

[[sweep]]
name = "Q2"
exec = ["cpu", "alloc", "kernels"]
bytes = "16KiB"
iters = [1, 10, 100]

[[sweep]]
name = "Q3"
exec = ["cpu", "alloc", "kernels"]
bytes = "16KiB"
iters = 10
alloc_op = ["free", "copy"]
sync = ["each", "end"]
threads = [1, 2]
)";

std::size_t count_if_cells(const Plan& p, const std::function<bool(const Cell&)>& f) {
  return static_cast<std::size_t>(
      std::count_if(p.cells.begin(), p.cells.end(), [&](const PlannedCell& c) { return f(c.record.cell); }));
}

}  // namespace

TEST(Plan, CellsAreDeduplicatedAcrossSweeps) {
  Plan p = make_plan(parse_spec(kSpec, "t.toml"), "tax");
  // cpu: Q1 3 sizes, Q2 adds iters 1 and 100, Q3 adds threads=2 -> 6.
  // opencl: Q1 3x2, Q2 +2x2, Q3 adds alloc copy and kernels end -> 12.
  EXPECT_EQ(count_if_cells(p, [](const Cell& c) { return c.backend == "cpu"; }), 6U);
  EXPECT_EQ(count_if_cells(p, [](const Cell& c) { return c.backend == "opencl"; }), 12U);
  std::set<std::string> keys;
  for (const auto& c : p.cells) EXPECT_TRUE(keys.insert(c.record.cell.key()).second) << c.record.cell.key();
  // The shared point (16KiB, 10) serves all three sweeps.
  for (const auto& c : p.cells) {
    const Cell& x = c.record.cell;
    if (x.backend == "cpu" && x.bytes == 16384 && x.iters == 10 && x.threads == 1) {
      EXPECT_EQ(c.record.sweeps.size(), 3U);
    }
  }
}

TEST(Plan, OptionsOnlyWhereTheyApply) {
  Plan p = make_plan(parse_spec(kSpec, "t.toml"), "tax");
  for (const auto& pc : p.cells) {
    const Cell& c = pc.record.cell;
    if (c.exec != "alloc") {
      EXPECT_EQ(c.alloc_op, "free") << c.key();
    }
    if (c.exec != "kernels") {
      EXPECT_EQ(c.sync, "each") << c.key();
    }
    if (c.exec != "cpu") {
      EXPECT_EQ(c.threads, 1U) << c.key();
    }
    EXPECT_EQ(c.exec == "cpu", c.backend == "cpu") << c.key();
    EXPECT_EQ(c.platform, c.backend == "opencl" ? "P" : "");
  }
  EXPECT_EQ(count_if_cells(p, [](const Cell& c) { return c.alloc_op == "copy"; }), 1U);
  EXPECT_EQ(count_if_cells(p, [](const Cell& c) { return c.sync == "end"; }), 1U);
  ASSERT_EQ(p.targets.size(), 2U);
  EXPECT_EQ(p.targets[1].label(), "opencl (P)");
}

TEST(Plan, HashCoversTheDesignOnly) {
  const Plan a = make_plan(parse_spec(kSpec, "t.toml"), "tax");
  EXPECT_EQ(a.hash.size(), 64U);
  // Comments, seed, timeout and paths do not change the study.
  std::string other = kSpec;
  other.replace(other.find("seed = 5"), 8, "seed = 6");
  other.replace(other.find("timeout = \"1m\""), 14, "timeout = \"9m\"");
  other = "# a comment\n" + other;
  EXPECT_EQ(make_plan(parse_spec(other, "elsewhere/t.toml"), "tax").hash, a.hash);
  // Repetitions, cells, environment and taxonomy do.
  std::string reps = kSpec;
  reps.replace(reps.find("repetitions = 3"), 15, "repetitions = 4");
  EXPECT_NE(make_plan(parse_spec(reps, "t.toml"), "tax").hash, a.hash);
  std::string cells = kSpec;
  cells.replace(cells.find("iters = [1, 10, 100]"), 20, "iters = [1, 10, 1000]");
  EXPECT_NE(make_plan(parse_spec(cells, "t.toml"), "tax").hash, a.hash);
  EXPECT_NE(make_plan(parse_spec(kSpec + "\n[env]\nX = \"1\"\n", "t.toml"), "tax").hash, a.hash);
  EXPECT_NE(make_plan(parse_spec(kSpec, "t.toml"), "other taxonomy").hash, a.hash);
}

TEST(Plan, ShardsPartitionTheCells) {
  for (int n : {1, 2, 3, 7, 40}) {
    std::vector<int> seen(18, 0);
    for (int i = 0; i < n; ++i) {
      for (auto c : shard_cells(18, Shard{i, n})) ++seen[c];
    }
    for (int s : seen) EXPECT_EQ(s, 1) << "n=" << n;
  }
  EXPECT_EQ(shard_cells(10, Shard{1, 3}), (std::vector<std::size_t>{1, 4, 7}));
}

TEST(Plan, ParseShard) {
  Shard s = parse_shard("2/5");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 5);
  EXPECT_EQ(s.text(), "2/5");
  for (auto bad : {"5/5", "-1/3", "1", "a/b", "1/0", "1/2/3", "", "1/ 2"}) {
    EXPECT_THROW(parse_shard(bad), std::invalid_argument) << bad;
  }
}

namespace {
// A Slurm environment: SLURM_* variables by name, without the prefix.
EnvLookup slurm_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    const std::string n(name);
    if (n.rfind("SLURM_", 0) != 0) return nullptr;
    auto it = vars.find(n.substr(6));
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

std::string slurm_error(std::map<std::string, std::string> vars) {
  try {
    (void)shard_from_slurm(slurm_env(std::move(vars)));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(Plan, ShardFromSlurmArrayVariables) {
  // --array=0-3: the task id is the shard.
  for (int id = 0; id < 4; ++id) {
    Shard s = shard_from_slurm(slurm_env({{"ARRAY_TASK_ID", std::to_string(id)},
                                          {"ARRAY_TASK_COUNT", "4"},
                                          {"ARRAY_TASK_MIN", "0"},
                                          {"ARRAY_TASK_MAX", "3"},
                                          {"ARRAY_TASK_STEP", "1"}}));
    EXPECT_EQ(s.text(), fmt::format("{}/4", id));
  }
  // --array=1-4: shards 0/4 .. 3/4, not 4/4.
  EXPECT_EQ(shard_from_slurm(slurm_env({{"ARRAY_TASK_ID", "4"},
                                        {"ARRAY_TASK_COUNT", "4"},
                                        {"ARRAY_TASK_MIN", "1"},
                                        {"ARRAY_TASK_MAX", "4"},
                                        {"ARRAY_TASK_STEP", "1"}}))
                .text(),
            "3/4");
  // --array=2-8:3 (tasks 2, 5, 8), as Slurm 22.05 sets it; STEP and MAX may be absent.
  EXPECT_EQ(shard_from_slurm(slurm_env({{"ARRAY_TASK_ID", "5"},
                                        {"ARRAY_TASK_COUNT", "3"},
                                        {"ARRAY_TASK_MIN", "2"},
                                        {"ARRAY_TASK_MAX", "8"},
                                        {"ARRAY_TASK_STEP", "3"}}))
                .text(),
            "1/3");
  EXPECT_EQ(
      shard_from_slurm(slurm_env({{"ARRAY_TASK_ID", "7"}, {"ARRAY_TASK_COUNT", "8"}, {"ARRAY_TASK_MIN", "0"}})).text(),
      "7/8");

  // Outside a job, in a job that is no array, and arrays that are no evenly spaced range.
  EXPECT_THAT(slurm_error({}), HasSubstr("not inside a Slurm job array (SLURM_ARRAY_TASK_ID is not set)"));
  EXPECT_THAT(slurm_error({{"JOB_ID", "42"}}), HasSubstr("Slurm job 42 is not a job array"));
  // --array=1,3,7 (Slurm: COUNT=3, MIN=1, MAX=7, STEP=1).
  EXPECT_THAT(slurm_error({{"ARRAY_TASK_ID", "3"},
                           {"ARRAY_TASK_COUNT", "3"},
                           {"ARRAY_TASK_MIN", "1"},
                           {"ARRAY_TASK_MAX", "7"},
                           {"ARRAY_TASK_STEP", "1"}}),
              HasSubstr("not one evenly spaced range"));
  EXPECT_THAT(slurm_error({{"ARRAY_TASK_ID", "9"}, {"ARRAY_TASK_COUNT", "4"}, {"ARRAY_TASK_MIN", "0"}}),
              HasSubstr("SLURM_ARRAY_TASK_ID=9 is not one of the array's indexes 0 to 3"));
  EXPECT_THAT(slurm_error({{"ARRAY_TASK_ID", "1"}, {"ARRAY_TASK_MIN", "0"}}),
              HasSubstr("SLURM_ARRAY_TASK_COUNT is not"));
  EXPECT_THAT(slurm_error({{"ARRAY_TASK_ID", "x"}, {"ARRAY_TASK_COUNT", "4"}, {"ARRAY_TASK_MIN", "0"}}),
              HasSubstr("SLURM_ARRAY_TASK_ID=\"x\" is not a task index"));
  EXPECT_THAT(slurm_error({{"ARRAY_TASK_ID", "0"}, {"ARRAY_TASK_COUNT", "0"}, {"ARRAY_TASK_MIN", "0"}}),
              HasSubstr("must be at least 1"));
}

TEST(Plan, ScheduleIsBlockedShuffledAndDeterministic) {
  std::vector<std::size_t> cells(20);
  for (std::size_t i = 0; i < cells.size(); ++i) cells[i] = i;
  const auto a = schedule(cells, 4, 1);
  ASSERT_EQ(a.size(), 80U);
  std::set<std::pair<std::size_t, std::int64_t>> all;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].rep, static_cast<std::int64_t>(i / 20 + 1));  // repetition blocks in order
    all.insert({a[i].cell, a[i].rep});
  }
  EXPECT_EQ(all.size(), 80U);  // every (cell, rep) exactly once
  EXPECT_EQ(schedule(cells, 4, 1), a);
  EXPECT_NE(schedule(cells, 4, 2), a);
  // Shuffled, and differently in each repetition block.
  std::vector<std::size_t> first, second;
  for (std::size_t i = 0; i < 20; ++i) {
    first.push_back(a[i].cell);
    second.push_back(a[20 + i].cell);
  }
  EXPECT_NE(first, cells);
  EXPECT_NE(first, second);
}

TEST(Plan, ShuffleIsStableAcrossPlatforms) {
  // The order is our own (SplitMix64 + Fisher-Yates), not std::shuffle's: it must not change
  // with the compiler or standard library, or resumed and sharded sweeps would disagree.
  SplitMix64 r(0);
  EXPECT_EQ(r.next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(r.next(), 0x6e789e6aa1b965f4ULL);
  const auto s = schedule({0, 1, 2, 3, 4, 5, 6, 7}, 1, 1);
  std::vector<std::size_t> order;
  order.reserve(s.size());
  for (const auto& t : s) order.push_back(t.cell);
  EXPECT_EQ(order, (std::vector<std::size_t>{5, 1, 2, 4, 3, 0, 6, 7}));
}

TEST(Plan, Describe) {
  Cell c;
  c.backend = "opencl";
  c.exec = "kernels";
  c.bytes = 16 << 20;
  c.iters = 100;
  c.sync = "end";
  EXPECT_EQ(describe(c), "opencl kernels 16MiB iters=100 sync=end");
  Cell r;
  r.workload = "resnet";
  r.backend = "torch";
  r.exec = "cpu";
  r.bytes = 4;
  r.iters = 3;
  EXPECT_EQ(describe(r), "resnet cpu batch=4 iters=3");
}

// The frozen Phase-1 study gives every question the runs it needs.
TEST(Specs, Phase1AnswersEveryQuestion) {
  const Spec spec = load_spec(std::string(SYSAXIS_SOURCE_DIR) + "/specs/phase1.toml");
  EXPECT_GE(spec.repetitions, 5);
  const Plan p = make_plan(spec, "tax");
  std::set<std::string> backends;
  for (const auto& b : spec.backends) backends.insert(b.name);
  EXPECT_EQ(backends, (std::set<std::string>{"cpu", "opencl", "hip", "cuda"}));
  for (const auto& b : spec.backends) {
    if (b.name == "cpu" || (b.name == "opencl" && b.platform == "Portable Computing Language")) {
      EXPECT_FALSE(b.optional) << b.name;
    } else {
      EXPECT_TRUE(b.optional) << b.name << " " << b.platform;
    }
  }
  // For every backend target and exec model: Q1 >= 4 sizes at each of >= 2 iters, Q2 >= 4 iters at
  // each of >= 2 sizes, and one Q3 point where every exec model of the runtime and the cpu baseline meet.
  std::map<std::string, std::set<std::string>> q3_points;
  for (const auto& t : p.targets) {
    if (t.workload != "micro") continue;
    for (auto exec : find_backend(t.backend)->exec) {
      std::map<std::uint64_t, std::set<std::uint64_t>> sizes_at_iters, iters_at_size;
      for (const auto& pc : p.cells) {
        const Cell& c = pc.record.cell;
        if (c.backend != t.backend || c.platform != t.platform || c.exec != exec || c.alloc_op != "free" ||
            c.sync != "each" || c.threads != 1) {
          continue;
        }
        for (const auto& tag : pc.record.sweeps) {
          if (tag.question == "Q1") sizes_at_iters[c.iters].insert(c.bytes);
          if (tag.question == "Q2") iters_at_size[c.bytes].insert(c.iters);
          if (tag.question == "Q3") q3_points[t.label()].insert(fmt::format("{}@{}x{}", exec, c.bytes, c.iters));
        }
      }
      // The crossed design (DESIGN.md "Analysis"): Q1 at two or more iters, Q2 at two or more
      // bytes, one of them at or above the allocators' mmap threshold (64 MiB).
      ASSERT_GE(sizes_at_iters.size(), 2U) << t.label() << " " << exec;
      for (const auto& [iters, sizes] : sizes_at_iters) EXPECT_GE(sizes.size(), 4U) << t.label() << " " << exec;
      ASSERT_GE(iters_at_size.size(), 2U) << t.label() << " " << exec;
      for (const auto& [bytes, iters] : iters_at_size) EXPECT_GE(iters.size(), 4U) << t.label() << " " << exec;
      EXPECT_GE(iters_at_size.rbegin()->first, 64U << 20) << t.label() << " " << exec;
    }
  }
  EXPECT_EQ(q3_points["cpu"], (std::set<std::string>{"cpu@1048576x100"}));
  EXPECT_EQ(q3_points["opencl (Portable Computing Language)"],
            (std::set<std::string>{"alloc@1048576x100", "kernels@1048576x100"}));
  // ResNet on the CPU, required; on CUDA where present.
  ASSERT_TRUE(spec.resnet.has_value());
  EXPECT_EQ(spec.resnet->devices, (std::vector<std::string>{"cpu", "cuda"}));
  EXPECT_EQ(spec.resnet->optional, std::vector<std::string>{"cuda"});
  EXPECT_GE(count_if_cells(p, [](const Cell& c) { return c.workload == "resnet" && c.exec == "cpu"; }), 3U);
}

TEST(Specs, SmokeIsSmall) {
  const Spec spec = load_spec(std::string(SYSAXIS_SOURCE_DIR) + "/specs/smoke.toml");
  const Plan p = make_plan(spec, "tax");
  std::uint64_t bytes_iters = 0;
  for (const auto& pc : p.cells) {
    if (pc.record.cell.workload == "micro") bytes_iters += pc.record.cell.bytes * pc.record.cell.iters;
  }
  EXPECT_LE(p.cells.size() * static_cast<std::size_t>(spec.repetitions), 60U);
  EXPECT_LE(bytes_iters, 64ULL << 20);
}

// The perturbation spec measures, under ptrace, cells that phase 1 measures (with eBPF): the same
// cells, so that the report can put the two engines side by side.
TEST(Specs, PerturbationRepeatsPhase1CellsUnderPtrace) {
  const Spec phase1 = load_spec(std::string(SYSAXIS_SOURCE_DIR) + "/specs/phase1.toml");
  const Spec perturbation = load_spec(std::string(SYSAXIS_SOURCE_DIR) + "/specs/perturbation.toml");
  EXPECT_EQ(perturbation.engine, "ptrace");
  EXPECT_EQ(perturbation.repetitions, phase1.repetitions);
  std::set<std::string> in_phase1;
  for (const auto& pc : make_plan(phase1, "tax").cells) in_phase1.insert(describe(pc.record.cell));
  const Plan p = make_plan(perturbation, "tax");
  EXPECT_GE(p.cells.size(), 10U);
  for (const auto& pc : p.cells) EXPECT_TRUE(in_phase1.count(describe(pc.record.cell))) << describe(pc.record.cell);
}
