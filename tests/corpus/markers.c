/* The marker protocol: init (3 anonymous mmaps), work (N getppid, argv[1], default 1000),
 * teardown (3 munmaps). A forked child during work inherits the work phase. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void mark(const char* phase) {
  char buf[64] = "sysaxis:phase:";
  strncat(buf, phase, sizeof buf - strlen(buf) - 1);
  (void)!write(-1, buf, strlen(buf));
}

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
  mark("init");
  void* p[3];
  for (int i = 0; i < 3; ++i) {
    p[i] = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p[i] == MAP_FAILED) return 1;
    memset(p[i], 1, 1 << 20);
  }
  mark("work");
  for (long i = 0; i < n; ++i) syscall(SYS_getppid);
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < 7; ++i) syscall(SYS_getppid);
    _exit(0);
  }
  waitpid(pid, NULL, 0);
  mark("teardown");
  for (int i = 0; i < 3; ++i) munmap(p[i], 1 << 20);
  return 0;
}
