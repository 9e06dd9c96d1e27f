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
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <thread>
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

// The function behind getppid that BTF names: __x64_sys_getppid, or __do_sys_getppid where the
// wrappers of a syscall without arguments are aliases of it (they have no BTF of their own).
std::string getppid_function() {
  btf* vmlinux = btf__load_vmlinux_btf();
  if (vmlinux == nullptr) return {};
  std::string found;
  for (const char* name : {"__x64_sys_getppid", "__do_sys_getppid"}) {
    if (btf__find_by_name_kind(vmlinux, name, BTF_KIND_FUNC) > 0) {
      found = name;
      break;
    }
  }
  btf__free(vmlinux);
  return found;
}

}  // namespace

std::string fentry_unavailable() {
  std::string target = getppid_function();
  if (target.empty()) return "the kernel's BTF names no function behind getppid (__x64_sys_getppid, __do_sys_getppid)";
  g_libbpf_log.clear();
  libbpf_print_fn_t previous = libbpf_set_print(capture_libbpf);
  sysaxis_bpf* raw = sysaxis_bpf__open();
  if (raw == nullptr) {
    const int err = errno;
    libbpf_set_print(previous);
    return why_cannot_load(err);
  }
  Skel skel(raw);
  bpf_program* prog = nullptr;
  bpf_object__for_each_program(prog, skel->obj) bpf_program__set_autoload(prog, prog == skel->progs.sx_fentry_probe);
  int err = bpf_program__set_attach_target(skel->progs.sx_fentry_probe, 0, target.c_str());
  if (err == 0) err = sysaxis_bpf__load(skel.get());
  libbpf_set_print(previous);
  if (err != 0) {
    if ((err == -EPERM || err == -EACCES) && geteuid() == 0) {
      return fmt::format(
          "this kernel refuses BPF trampoline programs (fentry on {}: {} as root, before the "
          "verifier runs)",
          target, std::strerror(-err));
    }
    return fmt::format("fentry on {}: {}", target, why_cannot_load(-err));
  }
  Link link(bpf_program__attach(skel->progs.sx_fentry_probe));
  if (!link) return fmt::format("fentry on {}: cannot attach: {}", target, std::strerror(errno));
  return {};
}

namespace {

// uprobe_multi links (Linux 6.6): one link attaches a program at many offsets of one file, and
// detaches with one grace period (a uprobe of its own perf event waits for one each, under a
// global mutex: 266 of them took 27-33 s to detach on the development VM). libbpf 1.1 has no API
// for them, so the link is made with the bpf syscall; the constants are the kernel's uapi.
constexpr auto kTraceUprobeMulti = static_cast<bpf_attach_type>(48);  // BPF_TRACE_UPROBE_MULTI
constexpr std::uint32_t kUprobeMultiReturn = 1;                       // BPF_F_UPROBE_MULTI_RETURN

bool uprobe_multi_supported() {
  if (std::getenv("SYSAXIS_NO_UPROBE_MULTI") != nullptr) return false;
  utsname u{};
  if (uname(&u) != 0) return false;
  unsigned major = 0, minor = 0;
  if (std::sscanf(u.release, "%u.%u", &major, &minor) != 2) return false;
  return major > 6 || (major == 6 && minor >= 6);
}

// BPF_LINK_CREATE's uprobe_multi attributes (union bpf_attr, link_create), laid out by hand.
struct UprobeMultiAttr {
  std::uint32_t prog_fd;
  std::uint32_t target_fd;
  std::uint32_t attach_type;
  std::uint32_t flags;
  std::uint64_t path;
  std::uint64_t offsets;
  std::uint64_t ref_ctr_offsets;
  std::uint64_t cookies;
  std::uint32_t cnt;
  std::uint32_t multi_flags;
  std::uint32_t pid;
  std::uint8_t tail[144 - 60];  // the rest of union bpf_attr: zero
};
static_assert(sizeof(UprobeMultiAttr) == 144);

int uprobe_multi_link(int prog_fd, const std::string& path, const std::vector<std::uint64_t>& offsets,
                      const std::vector<std::uint64_t>& cookies, bool ret) {
  UprobeMultiAttr a{};
  a.prog_fd = static_cast<std::uint32_t>(prog_fd);
  a.attach_type = kTraceUprobeMulti;
  a.path = reinterpret_cast<std::uintptr_t>(path.c_str());
  a.offsets = reinterpret_cast<std::uintptr_t>(offsets.data());
  a.cookies = reinterpret_cast<std::uintptr_t>(cookies.data());
  a.cnt = static_cast<std::uint32_t>(offsets.size());
  a.multi_flags = ret ? kUprobeMultiReturn : 0;
  return static_cast<int>(::syscall(SYS_bpf, BPF_LINK_CREATE, &a, sizeof a));
}

class EbpfEngine final : public Engine {
 public:
  EbpfEngine(Mode mode, std::optional<syscalls::DeviceNames> devices, Hook hook)
      : mode_(mode), devices_(std::move(devices)) {
    choose_hook(hook);
    load(false, false);
  }
  ~EbpfEngine() override { detach_api(); }
  EbpfEngine(const EbpfEngine&) = delete;
  EbpfEngine& operator=(const EbpfEngine&) = delete;
  std::string_view name() const override { return "ebpf"; }
  TraceResult run(const TraceOptions& options) override;

