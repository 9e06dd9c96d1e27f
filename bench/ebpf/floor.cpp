// The floor of the eBPF overhead benchmark: runs a command with empty BPF programs attached to the
// eBPF engine's syscall hooks (sys_enter and sys_exit, or sys_enter only with --enter-only; with
// --clock they read the clock and nothing else: the least that time in call costs), started and
// waited for exactly as the engine does, recording nothing. Not a tracer.
//   sysaxis-ebpf-floor [--enter-only | --clock] -- CMD [ARGS...]
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "trace/trace.h"
#ifdef SYSAXIS_HAVE_EBPF
#include "trace/ebpf/ebpf_engine.h"
#endif

int main(int argc, char** argv) {
  using namespace sysaxis::trace;
  bool enter_only = false;
  bool clock = false;
  int i = 1;
  for (; i < argc; ++i) {
    if (std::strcmp(argv[i], "--enter-only") == 0) {
      enter_only = true;
    } else if (std::strcmp(argv[i], "--clock") == 0) {
      clock = true;
    } else if (std::strcmp(argv[i], "--") == 0) {
      ++i;
      break;
    } else if (argv[i][0] == '-') {
      std::fprintf(stderr, "usage: sysaxis-ebpf-floor [--enter-only | --clock] -- CMD [ARGS...]\n");
      return kExitUsage;
    } else {
      break;
    }
  }
  if (i >= argc) {
    std::fprintf(stderr, "usage: sysaxis-ebpf-floor [--enter-only | --clock] -- CMD [ARGS...]\n");
    return kExitUsage;
  }
#ifdef SYSAXIS_HAVE_EBPF
  try {
    auto mode = clock ? ebpf::Mode::floor_clock : enter_only ? ebpf::Mode::floor_enter_only : ebpf::Mode::floor;
    auto engine = ebpf::make_engine(mode);
    TraceOptions options;
    options.command.assign(argv + i, argv + argc);
    return engine->run(options).exit_status;
  } catch (const TraceError& e) {
    std::fprintf(stderr, "sysaxis-ebpf-floor: %s\n", e.what());
    return e.exit_code();
  }
#else
  (void)enter_only;
  (void)clock;
  std::fprintf(stderr, "sysaxis-ebpf-floor: the eBPF engine is not part of this build\n");
  return kExitTracerFailure;
#endif
}
