// Engine selection for --engine ptrace|ebpf|auto.
#include "trace/engines.h"

#ifdef SYSAXIS_HAVE_EBPF
#include "trace/ebpf/ebpf_engine.h"
#endif

namespace sysaxis::trace {

EngineChoice choose_engine(const std::string& name) {
  if (name == "ptrace") return {make_ptrace_engine(), ""};
  if (name != "ebpf" && name != "auto") throw TraceError(kExitUsage, "unknown engine '" + name + "'");
#ifdef SYSAXIS_HAVE_EBPF
  try {
    return {ebpf::make_engine(), name == "auto" ? " (auto: eBPF programs loaded)" : ""};
  } catch (const TraceError& e) {
    if (name == "ebpf") throw;
    return {make_ptrace_engine(), std::string(" (auto: ") + e.what() + ")"};
  }
#else
  if (name == "ebpf") {
    throw TraceError(kExitTracerFailure,
                     "the eBPF engine is not part of this build (configure found no kernel BTF, bpftool, clang or "
                     "libbpf)");
  }
  return {make_ptrace_engine(), " (auto: the eBPF engine is not part of this build)"};
#endif
}

}  // namespace sysaxis::trace
