// Phase markers and the per-run context (timing, verification, extra result fields).
#include <unistd.h>

#include <algorithm>
#include <string>

#include "workload.h"

namespace sysaxis::wl {

std::string_view phase_name(Phase phase) {
  switch (phase) {
    case Phase::init: return "init";
    case Phase::work: return "work";
    case Phase::teardown: return "teardown";
  }
  return "?";
}

void mark_phase(Phase phase) {
  std::string text = "sysaxis:phase:";
  text += phase_name(phase);
  // Fails with EBADF by design: one syscall that the tracers recognise and do not count.
  if (::write(-1, text.data(), text.size()) >= 0) return;
}

void Context::enter(Phase phase) {
  const auto expected = static_cast<std::size_t>(phase);
  if (entered_.size() != expected || stopped_)
    throw std::logic_error("phase " + std::string(phase_name(phase)) + " entered out of order");
  mark_phase(phase);
  entered_.emplace_back(phase, Clock::now());
}

void Context::stop_clock() {
  if (!stopped_) stopped_ = Clock::now();
}

std::vector<std::pair<Phase, std::int64_t>> Context::phase_durations() const {
  std::vector<std::pair<Phase, std::int64_t>> out;
  const Clock::time_point end = stopped_.value_or(Clock::now());
  for (std::size_t i = 0; i < entered_.size(); ++i) {
    const Clock::time_point next = i + 1 < entered_.size() ? entered_[i + 1].second : end;
    out.emplace_back(entered_[i].first,
                     std::chrono::duration_cast<std::chrono::nanoseconds>(next - entered_[i].second).count());
  }
  return out;
}

void Context::check_counts(const std::uint32_t* data, std::size_t n, std::uint64_t expected) {
  verified_ = false;
  if (n != options_.elements())
    throw Failure(kExitVerify,
                  "check covers " + std::to_string(n) + " of " + std::to_string(options_.elements()) + " elements");
  const auto want = static_cast<std::uint32_t>(expected);
  if (want != expected) throw Failure(kExitVerify, "expected count " + std::to_string(expected) + " exceeds uint32_t");
  const std::uint32_t* bad = std::find_if(data, data + n, [want](std::uint32_t v) { return v != want; });
  if (bad != data + n)
    throw Failure(kExitVerify, "verification failed: element " + std::to_string(bad - data) + " is " +
                                   std::to_string(*bad) + ", expected " + std::to_string(expected));
  verified_ = true;
}

void Context::check_calls(std::uint64_t succeeded, std::uint64_t expected) {
  verified_ = false;
  if (succeeded != expected)
    throw Failure(kExitRuntime, "only " + std::to_string(succeeded) + " of " + std::to_string(expected) +
                                    " allocation cycles completed");
  verified_ = true;
}

void Context::set(const std::string& key, Field value) {
  auto it = std::find_if(extra_.begin(), extra_.end(), [&](const auto& kv) { return kv.first == key; });
  if (it != extra_.end()) {
    it->second = std::move(value);
  } else {
    extra_.emplace_back(key, std::move(value));
  }
}

}  // namespace sysaxis::wl
