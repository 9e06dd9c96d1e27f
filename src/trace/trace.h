// The tracing engine interface and the data both engines produce (DESIGN.md, "Tracing
// engines"). Output formats live in output.h; the JSON contract is docs/trace-format.md.
#pragma once

#include <sys/types.h>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/exit_codes.h"
#include "syscalls/syscall_table.h"

namespace sysaxis::trace {

// Counters of one (phase, process, thread, syscall, detail).
struct Row {
  std::string phase;
  pid_t pid = 0;  // tgid
  pid_t tid = 0;
  std::string comm;
  syscalls::Abi abi = syscalls::Abi::x86_64;
  std::string syscall;
  std::string detail;
  std::uint64_t calls = 0;       // entries seen
  std::uint64_t errors = 0;      // returns in -4095..-1
  std::uint64_t unfinished = 0;  // entered, never returned (exit, exit_group, killed in call)
  std::uint64_t time_ns = 0;     // total time entry -> exit of the returned calls
  std::uint64_t max_ns = 0;
  std::string api;  // --api: the outermost API call the thread was in ("" = none)
};

// OS interaction without a syscall, per (phase, process).
struct FaultRow {
  std::string phase;
  pid_t pid = 0;
  std::uint64_t minor = 0;
  std::uint64_t major = 0;
  std::uint64_t vol_cs = 0;
  std::uint64_t invol_cs = 0;
  std::string api;  // as in Row
};

// --api: one API function's outermost calls (those made inside another API call of the same
// thread are `nested` and count toward the outer one), the time inside them, and the outermost
// calls still in flight when their thread exited or exec'd (their time so far is included).
struct ApiCalls {
  std::string api;
  std::uint64_t calls = 0;
  std::uint64_t nested = 0;
  std::uint64_t time_ns = 0;
  std::uint64_t unfinished = 0;
};

// --api: one exported function to probe, at a file offset of its library (trace/api.h).
struct ApiFunction {
  std::string name;
  std::string library;  // the resolved path
  std::uint64_t offset = 0;
};

struct ProcessInfo {
  pid_t pid = 0;
  pid_t parent = 0;  // 0 for the command itself
  std::string comm;
  std::vector<std::string> phases;  // in the order entered
  std::optional<int> exit_code;
  std::optional<int> term_signal;
};

struct TraceResult {
  std::string engine;
  std::string hook;  // the kernel hooks that ran: "tracepoint" or "fentry" (ebpf), "ptrace"
  std::vector<std::string> command;
  int exit_status = 0;  // the command's exit code, or 128+N when killed by signal N
  std::optional<int> term_signal;
  std::uint64_t wall_ns = 0;
  std::string arch = "x86_64";
  std::vector<Row> rows;
  std::vector<FaultRow> faults;
  std::vector<ProcessInfo> processes;
  std::vector<ApiCalls> apis;  // --api: every probed function that was called, by name
  std::uint64_t threads_seen = 0;
  // CPU time of the traced process tree: the command and every descendant reaped by it or by
  // sysaxis (getrusage(RUSAGE_CHILDREN) of sysaxis around the run; run_traced() fills them).
  std::optional<std::uint64_t> cpu_user_ns;
  std::optional<std::uint64_t> cpu_sys_ns;
  std::uint64_t lost = 0;          // updates an engine could not record (must be 0 to trust)
  std::vector<std::string> notes;  // engine remarks (interrupted, lost updates, ...)
};

struct TraceOptions {
  std::vector<std::string> command;  // argv; command[0] is looked up in PATH like a shell
  bool quiet = false;
  // eBPF engine: count calls only (no exit hook: no time in call, no errors, no unfinished);
  // the ptrace engine always measures everything.
  bool count_only = false;
  // eBPF engine: uprobes on these functions attribute syscalls and faults to API calls (--api);
  // the ptrace engine refuses a non-empty list.
  std::vector<ApiFunction> api;
};

// Thrown for failures of sysaxis itself (not of the traced command); carries an exit code.
class TraceError : public std::runtime_error {
 public:
  TraceError(int exit_code, const std::string& what) : std::runtime_error(what), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Exit codes of `sysaxis trace` itself (the command's own status is passed through), of the one
// table of common/exit_codes.h.
inline constexpr int kExitCommandNotFound = ::sysaxis::kExitNotFound;
inline constexpr int kExitCommandNotExecutable = ::sysaxis::kExitNotExecutable;
using ::sysaxis::kExitTracerFailure;
using ::sysaxis::kExitUsage;

inline constexpr const char* kApiNeedsEbpf =
    "--api needs the eBPF engine (uprobes on the API functions); the ptrace engine cannot attribute syscalls to "
    "API calls";

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string_view name() const = 0;
  virtual TraceResult run(const TraceOptions& options) = 0;
};

std::unique_ptr<Engine> make_ptrace_engine();

// Marker protocol: write(-1, "sysaxis:phase:<name>", len). Returns the phase name of a marker
// buffer, or nothing when the buffer is not a valid marker.
inline constexpr std::string_view kMarkerPrefix = "sysaxis:phase:";
inline constexpr std::size_t kMaxMarkerLength = 64;
std::optional<std::string> parse_marker(std::string_view buffer);

// Resolves argv[0] like execvp does (PATH search when it has no '/'); throws TraceError with
// 127 (not found) or 126 (not executable).
std::string resolve_command(const std::string& arg0);

// The phase a process that never marked is reported under.
inline constexpr std::string_view kPhaseAll = "all";
inline constexpr std::string_view kPhaseStartup = "startup";

}  // namespace sysaxis::trace
