#include "trace/ebpf/ebpf_rows.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <tuple>

#include "syscalls/ioctl.h"
#include "syscalls/ioctl_drivers.h"
#include "trace/launch.h"

namespace sysaxis::trace::ebpf {
namespace {

constexpr unsigned kKernelMinorBits = 20;   // the kernel's dev_t: major << 20 | minor
constexpr unsigned kSignalGroupExit = 0x4;  // SIGNAL_GROUP_EXIT in linux/sched/signal.h

std::string comm_string(const char (&comm)[SX_COMM_LEN]) {
  return {comm, strnlen(comm, SX_COMM_LEN)};
}

syscalls::Abi abi_of(std::uint8_t abi) {
  switch (abi) {
    case SX_ABI_X86_64: return syscalls::Abi::x86_64;
    case SX_ABI_I386: return syscalls::Abi::i386;
    case SX_ABI_X32: return syscalls::Abi::x32;
    default: return syscalls::Abi::unknown;
  }
}

}  // namespace

std::string detail_name(const sx_key& key, std::string_view syscall, const syscalls::DeviceNames& devices) {
  std::string target;
  switch (key.detail) {
    case SX_DETAIL_NONE: return {};
    case SX_DETAIL_ANON: return "anon";
    case SX_DETAIL_FD: {
      const auto mode = static_cast<mode_t>(static_cast<unsigned>(key.ftype) << 12);
      const dev_t rdev = makedev(key.rdev >> kKernelMinorBits, key.rdev & ((1U << kKernelMinorBits) - 1));
      target = syscalls::describe_stat(devices, true, mode, rdev);
      break;
    }
    default: target = syscalls::describe_stat(devices, false, 0, 0); break;
  }
  if (syscall == "ioctl") {
    std::optional<std::uint32_t> field;
    if (key.has_field != 0 && syscalls::ioctl_arg_field(target, key.arg)) field = key.field;
    return syscalls::ioctl_detail(target, key.arg, field);
  }
  return target;
}

std::vector<sx_field_rule> field_rules(const syscalls::DeviceNames& devices) {
  // Which drivers' tables serve each major: names depend on the minor only through the per-minor
  // tables (minors below 256) and DRM's drivers, so minors 0-255 cover them.
  constexpr unsigned kMinorsNamed = 256;
  std::map<unsigned, std::set<std::string, std::less<>>> drivers;
  for (const auto& [major, name] : devices.char_majors()) {
    for (unsigned minor = 0; minor < kMinorsNamed; ++minor) {
      const std::string_view driver = syscalls::ioctl_driver(devices.char_name(major, minor));
      if (!driver.empty()) drivers[major].emplace(driver);
    }
  }
  std::vector<sx_field_rule> out;
  for (const syscalls::ArgFieldRule& rule : syscalls::ioctl_arg_field_rules()) {
    for (const auto& [major, names] : drivers) {
      if (!names.contains(rule.driver)) continue;
      out.push_back(sx_field_rule{major, rule.request, rule.mask, rule.field.offset, rule.field.size});
    }
  }
  return out;
}

void merge_cpu_caches(std::vector<std::pair<sx_key, sx_counts>>& rows, const std::vector<sx_cpu>& cpus) {
  for (const sx_cpu& pc : cpus) {
    for (const sx_cpu_line& line : pc.line) {
      if (line.tag == 0 || line.calls == 0) continue;
      sx_key k{};
      k.phase = pc.phase;
      k.tgid = pc.tgid;
      k.tid = pc.tid;
      k.nr = static_cast<__s32>(line.tag) - 1;
      k.abi = SX_ABI_X86_64;
      auto it = std::find_if(rows.begin(), rows.end(),
                             [&](const auto& r) { return std::memcmp(&r.first, &k, sizeof k) == 0; });
      if (it == rows.end()) {
        rows.emplace_back(k, sx_counts{});
        it = std::prev(rows.end());
      }
      it->second.calls += line.calls;
    }
  }
}

std::optional<int> recorded_wait_status(const sx_proc& proc) {
  if (proc.group_dead == 0) return std::nullopt;
  if ((proc.signal_flags & kSignalGroupExit) != 0) return proc.group_exit_code;
  if (proc.leader_exited != 0) return proc.leader_exit_code;
  return std::nullopt;
}

std::vector<std::string> lost_notes(const sx_lost& l) {
  std::vector<std::string> notes;
  auto add = [&](std::uint64_t n, std::string_view what) {
    if (n != 0) notes.push_back(fmt::format("lost: {} {}", n, what));
  };
  add(l.rows, fmt::format("syscalls not recorded: the row map ({} rows) was full", SX_MAX_ROWS));
  add(l.tasks, "threads or processes not followed: no BPF task storage could be allocated at fork");
  add(l.slots, fmt::format("processes not followed: more than {} processes", SX_MAX_PROCS));
  add(l.markers,
      "possible markers (write(-1, ...)) whose buffer was not resident, so the kernel could not read it: "
      "counted as write, phase unchanged");
  add(l.phase_names, fmt::format("markers with a phase name beyond the first {} names", SX_MAX_PHASE_NAMES));
  add(l.fault_rows, fmt::format("page-fault updates: the fault map ({} rows) was full", SX_MAX_FAULT_ROWS));
  add(l.thread_info, "thread names not recorded (thread map full)");
  add(l.phase_lists,
      fmt::format("phases beyond {} per process missing from a process's phase list", SX_PHASES_PER_PROC));
  return notes;
}

std::uint64_t lost_total(const sx_lost& l) {
  return l.rows + l.tasks + l.slots + l.markers + l.phase_names + l.fault_rows + l.thread_info + l.phase_lists;
}

void assemble(const Snapshot& s, const syscalls::DeviceNames& devices, TraceResult& r) {
  // Processes that never marked (and inherited no marked phase) are reported as one phase, "all".
  std::map<pid_t, bool> marked;
  for (const sx_proc& p : s.procs) {
    if (p.tgid == 0) continue;
    marked[static_cast<pid_t>(p.tgid)] = marked[static_cast<pid_t>(p.tgid)] || p.marked != 0;
  }
  auto phase_name = [&](std::uint32_t phase, pid_t pid) -> std::string {
    if (phase == SX_PHASE_STARTUP) {
      auto it = marked.find(pid);
      return std::string(it != marked.end() && it->second ? kPhaseStartup : kPhaseAll);
    }
    auto it = s.phase_names.find(phase);
    return it != s.phase_names.end() ? it->second : fmt::format("phase{}", phase);
  };

  auto api_name = [&](std::uint32_t api) -> std::string {
    if (api == 0) return {};
    return api - 1 < s.api_names.size() ? s.api_names[api - 1] : fmt::format("api{}", api - 1);
  };

  // Keys that differ only in what names them the same (two ttys, a field value the device's name
  // does not use) are one row, as in the ptrace engine, which keys rows by the names.
  std::map<std::tuple<pid_t, pid_t, std::string, syscalls::Abi, std::string, std::string, std::string>, std::size_t>
      index;
  for (const auto& [k, c] : s.rows) {
    Row row;
    row.pid = static_cast<pid_t>(k.tgid);
    row.tid = static_cast<pid_t>(k.tid);
    row.phase = phase_name(k.phase, row.pid);
    if (auto it = s.threads.find(k.tid); it != s.threads.end()) row.comm = comm_string(it->second.comm);
    row.abi = abi_of(k.abi);
    row.syscall = syscalls::syscall_name(row.abi, k.nr);
    row.detail = detail_name(k, row.syscall, devices);
    row.calls = c.calls;
    row.errors = c.errors;
    row.unfinished = c.unfinished;
    row.time_ns = c.time_ns;
    row.max_ns = c.max_ns;
    row.api = api_name(k.api);
    auto [it, added] = index.try_emplace(
        std::tuple(row.pid, row.tid, row.phase, row.abi, row.syscall, row.detail, row.api), r.rows.size());
    if (added) {
      r.rows.push_back(std::move(row));
      continue;
    }
    Row& same = r.rows[it->second];
    same.calls += row.calls;
    same.errors += row.errors;
    same.unfinished += row.unfinished;
    same.time_ns += row.time_ns;
    same.max_ns = std::max(same.max_ns, row.max_ns);
  }
  sort_rows(r.rows);

  std::vector<std::pair<sx_fault_key, sx_sample>> faults = s.faults;
  std::sort(faults.begin(), faults.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.phase, a.first.tgid, a.first.api) < std::tie(b.first.phase, b.first.tgid, b.first.api);
  });
  for (const auto& [k, v] : faults) {
    FaultRow f;
    f.pid = static_cast<pid_t>(k.tgid);
    f.phase = phase_name(k.phase, f.pid);
    f.minor = v.minflt;
    f.major = v.majflt;
    f.vol_cs = v.nvcsw;
    f.invol_cs = v.nivcsw;
    f.api = api_name(k.api);
    r.faults.push_back(std::move(f));
  }

  for (std::size_t i = 0; i < s.api_stats.size() && i < s.api_names.size(); ++i) {
    const sx_api_counts& c = s.api_stats[i];
    if (c.calls == 0 && c.nested == 0 && c.unfinished == 0) continue;
    r.apis.push_back({s.api_names[i], c.calls, c.nested, c.time_ns, c.unfinished});
  }
  std::sort(r.apis.begin(), r.apis.end(), [](const ApiCalls& a, const ApiCalls& b) { return a.api < b.api; });

  std::map<pid_t, ProcessInfo> processes;
  for (const sx_proc& p : s.procs) {
    if (p.tgid == 0) continue;
    const auto pid = static_cast<pid_t>(p.tgid);
    ProcessInfo& info = processes[pid];
    info.pid = pid;
    info.parent = static_cast<pid_t>(p.parent);
    if (p.comm[0] != '\0') info.comm = comm_string(p.comm);
    const std::uint32_t n = std::min<std::uint32_t>(p.nphases, SX_PHASES_PER_PROC);
    for (std::uint32_t i = 0; i < n; ++i) {
      std::string name = phase_name(p.phases[i], pid);
      if (std::find(info.phases.begin(), info.phases.end(), name) == info.phases.end()) info.phases.push_back(name);
    }
    std::optional<int> status;
    if (auto it = s.reaped.find(pid); it != s.reaped.end()) {
      status = it->second;
    } else {
      status = recorded_wait_status(p);
    }
    if (status) {
      if (WIFEXITED(*status)) info.exit_code = WEXITSTATUS(*status);
      if (WIFSIGNALED(*status)) info.term_signal = WTERMSIG(*status);
    }
  }
  for (auto& [pid, info] : processes) {
    if (!processes.contains(info.parent)) info.parent = 0;
    r.processes.push_back(std::move(info));
  }

  r.threads_seen = s.threads_seen;
  r.lost = lost_total(s.lost);
  for (auto& n : lost_notes(s.lost)) r.notes.push_back(std::move(n));
  if (s.count_only) {
    r.notes.emplace_back("count-only: calls only (no exit hook, so no time in call, no errors, no unfinished calls)");
  }
}

}  // namespace sysaxis::trace::ebpf
