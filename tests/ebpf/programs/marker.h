/* The marker protocol of DESIGN.md, for the test programs. */
#ifndef SYSAXIS_TESTS_EBPF_MARKER_H
#define SYSAXIS_TESTS_EBPF_MARKER_H
#include <string.h>
#include <unistd.h>

static inline void mark(const char* phase) {
  char buf[64];
  size_t n = strlen("sysaxis:phase:") + strlen(phase);
  memcpy(buf, "sysaxis:phase:", 14);
  memcpy(buf + 14, phase, strlen(phase));
  (void)!write(-1, buf, n);
}
#endif