 private:
  void choose_hook(Hook hook);
  void load(bool count_only, bool api);
  void attach();
  void attach_api(const std::vector<ApiFunction>& functions, std::vector<std::string>& notes);
  void detach_api();
  void register_command(pid_t pid);
  Snapshot snapshot(const std::map<pid_t, int>& reaped) const;
  syscalls::DeviceNames devices() const { return devices_ ? *devices_ : syscalls::DeviceNames::from_proc(); }

  Mode mode_;
  std::optional<syscalls::DeviceNames> devices_;
  std::size_t field_rules_dropped_ = 0;
  bool count_only_ = false;
  bool api_enabled_ = false;
  std::vector<std::string> api_names_;  // by id: the attach cookie of the function's uprobes
  bool used_ = false;
  Skel skel_;
  std::vector<Link> links_;
  std::vector<Link> api_links_;     // --api's uprobes, one perf event each (detach_api)
  std::vector<int> api_multi_fds_;  // --api's uprobe_multi links (one per library and direction)
  bool api_multi_ = false;          // the API programs were loaded for uprobe_multi links
};

// The engine on the per-syscall functions is not built yet: --hook fentry fails (with the probe's
// reason where the kernel would refuse it anyway), auto runs the tracepoints and says why.
void EbpfEngine::choose_hook(Hook hook) {
  if (hook == Hook::tracepoint) return;
  std::string why = fentry_unavailable();
  if (why.empty()) why = "the engine on fentry/fexit hooks is not part of this build";
  if (hook == Hook::fentry) throw TraceError(kExitTracerFailure, fmt::format("eBPF engine: --hook fentry: {}", why));
}

void EbpfEngine::load(bool count_only, bool api) {
  links_.clear();
  detach_api();
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
  ro->api_enabled = api;
  // The uretprobe syscall, which the syscall table of older headers lacks (x86_64: 335).
  constexpr std::int32_t kUretprobeX8664 = 335;
  const std::int32_t uretprobe = nr_of(syscalls::Abi::x86_64, "uretprobe");
  ro->nr_uretprobe = uretprobe >= 0 ? uretprobe : kUretprobeX8664;
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
  bpf_program__set_autoload(skel->progs.sx_fentry_probe, false);
  bpf_program__set_autoload(skel->progs.sx_enter, !floor);
  bpf_program__set_autoload(skel->progs.sx_exit, !floor && !count_only);
  bpf_program__set_autoload(skel->progs.sx_fork, !floor);
  bpf_program__set_autoload(skel->progs.sx_exec, !floor);
  bpf_program__set_autoload(skel->progs.sx_task_exit, !floor);
  bpf_program__set_autoload(skel->progs.sx_api_enter, !floor && api);
  bpf_program__set_autoload(skel->progs.sx_api_exit, !floor && api);
  api_multi_ = api && uprobe_multi_supported();
  if (api_multi_) {
    bpf_program__set_expected_attach_type(skel->progs.sx_api_enter, kTraceUprobeMulti);
    bpf_program__set_expected_attach_type(skel->progs.sx_api_exit, kTraceUprobeMulti);
  }
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
  api_enabled_ = api;
  used_ = false;
}

// --api: a uprobe and a uretprobe per function, on every process that maps the file (the inode:
// a later dlopen of the same file is covered too); the programs leave at once for threads that
// are not traced. The cookie is the function's id. libbpf 1.1 has no uprobe_multi attachment, so
// each probe is its own perf event and link (two descriptors): the open-files soft limit is
// raised to the hard limit when they would not fit (the command inherits that limit).
void EbpfEngine::attach_api(const std::vector<ApiFunction>& functions, std::vector<std::string>& notes) {
  api_names_.clear();
  const std::size_t fds_needed = functions.size() * 4 + 256;
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < fds_needed && nofile.rlim_cur < nofile.rlim_max) {
    const rlim_t before = nofile.rlim_cur;
    nofile.rlim_cur = nofile.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &nofile) == 0) {
      notes.push_back(
          fmt::format("--api: open-files soft limit raised from {} to {} for {} uprobes (the command "
                      "inherits it)",
                      before, nofile.rlim_cur, functions.size() * 2));
    }
  }
  std::map<std::string, std::size_t> per_library;
  if (api_multi_) {
    std::map<std::string, std::pair<std::vector<std::uint64_t>, std::vector<std::uint64_t>>> by_library;
    for (std::size_t id = 0; id < functions.size(); ++id) {
      auto& [offsets, cookies] = by_library[functions[id].library];
      offsets.push_back(functions[id].offset);
      cookies.push_back(id);
      api_names_.push_back(functions[id].name);
    }
    for (const auto& [library, v] : by_library) {
      for (bool ret : {false, true}) {
        bpf_program* prog = ret ? skel_->progs.sx_api_exit : skel_->progs.sx_api_enter;
        const int fd = uprobe_multi_link(bpf_program__fd(prog), library, v.first, v.second, ret);
        if (fd < 0) {
          const int err = errno;
          detach_api();
          links_.clear();
          throw TraceError(kExitTracerFailure,
                           fmt::format("eBPF engine: --api: cannot attach the {} of {}: {}",
                                       ret ? "uretprobes" : "uprobes", library, std::strerror(err)));
        }
        api_multi_fds_.push_back(fd);
      }
      notes.push_back(fmt::format("--api: {} functions of {} probed (uprobe_multi: a uprobe and a uretprobe each)",
                                  v.first.size(), library));
    }
    return;
  }
  for (std::size_t id = 0; id < functions.size(); ++id) {
    const ApiFunction& f = functions[id];
    for (bool ret : {false, true}) {
      bpf_uprobe_opts opts{};  // LIBBPF_OPTS, spelled out
      opts.sz = sizeof opts;
      opts.bpf_cookie = id;
      opts.retprobe = ret;
      bpf_program* prog = ret ? skel_->progs.sx_api_exit : skel_->progs.sx_api_enter;
      bpf_link* link =
          bpf_program__attach_uprobe_opts(prog, -1, f.library.c_str(), static_cast<std::size_t>(f.offset), &opts);
      if (link == nullptr) {
        const int err = errno;
        detach_api();
        links_.clear();
        throw TraceError(kExitTracerFailure,
                         fmt::format("eBPF engine: --api: cannot attach a {} to {} in {} (offset {:#x}): {}",
                                     ret ? "uretprobe" : "uprobe", f.name, f.library, f.offset, std::strerror(err)));
      }
      api_links_.emplace_back(link);
    }
    api_names_.push_back(f.name);
    ++per_library[f.library];
  }
  for (const auto& [library, n] : per_library)
    notes.push_back(fmt::format("--api: {} functions of {} probed (uprobe and uretprobe each)", n, library));
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

