// Consistency of the ioctl decoding tables (src/syscalls/drivers/*.inc): numbers and names unique
// per driver, the DRM core and driver ranges apart, the sorted tables sorted, every table wired to
// a device and every data file wholly compiled in.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "../support/text_file.h"
#include "syscalls/ioctl_drivers.h"

namespace sx = sysaxis::syscalls;

namespace {
using sysaxis::test::read_text;
// Entries of a data file: "{<number>, "<NAME>"}", several per line in some files. The file is in
// src/syscalls/drivers/, or generated in the build (the KFD and DRM tables).
std::size_t count_rows(const std::string& file) {
  std::string text = read_text(std::string(SYSAXIS_SOURCE_DIR) + "/src/syscalls/drivers/" + file);
  if (text.empty()) text = read_text(std::string(SYSAXIS_GENERATED_DIR) + "/drivers/" + file);
  const std::regex entry(R"(\{[^{}"]+, "[A-Z][A-Z0-9_]*"\})");
  return static_cast<std::size_t>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), entry), std::sregex_iterator()));
}
}  // namespace

TEST(IoctlTables, NumbersAndNamesUniquePerDriver) {
  std::map<std::string_view, std::set<std::uint32_t>> numbers;
  std::map<std::string_view, std::set<std::string_view>> names;
  for (const auto& t : sx::ioctl_driver_tables()) {
    ASSERT_FALSE(t.names.empty()) << t.file;
    for (const auto& n : t.names) {
      EXPECT_FALSE(n.name.empty()) << t.file << " 0x" << std::hex << n.number;
      EXPECT_TRUE(numbers[t.driver].insert(n.number).second)
          << t.driver << ": number 0x" << std::hex << n.number << " twice (" << t.file << ")";
      EXPECT_TRUE(names[t.driver].insert(n.name).second) << t.driver << ": name " << n.name << " twice";
      if (t.type != 0) {
        EXPECT_LT(n.number, 0x100U) << t.file << ": an _IOC number has 8 bits: " << n.name;
      }
    }
  }
  EXPECT_EQ(names.size(), 6U);  // nvidia, nvidia-uvm, kfd, drm, drm-amdgpu, tty
}

TEST(IoctlTables, NamesFollowTheHeadersSchemes) {
  const std::regex upper("[A-Z][A-Z0-9_]*");
  for (const auto& t : sx::ioctl_driver_tables()) {
    for (const auto& n : t.names) {
      const std::string name(n.name);
      EXPECT_TRUE(std::regex_match(name, upper)) << name;
      if (t.file == std::string_view("nvidia_uvm.inc")) {
        EXPECT_TRUE(name.starts_with("UVM_")) << name;
      }
      if (t.file == std::string_view("amd_kfd.inc")) {
        EXPECT_TRUE(name.starts_with("AMDKFD_IOC_")) << name;
      }
      if (t.file == std::string_view("drm.inc")) {
        EXPECT_TRUE(name.starts_with("DRM_IOCTL_")) << name;
      }
      if (t.file == std::string_view("drm_amdgpu.inc")) {
        EXPECT_TRUE(name.starts_with("DRM_IOCTL_AMDGPU_")) << name;
      }
      if (t.file == std::string_view("nvidia.inc")) {
        EXPECT_FALSE(name.starts_with("NV_ESC_")) << name;
      }
    }
  }
}

TEST(IoctlTables, DrmCoreAndDriverRangesApart) {
  // drm.h: driver ioctls are DRM_COMMAND_BASE (0x40) to DRM_COMMAND_END (0xa0), the rest is core.
  for (const auto& t : sx::ioctl_driver_tables()) {
    for (const auto& n : t.names) {
      if (t.file == std::string_view("drm.inc")) {
        EXPECT_TRUE(n.number < 0x40 || n.number >= 0xa0) << n.name;
      }
      if (t.file == std::string_view("drm_amdgpu.inc")) {
        EXPECT_TRUE(n.number >= 0x40 && n.number < 0xa0) << n.name;
      }
    }
  }
}

TEST(IoctlTables, NvidiaEscapesOfTheHeaders) {
  // nv-ioctl-numbers.h: NV_IOCTL_BASE 200; nv_escape.h: the RM escapes below it.
  std::map<std::string_view, std::uint32_t> by_name;
  for (const auto& t : sx::ioctl_driver_tables()) {
    if (t.driver == std::string_view("nvidia")) {
      EXPECT_EQ(t.type, unsigned{'F'});
      for (const auto& n : t.names) by_name[n.name] = n.number;
    }
  }
  EXPECT_EQ(by_name["CARD_INFO"], 200U);
  EXPECT_EQ(by_name["REGISTER_FD"], 201U);
  EXPECT_EQ(by_name["ALLOC_OS_EVENT"], 206U);
  EXPECT_EQ(by_name["IOCTL_XFER_CMD"], 211U);
  EXPECT_EQ(by_name["RM_FREE"], 0x29U);
  EXPECT_EQ(by_name["RM_CONTROL"], 0x2aU);
  EXPECT_EQ(by_name["RM_ALLOC"], 0x2bU);
  EXPECT_EQ(by_name["RM_MAP_MEMORY"], 0x4eU);
  EXPECT_EQ(by_name["RM_UNMAP_MEMORY"], 0x4fU);
}

