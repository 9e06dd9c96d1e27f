// Syscall numbers and names of the traced architecture, generated at build time from the
// kernel's UAPI headers (cmake/GenSyscalls.cmake). A syscall is always named within its ABI:
// the same number means different calls on x86_64, i386 and x32.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sysaxis::syscalls {

enum class Abi : std::uint8_t { x86_64, i386, x32, unknown };

struct SyscallEntry {
  long nr;
  std::string_view name;
};

std::string_view abi_name(Abi abi);
std::optional<Abi> abi_from_name(std::string_view name);

// The ABI of a syscall as reported by the kernel (PTRACE_GET_SYSCALL_INFO's arch, the audit
// architecture) and its raw number (x32 calls carry __X32_SYSCALL_BIT).
Abi abi_from_audit_arch(std::uint32_t audit_arch, long raw_nr);
// The number inside its ABI's table (x32: the bit removed).
long table_number(Abi abi, long raw_nr);

std::span<const SyscallEntry> table(Abi abi);
// Name of `nr` in `abi`'s table, or "syscall_<nr>" when the table has no such number.
std::string syscall_name(Abi abi, long nr);
std::optional<long> syscall_number(Abi abi, std::string_view name);
// The ABI sysaxis was built for (the traced architecture of native programs).
Abi native_abi();
std::string_view native_arch();  // "x86_64"

}  // namespace sysaxis::syscalls
