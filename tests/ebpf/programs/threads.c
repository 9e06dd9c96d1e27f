/* Threads without timing-dependent waits: every thread ends itself with SYS_exit(7), and the
 * process ends with its last thread (status 7: the last thread's code, whichever it is). main
 * marks "init", starts A and leaves; A makes calls, starts B and leaves; B marks "work", makes
 * calls (some failing) and leaves. One malloc arena (M_ARENA_MAX): a thread's own arena costs one
 * or two munmap calls depending on where ASLR put it. Per-syscall counts are deterministic; the
 * phase of A's last calls is not (B may mark first). */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "marker.h"

static void* thread_b(void* arg) {
  (void)arg;
  mark("work");
  for (int i = 0; i < 50; ++i) syscall(SYS_gettid);
  for (int i = 0; i < 5; ++i) close(-1);
  syscall(SYS_exit, 7);
  return NULL;
}

static void* thread_a(void* arg) {
  (void)arg;
  for (int i = 0; i < 100; ++i) syscall(SYS_getppid);
  pthread_t b;
  pthread_create(&b, NULL, thread_b, NULL);
  syscall(SYS_exit, 7);
  return NULL;
}

int main(void) {
  mallopt(M_ARENA_MAX, 1);
  mark("init");
  pthread_t a;
  pthread_create(&a, NULL, thread_a, NULL);
  syscall(SYS_exit, 7);
  return 0;
}
