#include "sweep/process.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "trace/launch.h"

extern char** environ;

namespace sysaxis::sweep {
std::vector<pid_t> own_descendants() {
  const pid_t self = getpid();
  std::map<pid_t, pid_t> parent;
  std::vector<pid_t> traced;
  DIR* d = opendir("/proc");
  if (d == nullptr) return {};
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0' || pid <= 0 || pid == self) continue;
    char path[64];
    char buf[4096];
    std::snprintf(path, sizeof path, "/proc/%ld/status", pid);
    if (trace::read_small(path, buf, sizeof buf) <= 0) continue;
    pid_t ppid = 0;
    pid_t tracer = 0;
    if (const char* q = std::strstr(buf, "\nPPid:")) ppid = static_cast<pid_t>(std::strtol(q + 6, nullptr, 10));
    if (const char* q = std::strstr(buf, "\nTracerPid:")) tracer = static_cast<pid_t>(std::strtol(q + 11, nullptr, 10));
    parent[static_cast<pid_t>(pid)] = ppid;
    if (tracer == self) traced.push_back(static_cast<pid_t>(pid));
  }
  closedir(d);
  std::vector<pid_t> out = traced;
  for (const auto& [pid, pp] : parent) {
    // Walk up; bounded in case of a cycle in a racy snapshot.
    pid_t p = pp;
    for (int depth = 0; depth < 64 && p > 1; ++depth) {
      if (p == self) {
        out.push_back(pid);
        break;
      }
      auto it = parent.find(p);
      if (it == parent.end()) break;
      p = it->second;
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Watchdog::Watchdog(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  thread_ = std::thread([this, deadline] { loop(deadline); });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Watchdog::loop(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  if (cv_.wait_until(lock, deadline, [this] { return stop_; })) return;
  fired_ = true;
  while (!stop_) {
    lock.unlock();
    for (pid_t p : own_descendants()) ::kill(p, SIGKILL);
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(50), [this] { return stop_; });
  }
}

OutputCapture::OutputCapture(const std::string& path) {
  std::fflush(stdout);
  std::fflush(stderr);
  int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (out < 0 || in < 0) {
    int err = errno;
    if (out >= 0) ::close(out);
    if (in >= 0) ::close(in);
    throw std::runtime_error(fmt::format("{}: cannot capture the workload's output: {}", path, std::strerror(err)));
  }
  for (int fd = 0; fd < 3; ++fd) saved_[fd] = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::dup2(in, 0);
  ::dup2(out, 1);
  ::dup2(out, 2);
  ::close(in);
  ::close(out);
}

OutputCapture::~OutputCapture() {
  std::fflush(stdout);
  std::fflush(stderr);
  for (int fd = 0; fd < 3; ++fd) {
    if (saved_[fd] >= 0) {
      ::dup2(saved_[fd], fd);
      ::close(saved_[fd]);
    }
  }
}

std::string read_tail(const std::string& path, std::size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  struct stat st {};
  std::string out;
  if (::fstat(fd, &st) == 0) {
    const off_t size = st.st_size;
    const off_t start = size > static_cast<off_t>(max_bytes) ? size - static_cast<off_t>(max_bytes) : 0;
    out.resize(static_cast<std::size_t>(size - start));
    ssize_t n = ::pread(fd, out.data(), out.size(), start);
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  }
  ::close(fd);
  return out;
}

ProcessStatus run_untraced(const std::vector<std::string>& argv, double timeout_s, const std::string& output_path) {
  if (argv.empty()) throw std::runtime_error("no command");
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int out = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) throw std::runtime_error(fmt::format("{}: {}", output_path, std::strerror(errno)));
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    ::close(out);
    throw std::runtime_error(fmt::format("fork: {}", std::strerror(err)));
  }
  if (pid == 0) {
    setpgid(0, 0);
    int in = ::open("/dev/null", O_RDONLY);
    if (in >= 0) ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execve(args[0], args.data(), environ);
    std::fprintf(stderr, "sysaxis: cannot execute %s: %s\n", args[0], std::strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
  }
  ::close(out);
  setpgid(pid, pid);  // both sides, so the group exists whichever runs first
  ProcessStatus st;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) throw std::runtime_error(fmt::format("waitpid: {}", std::strerror(errno)));
    if (std::chrono::steady_clock::now() >= deadline && !st.timed_out) {
      st.timed_out = true;
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
    }
    timespec ts{0, 10'000'000};
    nanosleep(&ts, nullptr);
  }
  if (st.timed_out) ::kill(-pid, SIGKILL);  // leftovers of the group
  if (WIFEXITED(status)) st.exit_status = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    st.term_signal = WTERMSIG(status);
    st.exit_status = 128 + WTERMSIG(status);
  }
  return st;
}

std::string executable_dir() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return ".";
  return p.parent_path().string();
}

}  // namespace sysaxis::sweep
