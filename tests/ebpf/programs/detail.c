/* ioctl and mmap detail: a char device, a bad fd, a pipe, an eventfd, anonymous, file and
 * device mappings. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

int main(void) {
  struct termios t;
  int null = open("/dev/null", O_RDWR);
  for (int i = 0; i < 3; ++i) (void)!ioctl(null, TCGETS, &t); /* ENOTTY on mem 1:3 */
  (void)!ioctl(-1, TCGETS, &t);                               /* badfd */
  int p[2];
  (void)!pipe(p);
  int n = 0;
  (void)!ioctl(p[0], FIONREAD, &n);
  int efd = eventfd(0, 0);
  (void)!ioctl(efd, FIONREAD, &n);
  void* a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int zero = open("/dev/zero", O_RDWR);
  void* z = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, zero, 0);
  int self = open("/proc/self/exe", O_RDONLY);
  void* f = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, self, 0);
  void* bad = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 999, 0); /* EBADF */
  munmap(a, 4096);
  munmap(z, 4096);
  munmap(f, 4096);
  (void)bad;
  return 0;
}
