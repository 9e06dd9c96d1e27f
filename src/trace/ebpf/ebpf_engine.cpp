// The user half of the eBPF engine (kernel half: sysaxis.bpf.c), in the style of libbpf-tools'
// syscount.c: configure the skeleton's read-only globals, load, attach, run, read the maps.
//
// Start-up: the programs are attached first; the command is forked and held before execve (it
// blocks on a pipe, launch.h); its task storage is created through a pidfd, and only then is it
// released. Counting starts at its execve entry, like the ptrace engine. sysaxis becomes a child
// subreaper while tracing, so orphaned descendants are reparented to it and waited for: the trace
// ends when the whole tree has exited (as with ptrace), and every thread has flushed its counters.
#include "trace/ebpf/ebpf_engine.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include "syscalls/devices.h"
#include "syscalls/syscall_table.h"
#include "trace/ebpf/ebpf_rows.h"
#include "trace/ebpf/sysaxis_bpf.h"
#include "trace/launch.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "sysaxis.skel.h"
#pragma GCC diagnostic pop

namespace sysaxis::trace::ebpf {
namespace {

// libbpf's messages while loading, kept for the error message (libbpf prints through one global
// callback; sysaxis loads from one thread).
std::string g_libbpf_log;

int capture_libbpf(enum libbpf_print_level level, const char* format, va_list args) {
  static const bool debug = std::getenv("SYSAXIS_BPF_DEBUG") != nullptr;  // everything libbpf says
  if (debug) {
    va_list copy;
    va_copy(copy, args);
    std::vfprintf(stderr, format, copy);  // NOLINT(clang-analyzer-valist.Uninitialized): va_copy set it
    va_end(copy);
  }
  if (level == LIBBPF_DEBUG) return 0;
  char buf[1024];
  int n = std::vsnprintf(buf, sizeof buf, format, args);
  if (n > 0) g_libbpf_log.append(buf, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buf - 1));
  return n;
}

// The last non-empty line libbpf printed (the verifier's or the kernel's reason).
std::string last_libbpf_line() {
  std::string log = g_libbpf_log;
  while (!log.empty() && (log.back() == '\n' || log.back() == ' ')) log.pop_back();
  auto pos = log.rfind('\n');
  return pos == std::string::npos ? log : log.substr(pos + 1);
}

std::string why_cannot_load(int err) {
  if (err == EPERM || err == EACCES) {
    return geteuid() == 0 ? "the kernel refused BPF (EPERM as root: a lockdown, seccomp or container policy?)"
                          : "loading BPF programs needs root or CAP_BPF+CAP_PERFMON";
  }
  if (::access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    return "the kernel has no BTF (/sys/kernel/btf/vmlinux), which CO-RE and tp_btf programs need";
  }
  std::string line = last_libbpf_line();
  return fmt::format("the BPF programs did not load: {}{}{}", std::strerror(err), line.empty() ? "" : ": ", line);
}

struct SkelDeleter {
  void operator()(sysaxis_bpf* s) const { sysaxis_bpf__destroy(s); }
};
using Skel = std::unique_ptr<sysaxis_bpf, SkelDeleter>;

struct LinkDeleter {
  void operator()(bpf_link* l) const { bpf_link__destroy(l); }
};
using Link = std::unique_ptr<bpf_link, LinkDeleter>;

std::int32_t nr_of(syscalls::Abi abi, std::string_view name) {
  auto nr = syscalls::syscall_number(abi, name);
  return nr ? static_cast<std::int32_t>(*nr) : -1;
}

// Restores the previous child-subreaper setting on scope exit.
class Subreaper {
 public:
  Subreaper() {
    prctl(PR_GET_CHILD_SUBREAPER, &previous_);
    active_ = prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
  }
  ~Subreaper() {
    if (active_ && previous_ == 0) prctl(PR_SET_CHILD_SUBREAPER, 0);
  }
  Subreaper(const Subreaper&) = delete;
  Subreaper& operator=(const Subreaper&) = delete;
  bool active() const { return active_; }

