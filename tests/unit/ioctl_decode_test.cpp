// Decoding of recorded ioctl request numbers, known and unknown, per driver (issue 7).
#include <gtest/gtest.h>

#include "syscalls/ioctl_drivers.h"

using sysaxis::syscalls::ArgField;
using sysaxis::syscalls::decode_driver_ioctl;
using sysaxis::syscalls::ioctl_arg_field;
using sysaxis::syscalls::ioctl_detail;
using sysaxis::syscalls::ioctl_driver;
using sysaxis::syscalls::ioctl_operation;

namespace {
// _IOC(dir, type, nr, size) of asm-generic/ioctl.h (x86_64).
constexpr std::uint32_t ioc(std::uint32_t dir, std::uint32_t type, std::uint32_t nr, std::uint32_t size) {
  return (dir << 30) | (size << 16) | (type << 8) | nr;
}
constexpr std::uint32_t kRW = 3;
constexpr std::uint32_t kR = 2;
constexpr std::uint32_t kW = 1;
}  // namespace

TEST(IoctlDecode, NvidiaEscapesAsRecordedByStrace) {
  // strace -f of a CUDA program: ioctl(fd, _IOC(_IOC_READ|_IOC_WRITE, 0x46, 0x2b, 0x30), ...)
  EXPECT_EQ(0xc030462bU, ioc(kRW, 'F', 0x2b, 0x30));
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU), "RM_ALLOC");       // NVOS64_PARAMETERS, 48 bytes
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc020462bU), "RM_ALLOC");       // NVOS21_PARAMETERS, 32 bytes
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc020462aU), "RM_CONTROL");     // NVOS54_PARAMETERS
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc0104629U), "RM_FREE");        // NVOS00_PARAMETERS
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc038464eU), "RM_MAP_MEMORY");  // NVOS33_PARAMETERS
  EXPECT_EQ(ioctl_operation("nvidia0", 0xc038464eU), "RM_MAP_MEMORY");
  EXPECT_EQ(ioctl_operation("nvidiactl", ioc(kRW, 'F', 200, 0xa00)), "CARD_INFO");
  EXPECT_EQ(ioctl_operation("nvidiactl", ioc(kRW, 'F', 201, 4)), "REGISTER_FD");
  EXPECT_EQ(ioctl_operation("nvidiactl", ioc(kRW, 'F', 206, 16)), "ALLOC_OS_EVENT");
  EXPECT_EQ(ioctl_operation("nvidiactl", ioc(kRW, 'F', 210, 72)), "CHECK_VERSION_STR");
  EXPECT_EQ(ioctl_operation("nvidia3", ioc(kRW, 'F', 218, 8)), "WAIT_OPEN_COMPLETE");
  EXPECT_EQ(ioctl_detail("nvidiactl", 0xc020462aU), "nvidiactl:RM_CONTROL");
}

TEST(IoctlDecode, UnknownNumbersStayVisible) {
  EXPECT_EQ(ioctl_operation("nvidiactl", ioc(kRW, 'F', 0x99, 32)), "_IOWR('F',0x99,32)");
  EXPECT_EQ(ioctl_operation("nvidiactl", ioc(kRW, 'F', 202, 8)), "_IOWR('F',0xca,8)");
  // Another type on an NVIDIA device is not an escape.
  EXPECT_EQ(ioctl_operation("nvidiactl", ioc(kRW, 'G', 0x2b, 48)), "_IOWR('G',0x2b,48)");
  EXPECT_EQ(ioctl_operation("kfd", ioc(kRW, 'K', 0x50, 16)), "_IOWR('K',0x50,16)");
  EXPECT_EQ(ioctl_operation("drm-amdgpu", ioc(kRW, 'd', 0x7f, 8)), "_IOWR('d',0x7f,8)");
  // UVM numbers are plain, not _IOC-encoded: unknown ones are shown in hex.
  EXPECT_EQ(ioctl_operation("nvidia-uvm", 0x99), "0x99");
  EXPECT_EQ(ioctl_operation("nvidia-uvm", 211), "0xd3");  // a UVM_TEST_* ioctl (200 + 11)
  // A device no table knows.
  EXPECT_EQ(ioctl_operation("chr240.0", 0xc030462bU), "_IOWR('F',0x2b,48)");
  EXPECT_EQ(ioctl_operation("nvidia-modeset", 0xc030462bU), "_IOWR('F',0x2b,48)");
}

