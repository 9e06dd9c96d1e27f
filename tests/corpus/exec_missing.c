/* execve of a file that does not exist fails with ENOENT; the program then exits 3. */
#include <errno.h>
#include <unistd.h>

int main(void) {
  char* argv[] = {"missing", NULL};
  char* envp[] = {NULL};
  execve("/nonexistent/sysaxis-missing-program", argv, envp);
  return errno == ENOENT ? 3 : 1;
}
