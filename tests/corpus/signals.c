/* A SIGUSR1 handler, 20 signals sent to itself (each: kill, handler, rt_sigreturn), a blocked
 * and unblocked SIGUSR2. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t count = 0;
static void on_usr(int sig) {
  (void)sig;
  count = count + 1;
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_usr;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  for (int i = 0; i < 20; ++i) kill(getpid(), SIGUSR1);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_BLOCK, &set, NULL);
  kill(getpid(), SIGUSR2);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  printf("%d signals handled\n", (int)count);
  return count == 21 ? 0 : 1;
}
