/* Types and small pure functions shared by the kernel half (sysaxis.bpf.c) and the user half
 * (ebpf_engine.cpp) of the eBPF engine. C, so that both clang -target bpf and the C++ compiler
 * read the same layout; the functions are written for the BPF verifier (bounded loops, no
 * library calls) and unit-tested in user space against the ptrace engine's definitions. */
#ifndef SYSAXIS_TRACE_EBPF_SYSAXIS_BPF_H
#define SYSAXIS_TRACE_EBPF_SYSAXIS_BPF_H

#ifndef __bpf__
#include <linux/types.h>
#endif

#define SX_CACHE_SLOTS 128    /* per-thread direct-mapped counter cache, indexed by nr % slots */
#define SX_CACHE_MAX_NR 512   /* native syscalls below this go through the cache */
#define SX_MAX_PROCS 65536    /* process slots per trace (array map) */
#define SX_MAX_THREADS 262144 /* thread-info entries per trace (hash map) */
#define SX_MAX_ROWS 262144    /* (phase, tgid, tid, syscall, detail) rows (hash map) */
#define SX_MAX_FAULT_ROWS 65536
#define SX_MAX_PHASE_NAMES 1024
#define SX_PHASES_PER_PROC 16
#define SX_PHASE_NAME_LEN 56 /* > kMaxMarkerLength - strlen(prefix) */
#define SX_MARKER_PREFIX "sysaxis:phase:"
#define SX_MARKER_PREFIX_LEN 14
#define SX_MARKER_MAX_LEN 64 /* trace::kMaxMarkerLength */
#define SX_PHASE_STARTUP 0   /* phase id 0 is "startup"; marker phases get 1, 2, ... */
#define SX_COMM_LEN 16

/* ABIs, in the order of syscalls::Abi. */
#define SX_ABI_X86_64 0
#define SX_ABI_I386 1
#define SX_ABI_X32 2
#define SX_NABI 3
#define SX_X32_SYSCALL_BIT 0x40000000

/* What `detail` a row carries (resolved to names in user space, like the ptrace engine). */
#define SX_DETAIL_NONE 0
#define SX_DETAIL_ANON 1  /* mmap with MAP_ANONYMOUS */
#define SX_DETAIL_FD 2    /* the file of an fd: ftype and rdev below (ioctl, mmap of a file) */
#define SX_DETAIL_BADFD 3 /* the fd is not open */

/* One row of counters: the ptrace engine's (phase, tgid, tid, abi, nr, detail). */
struct sx_key {
  __u32 phase;
  __u32 tgid;
  __u32 tid;
  __s32 nr; /* number inside its ABI's table */
  __u8 abi;
  __u8 detail;
  __u8 ftype;     /* (i_mode & S_IFMT) >> 12 of the fd's inode */
  __u8 has_field; /* `field` was read (an ioctl matching a field rule, below) */
  __u32 rdev;     /* the inode's i_rdev, kernel encoding: major << 20 | minor */
  __u64 arg;      /* the ioctl request */
  __u32 field;    /* the u32 the rule names, read from the ioctl's argument structure */
  __u32 api;      /* --api: the outermost API call in flight (function id + 1), 0 = none */
};

/* One rule of the deeper ioctl decoding (syscalls::ioctl_arg_field_rules), for the char major
 * that serves the rule's driver: ioctls on a char device of that major whose request satisfies
 * (request & mask) == value carry `size` bytes (1 to 4, little-endian) at `offset` from the
 * argument pointer. Filled in by user space before load (ebpf_rows.h: field_rules). */
#define SX_MAX_FIELD_RULES 32
struct sx_field_rule {
  __u32 major;
  __u32 request;
  __u32 mask;
  __u32 offset;
  __u32 size;
};

struct sx_counts {
  __u64 calls;
  __u64 errors;
  __u64 unfinished;
  __u64 time_ns;
  __u64 max_ns;
};

