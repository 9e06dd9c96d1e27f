// The ptrace engine: counts every syscall of a command and all its threads and children, like
// `strace -c -f`, with phases (marker protocol), ioctl/mmap detail and per-phase page faults.
//
// Start-up: the child blocks on a pipe, the tracer seizes it (PTRACE_SEIZE with EXITKILL, so no
// tracee outlives a killed tracer), interrupts it, resumes it with PTRACE_SYSCALL and releases
// the pipe; counting starts at the child's execve entry. Group-stops are handled with
// PTRACE_LISTEN, signals are re-injected, so the command behaves as it would untraced.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <unordered_map>

#include "syscalls/devices.h"
#include "syscalls/ioctl_drivers.h"
#include "trace/launch.h"
#include "trace/trace.h"

namespace sysaxis::trace {
namespace {

using syscalls::Abi;

struct Key {
  int phase;
  pid_t pid;
  pid_t tid;
  Abi abi;
  long nr;
  int detail;
  bool operator==(const Key&) const = default;
};
struct KeyHash {
  std::size_t operator()(const Key& k) const noexcept {
    std::uint64_t h = static_cast<std::uint64_t>(k.nr) * 0x9E3779B97F4A7C15ULL;
    h ^= (static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.tid)) << 1) +
         static_cast<std::uint64_t>(k.phase) * 0x100000001B3ULL;
    h ^= static_cast<std::uint64_t>(k.detail) * 0xC2B2AE3D27D4EB4FULL + static_cast<std::uint64_t>(k.abi);
    h ^= static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.pid)) << 32;
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
};
struct Counter {
  std::uint64_t calls = 0, errors = 0, unfinished = 0, time_ns = 0, max_ns = 0;
};

struct Thread {
  pid_t tid = 0;
  pid_t tgid = 0;
  bool counting = true;  // false for the root child until its execve entry
  bool in_syscall = false;
  bool skip_exit = false;  // a marker: its exit is not counted
  Counter* counter = nullptr;
  std::uint64_t t_enter = 0;
  ThreadCounters last;  // counters already attributed
  std::string comm;
};

struct Process {
  pid_t tgid = 0;
  pid_t parent = 0;
  int phase = 0;
  bool marked = false;  // marked itself, or inherited a marked phase at fork
  std::vector<int> phases;
  std::vector<pid_t> threads;
  std::string comm;
  std::optional<int> exit_code;
  std::optional<int> term_signal;
};

class PtraceEngine final : public Engine {
 public:
  std::string_view name() const override { return "ptrace"; }
  TraceResult run(const TraceOptions& options) override;

 private:
  int intern_phase(const std::string& p);
  int intern_detail(const std::string& d);
  Thread& thread(pid_t tid);
  Process& process(pid_t tgid, pid_t parent_hint);
  void attribute(Thread& t, const Process& p);
  void switch_phase(Process& p, int phase);
  void on_syscall_stop(Thread& t);
  // A tracee asked for PTRACE_TRACEME: kills every traced process; run() then fails (125).
  void stop_for_traceme(pid_t tid);
  void on_entry(Thread& t, const __ptrace_syscall_info& info);
  void on_exit_event(Thread& t);
  void on_exec_event(pid_t tid);
  void on_gone(pid_t tid, int status);
  std::string entry_detail(pid_t tid, std::string_view name, const __ptrace_syscall_info& info) const;
  TraceResult collect(const TraceOptions& options);

  syscalls::DeviceNames devices_ = syscalls::DeviceNames::from_proc();
  std::vector<std::string> phases_;
  std::unordered_map<std::string, int> phase_ids_;
  std::vector<std::string> details_;
  std::unordered_map<std::string, int> detail_ids_;
  std::unordered_map<Key, Counter, KeyHash> counters_;
  std::unordered_map<pid_t, Thread> threads_;
  std::map<pid_t, Process> processes_;
  std::map<std::pair<int, pid_t>, FaultRow> faults_;
  std::map<pid_t, std::string> comms_;  // last comm of every thread seen
  pid_t root_ = 0;
  std::optional<int> root_status_;
  pid_t traceme_ = 0;  // the first tracee that called ptrace(PTRACE_TRACEME)
  std::uint64_t threads_seen_ = 0;
  std::vector<std::string> notes_;
};

