// The eBPF engine (libbpf + CO-RE on the raw_syscalls tracepoints, in-kernel aggregation). The
// kernel half is sysaxis.bpf.c; docs/ebpf.md says what each mode measures and costs.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "syscalls/devices.h"
#include "trace/trace.h"

namespace sysaxis::trace::ebpf {

enum class Mode {
  full,              // the engine
  floor,             // benchmark floor: empty programs on sys_enter and sys_exit, nothing recorded
  floor_enter_only,  // benchmark floor of count-only: an empty program on sys_enter
  floor_clock,       // benchmark: programs that only read the clock on sys_enter and sys_exit
};

// Which kernel hooks carry the syscall programs (--hook). `tracepoint`: the raw_syscalls
// tracepoints, which send every task of the machine down the slow syscall path while attached.
// `fentry`: BPF trampolines on the per-syscall functions; this build has no engine on them yet, and
// `--hook fentry` fails with the reason (the probe below says whether this kernel would let them
// attach). `auto`: fentry where it can run, else the tracepoints, and the result says which ran.
enum class Hook { automatic, fentry, tracepoint };

// Empty when an fentry program can attach to the function behind getppid here; else the reason.
std::string fentry_unavailable();

// Opens and loads the BPF programs (so a failure shows before any command runs). Throws
// TraceError(kExitTracerFailure, reason) when they cannot load here. `devices` replaces the host's
// char device names (/proc/devices, read at each load and after each run) for both the kernel
// half's ioctl field rules and the names of rows: tests use it to give a device here a GPU
// driver's name.
// `hook` picks the hooks: the engine's result says which ran (TraceResult::hook) and, for auto, why.
std::unique_ptr<Engine> make_engine(Mode mode = Mode::full, std::optional<syscalls::DeviceNames> devices = std::nullopt,
                                    Hook hook = Hook::automatic);

}  // namespace sysaxis::trace::ebpf
