/* Job control: a child stops itself (SIGSTOP), its parent sees it stopped (WUNTRACED), continues
 * it (SIGCONT), sees it continued (WCONTINUED) and reaps its exit status; then a second child is
 * stopped by its parent (SIGTSTP), continued and killed (SIGKILL). Prints what it saw. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int wait_for(pid_t pid, int flags) {
  int st = 0;
  while (waitpid(pid, &st, flags) < 0) {
    if (errno != EINTR) return -1;
  }
  return st;
}

static void show(const char* what, int st) {
  if (WIFSTOPPED(st))
    printf("%s: stopped by %d\n", what, WSTOPSIG(st));
  else if (WIFCONTINUED(st))
    printf("%s: continued\n", what);
  else if (WIFEXITED(st))
    printf("%s: exited %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    printf("%s: killed by %d\n", what, WTERMSIG(st));
  else
    printf("%s: status %d\n", what, st);
  fflush(stdout);
}

int main(void) {
  int go[2];
  if (pipe(go) != 0) return 2;
  pid_t a = fork();
  if (a == 0) {
    close(go[1]);
    raise(SIGSTOP);
    char c;
    /* Exits only once its parent has seen it continued (else the exit could be reported first). */
    if (read(go[0], &c, 1) != 1) _exit(8);
    _exit(7);
  }
  close(go[0]);
  show("a", wait_for(a, WUNTRACED));
  kill(a, SIGCONT);
  show("a", wait_for(a, WCONTINUED));
  if (write(go[1], "x", 1) != 1) return 2;
  show("a", wait_for(a, 0));

  /* b gets a process group of its own, whose parent (this process) is in another group of the same
   * session: the group is not orphaned, so the kernel delivers SIGTSTP instead of discarding it
   * (POSIX discards stop signals to orphaned groups: under a CTest started from a background job,
   * the test's own group was orphaned and b never stopped). Both sides set it: no race. */
  pid_t b = fork();
  if (b == 0) {
    setpgid(0, 0);
    for (;;) pause();
  }
  setpgid(b, b);
  kill(b, SIGTSTP);
  show("b", wait_for(b, WUNTRACED));
  kill(b, SIGCONT);
  show("b", wait_for(b, WCONTINUED));
  kill(b, SIGKILL);
  show("b", wait_for(b, 0));
  return 5;
}