 private:
  int previous_ = 0;
  bool active_ = false;
};

template <typename K, typename V>
std::vector<std::pair<K, V>> read_hash(int fd) {
  std::vector<std::pair<K, V>> out;
  K key{};
  K next{};
  const K* prev = nullptr;
  while (bpf_map_get_next_key(fd, prev, &next) == 0) {
    V value{};
    if (bpf_map_lookup_elem(fd, &next, &value) == 0) out.emplace_back(next, value);
    key = next;
    prev = &key;
  }
  return out;
}

class EbpfEngine final : public Engine {
 public:
  EbpfEngine(Mode mode, std::optional<syscalls::DeviceNames> devices) : mode_(mode), devices_(std::move(devices)) {
    load(false);
  }
  std::string_view name() const override { return "ebpf"; }
  TraceResult run(const TraceOptions& options) override;

 private:
  void load(bool count_only);
  void attach();
  void register_command(pid_t pid);
  Snapshot snapshot(const std::map<pid_t, int>& reaped) const;
  syscalls::DeviceNames devices() const { return devices_ ? *devices_ : syscalls::DeviceNames::from_proc(); }

  Mode mode_;
  std::optional<syscalls::DeviceNames> devices_;
  std::size_t field_rules_dropped_ = 0;
  bool count_only_ = false;
  bool used_ = false;
  Skel skel_;
  std::vector<Link> links_;
};

void EbpfEngine::load(bool count_only) {
  links_.clear();
  skel_.reset();
  g_libbpf_log.clear();
  libbpf_print_fn_t previous = libbpf_set_print(capture_libbpf);
  sysaxis_bpf* raw = sysaxis_bpf__open();
  if (raw == nullptr) {
    int err = errno;
    libbpf_set_print(previous);
    throw TraceError(kExitTracerFailure, fmt::format("eBPF engine: {}", why_cannot_load(err)));
  }
  Skel skel(raw);
  auto* ro = skel->rodata;
  ro->count_only = count_only;
  for (syscalls::Abi abi : {syscalls::Abi::x86_64, syscalls::Abi::i386, syscalls::Abi::x32}) {
    const auto i = static_cast<std::size_t>(abi);
    ro->nr_write[i] = nr_of(abi, "write");
    ro->nr_ioctl[i] = nr_of(abi, "ioctl");
    ro->nr_mmap[i] = nr_of(abi, "mmap");
    ro->nr_mmap2[i] = nr_of(abi, "mmap2");
    ro->nr_execve[i] = nr_of(abi, "execve");
    ro->nr_execveat[i] = nr_of(abi, "execveat");
  }
  std::vector<sx_field_rule> rules = field_rules(devices());
  field_rules_dropped_ = rules.size() > SX_MAX_FIELD_RULES ? rules.size() - SX_MAX_FIELD_RULES : 0;
  rules.resize(std::min<std::size_t>(rules.size(), SX_MAX_FIELD_RULES));
  std::copy(rules.begin(), rules.end(), ro->field_rules);
  ro->nr_field_rules = static_cast<__u32>(rules.size());
  const int ncpus = libbpf_num_possible_cpus();
  ro->nr_cpus = ncpus > 0 ? static_cast<__u32>(std::min(ncpus, SX_MAX_CPUS)) : 1;
  const bool floor = mode_ != Mode::full;
  bpf_program__set_autoload(skel->progs.sx_enter, !floor);
  bpf_program__set_autoload(skel->progs.sx_exit, !floor && !count_only);
  bpf_program__set_autoload(skel->progs.sx_fork, !floor);
  bpf_program__set_autoload(skel->progs.sx_exec, !floor);
  bpf_program__set_autoload(skel->progs.sx_task_exit, !floor);
  const bool clock = mode_ == Mode::floor_clock;
  bpf_program__set_autoload(skel->progs.sx_floor_enter, floor && !clock);
  bpf_program__set_autoload(skel->progs.sx_floor_exit, mode_ == Mode::floor);
  bpf_program__set_autoload(skel->progs.sx_floor_clock_enter, clock);
  bpf_program__set_autoload(skel->progs.sx_floor_clock_exit, clock);
  if (std::getenv("SYSAXIS_BPF_DEBUG") != nullptr) {  // the verifier's statistics, printed by libbpf
    bpf_program* prog = nullptr;
    bpf_object__for_each_program(prog, skel->obj) bpf_program__set_log_level(prog, 4);
  }
  int err = sysaxis_bpf__load(skel.get());
  libbpf_set_print(previous);
  if (err != 0) throw TraceError(kExitTracerFailure, fmt::format("eBPF engine: {}", why_cannot_load(-err)));
  skel_ = std::move(skel);
  count_only_ = count_only;
  used_ = false;
}

void EbpfEngine::attach() {
  bpf_program* progs[] = {skel_->progs.sx_enter,
                          skel_->progs.sx_exit,
                          skel_->progs.sx_fork,
                          skel_->progs.sx_exec,
                          skel_->progs.sx_task_exit,
                          skel_->progs.sx_floor_enter,
                          skel_->progs.sx_floor_exit,
                          skel_->progs.sx_floor_clock_enter,
                          skel_->progs.sx_floor_clock_exit};
  for (bpf_program* p : progs) {
    if (!bpf_program__autoload(p)) continue;
    bpf_link* link = bpf_program__attach(p);
    if (link == nullptr) {
      int err = errno;
      links_.clear();
      throw TraceError(kExitTracerFailure,
                       fmt::format("eBPF engine: cannot attach {}: {}", bpf_program__name(p), std::strerror(err)));
    }
    links_.emplace_back(link);
  }
}

// The command is followed from now on: its task storage (through a pidfd), its process slot 0,
// its thread entry. Its fault and switch counters start at its execve (set in the kernel).
void EbpfEngine::register_command(pid_t pid) {
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    throw TraceError(kExitTracerFailure,
                     fmt::format("eBPF engine: pidfd_open: {} (needs Linux 5.3 or later)", std::strerror(errno)));
  }
  auto state = std::make_unique<sx_thread>();
  state->slot = 0;
  state->tgid = static_cast<__u32>(pid);
  state->tid = static_cast<__u32>(pid);
  state->phase_seen = SX_PHASE_STARTUP;
  state->counting = 0;
  int err = bpf_map_update_elem(bpf_map__fd(skel_->maps.tstate), &pidfd, state.get(), BPF_NOEXIST);
  int saved = errno;
  ::close(pidfd);
  if (err != 0) {
    throw TraceError(kExitTracerFailure,
                     fmt::format("eBPF engine: cannot create the command's task storage: {}", std::strerror(saved)));
  }
  sx_proc proc{};
  proc.tgid = static_cast<__u32>(pid);
  proc.phase = SX_PHASE_STARTUP;
  proc.nphases = 1;
  proc.phases[0] = SX_PHASE_STARTUP;
  const __u32 slot = 0;
  if (bpf_map_update_elem(bpf_map__fd(skel_->maps.procs), &slot, &proc, BPF_ANY) != 0) {
    throw TraceError(kExitTracerFailure,
                     fmt::format("eBPF engine: cannot record the command: {}", std::strerror(errno)));
  }
  sx_thread_info info{};
  info.tgid = static_cast<__u32>(pid);
  const __u32 tid = static_cast<__u32>(pid);
  bpf_map_update_elem(bpf_map__fd(skel_->maps.threads), &tid, &info, BPF_ANY);
  skel_->bss->threads_seen = 1;
  skel_->bss->live_threads = 1;
}

