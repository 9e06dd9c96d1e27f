// --api: which exported functions of which library the eBPF engine puts uprobes on. Pure user
// space (no libbpf): the spec's families, the dynamic loader's library search, and the exported
// functions of an ELF file's .dynsym with the file offsets uprobes attach at.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trace/trace.h"

namespace sysaxis::trace::api {

// One item of --api: a library (a file name the loader searches for, or a path with '/') and a
// glob (fnmatch) over its exported function names.
struct Target {
  std::string library;
  std::string glob;
};

// "opencl", "cuda", "hip", "LIB:GLOB", comma-separated. Throws TraceError(kExitUsage) on an unknown
// family or an item without a glob.
std::vector<Target> parse_spec(const std::string& spec);

// The families --api knows: name, library, glob.
struct Family {
  const char* name;
  const char* library;
  const char* glob;
};
const std::vector<Family>& families();

// Where the dynamic loader finds `name` (a file name without '/'): each directory of
// LD_LIBRARY_PATH (`ld_library_path`), the loader's cache (`cache_file`, /etc/ld.so.cache, x86-64
// entries), then the default directories. A name with '/' is taken as it is (when it exists).
// The path returned is canonical (symlinks resolved). Not searched: the executable's
// DT_RPATH/DT_RUNPATH (give the path instead).
std::optional<std::string> find_library(const std::string& name, const std::string& ld_library_path,
                                        const std::string& cache_file = "/etc/ld.so.cache");

// The entries of an ld.so.cache file (new format, "glibc-ld.so.cache1.1", alone or after the old
// one): file name -> path, x86-64 libc6 entries only, in the file's order.
std::vector<std::pair<std::string, std::string>> read_ld_cache(const std::string& cache_file);

// An exported function of an ELF shared object: defined, global or weak, default or protected
// visibility, STT_FUNC or STT_GNU_IFUNC; `offset` is its file offset (what a uprobe attaches at).
struct Symbol {
  std::string name;
  std::uint64_t offset = 0;
};
// Throws TraceError(kExitUsage) when the file is not a readable 64-bit little-endian ELF file.
std::vector<Symbol> exported_functions(const std::string& path);

// The functions of `spec` to probe, one per address (aliases at one address keep the first name
// in alphabetical order). `ld_library_path` as in find_library. Throws TraceError(kExitUsage) with
// one line for an unknown family, a library not found, or a glob that matches no function.
std::vector<ApiFunction> resolve(const std::string& spec, const std::string& ld_library_path,
                                 const std::string& cache_file = "/etc/ld.so.cache");

}  // namespace sysaxis::trace::api
