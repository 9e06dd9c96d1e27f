#include "syscalls/syscall_table.h"

#include <linux/audit.h>
#include <algorithm>
#include <array>

namespace sysaxis::syscalls {
namespace {

constexpr SyscallEntry kX86_64[] = {
#include "syscalls_x86_64.inc"
};
constexpr SyscallEntry kI386[] = {
#include "syscalls_i386.inc"
};
constexpr SyscallEntry kX32[] = {
#include "syscalls_x32.inc"
};

constexpr long kX32Bit = 0x40000000L;

}  // namespace

std::string_view abi_name(Abi abi) {
  switch (abi) {
    case Abi::x86_64: return "x86_64";
    case Abi::i386: return "i386";
    case Abi::x32: return "x32";
    case Abi::unknown: break;
  }
  return "unknown";
}

std::optional<Abi> abi_from_name(std::string_view name) {
  for (Abi a : {Abi::x86_64, Abi::i386, Abi::x32, Abi::unknown}) {
    if (abi_name(a) == name) return a;
  }
  return std::nullopt;
}

Abi abi_from_audit_arch(std::uint32_t audit_arch, long raw_nr) {
  switch (audit_arch) {
    case AUDIT_ARCH_X86_64: return (raw_nr & kX32Bit) != 0 ? Abi::x32 : Abi::x86_64;
    case AUDIT_ARCH_I386: return Abi::i386;
    default: return Abi::unknown;
  }
}

long table_number(Abi abi, long raw_nr) {
  return abi == Abi::x32 ? (raw_nr & ~kX32Bit) : raw_nr;
}

std::span<const SyscallEntry> table(Abi abi) {
  switch (abi) {
    case Abi::x86_64: return kX86_64;
    case Abi::i386: return kI386;
    case Abi::x32: return kX32;
    case Abi::unknown: break;
  }
  return {};
}

namespace {
// Dense lookup tables indexed by number, built once.
struct Dense {
  std::array<std::string_view, 1024> names{};
  explicit Dense(std::span<const SyscallEntry> t) {
    for (const auto& e : t) {
      if (e.nr >= 0 && static_cast<std::size_t>(e.nr) < names.size()) names[static_cast<std::size_t>(e.nr)] = e.name;
    }
  }
};
const Dense& dense(Abi abi) {
  static const Dense d64(kX86_64);
  static const Dense d32(kI386);
  static const Dense dx32(kX32);
  switch (abi) {
    case Abi::i386: return d32;
    case Abi::x32: return dx32;
    default: return d64;
  }
}
}  // namespace

std::string syscall_name(Abi abi, long nr) {
  if (abi != Abi::unknown && nr >= 0 && nr < 1024) {
    auto n = dense(abi).names[static_cast<std::size_t>(nr)];
    if (!n.empty()) return std::string(n);
  }
  return "syscall_" + std::to_string(nr);
}

std::optional<long> syscall_number(Abi abi, std::string_view name) {
  auto t = table(abi);
  auto it = std::find_if(t.begin(), t.end(), [&](const SyscallEntry& e) { return e.name == name; });
  if (it == t.end()) return std::nullopt;
  return it->nr;
}

Abi native_abi() {
  return Abi::x86_64;
}
std::string_view native_arch() {
  return "x86_64";
}

}  // namespace sysaxis::syscalls
