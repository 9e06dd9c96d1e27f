/* fork + exec of a second program (argv[1], default /bin/true), waited for; then 10 getpid. */
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const char* prog = argc > 1 ? argv[1] : "/bin/true";
  pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) {
    execl(prog, prog, (char*)NULL);
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return 1;
  for (int i = 0; i < 10; ++i) syscall(SYS_getpid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