Snapshot EbpfEngine::snapshot(const std::map<pid_t, int>& reaped) const {
  Snapshot s;
  s.rows = read_hash<sx_key, sx_counts>(bpf_map__fd(skel_->maps.rows));
  s.faults = read_hash<sx_fault_key, sx_sample>(bpf_map__fd(skel_->maps.faults));
  for (auto& [tid, info] : read_hash<__u32, sx_thread_info>(bpf_map__fd(skel_->maps.threads))) {
    s.threads.emplace(tid, info);
  }
  using PhaseName = std::array<char, SX_PHASE_NAME_LEN>;
  for (auto& [name, id] : read_hash<PhaseName, __u32>(bpf_map__fd(skel_->maps.phase_ids))) {
    s.phase_names.emplace(id, std::string(name.data(), strnlen(name.data(), name.size())));
  }
  const __u32 used = std::min<__u32>(skel_->data->next_slot, SX_MAX_PROCS);
  const int procs_fd = bpf_map__fd(skel_->maps.procs);
  for (__u32 slot = 0; slot < used; ++slot) {
    sx_proc p{};
    if (bpf_map_lookup_elem(procs_fd, &slot, &p) == 0 && p.tgid != 0) s.procs.push_back(p);
  }
  if (count_only_) {
    const int ncpus = libbpf_num_possible_cpus();
    std::vector<sx_cpu> cpus(static_cast<std::size_t>(std::max(ncpus, 1)));
    const __u32 zero = 0;
    if (bpf_map_lookup_elem(bpf_map__fd(skel_->maps.cpus), &zero, cpus.data()) == 0) merge_cpu_caches(s.rows, cpus);
  }
  s.reaped = reaped;
  s.lost = skel_->bss->lost;
  s.threads_seen = skel_->bss->threads_seen;
  s.count_only = count_only_;
  return s;
}

