// What both engines do around the traced command: start it held before execve until the tracer
// is ready, pass signals sent to sysaxis on to it, read per-thread counters from /proc, and turn
// its wait status into TraceResult's exit status.
#pragma once

#include <sys/types.h>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trace/trace.h"

namespace sysaxis::trace {

std::uint64_t monotonic_ns();

// Reads a small /proc file into buf (NUL-terminated); returns the length or -1. Only open, read
// and close: safe where only async-signal-safe calls are.
ssize_t read_small(const char* path, char* buf, std::size_t cap);

// Page faults and context switches of one thread (/proc/<tgid>/task/<tid>/{stat,status}).
struct ThreadCounters {
  std::uint64_t minflt = 0, majflt = 0, nvcsw = 0, nivcsw = 0;
};
std::optional<ThreadCounters> sample_thread(pid_t tgid, pid_t tid);
std::string read_comm(pid_t tgid, pid_t tid);
// Tgid and parent of a task from /proc/<tid>/status ({tid, 0} when unreadable).
std::pair<pid_t, pid_t> read_tgid_ppid(pid_t tid);

// The command, forked and held before execve (blocked on a pipe) until release(). The path is
// resolved first (TraceError 127/126). Destroying an unreleased command kills and reaps it.
class GatedCommand {
 public:
  explicit GatedCommand(const std::vector<std::string>& command);
  ~GatedCommand();
  GatedCommand(const GatedCommand&) = delete;
  GatedCommand& operator=(const GatedCommand&) = delete;

  pid_t pid() const { return pid_; }
  bool released() const { return gate_ < 0; }
  // Lets the command exec; false when it could not be told (it then exits with 125).
  bool release();
  // Kills and reaps the held command (the tracer could not attach).
  void abandon();

 private:
  pid_t pid_ = -1;
  int gate_ = -1;
};

// Handles SIGINT, SIGTERM, SIGHUP and SIGQUIT while it lives (restores the previous handlers on
// destruction, no SA_RESTART so that waitpid returns EINTR). forward() passes a signal sent to
// sysaxis alone on to the command; a terminal's signal already reached the command's process
// group; a second SIGINT kills the command.
class SignalRelay {
 public:
  SignalRelay();
  ~SignalRelay();
  SignalRelay(const SignalRelay&) = delete;
  SignalRelay& operator=(const SignalRelay&) = delete;
  void forward(pid_t command, bool command_gone, std::vector<std::string>& notes);
};

// exit_status (code, or 128+N for signal N) and term_signal from the command's wait status; a
// note and 125 when it was not observed.
void set_exit_status(TraceResult& result, std::optional<int> wait_status);

// The order both engines report rows in.
void sort_rows(std::vector<Row>& rows);

}  // namespace sysaxis::trace