TEST(IoctlTables, FieldValueTablesSortedAndUnique) {
  for (auto kind : {sx::FieldKind::nvidia_class, sx::FieldKind::nvidia_control}) {
    auto table = sx::field_value_table(kind);
    ASSERT_GT(table.size(), 100U);
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < table.size(); ++i) {
      if (i > 0) {
        EXPECT_LT(table[i - 1].number, table[i].number) << "not sorted or twice: " << table[i].name;
      }
      EXPECT_TRUE(names.insert(table[i].name).second) << table[i].name << " twice";
    }
  }
}

TEST(IoctlTables, ControlCommandsCarryTheirClass) {
  // NV<class>_CTRL_CMD_<name> = (class << 16) | (category << 8) | index.
  const std::regex form("NV([0-9A-F]{4})_CTRL_CMD_[A-Z0-9_]+");
  for (const auto& n : sx::field_value_table(sx::FieldKind::nvidia_control)) {
    std::smatch m;
    const std::string name(n.name);
    ASSERT_TRUE(std::regex_match(name, m, form)) << name;
    EXPECT_EQ(std::stoul(m[1].str(), nullptr, 16), n.number >> 16) << name;
  }
}

TEST(IoctlTables, ClassNamesOfTheHeaders) {
  std::map<std::string_view, std::uint32_t> by_name;
  for (const auto& n : sx::field_value_table(sx::FieldKind::nvidia_class)) by_name[n.name] = n.number;
  EXPECT_EQ(by_name.at("NV01_ROOT_CLIENT"), 0x41U);
  EXPECT_EQ(by_name.at("NV01_DEVICE_0"), 0x80U);
  EXPECT_EQ(by_name.at("NV20_SUBDEVICE_0"), 0x2080U);
  EXPECT_EQ(by_name.at("NV01_MEMORY_SYSTEM"), 0x3eU);
  EXPECT_EQ(by_name.at("NV50_MEMORY_VIRTUAL"), 0x50a0U);
  EXPECT_EQ(by_name.at("HOPPER_CHANNEL_GPFIFO_A"), 0xc86fU);
  EXPECT_EQ(by_name.at("HOPPER_COMPUTE_A"), 0xcbc0U);
}

TEST(IoctlTables, EveryDataFileWhollyCompiledIn) {
  std::map<std::string_view, std::size_t> compiled;
  for (const auto& t : sx::ioctl_driver_tables()) compiled[t.file] = t.names.size();
  compiled["nvidia_classes.inc"] = sx::field_value_table(sx::FieldKind::nvidia_class).size();
  compiled["nvidia_controls.inc"] = sx::field_value_table(sx::FieldKind::nvidia_control).size();
  EXPECT_EQ(compiled.size(), 8U);
  for (const auto& [file, n] : compiled) EXPECT_EQ(count_rows(std::string(file)), n) << file;
}

TEST(IoctlTables, DevicesAndTablesWiredTogether) {
  std::set<std::string_view> with_table;
  for (const auto& t : sx::ioctl_driver_tables()) with_table.insert(t.driver);
  std::set<std::string_view> served;
  for (const auto& d : sx::ioctl_device_drivers()) {
    EXPECT_TRUE(with_table.contains(d.driver)) << d.pattern << " -> " << d.driver << " has no table";
    served.insert(d.driver);
  }
  for (auto driver : with_table) EXPECT_TRUE(served.contains(driver)) << driver << " serves no device";
}

TEST(IoctlTables, ArgumentFieldRulesNameRealEscapes) {
  ASSERT_FALSE(sx::ioctl_arg_field_rules().empty());
  for (const auto& r : sx::ioctl_arg_field_rules()) {
    EXPECT_EQ(r.driver, "nvidia");
    EXPECT_EQ(r.request & ~r.mask, 0U);
    EXPECT_GE(r.field.size, 1U);
    EXPECT_LE(r.field.size, 4U);
    EXPECT_FALSE(sx::decode_driver_ioctl("nvidiactl", r.request).empty()) << std::hex << r.request;
    EXPECT_EQ(sx::ioctl_arg_field("nvidiactl", r.request), r.field);
  }
}

TEST(IoctlTables, DevicePatterns) {
  EXPECT_TRUE(sx::device_pattern_matches("nvidia#", "nvidia0"));
  EXPECT_TRUE(sx::device_pattern_matches("nvidia#", "nvidia12"));
  EXPECT_FALSE(sx::device_pattern_matches("nvidia#", "nvidia"));
  EXPECT_FALSE(sx::device_pattern_matches("nvidia#", "nvidia-uvm"));
  EXPECT_FALSE(sx::device_pattern_matches("nvidia#", "nvidia0x"));
  EXPECT_TRUE(sx::device_pattern_matches("drm-*", "drm-i915"));
  EXPECT_FALSE(sx::device_pattern_matches("drm-*", "drm-"));
  EXPECT_FALSE(sx::device_pattern_matches("drm-*", "drm"));
  EXPECT_TRUE(sx::device_pattern_matches("kfd", "kfd"));
  EXPECT_FALSE(sx::device_pattern_matches("kfd", "kfd0"));
}
