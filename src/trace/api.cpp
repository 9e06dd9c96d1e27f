#include "trace/api.h"

#include <elf.h>
#include <fmt/format.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>

#include "common/atomic_file.h"
#include "trace/ebpf/sysaxis_bpf.h"

namespace sysaxis::trace::api {
namespace {

template <typename T>
bool read_at(const std::string& data, std::uint64_t offset, T& out) {
  if (offset > data.size() || data.size() - offset < sizeof(T)) return false;
  std::memcpy(&out, data.data() + offset, sizeof(T));
  return true;
}

std::string c_string_at(const std::string& data, std::uint64_t offset, std::uint64_t end) {
  if (offset >= end || end > data.size()) return {};
  const char* begin = data.data() + offset;
  return {begin, strnlen(begin, end - offset)};
}

std::optional<std::string> canonical_file(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::canonical(path, ec);
  if (ec || !std::filesystem::is_regular_file(p, ec)) return std::nullopt;
  return p.string();
}

// glibc's FLAG_ELF_LIBC6 and FLAG_X8664_LIB64 (elf/cache.h).
constexpr std::int32_t kFlagTypeMask = 0x00ff;
constexpr std::int32_t kFlagElfLibc6 = 0x0003;
constexpr std::int32_t kFlagArchMask = 0xff00;
constexpr std::int32_t kFlagX8664Lib64 = 0x0300;

}  // namespace

const std::vector<Family>& families() {
  static const std::vector<Family> kFamilies{
      {"cuda", "libcuda.so.1", "cu*"},
      {"opencl", "libOpenCL.so.1", "cl*"},
      {"hip", "libamdhip64.so|libamdhip64.so.6|libamdhip64.so.5", "hip*"},
  };
  return kFamilies;
}

std::vector<Target> parse_spec(const std::string& spec) {
  std::vector<Target> out;
  std::istringstream ss(spec);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    const auto colon = item.rfind(':');
    if (colon == std::string::npos) {
      auto it = std::find_if(families().begin(), families().end(), [&](const Family& f) { return item == f.name; });
      if (it == families().end()) {
        throw TraceError(kExitUsage, fmt::format("--api: unknown API family '{}' (expected cuda, opencl, hip, or "
                                                 "LIB:GLOB such as libfoo.so.1:foo*)",
                                                 item));
      }
      out.push_back({it->library, it->glob});
      continue;
    }
    Target t{item.substr(0, colon), item.substr(colon + 1)};
    if (t.library.empty() || t.glob.empty())
      throw TraceError(kExitUsage, fmt::format("--api: '{}' needs a library and a glob (LIB:GLOB)", item));
    out.push_back(std::move(t));
  }
  if (out.empty()) throw TraceError(kExitUsage, "--api: no API given (cuda, opencl, hip or LIB:GLOB)");
  return out;
}

std::vector<std::pair<std::string, std::string>> read_ld_cache(const std::string& cache_file) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string data = read_file_whole(cache_file).value_or(std::string());
  constexpr std::string_view kOld = "ld.so-1.7.0";
  constexpr std::string_view kNew = "glibc-ld.so.cache1.1";
  std::uint64_t base = 0;
  if (data.starts_with(kOld)) {
    // struct cache_file {char magic[11]; uint32 nlibs; struct file_entry libs[];}, 12-byte entries,
    // then the new format aligned to 8 bytes.
    std::uint32_t nlibs = 0;
    if (!read_at(data, 12, nlibs)) return out;
    base = (16 + std::uint64_t{nlibs} * 12 + 7) & ~std::uint64_t{7};
  }
  if (data.size() < base + kNew.size() || data.compare(base, kNew.size(), kNew) != 0) return out;
  // struct cache_file_new: magic[17], version[3], nlibs, len_strings, flags (u8), pad[3],
  // extension_offset, unused[3]: 48 bytes; entries of 24 bytes (flags, key, value, osversion,
  // hwcap); string offsets are from the start of this header.
  std::uint32_t nlibs = 0;
  if (!read_at(data, base + 20, nlibs)) return out;
  constexpr std::uint64_t kHeader = 48, kEntry = 24;
  for (std::uint32_t i = 0; i < nlibs; ++i) {
    const std::uint64_t at = base + kHeader + std::uint64_t{i} * kEntry;
    std::int32_t flags = 0;
    std::uint32_t key = 0, value = 0;
    if (!read_at(data, at, flags) || !read_at(data, at + 4, key) || !read_at(data, at + 8, value)) break;
    if ((flags & kFlagTypeMask) != kFlagElfLibc6 || (flags & kFlagArchMask) != kFlagX8664Lib64) continue;
    std::string name = c_string_at(data, base + key, data.size());
    std::string path = c_string_at(data, base + value, data.size());
    if (!name.empty() && !path.empty()) out.emplace_back(std::move(name), std::move(path));
  }
  return out;
}

