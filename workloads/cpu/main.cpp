// sysaxis-wl-cpu: the CPU baseline of DESIGN.md. Links nothing but the C/C++ runtime (no GPU runtime
// is ever loaded). Allocates `bytes` once, then `iters` passes that increment every uint32_t,
// optionally split over --threads; verifies every element equals `iters`.
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <latch>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "common/workload.h"

namespace sysaxis::wl {
namespace {

// The CPU model from CPUID (no syscall, no file read), or the machine name from uname.
std::string cpu_name() {
#if defined(__x86_64__) || defined(__i386__)
  unsigned max_leaf = __get_cpuid_max(0x80000000u, nullptr);
  if (max_leaf >= 0x80000004u) {
    std::array<unsigned, 12> regs{};
    for (std::size_t i = 0; i < 3; ++i)
      __get_cpuid(0x80000002u + static_cast<unsigned>(i), &regs[i * 4], &regs[i * 4 + 1], &regs[i * 4 + 2],
                  &regs[i * 4 + 3]);
    std::array<char, 49> brand{};
    std::memcpy(brand.data(), regs.data(), 48);
    std::string name(brand.data());
    auto first = name.find_first_not_of(' ');
    auto last = name.find_last_not_of(' ');
    if (first != std::string::npos) return name.substr(first, last - first + 1);
  }
#endif
  struct utsname u {};
  if (::uname(&u) == 0) return u.machine;
  return "cpu";
}

// iters passes of a[i] += 1 over [a, a + n). The empty asm is a compiler barrier between passes, so
// the optimiser cannot fold the passes into one `a[i] += iters`: the machine does every pass.
void passes(std::uint32_t* a, std::size_t n, std::uint64_t iters) {
  for (std::uint64_t it = 0; it < iters; ++it) {
    for (std::size_t i = 0; i < n; ++i) a[i] += 1;
    asm volatile("" : : "r"(a) : "memory");
  }
}

// The --threads workers: started in init, waiting at a latch that work releases. On an early exit the
// destructor releases them with `cancel` set, so they skip the passes, and joins them.
class Workers {
 public:
  Workers() = default;
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() {
    if (!released_) cancel_.store(true);
    release();
    join();
  }

  void add(std::uint32_t* a, std::size_t len, std::uint64_t iters) {
    threads_.emplace_back([this, a, len, iters] {
      start_.wait();
      if (!cancel_.load()) passes(a, len, iters);
    });
  }
  bool empty() const { return threads_.empty(); }
  void release() {
    if (!released_) {
      released_ = true;
      start_.count_down();
    }
  }
  void join() {
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  std::latch start_{1};
  std::atomic<bool> cancel_{false};
  bool released_ = false;
  std::vector<std::thread> threads_;
};

void run_cpu(const Options& o, Context& ctx) {
  ctx.platform = "cpu";
  ctx.device = cpu_name();
  ctx.runtime_version = "gcc " __VERSION__;
  const std::size_t n = o.elements();
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page_size > 0) {
    const auto physical = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
    ctx.set("host_memory_bytes", physical);
    if (o.bytes > physical)
      throw Failure(kExitNoMemory, "--bytes " + std::to_string(o.bytes) + " exceeds the machine's " +
                                       std::to_string(physical) + " bytes of memory");
  }

  ctx.enter(Phase::init);
  std::unique_ptr<std::uint32_t[]> buffer(new (std::nothrow) std::uint32_t[n]);
  if (!buffer) throw Failure(kExitNoMemory, "cannot allocate " + std::to_string(o.bytes) + " bytes");
  std::uint32_t* a = buffer.get();
  std::fill(a, a + n, 0u);  // touch every page here, as a device allocation would be made here
  if (o.warmup > 0) {
    passes(a, n, o.warmup);
    std::fill(a, a + n, 0u);
  }
  // Threads start here and wait; work releases them and ends when they have all finished.
  Workers workers;
  if (o.threads > 1) {
    const std::size_t chunk = n / o.threads;
    const std::size_t rest = n % o.threads;
    std::size_t begin = 0;
    for (unsigned t = 0; t < o.threads; ++t) {
      const std::size_t len = chunk + (t < rest ? 1 : 0);
      workers.add(a + begin, len, o.iters);
      begin += len;
    }
  }

  ctx.enter(Phase::work);
  if (workers.empty()) {
    passes(a, n, o.iters);
  } else {
    workers.release();
    workers.join();
  }

  ctx.enter(Phase::teardown);
  ctx.check_counts(a, n, o.iters);
  buffer.reset();
}

}  // namespace
}  // namespace sysaxis::wl

int main(int argc, char** argv) {
  using namespace sysaxis::wl;
  const BackendSpec spec{"cpu",
                         {Exec::cpu},
                         false,
                         false,
                         true,
                         "The CPU baseline: allocate --bytes once, --iters passes incrementing every uint32_t.",
                         "cpu: no GPU runtime is linked or loaded. init allocates and touches the buffer (and\n"
                         "starts the --threads workers, which wait); work runs the passes and joins the workers;\n"
                         "teardown verifies every element equals --iters and frees the buffer."};
  return run(argc, argv, spec, run_cpu);
}
