/* fork + exec of itself, a failing exec, vfork + exec, exit statuses, a child killed by a signal. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) {
    for (int i = 0; i < 3; ++i) syscall(SYS_getppid);
    (void)!open("/nonexistent/child", O_RDONLY);
    return 5;
  }
  if (argc > 1 && strcmp(argv[1], "victim") == 0) {
    raise(SIGKILL);
    return 0;
  }
  char* child_argv[] = {argv[0], "child", NULL};
  char* victim_argv[] = {argv[0], "victim", NULL};
  pid_t p = fork();
  if (p == 0) {
    execve("/nonexistent/program", child_argv, environ); /* ENOENT */
    execve("/proc/self/exe", child_argv, environ);
    _exit(127);
  }
  int status = 0;
  waitpid(p, &status, 0);
  p = vfork();
  if (p == 0) {
    execve("/proc/self/exe", victim_argv, environ);
    _exit(127);
  }
  waitpid(p, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 3 : 1;
}
