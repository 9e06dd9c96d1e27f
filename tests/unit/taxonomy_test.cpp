#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "syscalls/syscall_table.h"
#include "syscalls/taxonomy.h"

using sysaxis::syscalls::Abi;
using sysaxis::syscalls::Taxonomy;
using sysaxis::syscalls::TaxonomyError;

TEST(Taxonomy, EverySyscallOfEveryTableHasACategory) {
  const Taxonomy& t = Taxonomy::builtin();
  for (Abi abi : {Abi::x86_64, Abi::i386, Abi::x32}) {
    auto table = sysaxis::syscalls::table(abi);
    ASSERT_GT(table.size(), 300U) << sysaxis::syscalls::abi_name(abi);
    for (const auto& e : table) {
      EXPECT_TRUE(t.contains(e.name)) << e.name << " (" << sysaxis::syscalls::abi_name(abi) << " #" << e.nr
                                      << ") has no category in taxonomy/default.toml";
    }
  }
}

TEST(Taxonomy, StartingCategoriesOfTheDesign) {
  const Taxonomy& t = Taxonomy::builtin();
  EXPECT_EQ(t.category("mmap"), "memory");
  EXPECT_EQ(t.category("ioctl"), "driver");
  EXPECT_EQ(t.category("futex"), "sync");
  EXPECT_EQ(t.category("sched_yield"), "sched");
  EXPECT_EQ(t.category("clone3"), "thread");
  EXPECT_EQ(t.category("execve"), "process");
  EXPECT_EQ(t.category("openat"), "file");
  EXPECT_EQ(t.category("epoll_wait"), "poll");
  EXPECT_EQ(t.category("rt_sigaction"), "signal");
  EXPECT_EQ(t.category("clock_gettime"), "time");
  EXPECT_EQ(t.category("socket"), "ipc_net");
  EXPECT_EQ(t.category("uname"), "info");
  EXPECT_EQ(t.category("no_such_call"), Taxonomy::kUncategorised);
}

TEST(Taxonomy, UserFileOverrides) {
  Taxonomy t = Taxonomy::parse(R"(schema = "sysaxis.taxonomy/1"
[categories.io]
syscalls = ["read", "write"]
[categories.rest]
description = "all else"
syscalls = ["mmap"]
)",
                               "mine.toml");
  EXPECT_EQ(t.category("read"), "io");
  EXPECT_EQ(t.category("mmap"), "rest");
  EXPECT_EQ(t.categories(), (std::vector<std::string>{"io", "rest"}));
  EXPECT_EQ(t.description("rest"), "all else");
}

