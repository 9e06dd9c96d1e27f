// The KFD and DRM request tables, generated at build time from the UAPI headers
// (cmake/GenIoctls.cmake), against those headers: complete (every request #define of the header
// has its entry, and every request of the checked-in .in list with its number) and right (each
// name decodes from the number the compiler gives it).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "../support/text_file.h"
#include "syscalls/ioctl_drivers.h"

// The headers the tables were generated from (C headers: kfd_ioctl.h has a flexible array member).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include SYSAXIS_DRM_H
#include SYSAXIS_AMDGPU_DRM_H
#include SYSAXIS_KFD_IOCTL_H
#pragma GCC diagnostic pop

namespace sx = sysaxis::syscalls;

namespace {

using sysaxis::test::read_text;

// Every "#define <PREFIX>..." of a header whose value is an ioctl request macro (continuation
// lines joined): read as text, apart from the generator's parsing.
std::set<std::string> request_defines(const std::string& header, const std::string& prefix, const std::string& macro) {
  const std::string text = std::regex_replace(read_text(header), std::regex("\\\\\n"), " ");
  const std::regex define("#define[ \t]+(" + prefix + "[A-Z0-9_]*)[ \t]+" + macro + "[RW]*[ \t]*\\(");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), define); it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1].str());
  }
  return names;
}

std::set<std::string> table_names(std::string_view file) {
  std::set<std::string> names;
  for (const auto& t : sx::ioctl_driver_tables()) {
    if (t.file != file) continue;
    for (const auto& n : t.names) names.emplace(n.name);
  }
  return names;
}

void expect_complete(const std::string& header, const std::string& prefix, const std::string& macro,
                     std::string_view file, std::size_t at_least) {
  const auto defined = request_defines(header, prefix, macro);
  EXPECT_GE(defined.size(), at_least) << header;
  const auto table = table_names(file);
  for (const auto& name : defined) EXPECT_TRUE(table.contains(name)) << name << " of " << header << " not in " << file;
}

// The requests of a checked-in list (src/syscalls/drivers/<table>.in): "<NAME> 0x<number>" lines.
std::map<std::string, std::uint32_t> listed(const std::string& list) {
  std::istringstream lines(read_text(std::string(SYSAXIS_SOURCE_DIR) + "/src/syscalls/drivers/" + list));
  const std::regex row("([A-Z][A-Z0-9_]*)[ \t]+0x([0-9a-fA-F]+)[ \t]*");
  std::map<std::string, std::uint32_t> out;
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, row))
      out[m[1].str()] = static_cast<std::uint32_t>(std::stoul(m[2].str(), nullptr, 16));
  }
  return out;
}

const sx::DriverTableInfo* table_of(std::string_view file) {
  for (const auto& t : sx::ioctl_driver_tables()) {
    if (t.file == file) return &t;
  }
  return nullptr;
}

}  // namespace

TEST(IoctlHeaders, EveryRequestOfTheListsHasItsEntry) {
  for (const auto& [list, file] : {std::pair{"amd_kfd.in", "amd_kfd.inc"}, std::pair{"drm.in", "drm.inc"},
                                   std::pair{"drm_amdgpu.in", "drm_amdgpu.inc"}}) {
    const auto requests = listed(list);
    EXPECT_GE(requests.size(), 4U) << list;
    const auto* table = table_of(file);
    ASSERT_NE(table, nullptr) << file;
    for (const auto& [name, number] : requests) {
      const auto row = std::ranges::find(table->names, name, &sx::IoctlName::name);
      ASSERT_NE(row, table->names.end()) << name << " of " << list << " not in " << file;
      EXPECT_EQ(row->number, number) << name;
    }
  }
}

TEST(IoctlHeaders, TablesHoldAtLeastTheRequestsOfDebian12) {
  // Linux 6.1's kfd_ioctl.h and libdrm 2.4.114's drm.h and amdgpu_drm.h with the .in lists: a
  // header that drops a request the lists do not keep shrinks a table below these.
  const std::map<std::string_view, std::size_t> at_least = {
      {"amd_kfd.inc", 45}, {"drm.inc", 110}, {"drm_amdgpu.inc", 20}};
  for (const auto& [file, n] : at_least) {
    const auto* table = table_of(file);
    ASSERT_NE(table, nullptr) << file;
    EXPECT_GE(table->names.size(), n) << file;
  }
}

TEST(IoctlHeaders, EveryRequestOfTheHeadersHasAnEntry) {
  expect_complete(SYSAXIS_KFD_IOCTL_H, "AMDKFD_IOC_", "AMDKFD_IO", "amd_kfd.inc", 30);
  std::set<std::string> core;
  for (const auto& n : request_defines(SYSAXIS_DRM_H, "DRM_IOCTL_", "DRM_IO")) {
    if (!n.starts_with("DRM_IOCTL_AMDGPU_")) core.insert(n);
  }
  EXPECT_GE(core.size(), 100U);
  const auto drm = table_names("drm.inc");
  for (const auto& name : core) EXPECT_TRUE(drm.contains(name)) << name << " not in drm.inc";
  expect_complete(SYSAXIS_AMDGPU_DRM_H, "DRM_IOCTL_AMDGPU_", "DRM_IO", "drm_amdgpu.inc", 15);
}

TEST(IoctlHeaders, EveryRequestDecodesFromTheNumberTheCompilerGivesIt) {
  int checked = 0;
  auto check = [&](std::string_view device, std::string_view name, unsigned long request) {
    ++checked;
    EXPECT_EQ(sx::decode_driver_ioctl(device, request), name) << "0x" << std::hex << request;
  };
#define X(name) check("kfd", #name, name);
#include "drivers/amd_kfd_names.inc"
#undef X
#define X(name) check("drm", #name, name);
#include "drivers/drm_names.inc"
#undef X
#define X(name) check("drm-amdgpu", #name, name);
#include "drivers/drm_amdgpu_names.inc"
#undef X
  EXPECT_GT(checked, 150);
}
