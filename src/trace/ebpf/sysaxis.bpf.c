// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The kernel half of the eBPF engine (user half: ebpf_engine.cpp). In the style of libbpf-tools'
 * syscount.bpf.c: configuration in `const volatile` globals set before load, counters kept in
 * the kernel, nothing sent to user space per syscall.
 *
 * Traced threads are the ones with task local storage (`tstate`): the command (added by user
 * space through a pidfd before it may exec) and every task forked by a traced task
 * (sched_process_fork). Everything else pays one storage lookup per syscall and leaves.
 *
 * Counters are the ptrace engine's rows, keyed (phase, tgid, tid, abi, nr, detail). A syscall
 * without detail is counted in the thread's own direct-mapped cache (128 lines, one per
 * nr % 128): no hashing and no atomics on the hot path. A line goes to the `rows` map when
 * another nr needs it, when the process changes phase, when the thread execs from a non-leader
 * thread, and when the thread exits; user space reads the map after the whole tree has exited.
 * Syscalls with detail (ioctl, mmap), execve and other ABIs update `rows` directly.
 *
 * Phases: a marker write(-1, "sysaxis:phase:<name>", len) is read with bpf_probe_read_user in
 * sys_enter and switches the process's phase (procs[slot].phase); it is not counted. Each thread
 * notices the switch at its next syscall entry or exit (or at its exit), and then moves its
 * cached counters and its page-fault/context-switch deltas to the phase they belong to. */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "sysaxis_bpf.h"

#define TS_COMPAT 0x0002
#define MAP_ANONYMOUS 0x20
#define S_IFMT 00170000
#define S_IFCHR 0020000
#define MAX_ERRNO 4095

/* Configuration, set by user space before load. */
const volatile bool count_only = false; /* no exit program: no time in call, no errors */
const volatile __s32 nr_write[SX_NABI] = {-1, -1, -1};
const volatile __s32 nr_ioctl[SX_NABI] = {-1, -1, -1};
const volatile __s32 nr_mmap[SX_NABI] = {-1, -1, -1};
const volatile __s32 nr_mmap2[SX_NABI] = {-1, -1, -1};
const volatile __s32 nr_execve[SX_NABI] = {-1, -1, -1};
const volatile __s32 nr_execveat[SX_NABI] = {-1, -1, -1};
const volatile __u32 nr_cpus = 1; /* possible CPUs (count-only's per-CPU caches) */
/* The deeper ioctl decoding's rules (NVIDIA RM_ALLOC's hClass, RM_CONTROL's cmd, ...), from
 * syscalls::ioctl_arg_field_rules() and the host's char majors; none when no driver has one. */
const volatile __u32 nr_field_rules = 0;
const volatile struct sx_field_rule field_rules[SX_MAX_FIELD_RULES] = {};
/* --api: uprobes on API functions are attached (sx_api_enter/sx_api_exit); count-only's per-CPU
 * cache is then not used, since it cannot tell which API call a syscall belongs to. */
const volatile bool api_enabled = false;
/* The uretprobe syscall (x86_64, Linux 6.11+): the kernel's uretprobe trampoline makes it when a
 * probed function returns. With --api it is the tracer's own, not the command's: not counted. */
const volatile __s32 nr_uretprobe = 335;

/* State shared with user space. */
__u32 next_slot = 1;  /* slot 0 is the command, filled in by user space */
__u32 next_phase = 1; /* phase 0 is "startup" */
__u64 threads_seen = 0;
__s64 live_threads = 0;
struct sx_lost lost = {};

struct {
  __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __type(key, int);
  __type(value, struct sx_thread);
} tstate SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct sx_cpu);
} cpus SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, SX_MAX_PROCS);
  __type(key, __u32);
  __type(value, struct sx_proc);
} procs SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __uint(max_entries, SX_MAX_ROWS);
  __type(key, struct sx_key);
  __type(value, struct sx_counts);
} rows SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __uint(max_entries, SX_MAX_FAULT_ROWS);
  __type(key, struct sx_fault_key);
  __type(value, struct sx_sample);
} faults SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(map_flags, BPF_F_NO_PREALLOC);
  __uint(max_entries, SX_MAX_THREADS);
  __type(key, __u32);
  __type(value, struct sx_thread_info);
} threads SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, SX_MAX_APIS);
  __type(key, __u32);
  __type(value, struct sx_api_counts);
} api_stats SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, SX_MAX_PHASE_NAMES);
  __type(key, char[SX_PHASE_NAME_LEN]);
  __type(value, __u32);
} phase_ids SEC(".maps");

