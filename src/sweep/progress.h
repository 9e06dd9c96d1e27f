// Progress of a sweep: one updating line on a terminal (done/total, failures, ETA, the run in
// progress), one plain line per finished run otherwise (logs, Slurm output files).
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace sysaxis::sweep {

class Progress {
 public:
  Progress(std::FILE* out, std::size_t total, bool terminal);
  void start(const std::string& what);
  void finish(const std::string& what, const std::string& status, const std::string& reason, double seconds);
  // Removes the status line (before other output).
  void clear();
  std::size_t done() const { return done_; }
  std::size_t failed() const { return failed_; }

  // "1h02m", "3m05s", "12s"
  static std::string duration(double seconds);

 private:
  std::string eta() const;
  void draw(const std::string& what);
  std::FILE* out_;
  std::size_t total_;
  bool terminal_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  bool line_shown_ = false;
};

}  // namespace sysaxis::sweep
