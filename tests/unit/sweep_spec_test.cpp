#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sweep/spec.h"

using namespace sysaxis::sweep;
using ::testing::HasSubstr;

namespace {

const std::string kHeader = R"(schema = "sysaxis.spec/1"
study = "t"
repetitions = 3
)";

const std::string kMinimal = kHeader + R"(
[[backend]]
name = "cpu"

[[sweep]]
name = "s"
exec = "cpu"
bytes = 4096
iters = 1
)";

std::string error_of(const std::string& text) {
  try {
    parse_spec(text, "spec.toml");
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(SpecValues, Sizes) {
  EXPECT_EQ(parse_size("4096"), 4096U);
  EXPECT_EQ(parse_size("64KiB"), 64U << 10);
  EXPECT_EQ(parse_size("16MiB"), 16U << 20);
  EXPECT_EQ(parse_size("1GiB"), 1ULL << 30);
  EXPECT_EQ(parse_size("2G"), 2ULL << 30);
  EXPECT_EQ(parse_size(" 8 K "), 8U << 10);
  EXPECT_THROW(parse_size("12 apples"), std::invalid_argument);
  EXPECT_THROW(parse_size("0"), std::invalid_argument);
  EXPECT_THROW(parse_size("MiB"), std::invalid_argument);
  EXPECT_THROW(parse_size("99999999999999999999"), std::invalid_argument);
  EXPECT_THROW(parse_size("99999999999TiB"), std::invalid_argument);
  EXPECT_EQ(format_size(1U << 20), "1MiB");
  EXPECT_EQ(format_size(3 << 10), "3KiB");
  EXPECT_EQ(format_size(1000), "1000");
}

TEST(SpecValues, Ranges) {
  EXPECT_EQ(parse_range("1MiB..256MiB x4", true),
            (std::vector<std::uint64_t>{1U << 20, 4U << 20, 16U << 20, 64U << 20, 256U << 20}));
  EXPECT_EQ(parse_range("1..1000 x10", false), (std::vector<std::uint64_t>{1, 10, 100, 1000}));
  EXPECT_EQ(parse_range("10..50 +10", false), (std::vector<std::uint64_t>{10, 20, 30, 40, 50}));
  EXPECT_EQ(parse_range("4KiB..12KiB +4KiB", true), (std::vector<std::uint64_t>{4096, 8192, 12288}));
  EXPECT_EQ(parse_range("5..5 x2", false), (std::vector<std::uint64_t>{5}));
  EXPECT_THROW(parse_range("1MiB..100MiB x4", true), std::invalid_argument);  // 100 MiB is off the grid
  EXPECT_THROW(parse_range("8..4 x2", false), std::invalid_argument);
  EXPECT_THROW(parse_range("1..8 x1", false), std::invalid_argument);
  EXPECT_THROW(parse_range("1..8 +0", false), std::invalid_argument);
  EXPECT_THROW(parse_range("1..8", false), std::invalid_argument);
  EXPECT_THROW(parse_range("1..8 *2", false), std::invalid_argument);
  EXPECT_THROW(parse_range("1..100000000 +1", false), std::invalid_argument);  // too many values
}

TEST(SpecValues, Durations) {
  EXPECT_DOUBLE_EQ(parse_duration("90"), 90);
  EXPECT_DOUBLE_EQ(parse_duration("90s"), 90);
  EXPECT_DOUBLE_EQ(parse_duration("5m"), 300);
  EXPECT_DOUBLE_EQ(parse_duration("1h"), 3600);
  EXPECT_DOUBLE_EQ(parse_duration("250ms"), 0.25);
  EXPECT_THROW(parse_duration("0s"), std::invalid_argument);
  EXPECT_THROW(parse_duration("soon"), std::invalid_argument);
  EXPECT_THROW(parse_duration("5 days"), std::invalid_argument);
}

TEST(SpecParse, FullSpec) {
  Spec s = parse_spec(kHeader + R"(
description = "d"
engine = "ptrace"
timeout = "90s"
seed = 7
taxonomy = "tax.toml"

[env]
POCL_CACHE_DIR = "/tmp/x"

[options]
sync = ["each", "end"]

[[backend]]
name = "cpu"

[[backend]]
name = "opencl"
platform = "Portable Computing Language"
device = "0"
optional = true

[[sweep]]
name = "Q1-size"
question = "Q1"
exec = ["cpu", "alloc", "kernels"]
bytes = ["1MiB..4MiB x2", 4096, "1MiB"]
iters = 10
alloc_op = "copy"

[[sweep]]
name = "Q2"
backends = ["opencl"]
exec = "kernels"
bytes = "64KiB"
iters = "1..100 x10"

[resnet]
script = "../workloads/resnet/resnet.py"
devices = ["cpu", "cuda"]
optional = "cuda"

[[resnet.sweep]]
name = "R"
batch = [1, 2]
iters = 3
)",
                      "dir/spec.toml");
  EXPECT_EQ(s.study, "t");
  EXPECT_EQ(s.repetitions, 3);
  EXPECT_EQ(s.engine, "ptrace");
  EXPECT_DOUBLE_EQ(s.timeout_s, 90);
  EXPECT_EQ(s.seed, 7U);
  EXPECT_EQ(s.taxonomy_path, "dir/tax.toml");
  EXPECT_EQ(s.env.at("POCL_CACHE_DIR"), "/tmp/x");
  ASSERT_EQ(s.backends.size(), 2U);
  EXPECT_EQ(s.backends[1].platform, "Portable Computing Language");
  EXPECT_TRUE(s.backends[1].optional);
  ASSERT_EQ(s.sweeps.size(), 2U);
  EXPECT_EQ(s.sweeps[0].question, "Q1");
  EXPECT_EQ(s.sweeps[0].bytes, (std::vector<std::uint64_t>{4096, 1U << 20, 2U << 20, 4U << 20}));  // sorted, unique
  EXPECT_EQ(s.sweeps[0].alloc_op, std::vector<std::string>{"copy"});
  EXPECT_EQ(s.sweeps[0].sync, (std::vector<std::string>{"each", "end"}));  // from [options]
  EXPECT_EQ(s.sweeps[1].question, "Q2");                                   // defaults to the name
  EXPECT_EQ(s.sweeps[1].iters, (std::vector<std::uint64_t>{1, 10, 100}));
  ASSERT_TRUE(s.resnet.has_value());
  EXPECT_EQ(s.resnet->python, "python3");
  EXPECT_EQ(s.resnet->script_path, "workloads/resnet/resnet.py");
  EXPECT_EQ(s.resnet->optional, std::vector<std::string>{"cuda"});
  EXPECT_EQ(s.resnet->sweeps[0].batch, (std::vector<std::uint64_t>{1, 2}));
}

TEST(SpecParse, Defaults) {
  Spec s = parse_spec(kMinimal, "spec.toml");
  EXPECT_EQ(s.engine, "auto");
  EXPECT_DOUBLE_EQ(s.timeout_s, 300);
  EXPECT_EQ(s.seed, 1U);
  EXPECT_EQ(s.sweeps[0].alloc_op, std::vector<std::string>{"free"});
  EXPECT_EQ(s.sweeps[0].threads, std::vector<std::uint64_t>{1});
}

// Every invalid spec names the file and line, the key, and what was expected.
TEST(SpecParse, ErrorsNameLineKeyAndExpectation) {
  struct Case {
    std::string text;
    std::vector<std::string> parts;
  };
  const std::string backend_cpu = "\n[[backend]]\nname = \"cpu\"\n";  // lines 5-6 after kHeader
  const std::vector<Case> cases = {
      {"schema = \"sysaxis.spec/2\"\n", {"spec.toml:1:", "schema", "sysaxis.spec/1"}},
      {"study = \"t\"\n", {"spec.toml:1:", "schema", "missing"}},
      {kHeader + "colour = \"red\"\n", {"spec.toml:4:", "colour", "unknown key", "repetitions"}},
      {kHeader + "engine = \"dtrace\"\n", {"spec.toml:4:", "engine", "auto | ptrace | ebpf", "dtrace"}},
      {"schema = \"sysaxis.spec/1\"\nstudy = \"t\"\nrepetitions = 0\n", {"spec.toml:3:", "repetitions", "1 to"}},
      {"schema = \"sysaxis.spec/1\"\nstudy = \"my study\"\nrepetitions = 1\n", {"spec.toml:2:", "study", "letters"}},
      {kHeader + "timeout = \"soon\"\n", {"spec.toml:4:", "timeout", "duration"}},
      {kHeader, {"nothing to run"}},
      {kHeader + backend_cpu, {"backends without any [[sweep]]"}},
      {kHeader + "\n[[backend]]\nname = \"metal\"\n", {"spec.toml:6:", "backend[0].name", "cpu | opencl | cuda | hip"}},
      {kHeader + "\n[[backend]]\nname = \"cpu\"\nplatform = \"x\"\n",
       {"spec.toml:7:", "backend[0].platform", "no platforms"}},
      {kHeader + "\n[[backend]]\nplatform = \"x\"\n", {"spec.toml:5:", "backend[0].name", "missing"}},
      {kHeader + "\n[[backend]]\nname = \"cpu\"\noptional = \"yes\"\n",
       {"spec.toml:7:", "backend[0].optional", "true or false"}},
      {kHeader + backend_cpu + backend_cpu, {"spec.toml:8:", "backend[1]", "repeats"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = 4096\n",
       {"spec.toml:8:", "sweep[0].iters", "missing", "count"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = []\niters = 1\n",
       {"spec.toml:11:", "sweep[0].bytes", "empty axis"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = 4097\niters = 1\n",
       {"spec.toml:11:", "sweep[0].bytes", "multiple of 4"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = \"2TiB\"\niters = 1\n",
       {"spec.toml:11:", "sweep[0].bytes", "out of range", "1TiB"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = \"12 apples\"\niters = 1\n",
       {"spec.toml:11:", "sweep[0].bytes", "unknown unit", "expected a size"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = \"1MiB..100MiB x4\"\niters = 1\n",
       {"spec.toml:11:", "sweep[0].bytes", "not on the grid", "64MiB"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = true\niters = 1\n",
       {"spec.toml:11:", "sweep[0].bytes", "got true"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = 4096\niters = -3\n",
       {"spec.toml:12:", "sweep[0].iters", "not positive"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"gpu\"\nbytes = 4096\niters = 1\n",
       {"spec.toml:10:", "sweep[0].exec", "cpu | alloc | kernels", "\"gpu\""}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"kernels\"\nbytes = 4096\niters = 1\n",
       {"spec.toml:10:", "sweep[0].exec", "no backend of this sweep runs exec \"kernels\"", "opencl, cuda, hip"}},
      {kHeader + backend_cpu +
           "\n[[sweep]]\nname = \"s\"\nbackends = \"opencl\"\nexec = \"cpu\"\nbytes = 4\niters = 1\n",
       {"spec.toml:10:", "sweep[0].backends", "cpu", "\"opencl\""}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = 4\niters = 1\nsync = \"never\"\n",
       {"spec.toml:13:", "sweep[0].sync", "each | end"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = 4\niters = 1\nthreads = 0\n",
       {"spec.toml:13:", "sweep[0].threads", "not positive"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = 4\niters = 1\nsize = 3\n",
       {"spec.toml:13:", "sweep[0].size", "unknown key", "bytes"}},
      {kHeader + backend_cpu + "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = 4\niters = 1\n" +
           "\n[[sweep]]\nname = \"s\"\nexec = \"cpu\"\nbytes = 8\niters = 1\n",
       {"spec.toml:15:", "sweep[1].name", "used twice"}},
      {kHeader + "\n[resnet]\nscript = \"r.py\"\ndevices = [\"cpu\"]\n", {"spec.toml:5:", "resnet.sweep", "missing"}},
      {kHeader + "\n[resnet]\nscript = \"r.py\"\ndevices = [\"tpu\"]\n",
       {"spec.toml:7:", "resnet.devices", "cpu | cuda"}},
      {kHeader + "\n[resnet]\nscript = \"r.py\"\ndevices = \"cpu\"\noptional = \"cuda\"\n",
       {"spec.toml:8:", "resnet.optional", "\"cuda\""}},
      {kHeader + "\n[resnet]\nscript = \"r.py\"\ndevices = \"cpu\"\n[[resnet.sweep]]\nname = \"r\"\nbatch = "
                 "5000\niters = 1\n",
       {"spec.toml:10:", "resnet.sweep[0].batch", "out of range"}},
      {kHeader + "\n[env]\nX = 3\n", {"spec.toml:6:", "env.X", "string"}},
      {kHeader + "[[backend\n", {"spec.toml:4:", "invalid TOML"}},
  };
  for (const auto& c : cases) {
    const std::string err = error_of(c.text);
    for (const auto& part : c.parts) EXPECT_THAT(err, HasSubstr(part)) << "spec:\n" << c.text;
  }
}

TEST(SpecParse, UnreadableFile) {
  try {
    load_spec("/nonexistent/spec.toml");
    FAIL() << "no error";
  } catch (const SpecError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/spec.toml: cannot read"));
  }
}

TEST(SpecParse, BackendTableCoversTheContract) {
  // CONTRACTS.md: cpu runs only `cpu`; the GPU backends run alloc and kernels.
  for (auto name : {"cpu", "opencl", "cuda", "hip"}) ASSERT_NE(find_backend(name), nullptr) << name;
  EXPECT_EQ(find_backend("cpu")->exec, std::vector<std::string_view>{"cpu"});
  for (auto name : {"opencl", "cuda", "hip"}) {
    EXPECT_EQ(find_backend(name)->exec, (std::vector<std::string_view>{"alloc", "kernels"})) << name;
  }
  EXPECT_TRUE(find_backend("opencl")->platform);
  EXPECT_EQ(find_backend("metal"), nullptr);
}
