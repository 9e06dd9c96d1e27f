/* 4 threads, each 200 getppid and 5 short sleeps; the main thread joins them. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void* worker(void* arg) {
  (void)arg;
  for (int i = 0; i < 200; ++i) syscall(SYS_getppid);
  struct timespec ts = {0, 1000000};
  for (int i = 0; i < 5; ++i) nanosleep(&ts, NULL);
  return NULL;
}

int main(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; ++i) {
    if (pthread_create(&t[i], NULL, worker, NULL) != 0) return 1;
  }
  for (int i = 0; i < 4; ++i) pthread_join(t[i], NULL);
  puts("threads done");
  return 0;
}
