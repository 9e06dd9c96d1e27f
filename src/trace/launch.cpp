#include "trace/launch.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <tuple>

extern char** environ;

namespace sysaxis::trace {

std::uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

ssize_t read_small(const char* path, char* buf, std::size_t cap) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = ::read(fd, buf, cap - 1);
  ::close(fd);
  if (n >= 0) buf[n] = '\0';
  return n;
}

namespace {

// Signals received by sysaxis while tracing; forwarded to the command by the engine's loop.
volatile sig_atomic_t g_pending_signal = 0;
volatile sig_atomic_t g_pending_from_user = 0;
volatile sig_atomic_t g_interrupts = 0;

void on_signal(int sig, siginfo_t* info, void*) {
  g_pending_signal = sig;
  g_pending_from_user = (info != nullptr && info->si_code <= 0) ? 1 : 0;
  if (sig == SIGINT) g_interrupts = g_interrupts + 1;
}

constexpr int kRelayed[4] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
struct sigaction g_old_actions[4]{};

}  // namespace

std::optional<ThreadCounters> sample_thread(pid_t tgid, pid_t tid) {
  char path[64];
  char buf[2048];
  ThreadCounters s;
  std::snprintf(path, sizeof path, "/proc/%d/task/%d/stat", tgid, tid);
  if (read_small(path, buf, sizeof buf) <= 0) return std::nullopt;
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr) return std::nullopt;
  // Fields after the command: state(3) ppid pgrp session tty tpgid flags minflt(10) cminflt majflt(12)
  unsigned long long v[10] = {};
  char state = 0;
  if (std::sscanf(p + 1, " %c %llu %llu %llu %llu %llu %llu %llu %llu %llu", &state, &v[0], &v[1], &v[2], &v[3], &v[4],
                  &v[5], &v[6], &v[7], &v[8]) < 10) {
    return std::nullopt;
  }
  s.minflt = v[6];
  s.majflt = v[8];
  std::snprintf(path, sizeof path, "/proc/%d/task/%d/status", tgid, tid);
  if (read_small(path, buf, sizeof buf) > 0) {
    if (const char* q = std::strstr(buf, "\nvoluntary_ctxt_switches:")) s.nvcsw = std::strtoull(q + 25, nullptr, 10);
    if (const char* q = std::strstr(buf, "\nnonvoluntary_ctxt_switches:"))
      s.nivcsw = std::strtoull(q + 28, nullptr, 10);
  }
  return s;
}

