/* The --api tests' program: 5 x sxapi_outer(2) (10 getppid and 5 nested sxapi_inner, each one
 * getpid), 3 x sxapi_inner (3 getpid), and 4 geteuid outside any API call. Built twice: linked
 * to the library, and with SX_DLOPEN, dlopen'ing the library named by argv[1] (the uprobes sit on
 * the file, so a library loaded later is probed too). */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SX_DLOPEN
#include <dlfcn.h>
#include <string.h>
#else
long sxapi_outer(int n);
long sxapi_inner(void);
#endif

int main(int argc, char** argv) {
#ifdef SX_DLOPEN
  if (argc < 2) return 1;
  void* h = dlopen(argv[1], RTLD_NOW);
  if (!h) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  void* po = dlsym(h, "sxapi_outer");
  void* pi = dlsym(h, "sxapi_inner");
  if (!po || !pi) return 1;
  long (*outer)(int);
  long (*inner)(void);
  memcpy(&outer, &po, sizeof po); /* ISO C has no object-to-function pointer cast */
  memcpy(&inner, &pi, sizeof pi);
#else
  (void)argc;
  (void)argv;
  long (*outer)(int) = sxapi_outer;
  long (*inner)(void) = sxapi_inner;
#endif
  long s = 0;
  for (int i = 0; i < 5; i++) s += outer(2);
  for (int i = 0; i < 3; i++) s += inner();
  for (int i = 0; i < 4; i++) s += syscall(SYS_geteuid);
  printf("apiuse %ld\n", s > 0 ? 1L : 0L);
  return 0;
}
