// The one argument parser of the workloads (CONTRACTS.md) and its --help.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>

#include "workload.h"

namespace sysaxis::wl {

std::string_view to_string(Exec exec) {
  switch (exec) {
    case Exec::cpu: return "cpu";
    case Exec::alloc: return "alloc";
    case Exec::kernels: return "kernels";
  }
  return "?";
}

std::string_view to_string(AllocOp op) {
  return op == AllocOp::free ? "free" : "copy";
}
std::string_view to_string(Sync sync) {
  return sync == Sync::each ? "each" : "end";
}

namespace {

struct Suffix {
  std::string_view name;
  unsigned shift;
};

// Binary multipliers only: "K" and "KiB" are both 1024 (CONTRACTS.md). "KB" is refused as ambiguous.
constexpr std::array<Suffix, 9> kSuffixes{
    {{"", 0}, {"k", 10}, {"kib", 10}, {"m", 20}, {"mib", 20}, {"g", 30}, {"gib", 30}, {"t", 40}, {"tib", 40}}};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string quoted(std::string_view s) {
  return "'" + std::string(s) + "'";
}

}  // namespace

bool contains_nocase(std::string_view haystack, std::string_view needle) {
  return lower(haystack).find(lower(needle)) != std::string::npos;
}

std::optional<std::size_t> selector_index(std::string_view selector) {
  if (selector.empty() || selector.size() > 6) return std::nullopt;
  std::size_t value = 0;
  auto [ptr, ec] = std::from_chars(selector.data(), selector.data() + selector.size(), value);
  if (ec != std::errc() || ptr != selector.data() + selector.size()) return std::nullopt;
  return value;
}

std::uint64_t parse_count(std::string_view text, std::string_view what, std::uint64_t min, std::uint64_t max) {
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec == std::errc::invalid_argument || ptr != text.data() + text.size())
    throw UsageError(std::string(what) + " must be a whole number, not " + quoted(text));
  if (ec == std::errc::result_out_of_range || value > max)
    throw UsageError(std::string(what) + " " + std::string(text) + " is too large (at most " + std::to_string(max) +
                     ")");
  if (value < min)
    throw UsageError(std::string(what) + " " + std::string(text) + " is too small (at least " + std::to_string(min) +
                     ")");
  return value;
}

std::uint64_t parse_bytes(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0)
    throw UsageError("--bytes must be a number with an optional KiB/MiB/GiB suffix, not " + quoted(text));
  const std::string suffix = lower(text.substr(digits));
  const auto* found =
      std::find_if(kSuffixes.begin(), kSuffixes.end(), [&](const Suffix& s) { return s.name == suffix; });
  if (found == kSuffixes.end())
    throw UsageError("--bytes: unknown suffix " + quoted(text.substr(digits)) +
                     " (use KiB, MiB, GiB, TiB or K, M, G, T)");
  std::uint64_t number = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + digits, number);
  (void)ptr;
  const std::uint64_t limit = kMaxBytes >> found->shift;
  if (ec == std::errc::result_out_of_range || number > limit)
    throw UsageError("--bytes " + std::string(text) + " is absurdly large (at most 256TiB)");
  const std::uint64_t bytes = number << found->shift;
  if (bytes == 0) throw UsageError("--bytes must be at least 4");
  if (bytes % 4 != 0)
    throw UsageError("--bytes " + std::string(text) + " is not a multiple of 4 (the buffer holds whole uint32_t)");
  return bytes;
}

namespace {

Exec parse_exec(std::string_view v, const BackendSpec& spec) {
  for (Exec e : spec.execs)
    if (to_string(e) == v) return e;
  std::string allowed;
  for (Exec e : spec.execs) allowed += (allowed.empty() ? "" : "|") + std::string(to_string(e));
  throw UsageError("--exec " + std::string(v) + " is not supported by the " + spec.name + " backend (use " + allowed +
                   ")");
}

}  // namespace

