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
EngineChoice choose_engine(const std::string& name);

}  // namespace sysaxis::trace
