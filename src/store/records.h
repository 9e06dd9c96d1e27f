// What the study database stores: cells (one point of the sweep), sessions (one `sysaxis run`
// invocation on one machine), runs (one execution of one cell under the tracer) and their
// counters. docs/store.md documents the tables and the contract views built on them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sysaxis::store {

// One cell of a study: (workload, backend, platform, device, exec, bytes, iters, options).
// Options that do not apply to the exec model keep their defaults, so a cell has one identity.
struct Cell {
  std::string workload = "micro";  // "micro" (sysaxis-wl-<backend>) or "resnet"
  std::string backend;             // cpu | opencl | cuda | hip | torch (resnet)
  std::string platform;            // as the spec asks for it (OpenCL platform), else empty
  std::string device;              // as the spec asks for it, else empty
  std::string exec;                // cpu | alloc | kernels; resnet: the torch device (cpu | cuda)
  std::uint64_t bytes = 0;         // resnet: the batch size
  std::uint64_t iters = 0;         // resnet: timed iterations
  std::string alloc_op = "free";
  std::string sync = "each";
  std::uint64_t threads = 1;

  // Canonical identity: a compact JSON array of every field in the order above.
  std::string key() const;
  bool operator==(const Cell&) const = default;
};

// A sweep of the spec that asked for a cell (a cell may serve several sweeps and questions).
struct SweepTag {
  std::string sweep;
  std::string question;
  bool operator==(const SweepTag&) const = default;
};

struct CellRecord {
  Cell cell;
  std::vector<SweepTag> sweeps;
};

// One `sysaxis run` invocation: the machine and software that produced its runs.
struct Session {
  std::string uuid;
  std::string host;
  std::string cpu;
  std::int64_t cpus = 0;
  std::string kernel;
  std::string os;
  std::string sysaxis_version;
  std::string sysaxis_revision;
  std::string engine;         // as asked (auto, ptrace, ebpf)
  std::string engine_reason;  // what auto chose and why
  std::uint64_t seed = 0;
  std::string shard;  // "i/n"
  double timeout_s = 0;
  std::string command;  // the sysaxis command line
  std::string env;      // JSON object: environment given to the workloads
  std::string extra;    // JSON object: further provenance (GPU driver files, ...)
  std::string started_at;
};

// Availability of one backend target in one session (skipped ones say why).
struct TargetCheck {
  std::string workload;
  std::string backend;
  std::string platform;
  std::string device;
  std::string exec;    // resnet: the torch device; micro: empty
  std::string status;  // available | skipped | filtered
  std::string reason;
};

// One execution of one cell. Status "ok" for good runs; anything else says why not (reason).
struct RunRecord {
  std::string uuid;
  std::string cell_key;
  std::int64_t rep = 0;
  std::int64_t session_id = 0;
  std::int64_t seq = 0;  // position in the session's shuffled order
  std::string status;
  std::string reason;
  std::optional<std::int64_t> exit_status;
  std::optional<std::int64_t> term_signal;
  std::optional<std::uint64_t> wall_ns;
  std::string started_at;
  std::string ended_at;
  std::string engine;
  std::string platform;  // as the workload reported them
  std::string device;
  std::string runtime_version;
  std::string driver_version;
  std::optional<bool> verified;
  std::optional<std::uint64_t> init_ns;
  std::optional<std::uint64_t> work_ns;
  std::optional<std::uint64_t> teardown_ns;
  std::string result;   // the workload's result JSON, verbatim
  std::string command;  // JSON array
  std::string output;   // tail of the workload's stdout and stderr
  std::uint64_t threads_seen = 0;
  std::uint64_t lost = 0;
  std::string notes;  // JSON array of the engine's notes
  // CPU time of the traced process tree (the command and every descendant reaped in the run);
  // none when not measured (databases of schema version 1).
  std::optional<std::uint64_t> cpu_user_ns;
  std::optional<std::uint64_t> cpu_sys_ns;
};

// Counters of one (run, phase, process, thread role, comm, abi, syscall, detail), summed over
// the threads that share them.
struct CounterRow {
  std::string phase;
  std::int64_t proc = 0;  // 0: the command itself; 1..: its child processes in pid order
  std::string role;       // main (the process's first thread) | thread
  std::string comm;
  std::string abi;
  bool native = true;  // abi is the traced architecture's own
  std::string syscall;
  std::string detail;
  std::uint64_t threads = 0;
  std::uint64_t calls = 0;
  std::uint64_t errors = 0;
  std::uint64_t unfinished = 0;
  std::uint64_t time_ns = 0;
  std::uint64_t max_ns = 0;
};

struct FaultCounterRow {
  std::string phase;
  std::int64_t proc = 0;
  std::string comm;
  std::uint64_t minor = 0;
  std::uint64_t major = 0;
  std::uint64_t vol_cs = 0;
  std::uint64_t invol_cs = 0;
};

struct ProcessRow {
  std::int64_t proc = 0;
  std::optional<std::int64_t> parent;
  std::string comm;
  std::string phases;  // JSON array, in the order entered
  std::optional<std::int64_t> exit_code;
  std::optional<std::int64_t> term_signal;
};

struct RunCounters {
  std::vector<CounterRow> counters;
  std::vector<FaultCounterRow> faults;
  std::vector<ProcessRow> processes;
};

}  // namespace sysaxis::store