/* Adds counters to a row; rows belong to one thread, which alone updates them. The global
 * (non-static) functions are verified once, not once per call site: that keeps the loop over
 * the cache within the verifier's budget. */
__noinline int add_row(const struct sx_key* k, const struct sx_counts* add) {
  if (!k || !add) return 0;
  struct sx_counts* v = bpf_map_lookup_elem(&rows, k);
  if (!v) {
    if (bpf_map_update_elem(&rows, k, add, BPF_NOEXIST) == 0) return 0;
    v = bpf_map_lookup_elem(&rows, k);
    if (!v) {
      __sync_fetch_and_add(&lost.rows, add->calls ? add->calls : 1);
      return 0;
    }
  }
  v->calls += add->calls;
  v->errors += add->errors;
  v->unfinished += add->unfinished;
  v->time_ns += add->time_ns;
  if (add->max_ns > v->max_ns) v->max_ns = add->max_ns;
  return 0;
}

/* Moves one cache line to `rows` (under the thread's phase_seen) and empties it. */
static __always_inline void flush_line(struct sx_thread* ts, struct sx_cache_entry* e, __u64 unfinished) {
  if (!e->tag) return;
  struct sx_key k = {};
  struct sx_counts add = {};
  k.phase = ts->phase_seen;
  k.tgid = ts->tgid;
  k.tid = ts->tid;
  k.nr = (__s32)e->tag - 1;
  k.abi = SX_ABI_X86_64;
  add.calls = e->calls;
  add.errors = e->errors;
  add.unfinished = unfinished;
  add.time_ns = e->time_ns;
  add.max_ns = e->max_ns;
  add_row(&k, &add);
  e->tag = 0;
  e->calls = 0;
  e->errors = 0;
  e->time_ns = 0;
  e->max_ns = 0;
}

__noinline int flush_cache(struct sx_thread* ts) {
  if (!ts) return 0;
  for (__u32 i = 0; i < SX_CACHE_SLOTS; i++) flush_line(ts, &ts->cache[i], 0);
  return 0;
}

/* One line, with `unfinished` calls (the call in flight when the thread exited). */
__noinline int flush_one(struct sx_thread* ts, __u32 idx, __u64 unfinished) {
  if (!ts) return 0;
  flush_line(ts, &ts->cache[idx & (SX_CACHE_SLOTS - 1)], unfinished);
  return 0;
}

/* The thread's page faults and context switches since its last sample go to phase_seen. */
static __always_inline void attribute(struct sx_thread* ts, struct task_struct* task) {
  struct sx_sample now = {}, d = {};
  now.minflt = task->min_flt;
  now.majflt = task->maj_flt;
  now.nvcsw = task->nvcsw;
  now.nivcsw = task->nivcsw;
  d.minflt = now.minflt >= ts->last.minflt ? now.minflt - ts->last.minflt : 0;
  d.majflt = now.majflt >= ts->last.majflt ? now.majflt - ts->last.majflt : 0;
  d.nvcsw = now.nvcsw >= ts->last.nvcsw ? now.nvcsw - ts->last.nvcsw : 0;
  d.nivcsw = now.nivcsw >= ts->last.nivcsw ? now.nivcsw - ts->last.nivcsw : 0;
  ts->last = now;
  struct sx_fault_key fk = {.phase = ts->phase_seen, .tgid = ts->tgid, .api = ts->api};
  struct sx_sample* f = bpf_map_lookup_elem(&faults, &fk);
  if (!f) {
    if (bpf_map_update_elem(&faults, &fk, &d, BPF_NOEXIST) == 0) return;
    f = bpf_map_lookup_elem(&faults, &fk);
    if (!f) {
      __sync_fetch_and_add(&lost.fault_rows, 1);
      return;
    }
  }
  __sync_fetch_and_add(&f->minflt, d.minflt);
  __sync_fetch_and_add(&f->majflt, d.majflt);
  __sync_fetch_and_add(&f->nvcsw, d.nvcsw);
  __sync_fetch_and_add(&f->nivcsw, d.nivcsw);
}

