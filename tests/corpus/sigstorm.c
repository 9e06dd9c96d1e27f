/* A 10,000-signal storm: a forked child queues 10,000 real-time signals (sigqueue, each with its
 * index) at its parent, which counts them and sums their values in a handler; then 1,000 SIGUSR1
 * (which coalesce: at least one is delivered). The parent prints the counts and ends by a signal
 * of its own (SIGTERM, default action), so that the terminating signal is checked too. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define N 10000

static volatile sig_atomic_t rt_count = 0;
static volatile long rt_sum = 0;
static volatile sig_atomic_t usr_count = 0;

static void on_rt(int sig, siginfo_t* info, void* ctx) {
  (void)sig;
  (void)ctx;
  rt_count = rt_count + 1;
  rt_sum = rt_sum + info->si_value.sival_int;
}

static void on_usr(int sig) {
  (void)sig;
  usr_count = usr_count + 1;
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_rt;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGRTMIN, &sa, NULL);
  struct sigaction su = {0};
  su.sa_handler = on_usr;
  su.sa_flags = SA_RESTART;
  sigemptyset(&su.sa_mask);
  sigaction(SIGUSR1, &su, NULL);
  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) return 2;
  if (child == 0) {
    for (int i = 1; i <= N; ++i) {
      union sigval v;
      v.sival_int = i;
      while (sigqueue(parent, SIGRTMIN, v) != 0) {
        if (errno != EAGAIN) _exit(3);
        usleep(100); /* the queue is full: let the parent drain it */
      }
    }
    for (int i = 0; i < 1000; ++i) kill(parent, SIGUSR1);
    _exit(0);
  }
  int st = 0;
  while (waitpid(child, &st, 0) < 0 && errno == EINTR) {
  }
  /* Every queued signal arrives before this point or while sleeping here. */
  for (int i = 0; i < 10000 && rt_count < N; ++i) usleep(1000);
  printf("child %s %d\n", WIFEXITED(st) ? "exited" : "killed", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
  printf("rt %d sum %ld\n", (int)rt_count, (long)rt_sum);
  printf("usr1 %s\n", usr_count >= 1 ? "delivered" : "lost");
  fflush(stdout);
  signal(SIGTERM, SIG_DFL);
  raise(SIGTERM);
  return 1;
}
