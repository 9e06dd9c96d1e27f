// The eBPF engine (libbpf + CO-RE on the raw_syscalls tracepoints, in-kernel aggregation). The
// kernel half is sysaxis.bpf.c; docs/ebpf.md says what each mode measures and costs.
#pragma once

#include <memory>
#include <string>

#include "trace/trace.h"

namespace sysaxis::trace::ebpf {

enum class Mode {
  full,              // the engine
  floor,             // benchmark floor: empty programs on sys_enter and sys_exit, nothing recorded
  floor_enter_only,  // benchmark floor of count-only: an empty program on sys_enter
  floor_clock,       // benchmark: programs that only read the clock on sys_enter and sys_exit
};

// Opens and loads the BPF programs (so a failure shows before any command runs). Throws
// TraceError(kExitTracerFailure, reason) when they cannot load here.
std::unique_ptr<Engine> make_engine(Mode mode = Mode::full);

}  // namespace sysaxis::trace::ebpf
