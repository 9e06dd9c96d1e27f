// Engine selection for --engine ptrace|ebpf|auto.
#pragma once

#include <memory>
#include <string>

#include "trace/trace.h"

namespace sysaxis::trace {

struct EngineChoice {
  std::unique_ptr<Engine> engine;
  std::string reason;  // why this engine, shown to the user (" (ebpf unavailable: ...)")
};

// Throws TraceError(kExitTracerFailure) when the named engine cannot run here.
// `hook` (--hook auto|fentry|tracepoint) picks the eBPF engine's kernel hooks; fentry fails here
// with the reason (ebpf_engine.h: Hook).
EngineChoice choose_engine(const std::string& name, const std::string& hook = "auto");

// Runs the engine and records the CPU time of the traced process tree: the difference of
// getrusage(RUSAGE_CHILDREN) of sysaxis before and after (every process the engine reaped: the
// command and its descendants, orphans included where sysaxis is their subreaper).
TraceResult run_traced(Engine& engine, const TraceOptions& options);

}  // namespace sysaxis::trace