std::string read_comm(pid_t tgid, pid_t tid) {
  char path[64];
  char buf[64];
  std::snprintf(path, sizeof path, "/proc/%d/task/%d/comm", tgid, tid);
  ssize_t n = read_small(path, buf, sizeof buf);
  if (n <= 0) return {};
  std::string s(buf, static_cast<std::size_t>(n));
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

std::pair<pid_t, pid_t> read_tgid_ppid(pid_t tid) {
  char path[64];
  char buf[2048];
  std::snprintf(path, sizeof path, "/proc/%d/status", tid);
  if (read_small(path, buf, sizeof buf) <= 0) return {tid, 0};
  pid_t tgid = tid;
  pid_t ppid = 0;
  if (const char* q = std::strstr(buf, "\nTgid:")) tgid = static_cast<pid_t>(std::strtol(q + 6, nullptr, 10));
  if (const char* q = std::strstr(buf, "\nPPid:")) ppid = static_cast<pid_t>(std::strtol(q + 6, nullptr, 10));
  return {tgid, ppid};
}

GatedCommand::GatedCommand(const std::vector<std::string>& command) {
  if (command.empty()) throw TraceError(kExitUsage, "no command to trace");
  const std::string path = resolve_command(command[0]);
  std::vector<char*> argv;
  argv.reserve(command.size() + 1);
  for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  int gate[2];
  if (pipe2(gate, O_CLOEXEC) != 0) throw TraceError(kExitTracerFailure, fmt::format("pipe: {}", std::strerror(errno)));
  const pid_t tracer = getpid();
  pid_t child = fork();
  if (child < 0) {
    int err = errno;
    ::close(gate[0]);
    ::close(gate[1]);
    throw TraceError(kExitTracerFailure, fmt::format("fork: {}", std::strerror(err)));
  }
  if (child == 0) {
    ::close(gate[1]);
    // If sysaxis dies (even by SIGKILL) the command dies with it: ptrace's EXITKILL does this for
    // the ptrace engine, this does it for the eBPF engine, which has no such tie. Not counted:
    // counting starts at execve.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != tracer) _exit(kExitTracerFailure);
    char go = 0;
    // Proceed only once the tracer has attached (it writes one byte); EOF means it gave up.
    if (::read(gate[0], &go, 1) != 1) _exit(kExitTracerFailure);
    ::execve(path.c_str(), argv.data(), environ);
    int err = errno;
    std::fprintf(stderr, "sysaxis: cannot execute %s: %s\n", path.c_str(), std::strerror(err));
    _exit(err == ENOENT ? kExitCommandNotFound : kExitCommandNotExecutable);
  }
  ::close(gate[0]);
  pid_ = child;
  gate_ = gate[1];
}

GatedCommand::~GatedCommand() {
  if (gate_ >= 0) abandon();
}

bool GatedCommand::release() {
  if (gate_ < 0) return false;
  char go = 'g';
  bool ok = ::write(gate_, &go, 1) == 1;
  ::close(gate_);
  gate_ = -1;
  return ok;
}

void GatedCommand::abandon() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    if (gate_ >= 0) ::close(gate_);
    gate_ = -1;
    while (waitpid(pid_, nullptr, __WALL) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
}

SignalRelay::SignalRelay() {
  struct sigaction sa {};
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO;  // no SA_RESTART: waitpid returns EINTR so the loop can forward
  sigemptyset(&sa.sa_mask);
  g_pending_signal = 0;
  g_interrupts = 0;
  for (int i = 0; i < 4; ++i) sigaction(kRelayed[i], &sa, &g_old_actions[i]);
}

SignalRelay::~SignalRelay() {
  for (int i = 0; i < 4; ++i) sigaction(kRelayed[i], &g_old_actions[i], nullptr);
}

void SignalRelay::forward(pid_t command, bool command_gone, std::vector<std::string>& notes) {
  int sig = g_pending_signal;
  if (sig == 0) return;
  g_pending_signal = 0;
  if (command <= 0 || command_gone) return;
  if (sig == SIGINT && g_interrupts >= 2) {
    notes.emplace_back("interrupted twice: the command was killed (SIGKILL)");
    ::kill(command, SIGKILL);
    return;
  }
  // A signal typed at the terminal reaches the command's process group already; one sent to
  // sysaxis alone (kill) is passed on.
  if (g_pending_from_user != 0 || sig == SIGTERM || sig == SIGHUP) ::kill(command, sig);
  if (sig == SIGINT) notes.emplace_back("interrupted (SIGINT): counts end when the command ends");
}

void set_exit_status(TraceResult& r, std::optional<int> wait_status) {
  if (!wait_status) {
    r.exit_status = kExitTracerFailure;
    r.notes.emplace_back("the command's exit status was not observed");
    return;
  }
  int st = *wait_status;
  if (WIFEXITED(st)) r.exit_status = WEXITSTATUS(st);
  if (WIFSIGNALED(st)) {
    r.term_signal = WTERMSIG(st);
    r.exit_status = 128 + WTERMSIG(st);
  }
}

void sort_rows(std::vector<Row>& rows) {
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.pid, a.tid, a.phase, a.syscall, a.detail, a.api) <
           std::tie(b.pid, b.tid, b.phase, b.syscall, b.detail, b.api);
  });
}

}  // namespace sysaxis::trace
