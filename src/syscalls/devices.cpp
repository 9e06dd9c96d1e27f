#include "syscalls/devices.h"

#include <fmt/format.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <algorithm>
#include <fstream>
#include <sstream>

namespace sysaxis::syscalls {
namespace {

// Device files that share a major number, told apart by minor. Facts from the drivers' device
// nodes (open-gpu-kernel-modules kernel-open/common/inc/nv-chardev-numbers.h: major 195,
// /dev/nvidiaN minor N up to 247, /dev/nvidia-modeset 254, /dev/nvidiactl 255; nvidia-uvm's
// dynamic major: /dev/nvidia-uvm minor 0, /dev/nvidia-uvm-tools 1, uvm_common.h). Up to driver
// 535 the NVIDIA major is registered once as "nvidia-frontend"; from 545 on the regions are
// registered as "nvidia" (minors 0-247), "nvidia-modeset" (254) and "nvidiactl" (255), so
// /proc/devices lists major 195 several times.
struct MinorName {
  std::string_view major_name;
  unsigned minor;         // kAnyMinor: the pattern applies to every other minor
  std::string_view name;  // "{}" is replaced by the minor
};
constexpr unsigned kAnyMinor = ~0U;
constexpr MinorName kMinorNames[] = {
    {"nvidia-frontend", 255, "nvidiactl"},
    {"nvidia-frontend", 254, "nvidia-modeset"},
    {"nvidia-frontend", kAnyMinor, "nvidia{}"},
    {"nvidia", 255, "nvidiactl"},
    {"nvidia", 254, "nvidia-modeset"},
    {"nvidia", kAnyMinor, "nvidia{}"},
    {"nvidia-uvm", 0, "nvidia-uvm"},
    {"nvidia-uvm", 1, "nvidia-uvm-tools"},
};

}  // namespace

DeviceNames DeviceNames::parse(std::string_view text) {
  DeviceNames d;
  std::istringstream in{std::string(text)};
  std::string line;
  bool in_char = false;
  while (std::getline(in, line)) {
    if (line.starts_with("Character devices:")) {
      in_char = true;
      continue;
    }
    if (line.starts_with("Block devices:")) break;
    if (!in_char) continue;
    std::istringstream ls(line);
    unsigned major = 0;
    std::string name;
    if (!(ls >> major >> name)) continue;
    if (name.starts_with("/dev/")) name = name.substr(5);
    d.all_names_[major].push_back(name);
    // Several names per major (e.g. 4: /dev/vc/0, tty, ttyS): keep the first plain name.
    auto it = d.char_.find(major);
    if (it == d.char_.end()) {
      d.char_.emplace(major, name);
    } else if (it->second.find('/') != std::string::npos && name.find('/') == std::string::npos) {
      it->second = name;
    }
  }
  return d;
}

void DeviceNames::scan_drm(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::ifstream dev(it->path() / "dev");
    unsigned major = 0;
    unsigned minor = 0;
    char colon = 0;
    if (!(dev >> major >> colon >> minor) || colon != ':') continue;
    std::error_code lec;
    fs::path driver = fs::read_symlink(it->path() / "device" / "driver", lec);
    if (lec || driver.filename().empty()) continue;
    set_char_driver(major, minor, driver.filename().string());
  }
}

void DeviceNames::set_char_driver(unsigned major, unsigned minor, std::string driver) {
  drivers_[{major, minor}] = std::move(driver);
}

DeviceNames DeviceNames::from_proc() {
  std::ifstream in("/proc/devices");
  std::ostringstream ss;
  ss << in.rdbuf();
  DeviceNames d = parse(ss.str());
  d.scan_drm("/sys/class/drm");
  return d;
}

std::string DeviceNames::char_name(unsigned major, unsigned minor) const {
  auto it = char_.find(major);
  if (it == char_.end()) return fmt::format("chr{}.{}", major, minor);
  const std::string& base = it->second;
  if (base == "drm") {
    auto d = drivers_.find({major, minor});
    return d == drivers_.end() ? base : fmt::format("drm-{}", d->second);
  }
  // The per-minor table may be keyed by any of the names the major is registered under.
  const auto& names = all_names_.at(major);
  const MinorName* generic = nullptr;
  for (const auto& m : kMinorNames) {
    if (std::find(names.begin(), names.end(), m.major_name) == names.end()) continue;
    if (m.minor == minor) return fmt::format(fmt::runtime(m.name), minor);
    if (m.minor == kAnyMinor && generic == nullptr) generic = &m;
  }
  if (generic != nullptr) return fmt::format(fmt::runtime(generic->name), minor);
  return base;
}

std::string describe_stat(const DeviceNames& names, bool ok, mode_t mode, dev_t rdev) {
  if (!ok) return "badfd";
  if (S_ISCHR(mode)) return names.char_name(major(rdev), minor(rdev));
  if (S_ISREG(mode) || S_ISDIR(mode) || S_ISLNK(mode)) return "file";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISFIFO(mode)) return "pipe";
  if (S_ISBLK(mode)) return "block";
  return "anon_inode";
}

}  // namespace sysaxis::syscalls