namespace {
std::string error_of(const std::string& text) {
  try {
    Taxonomy::parse(text, "bad.toml");
  } catch (const TaxonomyError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(Taxonomy, ErrorsNameTheLineAndReason) {
  EXPECT_EQ(error_of("schema = \"sysaxis.taxonomy/1\"\n[categories.a]\nsyscalls = [\"read\"]\n[categories.b]\nsyscalls "
                     "= [\n  \"read\"]\n"),
            "bad.toml:6: syscall 'read' is in both 'a' and 'b' (one category each)");
  EXPECT_EQ(error_of("schema = \"sysaxis.taxonomy/1\"\n[categories.a]\nsyscalls = [1]\n"),
            "bad.toml:3: categories.a: syscall names must be non-empty strings");
  EXPECT_NE(error_of("schema = \"sysaxis.taxonomy/1\"\n[categories.a\n").find("bad.toml:2: invalid TOML"),
            std::string::npos);
  EXPECT_EQ(error_of("schema = \"other\"\n"), "bad.toml:1: unsupported schema (expected \"sysaxis.taxonomy/1\")");
  EXPECT_EQ(error_of("schema = \"sysaxis.taxonomy/1\"\ncolour = 1\n[categories.a]\nsyscalls = []\n"),
            "bad.toml:2: unknown key 'colour' (expected 'schema', [categories.*] and [devices])");
  EXPECT_EQ(error_of("schema = \"sysaxis.taxonomy/1\"\n[categories.a]\nsyscall = [\"read\"]\n"),
            "bad.toml:3: unknown key 'syscall' in categories.a (expected description, syscalls, noun, area, colour, "
            "point, order)");
  EXPECT_EQ(error_of("schema = \"sysaxis.taxonomy/1\"\n[categories.a]\ncolour = \"red\"\nsyscalls = []\n"),
            "bad.toml:3: categories.a.colour must be \"#rrggbb\" (hexadecimal)");
  EXPECT_EQ(error_of("schema = \"sysaxis.taxonomy/1\"\n[categories.a]\npoint = 200\nsyscalls = []\n"),
            "bad.toml:3: categories.a.point must be a gnuplot point type, 0 to 99");
  EXPECT_EQ(error_of("schema = \"sysaxis.taxonomy/1\"\n[categories.a]\norder = \"first\"\nsyscalls = []\n"),
            "bad.toml:3: categories.a.order must be an integer");
  EXPECT_EQ(error_of("schema = \"sysaxis.taxonomy/1\"\n[categories.a]\nnoun = \"\"\nsyscalls = []\n"),
            "bad.toml:3: categories.a.noun must be a non-empty string");
}

TEST(Taxonomy, WordsAndOrderAreFieldsWithDefaults) {
  Taxonomy t = Taxonomy::parse(R"(schema = "sysaxis.taxonomy/1"
[categories.late]
syscalls = ["read"]
[categories.first]
noun = "first calls, named"
area = "first-area"
colour = "#123456"
point = 4
order = 5
syscalls = ["write"]
[categories.second]
order = 7
syscalls = ["mmap"]
)",
                               "mine.toml");
  // By `order`; without one after those with one.
  EXPECT_EQ(t.categories(), (std::vector<std::string>{"first", "second", "late"}));
  const auto* first = t.words("first");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(*first, (sysaxis::syscalls::CategoryWords{"first calls, named", "first-area", "#123456", 4}));
  const auto* late = t.words("late");
  ASSERT_NE(late, nullptr);
  EXPECT_EQ(late->noun, "late calls");
  EXPECT_EQ(late->area, "late");
  EXPECT_EQ(late->colour.size(), 7U);
  EXPECT_NE(late->colour, t.words("second")->colour);
  EXPECT_NE(late->colour, "#123456");
  EXPECT_EQ(t.words(Taxonomy::kUncategorised)->noun, "uncategorised calls");
  EXPECT_EQ(t.words("nothing"), nullptr);
  // Every category of the built-in taxonomy has its own colour.
  const Taxonomy& b = Taxonomy::builtin();
  std::set<std::string> colours;
  for (const auto& c : b.categories()) {
    const auto* w = b.words(c);
    ASSERT_NE(w, nullptr) << c;
    colours.insert(w->colour);
  }
  EXPECT_EQ(colours.size(), b.categories().size());
}

TEST(Taxonomy, UnreadableFile) {
  EXPECT_THROW(Taxonomy::load_file("/nonexistent/tax.toml"), TaxonomyError);
}

TEST(Taxonomy, IoctlFollowsTheDeviceClass) {
  const Taxonomy& t = Taxonomy::builtin();
  // A Python program asking whether its files are terminals (TCGETS on a file) is not driver traffic.
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"nvidiactl:RM_ALLOC:NV01_DEVICE_0", "driver"},
      {"nvidia-uvm:UVM_REGISTER_GPU", "driver"},
      {"nvidia0:_IOWR('F',0x2b,48)", "driver"},
      {"kfd:AMDKFD_IOC_ALLOC_MEMORY_OF_GPU", "driver"},
      {"drm-amdgpu:DRM_IOCTL_AMDGPU_CS", "driver"},
      {"file:TCGETS", "file"},
      {"pipe:FIONREAD", "file"},
      {"mem:TCGETS", "file"},  // /dev/null
      {"pts:TCGETS", "terminal"},
      {"tty:TIOCGWINSZ", "terminal"},
      {"/dev/tty:TCGETS", "terminal"},
      {"socket:SIOCGIFCONF", "ipc_net"},
      {"misc:_IO('K',0x01)", "device"},
      {"chr511.3:_IO(0x00,0x01)", "device"},
  };
  for (const auto& [detail, category] : cases) EXPECT_EQ(t.category("ioctl", detail), category) << detail;
  EXPECT_EQ(t.category("ioctl", ""), "driver");          // no device known: the syscall's own category
  EXPECT_EQ(t.category("mmap", "nvidiactl"), "memory");  // only the [devices] syscalls are classed
  ASSERT_NE(t.device_class("nvidiactl"), nullptr);
  EXPECT_EQ(t.device_class("nvidiactl")->name, "gpu");
  EXPECT_EQ(t.device_class("watchdog"), nullptr);
}

TEST(Taxonomy, EveryDeviceClassNamesADeclaredCategory) {
  const Taxonomy& t = Taxonomy::builtin();
  ASSERT_FALSE(t.device_classes().empty());
  const auto& cats = t.categories();
  for (const auto& c : t.device_classes()) {
    EXPECT_NE(std::find(cats.begin(), cats.end(), c.category), cats.end()) << c.name;
  }
  EXPECT_NE(std::find(cats.begin(), cats.end(), t.device_default()), cats.end());
}

TEST(Taxonomy, DeviceTableErrors) {
  const std::string head = "schema = \"sysaxis.taxonomy/1\"\n[categories.a]\nsyscalls = [\"ioctl\"]\n";
  EXPECT_EQ(error_of(head + "[devices]\nsyscalls = [\"ioctl\"]\ndefault = \"b\"\n"),
            "bad.toml:6: devices: category 'b' is not one of [categories.*]");
  EXPECT_EQ(error_of(head + "[devices]\nsyscalls = [\"ioctl\"]\n"),
            "bad.toml:4: devices: a default category is needed for devices no class matches");
  EXPECT_EQ(error_of(head + "[devices]\nsyscalls = [\"ioctl\"]\ndefault = \"a\"\n[[devices.class]]\nname = \"x\"\n"),
            "bad.toml:7: [[devices.class]] needs name, category and a non-empty match list");
  EXPECT_EQ(error_of(head + "[devices]\nsyscall = 1\n"),
            "bad.toml:5: unknown key 'syscall' in [devices] (expected syscalls, default, class)");
  Taxonomy mine = Taxonomy::parse(head +
                                      "[categories.gpu]\nsyscalls = []\n[devices]\nsyscalls = [\"ioctl\"]\n"
                                      "default = \"a\"\n[[devices.class]]\nname = \"g\"\ncategory = \"gpu\"\n"
                                      "match = [\"card*\"]\n",
                                  "mine.toml");
  EXPECT_EQ(mine.category("ioctl", "card0:X"), "gpu");
  EXPECT_EQ(mine.category("ioctl", "nvidiactl:X"), "a");
}
