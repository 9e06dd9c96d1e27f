#include "trace/engines.h"

namespace sysaxis::trace {

EngineChoice choose_engine(const std::string& name) {
  if (name == "ebpf") {
    throw TraceError(kExitTracerFailure, "the eBPF engine is not part of this build");
  }
  EngineChoice c{make_ptrace_engine(), ""};
  if (name == "auto") c.reason = " (auto: the eBPF engine is not part of this build)";
  return c;
}

}  // namespace sysaxis::trace