std::optional<std::string> find_library(const std::string& name, const std::string& ld_library_path,
                                        const std::string& cache_file) {
  if (name.find('/') != std::string::npos) return canonical_file(name);
  std::istringstream dirs(ld_library_path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) dir = ".";  // an empty item is the current directory, as for ld.so
    dir += '/';
    dir += name;
    if (auto p = canonical_file(dir)) return p;
  }
  for (const auto& [entry, path] : read_ld_cache(cache_file)) {
    if (entry != name) continue;
    if (auto p = canonical_file(path)) return p;
  }
  for (const char* d :
       {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"}) {
    std::string candidate(d);
    candidate += '/';
    candidate += name;
    if (auto p = canonical_file(candidate)) return p;
  }
  return std::nullopt;
}

std::vector<Symbol> exported_functions(const std::string& path) {
  const std::string data = read_file_whole(path).value_or(std::string());
  Elf64_Ehdr eh{};
  if (!read_at(data, 0, eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_ident[EI_DATA] != ELFDATA2LSB) {
    throw TraceError(kExitUsage, fmt::format("--api: {} is not a 64-bit little-endian ELF file", path));
  }
  std::vector<Elf64_Phdr> loads;
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph{};
    if (!read_at(data, eh.e_phoff + std::uint64_t{i} * eh.e_phentsize, ph)) break;
    if (ph.p_type == PT_LOAD) loads.push_back(ph);
  }
  std::vector<Elf64_Shdr> sections;
  for (unsigned i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh{};
    if (!read_at(data, eh.e_shoff + std::uint64_t{i} * eh.e_shentsize, sh)) break;
    sections.push_back(sh);
  }
  std::vector<Symbol> out;
  for (const Elf64_Shdr& sh : sections) {
    if (sh.sh_type != SHT_DYNSYM || sh.sh_link >= sections.size() || sh.sh_entsize < sizeof(Elf64_Sym)) continue;
    const Elf64_Shdr& strtab = sections[sh.sh_link];
    const std::uint64_t str_end = strtab.sh_offset + strtab.sh_size;
    for (std::uint64_t off = sh.sh_offset; off + sizeof(Elf64_Sym) <= sh.sh_offset + sh.sh_size; off += sh.sh_entsize) {
      Elf64_Sym sym{};
      if (!read_at(data, off, sym)) break;
      const unsigned type = ELF64_ST_TYPE(sym.st_info), bind = ELF64_ST_BIND(sym.st_info);
      const unsigned vis = ELF64_ST_VISIBILITY(sym.st_other);
      if (sym.st_shndx == SHN_UNDEF || (type != STT_FUNC && type != STT_GNU_IFUNC)) continue;
      if ((bind != STB_GLOBAL && bind != STB_WEAK) || (vis != STV_DEFAULT && vis != STV_PROTECTED)) continue;
      std::string name = c_string_at(data, strtab.sh_offset + sym.st_name, str_end);
      if (name.empty()) continue;
      // The file offset of the address: through the loadable segment that contains it.
      for (const Elf64_Phdr& ph : loads) {
        if (sym.st_value >= ph.p_vaddr && sym.st_value < ph.p_vaddr + ph.p_filesz) {
          out.push_back({std::move(name), sym.st_value - ph.p_vaddr + ph.p_offset});
          break;
        }
      }
    }
  }
  return out;
}

std::vector<ApiFunction> resolve(const std::string& spec, const std::string& ld_library_path,
                                 const std::string& cache_file) {
  std::vector<ApiFunction> out;
  std::map<std::pair<std::string, std::uint64_t>, std::size_t> at;  // (library, offset) -> index in out
  for (const Target& t : parse_spec(spec)) {
    std::optional<std::string> path;
    std::istringstream names(t.library);
    std::string name;
    while (!path && std::getline(names, name, '|')) path = find_library(name, ld_library_path, cache_file);
    if (!path) {
      std::string shown = t.library;
      std::replace(shown.begin(), shown.end(), '|', ' ');
      throw TraceError(kExitUsage, fmt::format("--api: library {} not found (searched LD_LIBRARY_PATH, {} and the "
                                               "default directories; give its path as PATH:GLOB)",
                                               shown, cache_file));
    }
    std::vector<Symbol> symbols = exported_functions(*path);
    std::sort(symbols.begin(), symbols.end(), [](const Symbol& a, const Symbol& b) { return a.name < b.name; });
    std::size_t matched = 0;
    for (Symbol& s : symbols) {
      if (fnmatch(t.glob.c_str(), s.name.c_str(), 0) != 0) continue;
      ++matched;
      auto [it, added] = at.try_emplace({*path, s.offset}, out.size());
      if (added) out.push_back({std::move(s.name), *path, s.offset});
    }
    if (matched == 0) {
      throw TraceError(kExitUsage, fmt::format("--api: no exported function of {} matches '{}' ({} exported functions)",
                                               *path, t.glob, symbols.size()));
    }
  }
  if (out.size() > SX_MAX_APIS) {
    throw TraceError(kExitUsage, fmt::format("--api: {} functions match, more than the {} the engine can follow",
                                             out.size(), SX_MAX_APIS));
  }
  return out;
}

}  // namespace sysaxis::trace::api
