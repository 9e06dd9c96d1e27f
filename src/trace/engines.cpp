// Engine selection for --engine ptrace|ebpf|auto.
#include "trace/engines.h"

#include <sys/resource.h>

#ifdef SYSAXIS_HAVE_EBPF
#include "trace/ebpf/ebpf_engine.h"
#endif

namespace sysaxis::trace {

EngineChoice choose_engine(const std::string& name, const std::string& hook_name) {
  if (hook_name != "auto" && hook_name != "fentry" && hook_name != "tracepoint")
    throw TraceError(kExitUsage, "unknown hook '" + hook_name + "'");
  if (name == "ptrace") return {make_ptrace_engine(), ""};
  if (name != "ebpf" && name != "auto") throw TraceError(kExitUsage, "unknown engine '" + name + "'");
#ifdef SYSAXIS_HAVE_EBPF
  try {
    // The hooks: the tracepoints, since the engine on fentry is not built (ebpf_engine.h); the
    // reason says whether this kernel would let fentry attach.
    if (hook_name == "fentry") (void)ebpf::make_engine(ebpf::Mode::full, std::nullopt, ebpf::Hook::fentry);
    const std::string fentry = ebpf::fentry_unavailable();
    const std::string hook =
        " hook tracepoint (fentry: " + (fentry.empty() ? std::string("attaches here, engine not built") : fentry) + ")";
    auto engine = ebpf::make_engine(ebpf::Mode::full, std::nullopt, ebpf::Hook::tracepoint);
    return {std::move(engine),
            name == "auto" ? " (auto: eBPF programs loaded;" + hook + ")" : " (" + hook.substr(1) + ")"};
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

namespace {

std::uint64_t ns_of(const timeval& tv) {
  return static_cast<std::uint64_t>(tv.tv_sec) * 1000000000ULL + static_cast<std::uint64_t>(tv.tv_usec) * 1000ULL;
}

}  // namespace

TraceResult run_traced(Engine& engine, const TraceOptions& options) {
  rusage before{};
  const bool ok = getrusage(RUSAGE_CHILDREN, &before) == 0;
  TraceResult result = engine.run(options);
  rusage after{};
  if (ok && getrusage(RUSAGE_CHILDREN, &after) == 0) {
    result.cpu_user_ns = ns_of(after.ru_utime) - ns_of(before.ru_utime);
    result.cpu_sys_ns = ns_of(after.ru_stime) - ns_of(before.ru_stime);
  }
  return result;
}

}  // namespace sysaxis::trace