int PtraceEngine::intern_phase(const std::string& p) {
  auto [it, inserted] = phase_ids_.emplace(p, static_cast<int>(phases_.size()));
  if (inserted) phases_.push_back(p);
  return it->second;
}

int PtraceEngine::intern_detail(const std::string& d) {
  auto [it, inserted] = detail_ids_.emplace(d, static_cast<int>(details_.size()));
  if (inserted) details_.push_back(d);
  return it->second;
}

Process& PtraceEngine::process(pid_t tgid, pid_t parent_hint) {
  auto it = processes_.find(tgid);
  if (it != processes_.end()) return it->second;
  Process p;
  p.tgid = tgid;
  p.parent = parent_hint;
  p.phase = intern_phase(std::string(kPhaseStartup));
  // A child process inherits the phase of the process that forked it.
  if (auto pit = processes_.find(parent_hint); pit != processes_.end()) {
    p.phase = pit->second.phase;
    p.marked = pit->second.marked;
  }
  p.phases.push_back(p.phase);
  return processes_.emplace(tgid, std::move(p)).first->second;
}

Thread& PtraceEngine::thread(pid_t tid) {
  auto it = threads_.find(tid);
  if (it != threads_.end()) return it->second;
  Thread t;
  t.tid = tid;
  auto [tgid, ppid] = read_tgid_ppid(tid);
  t.tgid = tgid;
  Process& p = process(tgid, ppid);
  p.threads.push_back(tid);
  t.comm = read_comm(tgid, tid);
  ++threads_seen_;
  return threads_.emplace(tid, std::move(t)).first->second;
}

// Attributes the thread's page faults and context switches since its last sample to the
// process's current phase.
void PtraceEngine::attribute(Thread& t, const Process& p) {
  auto s = sample_thread(t.tgid, t.tid);
  if (!s) return;
  FaultRow& f = faults_[{p.phase, p.tgid}];
  f.phase = phases_[static_cast<std::size_t>(p.phase)];
  f.pid = p.tgid;
  auto delta = [](std::uint64_t now, std::uint64_t& last) {
    std::uint64_t d = now >= last ? now - last : 0;
    last = now;
    return d;
  };
  f.minor += delta(s->minflt, t.last.minflt);
  f.major += delta(s->majflt, t.last.majflt);
  f.vol_cs += delta(s->nvcsw, t.last.nvcsw);
  f.invol_cs += delta(s->nivcsw, t.last.nivcsw);
}

void PtraceEngine::switch_phase(Process& p, int phase) {
  for (pid_t tid : p.threads) {
    auto it = threads_.find(tid);
    if (it != threads_.end()) attribute(it->second, p);
  }
  p.phase = phase;
  p.marked = true;
  if (std::find(p.phases.begin(), p.phases.end(), phase) == p.phases.end()) p.phases.push_back(phase);
}

std::string PtraceEngine::entry_detail(pid_t tid, std::string_view name, const __ptrace_syscall_info& info) const {
  auto fd_target = [&](std::uint64_t fd_arg) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/fd/%d", tid, static_cast<int>(fd_arg));
    struct stat st {};
    bool ok = ::stat(path, &st) == 0;
    return syscalls::describe_stat(devices_, ok, st.st_mode, st.st_rdev);
  };
  if (name == "ioctl") {
    // The device, the request and, for requests that name what they act on in their argument
    // structure (NVIDIA RM_ALLOC's class, RM_CONTROL's command), that u32, read from the tracee
    // with process_vm_readv (never written; a failed read leaves the request's name alone).
    const std::string device = fd_target(info.entry.args[0]);
    const std::uint64_t request = info.entry.args[1];
    std::optional<std::uint32_t> field;
    if (auto f = syscalls::ioctl_arg_field(device, request); f && f->size <= sizeof(std::uint32_t)) {
      std::uint32_t value = 0;
      iovec local{&value, f->size};
      iovec remote{reinterpret_cast<void*>(info.entry.args[2] + f->offset),
                   f->size};  // NOLINT(performance-no-int-to-ptr)
      if (info.entry.args[2] != 0 && process_vm_readv(tid, &local, 1, &remote, 1, 0) == static_cast<ssize_t>(f->size)) {
        field = value;
      }
    }
    return syscalls::ioctl_detail(device, request, field);
  }
  if (name == "mmap" || name == "mmap2") {
    constexpr std::uint64_t kMapAnonymous = 0x20;
    if ((info.entry.args[3] & kMapAnonymous) != 0) return "anon";
    return fd_target(info.entry.args[4]);
  }
  return {};
}