Options parse_args(int argc, const char* const* argv, const BackendSpec& spec) {
  Options o;
  if (spec.execs.empty()) throw std::logic_error("backend without execution models");
  o.exec = spec.execs.front();
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      o.help = true;
      return o;
    }
    if (arg.substr(0, 2) != "--") throw UsageError("unexpected argument " + quoted(arg));
    std::string_view name = arg;
    std::optional<std::string_view> inline_value;
    if (auto eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    auto value = [&]() -> std::string_view {
      if (inline_value) return *inline_value;
      if (i + 1 >= argc) throw UsageError(std::string(name) + " needs a value");
      return argv[++i];
    };
    if (name == "--exec") {
      o.exec = parse_exec(value(), spec);
    } else if (name == "--bytes") {
      o.bytes = parse_bytes(value());
    } else if (name == "--iters") {
      o.iters = parse_count(value(), "--iters", 1, kMaxIters);
    } else if (name == "--alloc-op") {
      std::string_view v = value();
      if (v == "free") {
        o.alloc_op = AllocOp::free;
      } else if (v == "copy") {
        o.alloc_op = AllocOp::copy;
      } else {
        throw UsageError("--alloc-op must be free or copy, not " + quoted(v));
      }
    } else if (name == "--sync") {
      std::string_view v = value();
      if (v == "each") {
        o.sync = Sync::each;
      } else if (v == "end") {
        o.sync = Sync::end;
      } else {
        throw UsageError("--sync must be each or end, not " + quoted(v));
      }
    } else if (name == "--threads" && spec.threads) {
      o.threads = static_cast<unsigned>(parse_count(value(), "--threads", 1, kMaxThreads));
    } else if (name == "--warmup") {
      o.warmup = static_cast<unsigned>(parse_count(value(), "--warmup", 0, kMaxWarmup));
    } else if (name == "--platform" && spec.platform) {
      o.platform = value();
      if (o.platform.empty()) throw UsageError("--platform needs a name or an index");
    } else if (name == "--device" && spec.device) {
      o.device = value();
      if (o.device.empty()) throw UsageError("--device needs a name or an index");
    } else if (name == "--json") {
      o.json_path = value();
      if (o.json_path.empty()) throw UsageError("--json needs a file name");
    } else if (name == "--threads" || name == "--platform" || name == "--device") {
      throw UsageError(std::string(name) + " does not apply to the " + spec.name + " backend");
    } else {
      throw UsageError("unknown option " + quoted(name));
    }
  }
  if (o.threads > 1 && o.elements() < o.threads)
    throw UsageError("--threads " + std::to_string(o.threads) + " exceeds the " + std::to_string(o.elements()) +
                     " elements of --bytes " + std::to_string(o.bytes));
  return o;
}

std::string help_text(const BackendSpec& spec) {
  std::string execs;
  for (Exec e : spec.execs) execs += (execs.empty() ? "" : "|") + std::string(to_string(e));
  std::string h = "usage: sysaxis-wl-" + spec.name + " [--exec " + execs + "] [--bytes N] [--iters N] [options]\n" +
                  spec.summary + "\n\noptions:\n";
  std::string exec_flag = "  --exec " + execs;
  exec_flag.resize(std::max<std::size_t>(exec_flag.size() + 1, 19), ' ');
  h += exec_flag + "execution model (default " + std::string(to_string(spec.execs.front())) + ")\n";
  h += "  --bytes N        buffer size: 4096, 64KiB, 16MiB, 1GiB (K, M, G, T are binary too); a multiple\n"
       "                   of 4, at most 256TiB (default 1MiB)\n"
       "  --iters N        passes, launches or allocations in the work phase, 1..4294967295 (default 10)\n";
  auto has = [&](Exec e) { return std::find(spec.execs.begin(), spec.execs.end(), e) != spec.execs.end(); };
  if (has(Exec::alloc))
    h += "  --alloc-op OP    alloc: free (allocate, free) or copy (allocate, copy host->device, free); default free\n";
  if (has(Exec::kernels))
    h += "  --sync each|end  kernels: synchronise after every launch or once after the loop (default each)\n";
  if (spec.threads) h += "  --threads N      split the buffer over N threads (default 1)\n";
  h += "  --warmup N       untimed repetitions of the unit of work inside init, undone before work starts,\n"
       "                   so that lazy loading and JIT compilation stay out of the work phase (default 1)\n";
  if (spec.platform)
    h += "  --platform P     OpenCL platform: index, or case-insensitive substring of its name (default 0)\n";
  if (spec.device) h += "  --device D       device: index, or case-insensitive substring of its name (default 0)\n";
  h += "  --json FILE      write the result there, whole or not at all (default: one JSON line on stdout)\n"
       "  -h, --help       this text\n\n"
       "phases: the process marks init, work and teardown with write(-1, \"sysaxis:phase:<name>\", len);\n"
       "work is exactly the iters loop. The result (schema sysaxis.workload/1) carries the phase times,\n"
       "the platform, device and versions, and \"verified\" (true only when every element was checked).\n";
  if (!spec.notes.empty()) h += "\n" + spec.notes + "\n";
  h += "\nexit status: 0 ok; 2 usage error; 3 verification failed; 4 runtime, platform or device not\n"
       "available; 5 out of (device) memory or larger than the device; 6 other runtime error.\n";
  return h;
}

}  // namespace sysaxis::wl
