/* Renames itself (prctl PR_SET_NAME) and execs itself again, N times, printing its name (from
 * /proc/self/comm) each time; the last one exits with status 9. Usage: rename_exec N */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 5;
  char name[16];
  snprintf(name, sizeof name, "gen-%d<&>", n);
  prctl(PR_SET_NAME, name, 0, 0, 0);
  char comm[32] = {0};
  FILE* f = fopen("/proc/self/comm", "r");
  if (f != NULL) {
    if (fgets(comm, sizeof comm, f) == NULL) comm[0] = '\0';
    fclose(f);
  }
  comm[strcspn(comm, "\n")] = '\0';
  printf("%d %s\n", n, comm);
  fflush(stdout);
  if (n <= 0) return 9;
  char next[16];
  snprintf(next, sizeof next, "%d", n - 1);
  execl("/proc/self/exe", argv[0], next, (char*)NULL);
  perror("execl");
  return 1;
}