TEST(IoctlDecode, NvidiaUvmPlainNumbers) {
  EXPECT_EQ(ioctl_operation("nvidia-uvm", 0x30000001U), "UVM_INITIALIZE");
  EXPECT_EQ(ioctl_operation("nvidia-uvm", 0x30000002U), "UVM_DEINITIALIZE");
  EXPECT_EQ(ioctl_operation("nvidia-uvm", 23), "UVM_CREATE_RANGE_GROUP");
  EXPECT_EQ(ioctl_operation("nvidia-uvm", 25), "UVM_REGISTER_GPU_VASPACE");
  EXPECT_EQ(ioctl_operation("nvidia-uvm", 33), "UVM_MAP_EXTERNAL_ALLOCATION");
  EXPECT_EQ(ioctl_operation("nvidia-uvm", 37), "UVM_REGISTER_GPU");
  EXPECT_EQ(ioctl_operation("nvidia-uvm", 39), "UVM_PAGEABLE_MEM_ACCESS");
  EXPECT_EQ(ioctl_operation("nvidia-uvm", 75), "UVM_MM_INITIALIZE");
  EXPECT_EQ(ioctl_operation("nvidia-uvm-tools", 56), "UVM_TOOLS_INIT_EVENT_TRACKER");
  // The same numbers on another device mean something else.
  EXPECT_EQ(ioctl_operation("nvidiactl", 37), "_IO(0x00,0x25)");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0x30000001U), "_IO(0x00,0x01)");
}

TEST(IoctlDecode, AmdKfd) {
  EXPECT_EQ(ioctl_operation("kfd", ioc(kR, 'K', 0x01, 8)), "AMDKFD_IOC_GET_VERSION");
  EXPECT_EQ(ioctl_operation("kfd", ioc(kRW, 'K', 0x16, 40)), "AMDKFD_IOC_ALLOC_MEMORY_OF_GPU");
  EXPECT_EQ(ioctl_operation("kfd", ioc(kW, 'K', 0x17, 8)), "AMDKFD_IOC_FREE_MEMORY_OF_GPU");
  EXPECT_EQ(ioctl_operation("kfd", ioc(kRW, 'K', 0x18, 24)), "AMDKFD_IOC_MAP_MEMORY_TO_GPU");
  EXPECT_EQ(ioctl_operation("kfd", ioc(kRW, 'K', 0x02, 88)), "AMDKFD_IOC_CREATE_QUEUE");
  EXPECT_EQ(ioctl_operation("kfd", ioc(kRW, 'K', 0x0c, 24)), "AMDKFD_IOC_WAIT_EVENTS");
  EXPECT_EQ(ioctl_operation("kfd", ioc(kRW, 'K', 0x20, 24)), "AMDKFD_IOC_SVM");
  EXPECT_EQ(ioctl_operation("kfd", ioc(kRW, 'K', 0x80, 64)), "AMDKFD_IOC_IPC_IMPORT_HANDLE");
  EXPECT_EQ(ioctl_operation("kfd", ioc(kRW, 'K', 0x82, 64)), "_IOWR('K',0x82,64)");
}