void PtraceEngine::on_entry(Thread& t, const __ptrace_syscall_info& info) {
  const Abi abi = syscalls::abi_from_audit_arch(info.arch, static_cast<long>(info.entry.nr));
  const long nr = syscalls::table_number(abi, static_cast<long>(info.entry.nr));
  t.in_syscall = true;
  t.skip_exit = false;
  t.counter = nullptr;
  if (!t.counting) {
    if (t.tid == root_ && abi == syscalls::native_abi() && syscalls::syscall_name(abi, nr) == "execve") {
      t.counting = true;
    } else {
      t.skip_exit = true;
      return;
    }
  }
  const std::string name = syscalls::syscall_name(abi, nr);
  if (name == "ptrace" && info.entry.args[0] == PTRACE_TRACEME) {
    // Untraced, this call succeeds; under this engine it would fail (the process has a tracer
    // already), so the command would take another path. It is stopped before the call runs.
    stop_for_traceme(t.tid);
    t.skip_exit = true;
    return;
  }
  Process& p = process(t.tgid, 0);
  // The marker protocol: write(-1, "sysaxis:phase:<name>", len), not counted.
  if (name == "write" && static_cast<int>(info.entry.args[0]) == -1 && info.entry.args[2] > kMarkerPrefix.size() &&
      info.entry.args[2] <= kMaxMarkerLength) {
    char buf[kMaxMarkerLength];
    iovec local{buf, static_cast<std::size_t>(info.entry.args[2])};
    iovec remote{reinterpret_cast<void*>(info.entry.args[1]), local.iov_len};  // NOLINT(performance-no-int-to-ptr)
    ssize_t n = process_vm_readv(t.tid, &local, 1, &remote, 1, 0);
    if (n > 0) {
      if (auto phase = parse_marker(std::string_view(buf, static_cast<std::size_t>(n)))) {
        switch_phase(p, intern_phase(*phase));
        t.skip_exit = true;
        return;
      }
    }
  }
  Key key{p.phase, t.tgid, t.tid, abi, nr, intern_detail(entry_detail(t.tid, name, info))};
  Counter& c = counters_[key];
  ++c.calls;
  t.counter = &c;
  t.t_enter = monotonic_ns();
}

void PtraceEngine::stop_for_traceme(pid_t tid) {
  if (traceme_ == 0) traceme_ = tid;
  for (const auto& [id, th] : threads_) {
    if (id == th.tgid) ::kill(id, SIGKILL);
  }
}

void PtraceEngine::on_syscall_stop(Thread& t) {
  __ptrace_syscall_info info{};
  if (ptrace(PTRACE_GET_SYSCALL_INFO, t.tid, sizeof info, &info) <= 0) return;
  if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
    on_entry(t, info);
  } else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
    if (!t.in_syscall) return;  // e.g. a new thread's first stop after clone
    t.in_syscall = false;
    if (t.skip_exit || t.counter == nullptr) return;
    std::uint64_t d = monotonic_ns() - t.t_enter;
    t.counter->time_ns += d;
    t.counter->max_ns = std::max(t.counter->max_ns, d);
    if (info.exit.is_error != 0) ++t.counter->errors;
    t.counter = nullptr;
  }
}

