#include <gtest/gtest.h>

#include "syscalls/ioctl.h"
#include "syscalls/syscall_table.h"
#include "trace/output.h"
#include "trace/trace.h"

using namespace sysaxis;

TEST(Marker, ParsesValidMarkers) {
  EXPECT_EQ(trace::parse_marker("sysaxis:phase:work"), "work");
  EXPECT_EQ(trace::parse_marker("sysaxis:phase:init\n"), "init");
  EXPECT_EQ(trace::parse_marker(std::string_view("sysaxis:phase:tear-down.2\0", 26)), "tear-down.2");
}

TEST(Marker, RejectsOtherWrites) {
  EXPECT_FALSE(trace::parse_marker("sysaxis:phase:"));
  EXPECT_FALSE(trace::parse_marker("hello world"));
  EXPECT_FALSE(trace::parse_marker("sysaxis:phase:has space"));
  EXPECT_FALSE(trace::parse_marker("sysaxis:phase:" + std::string(60, 'a')));
}

TEST(SyscallTable, NamesComeFromTheirAbi) {
  using syscalls::Abi;
  EXPECT_EQ(syscalls::syscall_name(Abi::x86_64, 0), "read");
  EXPECT_EQ(syscalls::syscall_name(Abi::x86_64, 1), "write");
  EXPECT_EQ(syscalls::syscall_name(Abi::i386, 4), "write");  // the same number is "stat" on x86_64
  EXPECT_EQ(syscalls::syscall_name(Abi::x86_64, 4), "stat");
  EXPECT_EQ(syscalls::syscall_name(Abi::x86_64, 999), "syscall_999");
  EXPECT_EQ(syscalls::syscall_number(Abi::x86_64, "ioctl"), 16);
  EXPECT_EQ(syscalls::syscall_number(Abi::i386, "ioctl"), 54);
  // x32 calls carry __X32_SYSCALL_BIT; the kernel reports AUDIT_ARCH_X86_64 for them.
  constexpr std::uint32_t kAuditX86_64 = 0xC000003EU, kAuditI386 = 0x40000003U;
  EXPECT_EQ(syscalls::abi_from_audit_arch(kAuditX86_64, 0x40000000L + 1), Abi::x32);
  EXPECT_EQ(syscalls::table_number(Abi::x32, 0x40000000L + 1), 1);
  EXPECT_EQ(syscalls::abi_from_audit_arch(kAuditI386, 4), Abi::i386);
  EXPECT_EQ(syscalls::abi_from_audit_arch(0x12345678U, 4), Abi::unknown);
}

TEST(Ioctl, GenericSplit) {
  auto p = syscalls::split_ioctl(0xc030462bULL);  // _IOWR('F', 0x2b, 48)
  EXPECT_EQ(p.dir, 3U);
  EXPECT_EQ(p.type, static_cast<unsigned>('F'));
  EXPECT_EQ(p.nr, 0x2bU);
  EXPECT_EQ(p.size, 48U);
  EXPECT_EQ(syscalls::format_ioctl_generic(0xc030462bULL), "_IOWR('F',0x2b,48)");
  EXPECT_EQ(syscalls::format_ioctl_generic(0x5401ULL), "_IO('T',0x01)");
  EXPECT_EQ(syscalls::format_ioctl_generic(0x80045430ULL), "_IOR('T',0x30,4)");
  EXPECT_EQ(syscalls::ioctl_detail("tty", 0x5401ULL), "tty:TCGETS");
  // isatty() on a file or pipe: the terminal table names it; an unknown request stays generic.
  EXPECT_EQ(syscalls::ioctl_detail("file", 0x5401ULL), "file:TCGETS");
  EXPECT_EQ(syscalls::ioctl_detail("file", 0xc030462bULL), "file:_IOWR('F',0x2b,48)");
}

namespace {
trace::TraceResult sample() {
  trace::TraceResult r;
  r.engine = "ptrace";
  auto row = [](std::string phase, std::string sc, std::string detail, std::uint64_t calls, std::uint64_t t) {
    trace::Row x;
    x.phase = std::move(phase);
    x.pid = x.tid = 7;
    x.comm = "wl";
    x.syscall = std::move(sc);
    x.detail = std::move(detail);
    x.calls = calls;
    x.time_ns = t;
    return x;
  };
  r.rows = {row("init", "ioctl", "nvidiactl:RM_ALLOC", 3, 300), row("work", "ioctl", "nvidia-uvm:UVM_X", 2, 200),
            row("work", "futex", "", 5, 50), row("work", "mmap", "anon", 1, 10)};
  return r;
}
}  // namespace

TEST(Output, GroupByParsesFields) {
  auto by = trace::parse_group_by("phase,category");
  ASSERT_EQ(by.size(), 2U);
  EXPECT_THROW(trace::parse_group_by("colour"), std::invalid_argument);
  EXPECT_THROW(trace::parse_group_by(""), std::invalid_argument);
}

TEST(Output, CsvGroupsAndDevices) {
  const auto& tax = syscalls::Taxonomy::builtin();
  auto r = sample();
  EXPECT_EQ(trace::render_csv(r, tax, trace::parse_group_by("device")),
            "device,calls,errors,unfinished,time_ns,max_ns\nnvidiactl,3,0,0,300,0\nnvidia-uvm,2,0,0,200,0\n"
            "anon,1,0,0,10,0\n");
  EXPECT_EQ(trace::render_csv(r, tax, trace::parse_group_by("phase,category")),
            "phase,category,calls,errors,unfinished,time_ns,max_ns\ninit,driver,3,0,0,300,0\nwork,driver,2,0,0,200,0\n"
            "work,sync,5,0,0,50,0\nwork,memory,1,0,0,10,0\n");
  auto j = trace::to_json(r, tax);
  EXPECT_EQ(j.at("schema"), "sysaxis.trace/1");
  EXPECT_EQ(j.at("rows").size(), 4U);
  EXPECT_EQ(j.at("rows")[0].at("category"), "driver");
}