/* Page faults and context switches of a (phase, tgid). */
struct sx_fault_key {
  __u32 phase;
  __u32 tgid;
  __u32 api; /* as in sx_key */
  __u32 pad;
};
struct sx_sample {
  __u64 minflt;
  __u64 majflt;
  __u64 nvcsw;
  __u64 nivcsw;
};

/* A per-thread cache line: the counters of one native syscall (tag = nr + 1; 0 = empty). */
struct sx_cache_entry {
  __u32 tag;
  __u32 pad;
  __u64 calls;
  __u64 errors;
  __u64 time_ns;
  __u64 max_ns;
};

#define SX_CALL_NONE 0
#define SX_CALL_CACHE 1
#define SX_CALL_ROW 2

/* Per-thread state (task local storage); exists only for traced threads. */
struct sx_thread {
  __u32 slot; /* the process's slot in `procs` */
  __u32 tgid;
  __u32 tid;        /* the id rows are keyed by (changes when a non-leader thread execs) */
  __u32 phase_seen; /* the phase the cache and the fault sample belong to */
  __u8 counting;    /* 0 for the command until its execve entry */
  __u8 in_call;     /* SX_CALL_*: the call in flight and where its counters are */
  __u8 cache_idx;
  __u8 pad[5];
  __u64 t_enter;
  struct sx_key cur; /* the row of the SX_CALL_ROW call in flight */
  struct sx_sample last;
  struct sx_cache_entry cache[SX_CACHE_SLOTS];
  /* --api: the outermost API call in flight (function id + 1; 0 = none), the depth of nested
   * API calls, and when the outermost one entered. Syscalls inside an API call bypass the
   * cache (its lines are always api 0). */
  __u32 api;
  __u32 api_depth;
  __u64 api_t_enter;
};

/* --api: per API function (by id), its outermost calls, the calls made inside another API call
 * of the same thread (counted toward the outer one), and the time inside the outermost calls. */
#define SX_MAX_APIS 8192
struct sx_api_counts {
  __u64 calls;
  __u64 nested;
  __u64 time_ns;
  __u64 unfinished; /* outermost calls still in flight when the thread exited or exec'd */
};

/* Count-only mode's per-CPU cache: the calls of the thread that last counted on this CPU (its
 * owner), flushed to `rows` when another traced thread takes the CPU over, when the owner's
 * process changes phase, and on every CPU when the owner execs or exits. Its fast path costs no
 * helper call but bpf_get_current_task_btf. */
#define SX_CPU_DIRTY 16 /* lines in use are listed; beyond that, a flush scans them all */
#define SX_MAX_CPUS 4096
#define SX_OWNER_NONE 0
#define SX_OWNER_BUSY 1 /* being flushed by another CPU */
struct sx_cpu_line {
  __u32 tag; /* nr + 1; 0 = empty */
  __u32 pad;
  __u64 calls;
};
struct sx_cpu {
  __u64 owner; /* the owner's tgid << 32 | tid, or SX_OWNER_* */
  __u32 slot;
  __u32 tgid;
  __u32 tid;
  __u32 phase;
  __u32 ndirty; /* > SX_CPU_DIRTY: the list overflowed */
  __u16 dirty[SX_CPU_DIRTY];
  __u32 pad;
  struct sx_cpu_line line[SX_CACHE_SLOTS];
};

/* One traced process (a tgid), by slot. */
struct sx_proc {
  __u32 tgid;
  __u32 parent; /* tgid of the process that forked it, 0 for the command */
  __u32 phase;  /* current phase id */
  __u32 marked; /* marked itself, or inherited a marked phase at fork */
  __u32 nphases;
  __u32 phases[SX_PHASES_PER_PROC]; /* distinct phases in the order entered */
  __u32 leader_exited;
  __s32 leader_exit_code; /* task->exit_code of the leader at exit (wait-status form) */
  __u32 group_dead;
  __u32 signal_flags; /* signal->flags when the last thread exited */
  __s32 group_exit_code;
  char comm[SX_COMM_LEN];
};

