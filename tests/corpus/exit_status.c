/* Exits with argv[1] (a number), or kills itself with signal -N when argv[1] is negative.
 * Echoes stdin to stdout first when argv[2] is "echo". */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc > 2 && strcmp(argv[2], "echo") == 0) {
    char buf[4096];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
      if (write(1, buf, (size_t)n) != n) return 1;
    }
    fprintf(stderr, "to stderr\n");
  }
  int v = argc > 1 ? atoi(argv[1]) : 0;
  if (v < 0) {
    signal(-v, SIG_DFL);
    raise(-v);
  }
  return v;
}
