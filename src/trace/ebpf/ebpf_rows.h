// The user half's pure part: turns what the kernel half left in its maps into a TraceResult with
// the ptrace engine's meaning (names, details, phases, "all", processes, lost updates). No libbpf
// here, so it is built and unit-tested even where the engine itself is not.
#pragma once

#include <sys/types.h>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "syscalls/devices.h"
#include "trace/ebpf/sysaxis_bpf.h"
#include "trace/trace.h"

namespace sysaxis::trace::ebpf {

// Everything read back from the kernel half after the traced tree has exited.
struct Snapshot {
  std::vector<std::pair<sx_key, sx_counts>> rows;
  std::vector<std::pair<sx_fault_key, sx_sample>> faults;
  std::vector<sx_proc> procs;                        // slots in use, slot 0 = the command
  std::map<std::uint32_t, sx_thread_info> threads;   // by tid
  std::map<std::uint32_t, std::string> phase_names;  // marker phases by id (0 is "startup")
  std::map<pid_t, int> reaped;                       // wait statuses the engine itself collected
  sx_lost lost{};
  std::uint64_t threads_seen = 0;
  bool count_only = false;
  // --api: the probed functions' names by id (sx_key.api - 1) and their counters (same index).
  std::vector<std::string> api_names;
  std::vector<sx_api_counts> api_stats;
};

// Adds what count-only's per-CPU caches still hold (normally nothing: threads flush them when
// they exit) to the rows.
void merge_cpu_caches(std::vector<std::pair<sx_key, sx_counts>>& rows, const std::vector<sx_cpu>& cpus);

// The `detail` of a row, as the ptrace engine computes it at syscall entry. An ioctl's argument
// field (key.has_field) names it one level deeper when the device's name has that rule
// (syscalls::ioctl_arg_field), as in the ptrace engine: "nvidiactl:RM_ALLOC:NV01_DEVICE_0".
std::string detail_name(const sx_key& key, std::string_view syscall, const syscalls::DeviceNames& devices);

// The kernel half's field rules: each of syscalls::ioctl_arg_field_rules() for each char major
// of `devices` that serves the rule's driver on some minor (the user half checks the device's
// full name again when naming), in the order of the rules.
std::vector<sx_field_rule> field_rules(const syscalls::DeviceNames& devices);

// A process's wait status from what the kernel half recorded at its exit, if it exited.
std::optional<int> recorded_wait_status(const sx_proc& proc);

// Fills rows, faults, processes, threads_seen, lost and notes of `result`.
void assemble(const Snapshot& snapshot, const syscalls::DeviceNames& devices, TraceResult& result);

// One line per kind of lost update (empty when nothing was lost), and their total.
std::vector<std::string> lost_notes(const sx_lost& lost);
std::uint64_t lost_total(const sx_lost& lost);

}  // namespace sysaxis::trace::ebpf
