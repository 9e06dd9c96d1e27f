/* A stand-in for the sysaxis-wl-<backend> workloads (CONTRACTS.md) for the sweep tests: same
 * arguments, phase markers, result JSON and exit codes, with failures on demand.
 *
 * The backend is taken from the program name (a link named sysaxis-wl-opencl is the opencl
 * backend). Called with a first argument that is not an option (python-style: SCRIPT --device D
 * --batch B --iters N --json F) it plays resnet.py (backend "torch").
 *
 * Environment:
 *   FAKE_WL_FAIL=mode@ITERS,...   when --iters is ITERS (or * for every run): verify (exit 3),
 *                                 error (exit 6), oom (exit 5), crash (SIGSEGV), hang (sleeps
 *                                 forever, with a forked child that sleeps too), badjson (exit 0,
 *                                 invalid JSON), nojson (exit 0, no JSON), unverified (exit 0,
 *                                 "verified": false)
 *   FAKE_WL_UNAVAILABLE=b1,b2     these backends (or torch device "cuda") exit 4: not available
 *   FAKE_WL_DELAY_MS=N            sleep N ms in the work phase (not with --iters 1)
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char backend[64] = "cpu";

static void mark(const char* phase) {
  char buf[64];
  int n = snprintf(buf, sizeof buf, "sysaxis:phase:%s", phase);
  ssize_t r = write(-1, buf, (size_t)n);
  (void)r;
}

static void die(int code, const char* msg) {
  fprintf(stderr, "sysaxis-wl-%s: %s\n", backend, msg);
  exit(code);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t parse_size(const char* s) {
  char* end = NULL;
  unsigned long long v = strtoull(s, &end, 10);
  if (end == s) die(2, "--bytes: not a size");
  uint64_t f = 1;
  if (*end == 'K') f = 1ull << 10;
  if (*end == 'M') f = 1ull << 20;
  if (*end == 'G') f = 1ull << 30;
  return (uint64_t)v * f;
}

/* Does FAKE_WL_FAIL ask for `mode` at this iteration count? */
static int wants(const char* mode, uint64_t iters) {
  const char* spec = getenv("FAKE_WL_FAIL");
  if (spec == NULL) return 0;
  char buf[512];
  snprintf(buf, sizeof buf, "%s", spec);
  for (char* tok = strtok(buf, ","); tok != NULL; tok = strtok(NULL, ",")) {
    char* at = strchr(tok, '@');
    if (at == NULL) continue;
    *at = '\0';
    if (strcmp(tok, mode) != 0) continue;
    if (strcmp(at + 1, "*") == 0 || strtoull(at + 1, NULL, 10) == iters) return 1;
  }
  return 0;
}

static int listed(const char* env, const char* name) {
  const char* spec = getenv(env);
  if (spec == NULL) return 0;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", spec);
  for (char* tok = strtok(buf, ","); tok != NULL; tok = strtok(NULL, ","))
    if (strcmp(tok, name) == 0) return 1;
  return 0;
}