/* The process is now in `phase`: what the thread did before belongs to phase_seen. */
static __noinline void sync_phase(struct sx_thread* ts, struct task_struct* task, __u32 phase) {
  attribute(ts, task);
  flush_cache(ts);
  ts->phase_seen = phase;
}

static __always_inline __u32 intern_phase(const char* name) {
  __u32* found = bpf_map_lookup_elem(&phase_ids, name);
  if (found) return *found;
  __u32 id = __sync_fetch_and_add(&next_phase, 1);
  if (bpf_map_update_elem(&phase_ids, name, &id, BPF_NOEXIST) != 0) {
    found = bpf_map_lookup_elem(&phase_ids, name); /* another thread interned it first */
    if (found) return *found;
    __sync_fetch_and_add(&lost.phase_names, 1);
    return (__u32)-1;
  }
  return id;
}

#define SX_NOT_MARKER (-1)
#define SX_MARKER_LOST (-2)

/* The phase id of the marker at user address `ubuf`; SX_NOT_MARKER when the buffer is not a
 * marker (or cannot be read), SX_MARKER_LOST when its phase could not be interned. A global
 * function: the name check's loops are verified once. */
__noinline int marker_phase(__u64 ubuf, __u32 len) {
  char buf[SX_MARKER_MAX_LEN] = {};
  char name[SX_PHASE_NAME_LEN];
  if (len <= SX_MARKER_PREFIX_LEN || len > SX_MARKER_MAX_LEN) return SX_NOT_MARKER;
  if (bpf_probe_read_user(buf, len, (const void*)ubuf) != 0) {
    /* Not resident (the kernel does not fault it in here): cannot tell, so counted as a write. */
    __sync_fetch_and_add(&lost.markers, 1);
    return SX_NOT_MARKER;
  }
  if (!sx_marker_name(buf, len, name)) return SX_NOT_MARKER;
  __u32 id = intern_phase(name);
  return id == (__u32)-1 ? SX_MARKER_LOST : (int)id;
}

/* The thread's marker moves its process to phase `id`. */
static __noinline void switch_phase(struct sx_thread* ts, struct task_struct* task, struct sx_proc* p, __u32 id) {
  __u32 n = p->nphases, i;
  int known = 0;
  for (i = 0; i < SX_PHASES_PER_PROC; i++) {
    if (i >= n) break;
    if (p->phases[i] == id) known = 1;
  }
  if (!known) {
    if (n < SX_PHASES_PER_PROC) {
      p->phases[n] = id;
      p->nphases = n + 1;
    } else {
      __sync_fetch_and_add(&lost.phase_lists, 1);
    }
  }
  p->phase = id;
  p->marked = 1;
  sync_phase(ts, task, id);
}

/* The file behind fd: the ptrace engine's stat of /proc/<tid>/fd/<fd>. */
static __always_inline void fd_detail(struct task_struct* task, long fd_arg, struct sx_key* k) {
  int fd = (int)fd_arg;
  k->detail = SX_DETAIL_BADFD;
  if (fd < 0) return;
  struct fdtable* fdt = BPF_CORE_READ(task, files, fdt);
  if (!fdt) return;
  if ((unsigned int)fd >= BPF_CORE_READ(fdt, max_fds)) return;
  struct file** fds = BPF_CORE_READ(fdt, fd);
  struct file* f = NULL;
  if (bpf_probe_read_kernel(&f, sizeof f, &fds[fd]) != 0 || !f) return;
  struct inode* ino = BPF_CORE_READ(f, f_inode);
  if (!ino) return;
  k->detail = SX_DETAIL_FD;
  k->ftype = (BPF_CORE_READ(ino, i_mode) & S_IFMT) >> 12;
  k->rdev = BPF_CORE_READ(ino, i_rdev);
}

/* The argument field of an ioctl on a char device (k: its fd_detail and request filled in), when
 * a field rule matches its major and request: read from the caller's memory, never written. A
 * failed read (null or bad pointer, page not resident) leaves has_field 0, like the ptrace
 * engine's failed process_vm_readv. The first matching rule decides, as in ioctl_arg_field(). */