TEST(IoctlDecode, DrmCoreAndAmdgpu) {
  // DRM_IOCTL_VERSION = DRM_IOWR(0x00, struct drm_version) = 0xc0406400 on x86_64.
  EXPECT_EQ(ioctl_operation("drm", 0xc0406400U), "DRM_IOCTL_VERSION");
  EXPECT_EQ(ioctl_operation("drm-amdgpu", 0xc0406400U), "DRM_IOCTL_VERSION");
  EXPECT_EQ(ioctl_operation("drm-i915", 0xc0406400U), "DRM_IOCTL_VERSION");
  EXPECT_EQ(ioctl_operation("drm-amdgpu", ioc(kRW, 'd', 0x0c, 16)), "DRM_IOCTL_GET_CAP");
  EXPECT_EQ(ioctl_operation("drm-amdgpu", ioc(kRW, 'd', 0x2d, 12)), "DRM_IOCTL_PRIME_HANDLE_TO_FD");
  EXPECT_EQ(ioctl_operation("drm-amdgpu", ioc(kRW, 'd', 0xc3, 40)), "DRM_IOCTL_SYNCOBJ_WAIT");
  // DRM_IOCTL_AMDGPU_INFO = DRM_IOW(0x40 + 0x05, struct drm_amdgpu_info) = 0x40206445.
  EXPECT_EQ(ioctl_operation("drm-amdgpu", 0x40206445U), "DRM_IOCTL_AMDGPU_INFO");
  EXPECT_EQ(ioctl_operation("drm-amdgpu", ioc(kRW, 'd', 0x40, 32)), "DRM_IOCTL_AMDGPU_GEM_CREATE");
  EXPECT_EQ(ioctl_operation("drm-amdgpu", ioc(kRW, 'd', 0x44, 24)), "DRM_IOCTL_AMDGPU_CS");
  EXPECT_EQ(ioctl_operation("drm-amdgpu", ioc(kW, 'd', 0x48, 64)), "DRM_IOCTL_AMDGPU_GEM_VA");
  EXPECT_EQ(ioctl_operation("drm-amdgpu", ioc(kRW, 'd', 0x50, 8)), "DRM_IOCTL_AMDGPU_GEM_OP");
  // The driver range (0x40-0x9f) of another or an unknown DRM driver is not amdgpu's.
  EXPECT_EQ(ioctl_operation("drm-i915", 0x40206445U), "_IOW('d',0x45,32)");
  EXPECT_EQ(ioctl_operation("drm", 0x40206445U), "_IOW('d',0x45,32)");
  EXPECT_EQ(ioctl_operation("drm-nvidia", ioc(kRW, 'd', 0x40, 32)), "_IOWR('d',0x40,32)");
}

TEST(IoctlDecode, Terminal) {
  EXPECT_EQ(ioctl_operation("pts", 0x5401), "TCGETS");
  EXPECT_EQ(ioctl_operation("tty", 0x5413), "TIOCGWINSZ");
  EXPECT_EQ(ioctl_operation("ptmx", 0x80045430U), "TIOCGPTN");
  EXPECT_EQ(ioctl_operation("pts", 0x54ff), "_IO('T',0xff)");
  // isatty() on a file or pipe asks TCGETS too; FIOCLEX is generic.
  EXPECT_EQ(ioctl_operation("file", 0x5401), "TCGETS");
  EXPECT_EQ(ioctl_operation("pipe", 0x5451), "FIOCLEX");
  EXPECT_EQ(ioctl_operation("socket", 0x8912), "_IO(0x89,0x12)");
}

TEST(IoctlDecode, DriverOfDevice) {
  EXPECT_EQ(ioctl_driver("nvidiactl"), "nvidia");
  EXPECT_EQ(ioctl_driver("nvidia0"), "nvidia");
  EXPECT_EQ(ioctl_driver("nvidia247"), "nvidia");
  EXPECT_EQ(ioctl_driver("nvidia"), "");
  EXPECT_EQ(ioctl_driver("nvidia-uvm"), "nvidia-uvm");
  EXPECT_EQ(ioctl_driver("nvidia-uvm-tools"), "nvidia-uvm");
  EXPECT_EQ(ioctl_driver("nvidia-modeset"), "");
  EXPECT_EQ(ioctl_driver("nvidia-caps"), "");
  EXPECT_EQ(ioctl_driver("kfd"), "kfd");
  EXPECT_EQ(ioctl_driver("drm"), "drm");
  EXPECT_EQ(ioctl_driver("drm-amdgpu"), "drm-amdgpu");
  EXPECT_EQ(ioctl_driver("drm-i915"), "drm");
  EXPECT_EQ(ioctl_driver("drm-"), "");
  EXPECT_EQ(ioctl_driver("drm_dp_aux"), "");
  EXPECT_EQ(ioctl_driver("anon"), "");
}