int main(int argc, char** argv) {
  uint64_t t_start = now_ns();
  const char* base = strrchr(argv[0], '/');
  base = base ? base + 1 : argv[0];
  if (strncmp(base, "sysaxis-wl-", 11) == 0) snprintf(backend, sizeof backend, "%s", base + 11);
  int resnet = argc > 1 && argv[1][0] != '-';
  if (resnet) snprintf(backend, sizeof backend, "torch");

  const char* exec = "cpu";
  uint64_t bytes = 4096, iters = 1, threads = 1;
  const char *alloc_op = "free", *sync_mode = "each", *json = NULL, *platform = "", *device = "";
  for (int i = resnet ? 2 : 1; i < argc; ++i) {
    const char* a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : NULL;
    if (v == NULL) die(2, "missing value");
    if (strcmp(a, "--exec") == 0 || strcmp(a, "--device") == 0) {
      if (resnet || strcmp(a, "--exec") == 0) exec = v;
      else device = v;
    } else if (strcmp(a, "--bytes") == 0 || strcmp(a, "--batch") == 0) {
      bytes = parse_size(v);
    } else if (strcmp(a, "--iters") == 0) {
      iters = strtoull(v, NULL, 10);
    } else if (strcmp(a, "--alloc-op") == 0) {
      alloc_op = v;
    } else if (strcmp(a, "--sync") == 0) {
      sync_mode = v;
    } else if (strcmp(a, "--threads") == 0) {
      threads = strtoull(v, NULL, 10);
    } else if (strcmp(a, "--platform") == 0) {
      platform = v;
    } else if (strcmp(a, "--json") == 0) {
      json = v;
    } else {
      die(2, "unknown option");
    }
    ++i;
  }
  if (iters < 1) die(2, "--iters must be >= 1");
  int cpu_backend = strcmp(backend, "cpu") == 0;
  if (!resnet && cpu_backend != (strcmp(exec, "cpu") == 0)) die(2, "exec model not supported by this backend");
  if (!resnet && bytes % 4 != 0) die(2, "--bytes must be a multiple of 4");

  mark("init");
  if (listed("FAKE_WL_UNAVAILABLE", resnet ? exec : backend)) die(4, "no such device (fake)");
  if (wants("oom", iters)) die(5, "out of memory (fake)");
  size_t words = resnet ? 1024 : (size_t)(bytes / 4);
  uint32_t* buf = calloc(words, sizeof *buf);
  if (buf == NULL) die(5, "out of memory");
  uint64_t t_init = now_ns();

  mark("work");
  uint64_t t_work = now_ns();
  const char* delay = getenv("FAKE_WL_DELAY_MS");
  /* Not in the sweep's target check (iters = 1): the fault tests bound a sweep's progress by the
   * runs' sleep, and a check that slept too would make start-up as slow as the runs. */
  if (delay != NULL && iters != 1) usleep((useconds_t)(strtoul(delay, NULL, 10) * 1000));
  if (wants("crash", iters)) raise(SIGSEGV);
  if (wants("hang", iters)) {
    if (fork() == 0) {
      for (;;) pause();
    }
    for (;;) pause();
  }
  for (uint64_t it = 0; it < iters; ++it) {
    if (strcmp(exec, "alloc") == 0) {
      void* p = malloc(bytes);
      if (p == NULL) die(5, "out of memory");
      if (strcmp(alloc_op, "copy") == 0) memcpy(p, buf, bytes < words * 4 ? bytes : words * 4);
      free(p);
    } else {
      for (size_t i = 0; i < words; ++i) buf[i] += 1;
    }
  }
  int verified = 1;
  if (strcmp(exec, "alloc") != 0) {
    for (size_t i = 0; i < words; ++i) verified &= buf[i] == (uint32_t)iters;
  }
  if (wants("verify", iters)) verified = 0;
  uint64_t t_teardown = now_ns();

  mark("teardown");
  free(buf);
  uint64_t t_end = now_ns();
  if (wants("nojson", iters)) return 0;
  int error = wants("error", iters);
  const char* status = error ? "error" : (verified ? "ok" : "verify_failed");
  char text[2048];
  if (wants("badjson", iters)) {
    snprintf(text, sizeof text, "{\"schema\": \"sysaxis.workload/1\", ");
  } else {
    snprintf(text, sizeof text,
             "{\"schema\": \"sysaxis.workload/1\", \"backend\": \"%s\", \"platform\": \"%s\", \"device\": \"%s\", "
             "\"runtime_version\": \"fake 1.0\", \"driver_version\": \"fake driver\", \"exec\": \"%s\", "
             "\"bytes\": %llu, \"iters\": %llu, \"alloc_op\": \"%s\", \"sync\": \"%s\", \"threads\": %llu, "
             "\"phases_ns\": {\"init\": %llu, \"work\": %llu, \"teardown\": %llu}, \"verified\": %s, "
             "\"status\": \"%s\", \"error\": %s}\n",
             backend, *platform ? platform : "Fake Platform", *device ? device : "fake device", exec,
             (unsigned long long)bytes, (unsigned long long)iters, alloc_op, sync_mode, (unsigned long long)threads,
             (unsigned long long)(t_init - t_start), (unsigned long long)(t_teardown - t_work),
             (unsigned long long)(t_end - t_teardown),
             (verified && !wants("unverified", iters)) ? "true" : "false", status,
             error ? "\"fake runtime error\"" : "null");
  }
  if (json != NULL) {
    FILE* f = fopen(json, "w");
    if (f == NULL) die(6, "cannot write --json file");
    fputs(text, f);
    fclose(f);
  } else {
    fputs(text, stdout);
  }
  if (error) die(6, "fake runtime error");
  if (!verified) die(3, "verification failed");
  return 0;
}
