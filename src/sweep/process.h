// Process plumbing for sweeps: a timeout watchdog that kills the traced process tree, output
// capture around an in-process trace, and untraced probe runs with a time limit.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sysaxis::sweep {

// Every process that descends from this one (by parent links) or that this one traces
// (TracerPid), read from /proc. This process itself is not included.
std::vector<pid_t> own_descendants();

// After `timeout`, sends SIGKILL to every descendant of this process, again every 50 ms until
// the watchdog is destroyed (so that processes forked meanwhile die too). With the ptrace
// engine the killed tracees are then reaped by the engine, which returns.
class Watchdog {
 public:
  explicit Watchdog(std::chrono::milliseconds timeout);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  bool fired() const { return fired_.load(); }

 private:
  void loop(std::chrono::steady_clock::time_point deadline);
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> fired_{false};
  std::thread thread_;
};

// Points this process's stdin at /dev/null and stdout and stderr at `path` until destroyed, so
// that a command started meanwhile (the traced workload) inherits them.
class OutputCapture {
 public:
  explicit OutputCapture(const std::string& path);
  ~OutputCapture();
  OutputCapture(const OutputCapture&) = delete;
  OutputCapture& operator=(const OutputCapture&) = delete;

 private:
  int saved_[3] = {-1, -1, -1};
};

// The last `max_bytes` of a file ("" when it cannot be read).
std::string read_tail(const std::string& path, std::size_t max_bytes);

struct ProcessStatus {
  int exit_status = 0;  // 128+N when killed by signal N
  std::optional<int> term_signal;
  bool timed_out = false;
};

// Runs argv untraced in its own process group, stdin from /dev/null, stdout and stderr to
// `output_path`; kills the group after `timeout_s`. Throws std::runtime_error when it cannot start.
ProcessStatus run_untraced(const std::vector<std::string>& argv, double timeout_s, const std::string& output_path);

// The folder of the running executable (/proc/self/exe).
std::string executable_dir();

}  // namespace sysaxis::sweep