void PtraceEngine::on_exit_event(Thread& t) {
  if (t.in_syscall && t.counter != nullptr) ++t.counter->unfinished;
  t.in_syscall = false;
  t.counter = nullptr;
  auto pit = processes_.find(t.tgid);
  if (pit != processes_.end()) {
    attribute(t, pit->second);
    auto c = read_comm(t.tgid, t.tid);
    if (!c.empty()) t.comm = c;
    if (t.tid == t.tgid) pit->second.comm = t.comm;
  }
  comms_[t.tid] = t.comm;
}

void PtraceEngine::on_exec_event(pid_t tid) {
  unsigned long former = 0;
  ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &former);
  const auto old_tid = static_cast<pid_t>(former);
  if (old_tid != tid) {
    // A non-leader thread called execve: it now carries the leader's id.
    auto it = threads_.find(old_tid);
    if (it != threads_.end()) {
      Thread moved = std::move(it->second);
      threads_.erase(it);
      moved.tid = tid;
      threads_.insert_or_assign(tid, std::move(moved));
    }
  }
  Thread& t = thread(tid);
  t.comm = read_comm(t.tgid, tid);
  Process& p = process(t.tgid, 0);
  p.comm = t.comm;
  std::erase_if(p.threads, [&](pid_t x) { return x != tid && !threads_.contains(x); });
}

void PtraceEngine::on_gone(pid_t tid, int status) {
  auto it = threads_.find(tid);
  if (it != threads_.end()) {
    Thread& t = it->second;
    if (t.in_syscall && t.counter != nullptr) ++t.counter->unfinished;
    comms_[tid] = t.comm;
    auto pit = processes_.find(t.tgid);
    if (pit != processes_.end() && tid == t.tgid) {
      if (WIFEXITED(status)) pit->second.exit_code = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) pit->second.term_signal = WTERMSIG(status);
    }
    threads_.erase(it);
  }
  if (tid == root_) root_status_ = status;
}

TraceResult PtraceEngine::run(const TraceOptions& options) {
  if (!options.api.empty()) throw TraceError(kExitUsage, kApiNeedsEbpf);
  const std::uint64_t t0 = monotonic_ns();
  GatedCommand command(options.command);
  const pid_t child = command.pid();
  root_ = child;
  constexpr long kOptions = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                            PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL;
  if (ptrace(PTRACE_SEIZE, child, nullptr, kOptions) != 0) {
    int err = errno;
    command.abandon();
    throw TraceError(kExitTracerFailure,
                     fmt::format("ptrace(PTRACE_SEIZE) not permitted: {}. ptrace is refused in containers "
                                 "without CAP_SYS_PTRACE, under seccomp profiles that block it, when "
                                 "/proc/sys/kernel/yama/ptrace_scope is 3, or when sysaxis itself is traced. "
                                 "Try --engine ebpf as root.",
                                 std::strerror(err)));
  }
  ptrace(PTRACE_INTERRUPT, child, nullptr, nullptr);
  {
    Thread& t = thread(child);
    t.counting = false;
    if (auto s = sample_thread(child, child)) t.last = *s;  // fork-to-exec work is not the command's
  }

  SignalRelay relay;
  while (true) {
    relay.forward(root_, root_status_.has_value(), notes_);
    int status = 0;
    pid_t tid = waitpid(-1, &status, __WALL);
    if (tid < 0) {
      if (errno == EINTR) continue;
      if (errno == ECHILD) break;
      notes_.push_back(fmt::format("waitpid failed: {}", std::strerror(errno)));
      break;
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      on_gone(tid, status);
      continue;
    }
    if (!WIFSTOPPED(status)) continue;
    const int sig = WSTOPSIG(status);
    const unsigned event = static_cast<unsigned>(status) >> 16;
    int request = PTRACE_SYSCALL;
    int inject = 0;
    if (sig == (SIGTRAP | 0x80)) {
      on_syscall_stop(thread(tid));
    } else if (event != 0) {
      switch (event) {
        case PTRACE_EVENT_FORK:
        case PTRACE_EVENT_VFORK:
        case PTRACE_EVENT_CLONE: {
          unsigned long new_tid = 0;
          ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &new_tid);
          (void)thread(static_cast<pid_t>(new_tid));  // registers it with its tgid and parent
          break;
        }
        case PTRACE_EVENT_EXEC: on_exec_event(tid); break;
        case PTRACE_EVENT_EXIT: on_exit_event(thread(tid)); break;
        case PTRACE_EVENT_STOP:
          if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) request = PTRACE_LISTEN;
          break;
        default: break;
      }
    } else {
      inject = sig;  // signal-delivery-stop: deliver it
    }
    if (ptrace(static_cast<__ptrace_request>(request), tid, nullptr, inject) != 0 && errno != ESRCH) {
      notes_.push_back(fmt::format("ptrace restart of {} failed: {}", tid, std::strerror(errno)));
    }
    if (!command.released() && tid == child) {
      // The child is stopped under our control: let it exec.
      if (!command.release()) notes_.emplace_back("could not release the child");
    }
  }

  if (traceme_ != 0) {
    throw TraceError(kExitTracerFailure,
                     fmt::format("process {} of the command called ptrace(PTRACE_TRACEME): it asks to be traced by "
                                 "its parent (a debugger's child, or a check for a debugger), which fails while the "
                                 "ptrace engine traces it, so the command would not run as it does untraced; it was "
                                 "killed. Trace it with --engine ebpf, which does not use ptrace.",
                                 traceme_));
  }
  TraceResult r = collect(options);
  r.wall_ns = monotonic_ns() - t0;
  return r;
}