__noinline int ioctl_field(struct sx_key* k, __u64 uarg) {
  if (!k) return 0;
  int i = sx_field_rule_index(field_rules, nr_field_rules, k->rdev >> 20, (__u32)k->arg);
  if (i < 0) return 0;
  const volatile struct sx_field_rule* r = &field_rules[i & (SX_MAX_FIELD_RULES - 1)];
  __u32 size = r->size, value = 0;
  if (size == 0 || size > sizeof value || uarg == 0) return 0;
  if (bpf_probe_read_user(&value, size, (const void*)(uarg + r->offset)) != 0) return 0;
  k->field = value;
  k->has_field = 1;
  return 0;
}

/* Count-only's per-CPU cache (struct sx_cpu). Its owner is a thread's (tgid, tid): unique among
 * live threads, and a thread flushes every cache it owns when its tid changes (exec) or it exits. */
static __always_inline __u64 owner_id(__u32 tgid, __u32 tid) {
  return ((__u64)tgid << 32) | tid;
}

/* Moves the lines of a per-CPU cache the caller holds (owner SX_OWNER_BUSY) to `rows`. */
__noinline int flush_cpu(struct sx_cpu* pc) {
  if (!pc) return 0;
  struct sx_key k = {};
  struct sx_counts add = {};
  k.phase = pc->phase;
  k.tgid = pc->tgid;
  k.tid = pc->tid;
  k.abi = SX_ABI_X86_64;
  __u32 n = pc->ndirty, i;
  if (n <= SX_CPU_DIRTY) {
    for (i = 0; i < SX_CPU_DIRTY; i++) {
      if (i >= n) break;
      struct sx_cpu_line* l = &pc->line[pc->dirty[i] & (SX_CACHE_SLOTS - 1)];
      if (!l->tag) continue;
      k.nr = (__s32)l->tag - 1;
      add.calls = l->calls;
      add_row(&k, &add);
      l->tag = 0;
      l->calls = 0;
    }
  } else {
    for (i = 0; i < SX_CACHE_SLOTS; i++) {
      struct sx_cpu_line* l = &pc->line[i];
      if (!l->tag) continue;
      k.nr = (__s32)l->tag - 1;
      add.calls = l->calls;
      add_row(&k, &add);
      l->tag = 0;
      l->calls = 0;
    }
  }
  pc->ndirty = 0;
  return 0;
}

/* Flushes the caches of every CPU that `task` owns (it execs with a new id, or exits: its id may
 * be reused). Another CPU's cache is claimed with a compare-and-swap, so that a concurrent
 * takeover on that CPU cannot flush it twice. */
__noinline int flush_task_everywhere(__u64 task) {
  __u32 zero = 0, cpu;
  for (cpu = 0; cpu < SX_MAX_CPUS; cpu++) {
    if (cpu >= nr_cpus) break;
    struct sx_cpu* pc = bpf_map_lookup_percpu_elem(&cpus, &zero, cpu);
    if (!pc || pc->owner != task) continue;
    if (__sync_val_compare_and_swap(&pc->owner, task, SX_OWNER_BUSY) != task) continue;
    flush_cpu(pc);
    pc->owner = SX_OWNER_NONE;
  }
  return 0;
}

/* This CPU's cache for `task` (a traced thread in `phase`): taken over from its previous owner, or
 * from `task` itself in an earlier phase, after flushing what they counted. NULL while another
 * CPU flushes it (the caller then counts in the thread's own cache). */
static __always_inline struct sx_cpu* own_cpu_cache(struct sx_cpu* pc, struct sx_thread* ts, __u64 task, __u32 phase) {
  if (pc->owner == task && pc->phase == phase) return pc;
  __u64 old = pc->owner;
  if (old == SX_OWNER_BUSY) return 0;
  if (__sync_val_compare_and_swap(&pc->owner, old, SX_OWNER_BUSY) != old) return 0;
  if (old != SX_OWNER_NONE) flush_cpu(pc);
  pc->slot = ts->slot;
  pc->tgid = ts->tgid;
  pc->tid = ts->tid;
  pc->phase = phase;
  pc->ndirty = 0;
  pc->owner = task;
  return pc;
}

