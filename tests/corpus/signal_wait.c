/* For signal pass-through tests: writes its pid to argv[1], then waits for a signal.
 * SIGUSR1 -> exit 10, SIGTERM -> exit 42, SIGINT -> default action (killed).
 * Exits 1 after 20 s if nothing arrives. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; _exit(10); }
static void on_term(int sig) { (void)sig; _exit(42); }

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  signal(SIGUSR1, on_usr1);
  signal(SIGTERM, on_term);
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
  FILE* f = fopen(tmp, "w");
  if (f == NULL) return 2;
  fprintf(f, "%d\n", (int)getpid());
  fclose(f);
  rename(tmp, argv[1]);
  for (int i = 0; i < 200; ++i) usleep(100000);
  return 1;
}
