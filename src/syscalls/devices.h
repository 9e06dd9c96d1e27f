// Names of character devices, from /proc/devices (major -> driver name) refined by a small table
// of per-minor names where one major serves several device files (NVIDIA's nvidiactl/nvidia#).
#pragma once

#include <sys/types.h>
#include <map>
#include <string>
#include <string_view>

namespace sysaxis::syscalls {

class DeviceNames {
 public:
  static DeviceNames parse(std::string_view proc_devices_text);
  static DeviceNames from_proc();  // empty table when /proc/devices is unreadable

  // "nvidiactl", "nvidia0", "nvidia-uvm", "kfd", "drm", "tty", ...; "chr<major>:<minor>" when
  // the major is not listed.
  std::string char_name(unsigned major, unsigned minor) const;
  const std::map<unsigned, std::string>& char_majors() const { return char_; }

 private:
  std::map<unsigned, std::string> char_;
};

// What a descriptor refers to, as seen from a stat of it: a character device's name, or the
// kind of object ("file", "socket", "pipe", "anon_inode", "block", "badfd").
std::string describe_stat(const DeviceNames& names, bool ok, mode_t mode, dev_t rdev);

}  // namespace sysaxis::syscalls
