/* Many syscalls, and syscalls whose numbers share a line of the eBPF engine's per-thread cache
 * (read 0 / rt_sigtimedwait 128, getppid 110 / set_mempolicy 238), some failing. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  for (int i = 0; i < 20000; ++i) syscall(SYS_getppid);
  int fd = open("/dev/null", O_RDONLY);
  char c;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  struct timespec zero = {0, 0};
  for (int i = 0; i < 300; ++i) {
    (void)!read(fd, &c, 1);
    syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 8); /* EAGAIN */
    syscall(SYS_getppid);
    syscall(SYS_set_mempolicy, 99, NULL, 0); /* EINVAL */
  }
  close(fd);
  return 0;
}