/* Counts a call in a cache line of this CPU's cache; a line holding another nr goes to `rows`. */
static __always_inline void count_on_cpu(struct sx_cpu* pc, long nr) {
  __u32 idx = nr & (SX_CACHE_SLOTS - 1);
  struct sx_cpu_line* l = &pc->line[idx];
  if (l->tag != (__u32)nr + 1) {
    if (l->tag) {
      struct sx_key k = {.phase = pc->phase, .tgid = pc->tgid, .tid = pc->tid, .nr = (__s32)l->tag - 1};
      struct sx_counts add = {.calls = l->calls};
      add_row(&k, &add);
    } else if (pc->ndirty < SX_CPU_DIRTY) {
      pc->dirty[pc->ndirty & (SX_CPU_DIRTY - 1)] = idx;
      pc->ndirty++;
    } else {
      pc->ndirty = SX_CPU_DIRTY + 1; /* flush by scanning */
    }
    l->tag = (__u32)nr + 1;
    l->calls = 0;
  }
  l->calls++;
}

/* The fast path of count-only: this CPU's cache belongs to the calling thread, the process has not
 * changed phase, and the call is a plain native one whose line is present. No helper calls. */
static __always_inline int count_fast(struct sx_cpu* pc, struct task_struct* task, long id) {
  if (id < 0 || id >= SX_CACHE_MAX_NR || (task->thread_info.status & TS_COMPAT)) return 0;
  if (id == nr_write[0] || id == nr_ioctl[0] || id == nr_mmap[0] || id == nr_execve[0] || id == nr_execveat[0])
    return 0;
  __u32 slot = pc->slot;
  struct sx_proc* p = bpf_map_lookup_elem(&procs, &slot);
  if (!p || p->phase != pc->phase) return 0;
  struct sx_cpu_line* l = &pc->line[id & (SX_CACHE_SLOTS - 1)];
  if (l->tag != (__u32)id + 1) return 0;
  l->calls++;
  return 1;
}

static __always_inline struct sx_proc* proc_of(struct sx_thread* ts) {
  __u32 slot = ts->slot;
  return bpf_map_lookup_elem(&procs, &slot);
}

/* --api: the API call in flight when its thread exits or execs never returns: its time so far
 * counts, and it is counted as unfinished. The faults and switches so far belong to it. */
