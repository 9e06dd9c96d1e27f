/* Syscall storm for tracer-overhead benchmarks: N cheap syscalls (getppid), then prints N.
 * Usage: storm [N] (default 1000000). Each call goes through syscall(2) so libc cannot cache it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000L;
  if (n <= 0) {
    fprintf(stderr, "storm: N must be a positive number\n");
    return 2;
  }
  long sum = 0;
  for (long i = 0; i < n; ++i) sum += syscall(SYS_getppid);
  printf("%ld getppid calls (checksum %ld)\n", n, sum);
  return 0;
}
