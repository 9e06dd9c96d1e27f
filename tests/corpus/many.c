/* Many cheap syscalls: 100000 getppid and 1000 writes to /dev/null. */
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  for (int i = 0; i < 100000; ++i) syscall(SYS_getppid);
  int fd = open("/dev/null", O_WRONLY);
  if (fd < 0) return 1;
  for (int i = 0; i < 1000; ++i) {
    if (write(fd, "x", 1) != 1) return 1;
  }
  close(fd);
  return 0;
}
