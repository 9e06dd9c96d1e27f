// The shared half of every workload executable (sysaxis-wl-<backend>): arguments, phase markers,
// the result record and the exit codes of CONTRACTS.md. Plain C++20 and the C library only, so that
// the CPU baseline loads nothing GPU-related and nvcc/hipcc can include it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sysaxis::wl {

enum class Exec { cpu, alloc, kernels };
enum class AllocOp { free, copy };
enum class Sync { each, end };

std::string_view to_string(Exec exec);
std::string_view to_string(AllocOp op);
std::string_view to_string(Sync sync);

// Exit codes shared by every backend (CONTRACTS.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;        // bad arguments
inline constexpr int kExitVerify = 3;       // the result check failed
inline constexpr int kExitUnavailable = 4;  // runtime, platform or device not available
inline constexpr int kExitNoMemory = 5;     // out of (device) memory, size larger than the device
inline constexpr int kExitRuntime = 6;      // any other runtime error

// Limits of the arguments. bytes above kMaxBytes is refused as absurd before any allocation;
// iters is bounded by the uint32_t counters the check compares against.
inline constexpr std::uint64_t kMaxBytes = std::uint64_t{1} << 48;  // 256 TiB
inline constexpr std::uint64_t kMaxIters = 0xFFFFFFFFu;
inline constexpr unsigned kMaxThreads = 1024;
inline constexpr unsigned kMaxWarmup = 1000;

struct Options {
  Exec exec = Exec::cpu;
  std::uint64_t bytes = std::uint64_t{1} << 20;
  std::uint64_t iters = 10;
  AllocOp alloc_op = AllocOp::free;
  Sync sync = Sync::each;
  unsigned threads = 1;
  unsigned warmup = 1;    // untimed repetitions of the unit of work inside init
  std::string platform;   // empty: the first platform
  std::string device;     // empty: the first device
  std::string json_path;  // empty: one JSON line on stdout
  bool help = false;

  std::size_t elements() const { return static_cast<std::size_t>(bytes / 4); }
};

// What a backend accepts; drives the parser and --help.
struct BackendSpec {
  std::string name;         // "cpu", "opencl", "cuda", "hip"
  std::vector<Exec> execs;  // supported execution models; the first is the default
  bool platform = false;    // accepts --platform
  bool device = false;      // accepts --device
  bool threads = false;     // accepts --threads
  std::string summary;      // one line under the usage line of --help
  std::string notes;        // backend-specific paragraph of --help
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure with its exit code; the message becomes the one stderr line and the result's "error".
class Failure : public std::runtime_error {
 public:
  Failure(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// "4096", "64KiB", "16MiB", "1GiB", "2G" (K, M, G, T and KiB..TiB are binary). Throws UsageError.
std::uint64_t parse_bytes(std::string_view text);
// A decimal integer in [min, max]. Throws UsageError naming `what`.
std::uint64_t parse_count(std::string_view text, std::string_view what, std::uint64_t min, std::uint64_t max);
// Throws UsageError with a one-line message.
Options parse_args(int argc, const char* const* argv, const BackendSpec& spec);
std::string help_text(const BackendSpec& spec);
// Case-insensitive substring test (how --platform/--device names select).
bool contains_nocase(std::string_view haystack, std::string_view needle);
// A selector (--platform/--device) that is all digits is an index.
std::optional<std::size_t> selector_index(std::string_view selector);

enum class Phase { init, work, teardown };
std::string_view phase_name(Phase phase);
// The marker protocol of DESIGN.md: write(-1, "sysaxis:phase:<name>", len), which fails with EBADF.
void mark_phase(Phase phase);

// Values of the extra (backend-specific) result fields; kept flat for pandas.
using Field = std::variant<std::nullptr_t, bool, std::int64_t, std::uint64_t, std::string>;

// Handed to the backend: it enters the phases, names what it ran on, and runs the check.
class Context {
 public:
  explicit Context(const Options& options) : options_(options) {}

  // Marks the phase and starts its clock. Phases go init -> work -> teardown, each once.
  void enter(Phase phase);
  // Verifies that all n elements equal the expected count; throws Failure(kExitVerify) naming the
  // first element that does not. Sets verified only when every element was checked and matched.
  void check_counts(const std::uint32_t* data, std::size_t n, std::uint64_t expected);
  // alloc: every allocation/copy/free call of the run returned success (`succeeded` of `expected`
  // units of work); throws Failure(kExitRuntime) otherwise. Sets verified for alloc runs.
  void check_calls(std::uint64_t succeeded, std::uint64_t expected);
  // An extra result field (e.g. "kernel_cache_state"); a later set of the same key replaces it.
  void set(const std::string& key, Field value);

  std::string platform;
  std::string device;
  std::optional<std::string> runtime_version;
  std::optional<std::string> driver_version;

  // Used by run(): the phase durations so far (the phase in progress ends now).
  std::vector<std::pair<Phase, std::int64_t>> phase_durations() const;
  bool verified() const { return verified_; }
  const std::vector<std::pair<std::string, Field>>& extra() const { return extra_; }
  void stop_clock();

 private:
  using Clock = std::chrono::steady_clock;
  const Options& options_;
  std::vector<std::pair<Phase, Clock::time_point>> entered_;
  std::optional<Clock::time_point> stopped_;
  bool verified_ = false;
  std::vector<std::pair<std::string, Field>> extra_;
};

using Body = std::function<void(const Options&, Context&)>;

// The whole main(): parses the arguments (exit 2 on a usage error, 0 after --help), runs the body,
// writes the result (JSON line on stdout, or --json FILE written whole), prints the one-line error
// "sysaxis-wl-<backend>: <message>" on failure, and returns the exit code.
int run(int argc, const char* const* argv, const BackendSpec& spec, const Body& body);

// The result record (schema "sysaxis.workload/1") as one line of JSON. status: "ok",
// "verify_failed" or "error"; error: empty for none.
std::string result_json(const BackendSpec& spec, const Options& options, const Context& context,
                        std::string_view status, std::string_view error);

}  // namespace sysaxis::wl