TraceResult EbpfEngine::run(const TraceOptions& options) {
  if (options.command.empty()) throw TraceError(kExitUsage, "no command to trace");
  if (used_ || (mode_ == Mode::full && options.count_only != count_only_)) load(options.count_only);
  used_ = true;
  attach();
  const bool floor = mode_ != Mode::full;
  const std::uint64_t t0 = monotonic_ns();
  Subreaper subreaper;
  GatedCommand command(options.command);
  const pid_t root = command.pid();
  if (!floor) register_command(root);

  TraceResult r;
  r.engine = "ebpf";
  r.command = options.command;
  r.arch = std::string(syscalls::native_arch());
  if (!subreaper.active()) r.notes.emplace_back("could not become a child subreaper: orphans are not waited for");

  SignalRelay relay;
  if (!command.release()) r.notes.emplace_back("could not release the child");
  std::optional<int> root_status;
  std::map<pid_t, int> reaped;
  while (true) {
    relay.forward(root, root_status.has_value(), r.notes);
    int status = 0;
    pid_t pid = waitpid(-1, &status, __WALL);
    if (pid < 0) {
      if (errno == EINTR) continue;
      if (errno == ECHILD) break;
      r.notes.push_back(fmt::format("waitpid failed: {}", std::strerror(errno)));
      break;
    }
    if (!WIFEXITED(status) && !WIFSIGNALED(status)) continue;
    reaped[pid] = status;
    if (pid == root) root_status = status;
  }
  r.wall_ns = monotonic_ns() - t0;
  links_.clear();  // detach
  set_exit_status(r, root_status);
  if (floor) {
    r.notes.emplace_back("floor: benchmark programs only, nothing recorded");
    return r;
  }
  if (skel_->bss->live_threads > 0) {
    r.notes.push_back(
        fmt::format("{} traced threads were still running when tracing ended: their last counts are missing",
                    skel_->bss->live_threads));
  }
  assemble(snapshot(reaped), devices(), r);
  if (field_rules_dropped_ != 0) {
    r.notes.push_back(
        fmt::format("{} ioctl field rules beyond the kernel half's {} not applied: those ioctls are "
                    "named without their argument field",
                    field_rules_dropped_, SX_MAX_FIELD_RULES));
  }
  return r;
}

}  // namespace

std::unique_ptr<Engine> make_engine(Mode mode, std::optional<syscalls::DeviceNames> devices) {
  return std::make_unique<EbpfEngine>(mode, std::move(devices));
}

}  // namespace sysaxis::trace::ebpf
