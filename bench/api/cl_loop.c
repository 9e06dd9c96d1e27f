/* The --api overhead benchmark's program: N calls of clGetPlatformIDs (the ICD loader answers
 * from its list after the first call: no syscall, tens of ns), timed inside the program so that
 * start-up, exec and the tracer's set-up are left out. Prints "ns_per_call X". */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
  cl_uint count = 0;
  if (clGetPlatformIDs(0, NULL, &count) != CL_SUCCESS) { /* loads the ICDs: not timed */
    fprintf(stderr, "clGetPlatformIDs failed\n");
    return 1;
  }
  double t0 = now_ns();
  for (long i = 0; i < n; i++) clGetPlatformIDs(0, NULL, &count);
  double t1 = now_ns();
  printf("ns_per_call %.1f platforms %u\n", (t1 - t0) / (double)n, count);
  return 0;
}
