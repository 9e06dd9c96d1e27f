// Names of character devices, from /proc/devices (major -> driver name) refined by a small table
// of per-minor names where one major serves several device files (NVIDIA's nvidiactl/nvidia#)
// and, for DRM (/dev/dri/*), by the kernel driver bound to the device (from sysfs), because the
// meaning of DRM's driver-specific ioctls depends on it.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sysaxis::syscalls {

class DeviceNames {
 public:
  static DeviceNames parse(std::string_view proc_devices_text);
  // /proc/devices and /sys/class/drm; an empty table when /proc/devices is unreadable.
  static DeviceNames from_proc();

  // Records which kernel driver serves DRM devices, from a /sys/class/drm-like directory: each
  // entry with a `dev` file ("226:128") and a `device/driver` link (".../drivers/amdgpu").
  void scan_drm(const std::filesystem::path& sys_class_drm);
  void set_char_driver(unsigned major, unsigned minor, std::string driver);

  // "nvidiactl", "nvidia0", "nvidia-uvm", "kfd", "tty", ...; DRM devices "drm-<driver>"
  // ("drm-amdgpu", "drm-i915", "drm-nvidia") or "drm" when the driver is unknown;
  // "chr<major>.<minor>" when the major is not listed.
  std::string char_name(unsigned major, unsigned minor) const;
  // The first plain name of every major.
  const std::map<unsigned, std::string>& char_majors() const { return char_; }

 private:
  std::map<unsigned, std::string> char_;
  std::map<unsigned, std::vector<std::string>> all_names_;  // every name /proc/devices gives a major
  std::map<std::pair<unsigned, unsigned>, std::string> drivers_;
};

// What a descriptor refers to, as seen from a stat of it: a character device's name, or the
// kind of object ("file", "socket", "pipe", "anon_inode", "block", "badfd").
std::string describe_stat(const DeviceNames& names, bool ok, mode_t mode, dev_t rdev);

}  // namespace sysaxis::syscalls
