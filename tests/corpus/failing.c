/* Syscalls that fail: 50 opens of a missing file, 20 closes of a bad descriptor, 10 reads of a
 * bad descriptor, one ioctl on a regular file. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void) {
  for (int i = 0; i < 50; ++i) open("/nonexistent/sysaxis-corpus", O_RDONLY);
  for (int i = 0; i < 20; ++i) close(-1);
  char c;
  for (int i = 0; i < 10; ++i) {
    if (read(1000, &c, 1) != -1) return 1;
  }
  int fd = open("/proc/self/exe", O_RDONLY);
  int n = 0;
  if (fd >= 0) ioctl(fd, FIONREAD, &n);
  return 0;
}