struct sx_thread_info {
  __u32 tgid;
  __u32 slot;
  __u32 exited;
  char comm[SX_COMM_LEN];
};

/* Updates the engine could not record; read by user space and reported in TraceResult.lost. */
struct sx_lost {
  __u64 rows;        /* counter rows that did not fit in the map (their calls) */
  __u64 tasks;       /* threads/processes not followed: no storage could be created */
  __u64 slots;       /* processes beyond SX_MAX_PROCS */
  __u64 markers;     /* marker candidates whose buffer could not be read in the kernel */
  __u64 phase_names; /* phase names beyond SX_MAX_PHASE_NAMES */
  __u64 fault_rows;  /* fault rows that did not fit */
  __u64 thread_info; /* thread-info entries that did not fit (comm missing) */
  __u64 phase_lists; /* phases beyond SX_PHASES_PER_PROC in a process's list */
};

/* Whether a marker buffer holds a phase name, as trace::parse_marker reads it: the buffer starts
 * with "sysaxis:phase:", is at most 64 bytes, and the rest is a non-empty name of [A-Za-z0-9_.-]
 * optionally followed by '\n' or '\0' bytes only. `buf` holds SX_MARKER_MAX_LEN bytes, zero beyond
 * `len` (zeros are allowed after the name, so they change nothing). Copies the name, zero-padded,
 * into `name` and returns nonzero when the buffer is a marker.
 * Written for the verifier: no counter whose exact value is tested later (that would make every
 * iteration's states distinct), the emptiness test reads the result back from memory. */
static inline int sx_marker_name(const char* buf, __u32 len, char* name) {
  const char prefix[] = SX_MARKER_PREFIX;
  __u32 i;
  int in_tail = 0; /* a '\n' or '\0' was seen: only those may follow */
  if (len <= SX_MARKER_PREFIX_LEN || len > SX_MARKER_MAX_LEN) return 0;
  for (i = 0; i < SX_MARKER_PREFIX_LEN; i++) {
    if (buf[i] != prefix[i]) return 0;
  }
  for (i = 0; i < SX_PHASE_NAME_LEN; i++) name[i] = 0;
  for (i = SX_MARKER_PREFIX_LEN; i < SX_MARKER_MAX_LEN; i++) {
    char c = buf[i];
    int tail = c == '\n' || c == '\0';
    if (in_tail) {
      if (!tail) return 0;
      continue;
    }
    if (tail) {
      in_tail = 1;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
          c == '.'))
      return 0;
    name[i - SX_MARKER_PREFIX_LEN] = c;
  }
  return name[0] != 0;
}

/* The ABI of a syscall and its number inside that ABI's table (syscalls::abi_from_audit_arch and
 * syscalls::table_number): compat (int 0x80 / sysenter) calls are i386, calls with the x32 bit
 * are x32. */
static inline __u8 sx_abi(int compat, long raw_nr) {
  if (compat) return SX_ABI_I386;
  return (raw_nr & SX_X32_SYSCALL_BIT) ? SX_ABI_X32 : SX_ABI_X86_64;
}
static inline long sx_table_nr(__u8 abi, long raw_nr) {
  return abi == SX_ABI_X32 ? (raw_nr & ~(long)SX_X32_SYSCALL_BIT) : raw_nr;
}

/* The first of `n` field rules that an ioctl on char major `major` with `request` matches, or -1
 * (syscalls::ioctl_arg_field's choice, for a major that serves the rules' driver). */
static inline int sx_field_rule_index(const volatile struct sx_field_rule* rules, __u32 n, __u32 major, __u32 request) {
  __u32 i;
  for (i = 0; i < SX_MAX_FIELD_RULES; i++) {
    if (i >= n) break;
    if (rules[i].major == major && (request & rules[i].mask) == rules[i].request) return (int)i;
  }
  return -1;
}

#endif
