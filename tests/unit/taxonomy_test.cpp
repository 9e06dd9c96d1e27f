#include <gtest/gtest.h>

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
            "bad.toml:2: unknown key 'colour' (expected 'schema' and [categories.*])");
  EXPECT_EQ(error_of("schema = \"sysaxis.taxonomy/1\"\n[categories.a]\nsyscall = [\"read\"]\n"),
            "bad.toml:3: unknown key 'syscall' in categories.a (expected description, syscalls)");
}

TEST(Taxonomy, UnreadableFile) {
  EXPECT_THROW(Taxonomy::load_file("/nonexistent/tax.toml"), TaxonomyError);
}
