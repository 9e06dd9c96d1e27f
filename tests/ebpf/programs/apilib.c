/* A library for the --api tests: sxapi_outer makes `n` getppid calls and calls sxapi_inner (an
 * exported function of its own, so a nested API call), which makes one getpid. Raw syscalls, so
 * that libc caches nothing. */
#include <sys/syscall.h>
#include <unistd.h>

__attribute__((noinline)) long sxapi_inner(void) {
  return syscall(SYS_getpid);
}

long sxapi_outer(int n) {
  long s = 0;
  for (int i = 0; i < n; i++) s += syscall(SYS_getppid);
  return s + sxapi_inner();
}
