#define _GNU_SOURCE
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "exp.skel.h"
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static double run(char** argv) {
  double t0 = now();
  pid_t p = fork();
  if (p == 0) { execv(argv[0], argv); _exit(127); }
  int st; waitpid(p, &st, 0);
  return now() - t0;
}
int main(int argc, char** argv) {
  /* exp PROGS(comma) N : prints ns/call marginal */
  struct exp_bpf* s = exp_bpf__open();
  struct bpf_program* p;
  bpf_object__for_each_program(p, s->obj) bpf_program__set_autoload(p, 0);
  char* list = strdup(argv[1]);
  if (strcmp(list, "none")) for (char* t = strtok(list, ","); t; t = strtok(NULL, ",")) {
    p = bpf_object__find_program_by_name(s->obj, t); if (!p) { fprintf(stderr, "no %s\n", t); return 1; }
    bpf_program__set_autoload(p, 1);
  }
  if (exp_bpf__load(s)) { fprintf(stderr, "load failed\n"); return 1; }
  bpf_object__for_each_program(p, s->obj) if (bpf_program__autoload(p)) { if (!bpf_program__attach(p)) { fprintf(stderr, "attach %s failed\n", bpf_program__name(p)); return 1; } }
  char* big[] = {"/tmp/hookexp/storm", argv[2], NULL};
  char* small[] = {"/tmp/hookexp/storm", "1000", NULL};
  long n = atol(argv[2]);
  double best = 1e9;
  for (int r = 0; r < 3; r++) { double b = run(big), l = run(small); double v = (b - l) / (n - 1000) * 1e9; if (v < best) best = v; }
  printf("%-40s %8.1f\n", argv[1], best);
  return 0;
}