TEST(IoctlDecode, ArgumentFieldsOfNvidiaRequests) {
  // NVOS21/NVOS64_PARAMETERS: hRoot, hObjectParent, hObjectNew, hClass -> hClass at 12.
  EXPECT_EQ(ioctl_arg_field("nvidiactl", 0xc030462bU), (ArgField{12, 4}));
  EXPECT_EQ(ioctl_arg_field("nvidiactl", 0xc020462bU), (ArgField{12, 4}));
  EXPECT_EQ(ioctl_arg_field("nvidia0", ioc(kRW, 'F', 0x27, 56)), (ArgField{12, 4}));  // RM_ALLOC_MEMORY
  // NVOS54_PARAMETERS: hClient, hObject, cmd -> cmd at 8.
  EXPECT_EQ(ioctl_arg_field("nvidiactl", 0xc020462aU), (ArgField{8, 4}));
  // nv_ioctl_xfer_t: cmd at 0.
  EXPECT_EQ(ioctl_arg_field("nvidiactl", ioc(kRW, 'F', 211, 16)), (ArgField{0, 4}));
  EXPECT_FALSE(ioctl_arg_field("nvidiactl", 0xc0104629U));  // RM_FREE
  EXPECT_FALSE(ioctl_arg_field("nvidia-uvm", 0x2b));
  EXPECT_FALSE(ioctl_arg_field("nvidia-uvm", 0xc030462bU));
  EXPECT_FALSE(ioctl_arg_field("chr240.0", 0xc030462bU));
  EXPECT_FALSE(ioctl_arg_field("kfd", ioc(kRW, 'K', 0x16, 40)));
  EXPECT_FALSE(ioctl_arg_field("nvidiactl", ioc(kRW, 'G', 0x2b, 48)));
}

TEST(IoctlDecode, OneLevelDeeper) {
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0x41), "RM_ALLOC:NV01_ROOT_CLIENT");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0x80), "RM_ALLOC:NV01_DEVICE_0");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0x2080), "RM_ALLOC:NV20_SUBDEVICE_0");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0x3e), "RM_ALLOC:NV01_MEMORY_SYSTEM");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0x50a0), "RM_ALLOC:NV50_MEMORY_VIRTUAL");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0xc86f), "RM_ALLOC:HOPPER_CHANNEL_GPFIFO_A");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0xcbc0), "RM_ALLOC:HOPPER_COMPUTE_A");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0xc7c0), "RM_ALLOC:AMPERE_COMPUTE_B");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0xa06c), "RM_ALLOC:KEPLER_CHANNEL_GROUP_A");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0x90f1), "RM_ALLOC:FERMI_VASPACE_A");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0xbeef), "RM_ALLOC:0xbeef");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, 0x12345678), "RM_ALLOC:0x12345678");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc020462aU, 0x00000201), "RM_CONTROL:NV0000_CTRL_CMD_GPU_GET_ATTACHED_IDS");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc020462aU, 0x20800102), "RM_CONTROL:NV2080_CTRL_CMD_GPU_GET_INFO_V2");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc020462aU, 0x20800122), "RM_CONTROL:NV2080_CTRL_CMD_GPU_EXEC_REG_OPS");
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc020462aU, 0x2080ffff), "RM_CONTROL:0x2080ffff");
  EXPECT_EQ(ioctl_operation("nvidiactl", ioc(kRW, 'F', 211, 16), 0x2a), "IOCTL_XFER_CMD:RM_CONTROL");
  EXPECT_EQ(ioctl_operation("nvidiactl", ioc(kRW, 'F', 211, 16), 0x99), "IOCTL_XFER_CMD:0x99");
  // No value read (bad pointer): the request alone.
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc030462bU, std::nullopt), "RM_ALLOC");
  // A value for a request without a field is ignored.
  EXPECT_EQ(ioctl_operation("nvidiactl", 0xc0104629U, 0x80), "RM_FREE");
  EXPECT_EQ(ioctl_operation("kfd", ioc(kRW, 'K', 0x16, 40), 7), "AMDKFD_IOC_ALLOC_MEMORY_OF_GPU");
  // An unknown escape keeps its field only when a rule names it (none does): the generic form.
  EXPECT_EQ(ioctl_operation("nvidiactl", ioc(kRW, 'F', 0x99, 48), 0x80), "_IOWR('F',0x99,48)");
  EXPECT_EQ(ioctl_detail("nvidia0", 0xc030462bU, 0x80), "nvidia0:RM_ALLOC:NV01_DEVICE_0");
}

TEST(IoctlDecode, DecodeDriverIoctlIsEmptyWhenUnknown) {
  EXPECT_EQ(decode_driver_ioctl("nvidiactl", 0xc030462bU), "RM_ALLOC");
  EXPECT_EQ(decode_driver_ioctl("nvidiactl", ioc(kRW, 'F', 0x99, 48)), "");
  EXPECT_EQ(decode_driver_ioctl("socket", 0x8912), "");
}
