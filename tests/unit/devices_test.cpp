// Device names from /proc/devices (+ per-minor names, + the DRM driver from sysfs).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "syscalls/devices.h"
#include "syscalls/ioctl.h"

using sysaxis::syscalls::describe_stat;
using sysaxis::syscalls::DeviceNames;

namespace {
// /proc/devices of a machine with NVIDIA 550+ (the major registered as "nvidia", "nvidia-modeset",
// "nvidiactl"), the UVM module, amdgpu/KFD and DRM.
constexpr std::string_view kProcDevices = R"(Character devices:
  1 mem
  4 /dev/vc/0
  4 tty
  4 ttyS
  5 /dev/tty
  5 /dev/console
  5 /dev/ptmx
136 pts
195 nvidia
195 nvidia-modeset
195 nvidiactl
226 drm
234 nvidia-uvm
235 kfd
236 nvidia-caps
237 drm_dp_aux

Block devices:
  8 sd
195 notachar
)";
}  // namespace

TEST(DeviceNames, NvidiaFrom545On) {
  DeviceNames d = DeviceNames::parse(kProcDevices);
  EXPECT_EQ(d.char_name(195, 255), "nvidiactl");
  EXPECT_EQ(d.char_name(195, 254), "nvidia-modeset");
  EXPECT_EQ(d.char_name(195, 0), "nvidia0");
  EXPECT_EQ(d.char_name(195, 7), "nvidia7");
  EXPECT_EQ(d.char_name(234, 0), "nvidia-uvm");
  EXPECT_EQ(d.char_name(234, 1), "nvidia-uvm-tools");
  EXPECT_EQ(d.char_name(236, 1), "nvidia-caps");
  EXPECT_EQ(d.char_name(235, 0), "kfd");
  EXPECT_EQ(d.char_name(4, 1), "tty");
  EXPECT_EQ(d.char_name(136, 3), "pts");
  EXPECT_EQ(d.char_name(1, 3), "mem");
  EXPECT_EQ(d.char_name(237, 0), "drm_dp_aux");
  EXPECT_EQ(d.char_name(240, 3), "chr240.3");
  EXPECT_EQ(d.char_majors().at(195), "nvidia");
}

TEST(DeviceNames, NvidiaUpTo535AndAnyOrder) {
  DeviceNames old = DeviceNames::parse("Character devices:\n195 nvidia-frontend\n");
  EXPECT_EQ(old.char_name(195, 255), "nvidiactl");
  EXPECT_EQ(old.char_name(195, 254), "nvidia-modeset");
  EXPECT_EQ(old.char_name(195, 1), "nvidia1");
  DeviceNames reordered = DeviceNames::parse("Character devices:\n195 nvidiactl\n195 nvidia\n");
  EXPECT_EQ(reordered.char_name(195, 0), "nvidia0");
  EXPECT_EQ(reordered.char_name(195, 255), "nvidiactl");
}

TEST(DeviceNames, DrmDeviceNamedByItsDriver) {
  DeviceNames d = DeviceNames::parse(kProcDevices);
  EXPECT_EQ(d.char_name(226, 128), "drm");  // driver unknown
  d.set_char_driver(226, 128, "amdgpu");
  EXPECT_EQ(d.char_name(226, 128), "drm-amdgpu");
  EXPECT_EQ(d.char_name(226, 0), "drm");
}

TEST(DeviceNames, ScanSysClassDrm) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("sysaxis_drm_" + std::to_string(::getpid()));
  fs::remove_all(root);
  auto node = [&](const std::string& name, const std::string& dev, const std::string& driver) {
    fs::create_directories(root / "class/drm" / name / "device");
    if (!dev.empty()) std::ofstream(root / "class/drm" / name / "dev") << dev << "\n";
    if (!driver.empty()) {
      fs::create_directories(root / "bus/pci/drivers" / driver);
      fs::create_directory_symlink(root / "bus/pci/drivers" / driver, root / "class/drm" / name / "device/driver");
    }
  };
  node("renderD128", "226:128", "amdgpu");
  node("card0", "226:0", "amdgpu");
  node("card1", "226:1", "i915");
  node("card1-DP-1", "", "");         // a connector: no dev file
  node("renderD129", "226:129", "");  // no driver link
  node("version", "garbage", "");
  DeviceNames d = DeviceNames::parse(kProcDevices);
  d.scan_drm(root / "class/drm");
  EXPECT_EQ(d.char_name(226, 128), "drm-amdgpu");
  EXPECT_EQ(d.char_name(226, 0), "drm-amdgpu");
  EXPECT_EQ(d.char_name(226, 1), "drm-i915");
  EXPECT_EQ(d.char_name(226, 129), "drm");
  d.scan_drm(root / "no/such/dir");  // no error, nothing changes
  EXPECT_EQ(d.char_name(226, 128), "drm-amdgpu");
  fs::remove_all(root);
}

TEST(DeviceNames, DescribeStat) {
  DeviceNames d = DeviceNames::parse(kProcDevices);
  EXPECT_EQ(describe_stat(d, true, S_IFCHR | 0666, makedev(195, 255)), "nvidiactl");
  EXPECT_EQ(describe_stat(d, true, S_IFCHR | 0666, makedev(234, 0)), "nvidia-uvm");
  EXPECT_EQ(describe_stat(d, true, S_IFREG | 0644, 0), "file");
  EXPECT_EQ(describe_stat(d, true, S_IFSOCK, 0), "socket");
  EXPECT_EQ(describe_stat(d, true, S_IFIFO, 0), "pipe");
  EXPECT_EQ(describe_stat(d, true, S_IFBLK, makedev(8, 0)), "block");
  EXPECT_EQ(describe_stat(d, true, 0, 0), "anon_inode");
  EXPECT_EQ(describe_stat(d, false, 0, 0), "badfd");
}

TEST(DeviceNames, ThisMachine) {
  DeviceNames d = DeviceNames::from_proc();
  if (d.char_majors().empty()) GTEST_SKIP() << "/proc/devices is unreadable here";
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  if (!S_ISCHR(st.st_mode)) GTEST_SKIP() << "/dev/null is not a character device here";
  EXPECT_EQ(describe_stat(d, true, st.st_mode, st.st_rdev), "mem");  // /dev/null is mem 1:3
}

TEST(DriverCategory, SplitsDriverRowsOnly) {
  using sysaxis::syscalls::driver_category;
  EXPECT_EQ(driver_category("driver", "nvidiactl:RM_ALLOC:NV01_DEVICE_0"), "driver:nvidiactl:RM_ALLOC:NV01_DEVICE_0");
  EXPECT_EQ(driver_category("driver", "kfd:AMDKFD_IOC_ALLOC_MEMORY_OF_GPU"),
            "driver:kfd:AMDKFD_IOC_ALLOC_MEMORY_OF_GPU");
  EXPECT_EQ(driver_category("driver", ""), "driver");           // iopl, ioperm
  EXPECT_EQ(driver_category("memory", "nvidiactl"), "memory");  // mmap of a device stays memory
  EXPECT_EQ(driver_category("file", ""), "file");
}
