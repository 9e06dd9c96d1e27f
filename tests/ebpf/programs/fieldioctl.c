/* ioctls whose argument structure has NVIDIA's layout (docs/drivers.md: RM_ALLOC's hClass at
 * offset 12, RM_CONTROL's cmd at offset 8), made on /dev/zero (char 1:5), which refuses every
 * ioctl (ENOTTY) and so never acts on them. The eBPF test names major 1 "nvidia-frontend", which
 * makes /dev/zero "nvidia5", to see the kernel half read the field. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

struct rm_alloc { /* NVOS21_PARAMETERS' first fields */
  uint32_t h_root, h_object_parent, h_object_new, h_class;
  uint64_t p_alloc_parms;
  uint32_t params_size, status;
};
struct rm_control { /* NVOS54_PARAMETERS' first fields */
  uint32_t h_client, h_object, cmd, flags;
  uint64_t params;
  uint32_t params_size, status;
};

#define RM_ALLOC _IOWR('F', 0x2b, struct rm_alloc)
#define RM_CONTROL _IOWR('F', 0x2a, struct rm_control)

int main(void) {
  int zero = open("/dev/zero", O_RDWR);
  struct rm_alloc a = {.h_class = 0x0080}; /* NV01_DEVICE_0 */
  for (int i = 0; i < 3; ++i) (void)!ioctl(zero, RM_ALLOC, &a);
  a.h_class = 0x7fff1234; /* in no table: shown in hex */
  (void)!ioctl(zero, RM_ALLOC, &a);
  struct rm_control c = {.cmd = 0x20800122};
  (void)!ioctl(zero, RM_CONTROL, &c);
  (void)!ioctl(zero, RM_ALLOC, NULL); /* nothing to read */
  void* none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (none != MAP_FAILED) (void)!ioctl(zero, RM_ALLOC, none); /* unreadable */
  struct termios t;
  (void)!ioctl(zero, TCGETS, &t); /* no field rule */
  return 0;
}
