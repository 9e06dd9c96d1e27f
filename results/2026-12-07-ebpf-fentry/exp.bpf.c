#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
__u64 sink = 0;
struct { __uint(type, BPF_MAP_TYPE_TASK_STORAGE); __uint(map_flags, BPF_F_NO_PREALLOC); __type(key, int); __type(value, __u64); } ts SEC(".maps");

SEC("tp_btf/sys_enter") int BPF_PROG(tp_enter, struct pt_regs* regs, long id) { return 0; }
SEC("tp_btf/sys_exit") int BPF_PROG(tp_exit, struct pt_regs* regs, long ret) { return 0; }
SEC("fentry/__do_sys_getppid") int BPF_PROG(fe, struct pt_regs* regs) { return 0; }
SEC("fexit/__do_sys_getppid") int BPF_PROG(fx, struct pt_regs* regs, long ret) { return 0; }
SEC("fentry/__do_sys_getppid") int BPF_PROG(fe_clock, struct pt_regs* regs) { sink = bpf_ktime_get_ns(); return 0; }
SEC("fexit/__do_sys_getppid") int BPF_PROG(fx_clock, struct pt_regs* regs, long ret) { sink = bpf_ktime_get_ns() - sink; return 0; }
SEC("fentry/__do_sys_getppid") int BPF_PROG(fe_coarse, struct pt_regs* regs) { sink = bpf_ktime_get_coarse_ns(); return 0; }
SEC("fexit/__do_sys_getppid") int BPF_PROG(fx_coarse, struct pt_regs* regs, long ret) { sink = bpf_ktime_get_coarse_ns() - sink; return 0; }
SEC("fentry/__do_sys_getppid") int BPF_PROG(fe_ts, struct pt_regs* regs) { struct task_struct* t = bpf_get_current_task_btf(); __u64* v = bpf_task_storage_get(&ts, t, 0, 0); if (v) sink++; return 0; }
SEC("fentry/__do_sys_getppid") int BPF_PROG(fe_task, struct pt_regs* regs) { struct task_struct* t = bpf_get_current_task_btf(); sink += t->pid; return 0; }
SEC("fentry/__x64_sys_read") int BPF_PROG(fe_orig, struct pt_regs* regs) { sink += regs->orig_ax; return 0; }
SEC("kprobe.multi/__x64_sys_getppid") int km(struct pt_regs* ctx) { return 0; }
SEC("kretprobe.multi/__x64_sys_getppid") int kmr(struct pt_regs* ctx) { return 0; }
SEC("tp_btf/sys_enter") int BPF_PROG(tp_clock_enter, struct pt_regs* regs, long id) { sink = bpf_ktime_get_ns(); return 0; }
SEC("tp_btf/sys_exit") int BPF_PROG(tp_clock_exit, struct pt_regs* regs, long ret) { sink = bpf_ktime_get_ns() - sink; return 0; }
char LICENSE[] SEC("license") = "GPL";