static __noinline void api_abandon(struct sx_thread* ts, struct task_struct* task) {
  attribute(ts, task);
  __u32 id = ts->api - 1;
  struct sx_api_counts* c = bpf_map_lookup_elem(&api_stats, &id);
  if (c) {
    __sync_fetch_and_add(&c->unfinished, 1);
    __sync_fetch_and_add(&c->time_ns, bpf_ktime_get_ns() - ts->api_t_enter);
  }
  ts->api = 0;
  ts->api_depth = 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sx_enter, struct pt_regs* regs, long id) {
  struct task_struct* task = bpf_get_current_task_btf();
  struct sx_cpu* pc = 0;
  __u64 me = 0;
  if (count_only && !api_enabled) {
    __u32 zero = 0;
    me = owner_id(task->tgid, task->pid);
    pc = bpf_map_lookup_elem(&cpus, &zero);
    if (pc && pc->owner == me && count_fast(pc, task, id)) return 0;
  }
  struct sx_thread* ts = bpf_task_storage_get(&tstate, task, 0, 0);
  if (!ts) return 0;
  int compat = (task->thread_info.status & TS_COMPAT) != 0;
  __u8 abi = sx_abi(compat, id);
  long nr = sx_table_nr(abi, id);
  if (!ts->counting) {
    if (abi != SX_ABI_X86_64 || nr != nr_execve[SX_ABI_X86_64]) return 0;
    /* The command: counted from its execve on; what it did between fork and exec (sysaxis's
     * own code) is not its work, so its faults and switches start here. */
    ts->counting = 1;
    ts->last.minflt = task->min_flt;
    ts->last.majflt = task->maj_flt;
    ts->last.nvcsw = task->nvcsw;
    ts->last.nivcsw = task->nivcsw;
  }
  ts->in_call = SX_CALL_NONE;
  if (api_enabled && abi == SX_ABI_X86_64 && nr == nr_uretprobe) return 0;
  struct sx_proc* p = proc_of(ts);
  if (!p) return 0;
  __u32 phase = p->phase;
  if (phase != ts->phase_seen) sync_phase(ts, task, phase);

  /* The marker protocol: write(-1, "sysaxis:phase:<name>", len), not counted. */
  if (abi < SX_NABI && nr == nr_write[abi & 3]) {
    unsigned long fd = compat ? (__u32)regs->bx : regs->di;
    unsigned long len = compat ? (__u32)regs->dx : regs->dx;
    if ((int)fd == -1 && len > SX_MARKER_PREFIX_LEN && len <= SX_MARKER_MAX_LEN) {
      int id = marker_phase(compat ? (__u32)regs->cx : regs->si, len);
      if (id != SX_NOT_MARKER) {
        if (id >= 0) switch_phase(ts, task, p, id);
        return 0;
      }
    }
  }

  if (abi == SX_ABI_X86_64 && nr >= 0 && nr < SX_CACHE_MAX_NR && nr != nr_ioctl[0] && nr != nr_mmap[0] &&
      nr != nr_execve[0] && nr != nr_execveat[0] && ts->api == 0) {
    if (count_only && pc) {
      struct sx_cpu* own = own_cpu_cache(pc, ts, me, phase);
      if (own) {
        count_on_cpu(own, nr);
        return 0;
      }
    }
    __u32 idx = nr & (SX_CACHE_SLOTS - 1);
    struct sx_cache_entry* e = &ts->cache[idx];
    if (e->tag != (__u32)nr + 1) {
      if (e->tag) flush_one(ts, idx, 0);
      e->tag = (__u32)nr + 1;
    }
    e->calls++;
    if (!count_only) {
      ts->cache_idx = idx;
      ts->in_call = SX_CALL_CACHE;
      ts->t_enter = bpf_ktime_get_ns();
    }
    return 0;
  }

  /* The general path: a row with detail, another ABI, execve. */
  unsigned long a0, a1, a2, a3, a4;
  if (compat) {
    a0 = (__u32)regs->bx;
    a1 = (__u32)regs->cx;
    a2 = (__u32)regs->dx;
    a3 = (__u32)regs->si;
    a4 = (__u32)regs->di;
  } else {
    a0 = regs->di;
    a1 = regs->si;
    a2 = regs->dx;
    a3 = regs->r10;
    a4 = regs->r8;
  }
  struct sx_key k = {};
  k.phase = phase;
  k.tgid = ts->tgid;
  k.tid = ts->tid;
  k.nr = (__s32)nr;
  k.abi = abi;
  k.api = ts->api;
  if (abi < SX_NABI) {
    if (nr == nr_ioctl[abi & 3]) {
      fd_detail(task, a0, &k);
      k.arg = a1;
      if (nr_field_rules && k.detail == SX_DETAIL_FD && k.ftype == (S_IFCHR >> 12)) ioctl_field(&k, a2);
    } else if (nr == nr_mmap[abi & 3] || nr == nr_mmap2[abi & 3]) {
      if (a3 & MAP_ANONYMOUS)
        k.detail = SX_DETAIL_ANON;
      else
        fd_detail(task, a4, &k);
    }
  }
  struct sx_counts one = {.calls = 1};
  add_row(&k, &one);
  if (!count_only) {
    ts->cur = k;
    ts->in_call = SX_CALL_ROW;
    ts->t_enter = bpf_ktime_get_ns();
  }
  return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sx_exit, struct pt_regs* regs, long ret) {
  struct task_struct* task = bpf_get_current_task_btf();
  struct sx_thread* ts = bpf_task_storage_get(&tstate, task, 0, 0);
  if (!ts || ts->in_call == SX_CALL_NONE) return 0;
  __u64 d = bpf_ktime_get_ns() - ts->t_enter;
  __u64 err = (ret < 0 && ret >= -MAX_ERRNO) ? 1 : 0;
  if (ts->in_call == SX_CALL_CACHE) {
    struct sx_cache_entry* e = &ts->cache[ts->cache_idx & (SX_CACHE_SLOTS - 1)];
    e->time_ns += d;
    if (d > e->max_ns) e->max_ns = d;
    e->errors += err;
  } else {
    struct sx_counts* v = bpf_map_lookup_elem(&rows, &ts->cur);
    if (v) {
      v->time_ns += d;
      if (d > v->max_ns) v->max_ns = d;
      v->errors += err;
    }
  }
  ts->in_call = SX_CALL_NONE;
  struct sx_proc* p = proc_of(ts);
  if (p && p->phase != ts->phase_seen) sync_phase(ts, task, p->phase);
  return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sx_fork, struct task_struct* parent, struct task_struct* child) {
  struct task_struct* task = bpf_get_current_task_btf();
  struct sx_thread* pts = bpf_task_storage_get(&tstate, task, 0, 0);
  if (!pts) return 0;
  struct sx_proc* pp = proc_of(pts);
  if (!pp) return 0;
  struct sx_thread* cts = bpf_task_storage_get(&tstate, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
  if (!cts) {
    __sync_fetch_and_add(&lost.tasks, 1);
    return 0;
  }
  cts->tgid = child->tgid;
  cts->tid = child->pid;
  cts->counting = 1;
  cts->phase_seen = pp->phase;
  cts->last.minflt = child->min_flt;
  cts->last.majflt = child->maj_flt;
  cts->last.nvcsw = child->nvcsw;
  cts->last.nivcsw = child->nivcsw;
  if (cts->tgid == pts->tgid) {
    cts->slot = pts->slot;
  } else {
    __u32 slot = __sync_fetch_and_add(&next_slot, 1);
    struct sx_proc* np = bpf_map_lookup_elem(&procs, &slot);
    if (!np) {
      __sync_fetch_and_add(&lost.slots, 1);
      bpf_task_storage_delete(&tstate, child);
      return 0;
    }
    np->tgid = cts->tgid;
    np->parent = pts->tgid;
    np->phase = pp->phase; /* a child process inherits the phase of its parent */
    np->marked = pp->marked;
    np->nphases = 1;
    np->phases[0] = pp->phase;
    cts->slot = slot;
  }
  struct sx_thread_info info = {.tgid = cts->tgid, .slot = cts->slot};
  bpf_probe_read_kernel_str(info.comm, sizeof info.comm, child->comm);
  __u32 tid = cts->tid;
  if (bpf_map_update_elem(&threads, &tid, &info, BPF_ANY) != 0) __sync_fetch_and_add(&lost.thread_info, 1);
  __sync_fetch_and_add(&threads_seen, 1);
  __sync_fetch_and_add(&live_threads, 1);
  return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sx_exec, struct task_struct* p, pid_t old_pid, struct linux_binprm* bprm) {
  struct task_struct* task = bpf_get_current_task_btf();
  struct sx_thread* ts = bpf_task_storage_get(&tstate, task, 0, 0);
  if (!ts) return 0;
  __u32 tid = task->pid;
  if (ts->tid != tid) {
    /* A non-leader thread exec'd and now carries the leader's id; what it counted before
     * stays under its former id. */
    flush_cache(ts);
    if (count_only) flush_task_everywhere(owner_id(ts->tgid, ts->tid));
    ts->tid = tid;
  }
  if (ts->api) api_abandon(ts, task);
  return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sx_task_exit, struct task_struct* p) {
  struct task_struct* task = bpf_get_current_task_btf();
  struct sx_thread* ts = bpf_task_storage_get(&tstate, task, 0, 0);
  if (!ts) return 0;
  if (ts->in_call == SX_CALL_CACHE) {
    /* Entered and never returned (exit, exit_group, killed inside the call). */
    flush_one(ts, ts->cache_idx, 1);
  } else if (ts->in_call == SX_CALL_ROW) {
    struct sx_counts* v = bpf_map_lookup_elem(&rows, &ts->cur);
    if (v) v->unfinished++;
  }
  ts->in_call = SX_CALL_NONE;
  if (ts->api) api_abandon(ts, task);
  struct sx_proc* pr = proc_of(ts);
  if (pr && pr->phase != ts->phase_seen) sync_phase(ts, task, pr->phase);
  sync_phase(ts, task, ts->phase_seen);

  __u32 tid = ts->tid;
  struct sx_thread_info* info = bpf_map_lookup_elem(&threads, &tid);
  if (info) {
    info->exited = 1;
    bpf_probe_read_kernel_str(info->comm, sizeof info->comm, task->comm);
  }
  if (pr) {
    if (task->pid == task->tgid) {
      pr->leader_exited = 1;
      pr->leader_exit_code = task->exit_code;
      bpf_probe_read_kernel_str(pr->comm, sizeof pr->comm, task->comm);
    }
    struct signal_struct* sig = task->signal;
    if (BPF_CORE_READ(sig, live.counter) == 0) {
      pr->group_dead = 1;
      pr->signal_flags = BPF_CORE_READ(sig, flags);
      pr->group_exit_code = BPF_CORE_READ(sig, group_exit_code);
    }
  }
  if (count_only) flush_task_everywhere(owner_id(ts->tgid, ts->tid));
  __sync_fetch_and_add(&live_threads, -1);
  bpf_task_storage_delete(&tstate, task);
  return 0;
}

/* --api: uprobes on the exported API functions (one attachment per function; the attach cookie is
 * the function's id). Per thread, the outermost call in flight owns every syscall and page fault
 * until it returns; calls made inside it (nested) count toward it. Threads not traced, or the
 * command before its execve, leave at the storage lookup. */
SEC("uprobe")
int sx_api_enter(struct pt_regs* ctx) {
  struct task_struct* task = bpf_get_current_task_btf();
  struct sx_thread* ts = bpf_task_storage_get(&tstate, task, 0, 0);
  if (!ts || !ts->counting) return 0;
  __u32 id = (__u32)bpf_get_attach_cookie(ctx);
  struct sx_api_counts* c = bpf_map_lookup_elem(&api_stats, &id);
  if (!c) return 0;
  if (ts->api_depth++ > 0) {
    __sync_fetch_and_add(&c->nested, 1);
    return 0;
  }
  attribute(ts, task); /* the faults so far were outside any API call */
  __sync_fetch_and_add(&c->calls, 1);
  ts->api = id + 1;
  ts->api_t_enter = bpf_ktime_get_ns();
  return 0;
}

SEC("uretprobe")
int sx_api_exit(struct pt_regs* ctx) {
  struct task_struct* task = bpf_get_current_task_btf();
  struct sx_thread* ts = bpf_task_storage_get(&tstate, task, 0, 0);
  /* depth 0: the return of a call entered before tracing began, or one a forked child returns
   * from (the child inherits the pending return, not the call). */
  if (!ts || ts->api_depth == 0) return 0;
  if (--ts->api_depth > 0) return 0;
  if (!ts->api) return 0;
  __u32 id = ts->api - 1;
  attribute(ts, task); /* the faults inside the call are its own */
  struct sx_api_counts* c = bpf_map_lookup_elem(&api_stats, &id);
  if (c) __sync_fetch_and_add(&c->time_ns, bpf_ktime_get_ns() - ts->api_t_enter);
  ts->api = 0;
  return 0;
}

/* The probe of --hook auto|fentry: an empty fentry program that user space points at the function
 * behind getppid (__x64_sys_getppid, or __do_sys_getppid where that is an alias without BTF) and
 * loads alone. Where it loads, BPF trampolines can attach to the per-syscall functions; some
 * kernels refuse every trampoline program (EPERM as root, before the verifier runs). */
SEC("fentry")
int BPF_PROG(sx_fentry_probe, struct pt_regs* regs) {
  return 0;
}

/* The floor of the overhead benchmark: empty programs on the same hooks (bench/ebpf). */
SEC("tp_btf/sys_enter")
int BPF_PROG(sx_floor_enter, struct pt_regs* regs, long id) {
  return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sx_floor_exit, struct pt_regs* regs, long ret) {
  return 0;
}

/* What time in call costs at the least: read the clock on entry and on exit, nothing else. */
__u64 floor_clock = 0;

SEC("tp_btf/sys_enter")
int BPF_PROG(sx_floor_clock_enter, struct pt_regs* regs, long id) {
  floor_clock = bpf_ktime_get_ns();
  return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sx_floor_clock_exit, struct pt_regs* regs, long ret) {
  floor_clock = bpf_ktime_get_ns() - floor_clock;
  return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
