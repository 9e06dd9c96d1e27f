/* Calls ptrace(PTRACE_TRACEME), as debuggers' children and anti-debugging checks do; prints
 * whether it worked and exits 0 if it did, 3 if it was refused (already traced). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>

int main(void) {
  long r = ptrace(PTRACE_TRACEME, 0, 0, 0);
  if (r != 0) {
    printf("PTRACE_TRACEME refused: %s\n", strerror(errno));
    return 3;
  }
  printf("PTRACE_TRACEME ok\n");
  return 0;
}