TraceResult PtraceEngine::collect(const TraceOptions& options) {
  TraceResult r;
  r.engine = "ptrace";
  r.hook = "ptrace";
  r.command = options.command;
  r.arch = std::string(syscalls::native_arch());
  r.threads_seen = threads_seen_;
  r.notes = notes_;
  set_exit_status(r, root_status_);
  // Processes that never marked (and inherited no marked phase) are reported as one phase, "all".
  const int startup = intern_phase(std::string(kPhaseStartup));
  const int all = intern_phase(std::string(kPhaseAll));
  auto phase_of = [&](int phase, pid_t pid) {
    auto it = processes_.find(pid);
    if (phase == startup && it != processes_.end() && !it->second.marked) return all;
    return phase;
  };
  for (const auto& [k, c] : counters_) {
    Row row;
    row.phase = phases_[static_cast<std::size_t>(phase_of(k.phase, k.pid))];
    row.pid = k.pid;
    row.tid = k.tid;
    auto cit = comms_.find(k.tid);
    if (cit != comms_.end()) {
      row.comm = cit->second;
    } else if (auto tit = threads_.find(k.tid); tit != threads_.end()) {
      row.comm = tit->second.comm;
    }
    row.abi = k.abi;
    row.syscall = syscalls::syscall_name(k.abi, k.nr);
    row.detail = details_[static_cast<std::size_t>(k.detail)];
    row.calls = c.calls;
    row.errors = c.errors;
    row.unfinished = c.unfinished;
    row.time_ns = c.time_ns;
    row.max_ns = c.max_ns;
    r.rows.push_back(std::move(row));
  }
  sort_rows(r.rows);
  for (auto& [key, f] : faults_) {
    FaultRow row = f;
    row.phase = phases_[static_cast<std::size_t>(phase_of(key.first, key.second))];
    r.faults.push_back(row);
  }
  for (const auto& [pid, p] : processes_) {
    ProcessInfo info;
    info.pid = pid;
    info.parent = processes_.contains(p.parent) ? p.parent : 0;
    info.comm = p.comm;
    for (int ph : p.phases) info.phases.push_back(phases_[static_cast<std::size_t>(phase_of(ph, pid))]);
    info.exit_code = p.exit_code;
    info.term_signal = p.term_signal;
    r.processes.push_back(std::move(info));
  }
  return r;
}

}  // namespace

std::unique_ptr<Engine> make_ptrace_engine() {
  return std::make_unique<PtraceEngine>();
}

}  // namespace sysaxis::trace