// Detaching a uprobe waits for a grace period of the kernel's (about 0.1 s each here: 266 probes
// took 33 s one by one). Detaching from many threads at once lets them share grace periods.
void EbpfEngine::detach_api() {
  for (int fd : api_multi_fds_) ::close(fd);
  api_multi_fds_.clear();
  constexpr std::size_t kThreads = 64;
  if (api_links_.size() <= 2) {
    api_links_.clear();
    return;
  }
  std::vector<Link> links = std::move(api_links_);
  api_links_.clear();
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  const std::size_t n = std::min(kThreads, links.size());
  for (std::size_t t = 0; t < n; ++t) {
    threads.emplace_back([&] {
      for (std::size_t i = next++; i < links.size(); i = next++) links[i].reset();
    });
  }
  for (std::thread& t : threads) t.join();
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
  if (api_enabled_) {
    s.api_names = api_names_;
    const int fd = bpf_map__fd(skel_->maps.api_stats);
    for (__u32 id = 0; id < api_names_.size(); ++id) {
      sx_api_counts c{};
      bpf_map_lookup_elem(fd, &id, &c);
      s.api_stats.push_back(c);
    }
  }
  return s;
}

TraceResult EbpfEngine::run(const TraceOptions& options) {
  if (options.command.empty()) throw TraceError(kExitUsage, "no command to trace");
  const bool api = mode_ == Mode::full && !options.api.empty();
  if (used_ || (mode_ == Mode::full && (options.count_only != count_only_ || api != api_enabled_)))
    load(options.count_only, api);
  used_ = true;
  attach();
  std::vector<std::string> api_notes;
  if (api) attach_api(options.api, api_notes);
  const bool floor = mode_ != Mode::full;
  const std::uint64_t t0 = monotonic_ns();
  Subreaper subreaper;
  GatedCommand command(options.command);
  const pid_t root = command.pid();
  if (!floor) register_command(root);

  TraceResult r;
  r.engine = "ebpf";
  r.hook = "tracepoint";
  r.command = options.command;
  r.arch = std::string(syscalls::native_arch());
  r.notes = std::move(api_notes);
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
  detach_api();
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

std::unique_ptr<Engine> make_engine(Mode mode, std::optional<syscalls::DeviceNames> devices, Hook hook) {
  return std::make_unique<EbpfEngine>(mode, std::move(devices), hook);
}

}  // namespace sysaxis::trace::ebpf
