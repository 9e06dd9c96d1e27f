#include "sweep/progress.h"

#include <fmt/format.h>

#include <cmath>

namespace sysaxis::sweep {

Progress::Progress(std::FILE* out, std::size_t total, bool terminal) : out_(out), total_(total), terminal_(terminal) {}

std::string Progress::duration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return "?";
  auto s = static_cast<long long>(std::llround(seconds));
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

std::string Progress::eta() const {
  if (done_ == 0) return "ETA ?";
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  const double per_run = elapsed / static_cast<double>(done_);
  return fmt::format("ETA {}", duration(per_run * static_cast<double>(total_ - done_)));
}

void Progress::draw(const std::string& what) {
  const int width = static_cast<int>(std::to_string(total_).size());
  const double pct = total_ == 0 ? 100.0 : 100.0 * static_cast<double>(done_) / static_cast<double>(total_);
  std::string line = fmt::format("[{:>{}}/{}] {:3.0f}%  {} failed  {}", done_, width, total_, pct, failed_, eta());
  if (!what.empty()) line += fmt::format("  {}", what);
  if (line.size() > 150) line = line.substr(0, 147) + "...";
  fmt::print(out_, "\r\x1b[K{}", line);
  std::fflush(out_);
  line_shown_ = true;
}

void Progress::start(const std::string& what) {
  if (terminal_) draw(what);
}

void Progress::finish(const std::string& what, const std::string& status, const std::string& reason, double seconds) {
  ++done_;
  const bool ok = status == "ok";
  if (!ok) ++failed_;
  if (terminal_) {
    if (!ok) {
      clear();
      fmt::print(out_, "FAILED {}: {}: {}\n", what, status, reason);
    }
    draw("");
    return;
  }
  const int width = static_cast<int>(std::to_string(total_).size());
  std::string line = fmt::format("[{:>{}}/{}] {} {:.2f}s {}", done_, width, total_, status, seconds, what);
  if (!ok) line += fmt::format(": {}", reason);
  fmt::print(out_, "{}  ({} failed, {})\n", line, failed_, eta());
  std::fflush(out_);
}

void Progress::clear() {
  if (terminal_ && line_shown_) {
    fmt::print(out_, "\r\x1b[K");
    std::fflush(out_);
    line_shown_ = false;
  }
}

}  // namespace sysaxis::sweep
