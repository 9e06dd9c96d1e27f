/* Markers: startup, init, work (a child forked in work inherits it), teardown, a return to work;
 * writes to -1 that are not markers are counted as writes. Deterministic syscall counts. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "marker.h"

static const char kLiteral[] = "sysaxis:phase:teardown";

int main(void) {
  for (int i = 0; i < 3; ++i) syscall(SYS_getppid);
  mark("init");
  for (int i = 0; i < 4; ++i) (void)!open("/nonexistent/sysaxis", O_RDONLY);
  (void)!write(-1, "sysaxis:phase:bad name", 22); /* not a marker: a space */
  (void)!write(-1, "hello", 5);                   /* not a marker */
  (void)!write(-1, "sysaxis:phase:", 14);         /* empty name: not a marker */
  mark("work");
  pid_t child = fork();
  if (child == 0) {
    for (int i = 0; i < 5; ++i) syscall(SYS_getppid);
    mark("child_only");
    syscall(SYS_getpid);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  for (int i = 0; i < 10; ++i) syscall(SYS_getppid);
  (void)!write(-1, kLiteral, sizeof kLiteral - 1); /* a marker from .rodata, teardown */
  close(100);
  close(101);
  mark("work");
  syscall(SYS_getpid);
  return 0;
}
