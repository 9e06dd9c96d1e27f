// The eBPF engine's pure parts: the kernel half's marker and ABI functions against the ptrace
// engine's definitions, and the user half's conversion of map contents into a TraceResult.
#include <gtest/gtest.h>
#include <linux/audit.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "syscalls/devices.h"
#include "syscalls/ioctl.h"
#include "syscalls/ioctl_drivers.h"
#include "syscalls/syscall_table.h"
#include "trace/ebpf/ebpf_rows.h"
#include "trace/ebpf/sysaxis_bpf.h"
#include "trace/trace.h"

namespace sysaxis::trace::ebpf {
namespace {

// The kernel half's check on a buffer of `len` bytes (zero-padded to 64, as the BPF code reads it).
std::optional<std::string> kernel_marker(const std::string& bytes) {
  char buf[SX_MARKER_MAX_LEN] = {};
  char name[SX_PHASE_NAME_LEN];
  if (bytes.size() > SX_MARKER_MAX_LEN) {
    std::memcpy(buf, bytes.data(), SX_MARKER_MAX_LEN);  // the kernel half never reads more
  } else {
    std::memcpy(buf, bytes.data(), bytes.size());
  }
  if (sx_marker_name(buf, static_cast<__u32>(bytes.size()), name) == 0) return std::nullopt;
  return std::string(name, strnlen(name, sizeof name));
}

TEST(EbpfMarker, AgreesWithParseMarkerOnCases) {
  using namespace std::string_literals;
  const std::vector<std::string> cases = {
      "sysaxis:phase:work",
      "sysaxis:phase:init\n",
      "sysaxis:phase:teardown\0\0"s,
      "sysaxis:phase:a.b-c_9",
      "sysaxis:phase:",
      "sysaxis:phase:\n",
      "sysaxis:phase:\0"s,
      "sysaxis:phase:bad name",
      "sysaxis:phase:a\nb",
      "sysaxis:phase:a\0b"s,
      "sysaxis:phase:work\n\0\n"s,
      "sysaxis:phase:wörk",
      "sysaxis:phasE:work",
      "Sysaxis:phase:work",
      "hello",
      "",
      "sysaxis:phase:" + std::string(50, 'x'),  // 64 bytes: the longest marker
      "sysaxis:phase:" + std::string(51, 'x'),  // 65 bytes: too long
      "sysaxis:phase:" + std::string(49, 'x') + "\n",
  };
  for (const auto& c : cases) {
    EXPECT_EQ(kernel_marker(c), parse_marker(c)) << ::testing::PrintToString(c);
  }
}

TEST(EbpfMarker, AgreesWithParseMarkerOnRandomBuffers) {
  using namespace std::string_literals;
  std::mt19937 rng(12345);
  const std::string alphabet = "az09_.-\n\0 :/Z"s;
  for (int i = 0; i < 20000; ++i) {
    std::string s = "sysaxis:phase:";
    if (rng() % 10 == 0) s[rng() % s.size()] = 'x';  // sometimes a broken prefix
    const std::size_t extra = rng() % 56;
    for (std::size_t j = 0; j < extra; ++j) s += alphabet[rng() % alphabet.size()];
    EXPECT_EQ(kernel_marker(s), parse_marker(s)) << ::testing::PrintToString(s);
  }
}

TEST(EbpfAbi, AgreesWithTheSyscallTable) {
  for (long raw : {0L, 1L, 59L, 110L, 231L, 335L, 0x40000000L | 1L, 0x40000000L | 59L, 600L}) {
    for (int compat : {0, 1}) {
      const auto audit = compat != 0 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
      const syscalls::Abi expected = syscalls::abi_from_audit_arch(audit, raw);
      const __u8 abi = sx_abi(compat, raw);
      EXPECT_EQ(static_cast<int>(abi), static_cast<int>(expected)) << raw << " compat " << compat;
      EXPECT_EQ(sx_table_nr(abi, raw), syscalls::table_number(expected, raw)) << raw;
    }
  }
}

// A fixed /proc/devices, so the names do not depend on this machine.
syscalls::DeviceNames devices() {
  return syscalls::DeviceNames::parse(
      "Character devices:\n  1 mem\n  4 /dev/vc/0\n  4 tty\n195 nvidia-frontend\n510 nvidia-uvm\n\n"
      "Block devices:\n  8 sd\n");
}

sx_key fd_key(mode_t type, unsigned major, unsigned minor, std::uint64_t arg = 0) {
  sx_key k{};
  k.detail = SX_DETAIL_FD;
  k.ftype = static_cast<__u8>(type >> 12);
  k.rdev = (major << 20) | minor;
  k.arg = arg;
  return k;
}

TEST(EbpfDetail, NamesAsThePtraceEngine) {
  const auto names = devices();
  constexpr std::uint64_t kTcgets = 0x5401;
  EXPECT_EQ(detail_name(fd_key(S_IFCHR, 1, 3, kTcgets), "ioctl", names),
            syscalls::ioctl_detail(syscalls::describe_stat(names, true, S_IFCHR, makedev(1, 3)), kTcgets));
  EXPECT_EQ(detail_name(fd_key(S_IFCHR, 195, 255, 0xc020462a), "ioctl", names).rfind("nvidiactl:", 0), 0U);
  EXPECT_EQ(detail_name(fd_key(S_IFCHR, 195, 0), "mmap", names), "nvidia0");
  EXPECT_EQ(detail_name(fd_key(S_IFCHR, 510, 0), "mmap", names), "nvidia-uvm");
  EXPECT_EQ(detail_name(fd_key(S_IFCHR, 77, 5), "mmap", names), "chr77.5");
  EXPECT_EQ(detail_name(fd_key(S_IFREG, 0, 0), "mmap", names), "file");
  EXPECT_EQ(detail_name(fd_key(S_IFIFO, 0, 0), "mmap", names), "pipe");
  EXPECT_EQ(detail_name(fd_key(S_IFSOCK, 0, 0), "mmap", names), "socket");
  EXPECT_EQ(detail_name(fd_key(0, 0, 0), "mmap", names), "anon_inode");
  sx_key anon{};
  anon.detail = SX_DETAIL_ANON;
  EXPECT_EQ(detail_name(anon, "mmap", names), "anon");
  sx_key bad{};
  bad.detail = SX_DETAIL_BADFD;
  bad.arg = kTcgets;
  EXPECT_EQ(detail_name(bad, "ioctl", names), syscalls::ioctl_detail("badfd", kTcgets));
  EXPECT_EQ(detail_name(sx_key{}, "read", names), "");
}

// The deeper ioctl decoding (NVIDIA RM_ALLOC's hClass, RM_CONTROL's cmd): the kernel half's rules
// come from syscalls::ioctl_arg_field_rules(), its matching agrees with ioctl_arg_field(), and the
// field read names the row as the ptrace engine names it.
TEST(EbpfFieldRules, FilledFromTheRulesForTheDriversMajor) {
  const auto rules = syscalls::ioctl_arg_field_rules();
  ASSERT_FALSE(rules.empty());
  for (const char* proc_devices : {"Character devices:\n  1 mem\n195 nvidia-frontend\n510 nvidia-uvm\n",
                                   // driver 545 and later: major 195 registered three times
                                   "Character devices:\n  1 mem\n195 nvidia\n195 nvidia-modeset\n195 nvidiactl\n"}) {
    const auto names = syscalls::DeviceNames::parse(proc_devices);
    std::vector<sx_field_rule> got = field_rules(names);
    std::size_t nvidia = 0;
    for (const auto& r : rules) nvidia += r.driver == "nvidia" ? 1 : 0;
    ASSERT_EQ(got.size(), nvidia) << proc_devices;  // every rule, for major 195 only
    ASSERT_LE(got.size(), static_cast<std::size_t>(SX_MAX_FIELD_RULES));
    std::size_t i = 0;
    for (const auto& r : rules) {
      if (r.driver != "nvidia") continue;
      EXPECT_EQ(got[i].major, 195U);
      EXPECT_EQ(got[i].request, r.request);
      EXPECT_EQ(got[i].mask, r.mask);
      EXPECT_EQ(got[i].offset, r.field.offset);
      EXPECT_EQ(got[i].size, r.field.size);
      ++i;
    }
  }
  EXPECT_TRUE(field_rules(syscalls::DeviceNames::parse("Character devices:\n  1 mem\n  4 tty\n")).empty());
  EXPECT_TRUE(field_rules(syscalls::DeviceNames::parse("")).empty());
}

TEST(EbpfFieldRules, KernelMatchingAgreesWithIoctlArgField) {
  const auto names = devices();
  const std::vector<sx_field_rule> rules = field_rules(names);
  std::vector<std::uint32_t> requests;
  for (const auto& r : syscalls::ioctl_arg_field_rules()) {
    for (std::uint32_t high : {0U, 0xc0000000U, 0x40300000U, 0x80080000U}) requests.push_back(r.request | high);
    requests.push_back(r.request ^ 0x1U);
  }
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) requests.push_back(static_cast<std::uint32_t>(rng()));
  for (std::uint32_t minor : {0U, 3U, 255U}) {
    const std::string device = names.char_name(195, minor);
    for (std::uint32_t req : requests) {
      const int idx = sx_field_rule_index(rules.data(), static_cast<__u32>(rules.size()), 195, req);
      const auto want = syscalls::ioctl_arg_field(device, req);
      ASSERT_EQ(idx >= 0, want.has_value()) << device << " " << req;
      if (want) {
        EXPECT_EQ(rules[static_cast<std::size_t>(idx)].offset, want->offset);
        EXPECT_EQ(rules[static_cast<std::size_t>(idx)].size, want->size);
      }
      EXPECT_EQ(sx_field_rule_index(rules.data(), static_cast<__u32>(rules.size()), 1, req), -1);  // mem
    }
  }
}

TEST(EbpfFieldRules, FieldNamesTheRowAsThePtraceEngine) {
  const auto names = devices();
  const std::uint64_t alloc = 0xc030462b;    // _IOWR('F', 0x2b, 48): RM_ALLOC
  const std::uint64_t control = 0xc020462a;  // _IOWR('F', 0x2a, 32): RM_CONTROL
  sx_key k = fd_key(S_IFCHR, 195, 255, alloc);
  k.has_field = 1;
  k.field = 0x0080;
  EXPECT_EQ(detail_name(k, "ioctl", names), syscalls::ioctl_detail("nvidiactl", alloc, 0x0080));
  EXPECT_EQ(detail_name(k, "ioctl", names), "nvidiactl:RM_ALLOC:NV01_DEVICE_0");
  k.has_field = 0;  // not read (bad pointer, not resident): the request's name alone
  EXPECT_EQ(detail_name(k, "ioctl", names), syscalls::ioctl_detail("nvidiactl", alloc));
  sx_key c = fd_key(S_IFCHR, 195, 0, control);
  c.has_field = 1;
  c.field = 0x20800122;
  EXPECT_EQ(detail_name(c, "ioctl", names), syscalls::ioctl_detail("nvidia0", control, 0x20800122));
  // Major 195 is matched in the kernel, but nvidia-modeset (minor 254) has no field rule: the value
  // is not used, as the ptrace engine would not have read it.
  sx_key m = fd_key(S_IFCHR, 195, 254, alloc);
  m.has_field = 1;
  m.field = 0x0080;
  EXPECT_EQ(detail_name(m, "ioctl", names), syscalls::ioctl_detail("nvidia-modeset", alloc));
}

TEST(EbpfExitStatus, AsWaitReportsIt) {
  sx_proc p{};
  EXPECT_FALSE(recorded_wait_status(p));  // still running
  p.group_dead = 1;
  p.leader_exited = 1;
  p.leader_exit_code = 3 << 8;  // exit(3) of a single thread
  ASSERT_TRUE(recorded_wait_status(p));
  EXPECT_EQ(WEXITSTATUS(*recorded_wait_status(p)), 3);
  p.signal_flags = 0x4;  // SIGNAL_GROUP_EXIT: the group's code wins
  p.group_exit_code = SIGKILL;
  ASSERT_TRUE(recorded_wait_status(p));
  EXPECT_TRUE(WIFSIGNALED(*recorded_wait_status(p)));
  EXPECT_EQ(WTERMSIG(*recorded_wait_status(p)), SIGKILL);
}

sx_proc proc(std::uint32_t tgid, std::uint32_t parent, bool marked, std::vector<std::uint32_t> phases) {
  sx_proc p{};
  p.tgid = tgid;
  p.parent = parent;
  p.marked = marked ? 1 : 0;
  p.nphases = static_cast<__u32>(phases.size());
  for (std::size_t i = 0; i < phases.size(); ++i) p.phases[i] = phases[i];
  p.phase = phases.back();
  p.group_dead = 1;
  p.leader_exited = 1;
  return p;
}

std::pair<sx_key, sx_counts> row(std::uint32_t phase, std::uint32_t tgid, std::uint32_t tid, std::int32_t nr,
                                 std::uint64_t calls) {
  sx_key k{};
  k.phase = phase;
  k.tgid = tgid;
  k.tid = tid;
  k.nr = nr;
  sx_counts c{};
  c.calls = calls;
  c.time_ns = 10 * calls;
  c.max_ns = 10;
  return {k, c};
}

TEST(EbpfAssemble, PhasesProcessesAndLostUpdates) {
  const long getppid = *syscalls::syscall_number(syscalls::Abi::x86_64, "getppid");
  Snapshot s;
  // 100 marks "work" (phase 1); its child 101 was forked in work; 102 never marks.
  s.procs = {proc(100, 0, true, {0, 1}), proc(101, 100, true, {1}), proc(102, 100, false, {0})};
  s.phase_names = {{1, "work"}};
  s.rows = {row(0, 100, 100, static_cast<int>(getppid), 3), row(1, 100, 100, static_cast<int>(getppid), 5),
            row(1, 101, 101, static_cast<int>(getppid), 7), row(0, 102, 102, static_cast<int>(getppid), 11)};
  s.threads[100] = sx_thread_info{100, 0, 1, "main"};
  s.faults = {{sx_fault_key{0, 102, 0, 0}, sx_sample{4, 1, 2, 3}}};
  s.reaped[100] = 0;
  s.lost.rows = 2;
  s.lost.markers = 1;
  s.threads_seen = 3;
  TraceResult r;
  assemble(s, devices(), r);

  ASSERT_EQ(r.rows.size(), 4U);
  EXPECT_EQ(r.rows[0].phase, "startup");  // 100 marked: its first phase is startup
  EXPECT_EQ(r.rows[1].phase, "work");
  EXPECT_EQ(r.rows[0].comm, "main");
  EXPECT_EQ(r.rows[0].syscall, "getppid");
  EXPECT_EQ(r.rows[1].calls, 5U);
  EXPECT_EQ(r.rows[2].phase, "work");  // inherited at fork
  EXPECT_EQ(r.rows[3].phase, "all");   // never marked
  ASSERT_EQ(r.faults.size(), 1U);
  EXPECT_EQ(r.faults[0].phase, "all");
  EXPECT_EQ(r.faults[0].minor, 4U);
  EXPECT_EQ(r.faults[0].invol_cs, 3U);
  ASSERT_EQ(r.processes.size(), 3U);
  EXPECT_EQ(r.processes[0].phases, (std::vector<std::string>{"startup", "work"}));
  EXPECT_EQ(r.processes[0].parent, 0);
  EXPECT_EQ(r.processes[1].parent, 100);
  EXPECT_EQ(r.processes[2].phases, std::vector<std::string>{"all"});
  EXPECT_EQ(r.processes[0].exit_code, 0);
  EXPECT_EQ(r.threads_seen, 3U);
  EXPECT_EQ(r.lost, 3U);
  ASSERT_EQ(r.notes.size(), 2U);  // one line per kind of loss, never silent
  EXPECT_NE(r.notes[0].find("row map"), std::string::npos);
  EXPECT_NE(r.notes[1].find("markers"), std::string::npos);
}

TEST(EbpfAssemble, KeysWithTheSameNamesAreOneRow) {
  const long ioctl = *syscalls::syscall_number(syscalls::Abi::x86_64, "ioctl");
  const std::uint64_t alloc = 0xc030462b;
  Snapshot s;
  s.procs = {proc(100, 0, false, {0})};
  auto key = [&](unsigned minor, std::uint32_t field) {
    sx_key k = fd_key(S_IFCHR, 195, minor, alloc);
    k.tgid = 100;
    k.tid = 100;
    k.nr = static_cast<__s32>(ioctl);
    k.has_field = 1;
    k.field = field;
    return k;
  };
  // Two values on nvidia-modeset (not used: same name), one on nvidiactl (its own row).
  s.rows = {{key(254, 1), sx_counts{2, 1, 0, 10, 7}},
            {key(254, 2), sx_counts{3, 0, 1, 20, 9}},
            {key(255, 0x80), sx_counts{1, 0, 0, 5, 5}}};
  TraceResult r;
  assemble(s, devices(), r);
  ASSERT_EQ(r.rows.size(), 2U);
  EXPECT_EQ(r.rows[0].detail, syscalls::ioctl_detail("nvidia-modeset", alloc));
  EXPECT_EQ(r.rows[0].calls, 5U);
  EXPECT_EQ(r.rows[0].errors, 1U);
  EXPECT_EQ(r.rows[0].unfinished, 1U);
  EXPECT_EQ(r.rows[0].time_ns, 30U);
  EXPECT_EQ(r.rows[0].max_ns, 9U);
  EXPECT_EQ(r.rows[1].detail, "nvidiactl:RM_ALLOC:NV01_DEVICE_0");
  EXPECT_EQ(r.rows[1].calls, 1U);
}

// --api: rows and faults carry their API call's name (key.api = id + 1; 0 = none), the same
// syscall inside and outside an API call is two rows, and the functions called are listed.
TEST(EbpfAssemble, ApiNamesRowsFaultsAndCalls) {
  const long getppid = *syscalls::syscall_number(syscalls::Abi::x86_64, "getppid");
  Snapshot s;
  s.procs = {proc(100, 0, false, {0})};
  auto inside = row(0, 100, 100, static_cast<int>(getppid), 3);
  inside.first.api = 2;
  s.rows = {row(0, 100, 100, static_cast<int>(getppid), 1), inside};
  s.faults = {{sx_fault_key{0, 100, 2, 0}, sx_sample{5, 0, 0, 0}}, {sx_fault_key{0, 100, 0, 0}, sx_sample{1, 0, 0, 0}}};
  s.api_names = {"clNever", "clFinish"};
  s.api_stats = {sx_api_counts{}, sx_api_counts{4, 1, 900, 0}};
  TraceResult r;
  assemble(s, devices(), r);
  ASSERT_EQ(r.rows.size(), 2U);
  EXPECT_EQ(r.rows[0].api, "");
  EXPECT_EQ(r.rows[0].calls, 1U);
  EXPECT_EQ(r.rows[1].api, "clFinish");
  EXPECT_EQ(r.rows[1].calls, 3U);
  ASSERT_EQ(r.faults.size(), 2U);
  EXPECT_EQ(r.faults[0].api, "");
  EXPECT_EQ(r.faults[1].api, "clFinish");
  EXPECT_EQ(r.faults[1].minor, 5U);
  ASSERT_EQ(r.apis.size(), 1U);  // clNever was not called
  EXPECT_EQ(r.apis[0].api, "clFinish");
  EXPECT_EQ(r.apis[0].calls, 4U);
  EXPECT_EQ(r.apis[0].nested, 1U);
  EXPECT_EQ(r.apis[0].time_ns, 900U);
}

TEST(EbpfAssemble, CountOnlyIsNoted) {
  Snapshot s;
  s.count_only = true;
  TraceResult r;
  assemble(s, devices(), r);
  EXPECT_EQ(r.lost, 0U);
  ASSERT_EQ(r.notes.size(), 1U);
  EXPECT_NE(r.notes[0].find("count-only"), std::string::npos);
}

TEST(EbpfAssemble, LostNotesCoverEveryField) {
  sx_lost all{};
  auto* fields = reinterpret_cast<__u64*>(&all);
  const std::size_t n = sizeof all / sizeof(__u64);
  for (std::size_t i = 0; i < n; ++i) fields[i] = i + 1;
  EXPECT_EQ(lost_notes(all).size(), n);
  EXPECT_EQ(lost_total(all), n * (n + 1) / 2);
}

TEST(EbpfCpuCaches, MergeIntoRows) {
  std::vector<std::pair<sx_key, sx_counts>> rows = {row(0, 7, 8, 110, 5)};
  std::vector<sx_cpu> cpus(2);
  cpus[0].tgid = 7;
  cpus[0].tid = 8;
  cpus[0].line[110 % SX_CACHE_SLOTS] = sx_cpu_line{111, 0, 4};  // getppid: adds to the row
  cpus[1].tgid = 7;
  cpus[1].tid = 9;
  cpus[1].phase = 2;
  cpus[1].line[39] = sx_cpu_line{40, 0, 6};  // nr 39 of thread 9: a new row
  merge_cpu_caches(rows, cpus);
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].second.calls, 9U);
  EXPECT_EQ(rows[1].first.tid, 9U);
  EXPECT_EQ(rows[1].first.phase, 2U);
  EXPECT_EQ(rows[1].first.nr, 39);
  EXPECT_EQ(rows[1].second.calls, 6U);
}

}  // namespace
}  // namespace sysaxis::trace::ebpf
