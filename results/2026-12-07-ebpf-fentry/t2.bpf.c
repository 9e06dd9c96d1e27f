#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
SEC("fentry/bpf_fentry_test1") int BPF_PROG(a, int x) { return 0; }
SEC("fentry/do_nanosleep") int BPF_PROG(b) { return 0; }
SEC("lsm/file_open") int BPF_PROG(c, struct file* f) { return 0; }
SEC("fentry/x64_sys_call") int BPF_PROG(d) { return 0; }
SEC("tp_btf/sched_switch") int BPF_PROG(e) { return 0; }
SEC("raw_tp/sys_enter") int f(void* ctx) { return 0; }
SEC("tracepoint/syscalls/sys_enter_getppid") int g(void* ctx) { return 0; }
SEC("iter/task") int h(void* ctx) { return 0; }
char LICENSE[] SEC("license") = "GPL";
