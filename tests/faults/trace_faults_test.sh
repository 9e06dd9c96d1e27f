#!/usr/bin/env bash
# Fault and "tracee untouched" tests of `sysaxis trace`, under one engine:
#   trace_faults_test.sh SYSAXIS CORPUS_DIR ENGINE CASE
# ENGINE: ptrace | ebpf. CASE:
#   kill       sysaxis killed with SIGKILL mid-trace: the command (and, under ptrace, every
#              process it forked) is gone, nothing stays stopped, and no BPF program or link that
#              sysaxis held stays loaded (its fds' prog_id/link_id, then `bpftool prog/link show`)
#   untouched  a 10,000-signal storm, job control (SIGSTOP/SIGTSTP/SIGCONT seen by the parent),
#              stdin piped, empty and closed (no descriptor leaked into the command), a program
#              that renames itself and execs repeatedly, PTRACE_TRACEME: stdout, exit status and
#              terminating signal as without sysaxis (PTRACE_TRACEME under ptrace: 125, explained)
# Exit 77 = skipped (the engine cannot run here, bpftool missing).
set -u
sysaxis=$1 corpus=$2 engine=$3 case=$4
fail() { echo "FAIL ($engine $case): $*" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
cleanup() {
  # Whatever a failed test left behind: only processes this script started.
  for p in "${started[@]:-}"; do [[ -n $p ]] && kill -KILL "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
started=()
trap cleanup EXIT

if ! "$sysaxis" trace --engine "$engine" -q -o "$tmp/probe.txt" -- /bin/true 2>"$tmp/probe.err"; then
  echo "SKIP: engine $engine unavailable: $(cat "$tmp/probe.err")"
  exit 77
fi

alive() {  # alive PID: running, sleeping or stopped (not gone, not a zombie)
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }
  [[ ${s:0:1} != Z && ${s:0:1} != X ]]
}

gone_within() {  # gone_within SECONDS PID...: every PID gone (or a zombie) within the limit
  local limit=$1 p i
  shift
  for ((i = 0; i < limit * 20; ++i)); do
    local any=0
    for p in "$@"; do alive "$p" && any=1; done
    ((any == 0)) && return 0
    sleep 0.05
  done
  return 1
}

# Runs CMD... untraced and traced; compares stdout and the exit status (128+N for signal N).
# stdin comes from $STDIN_MODE: pipe (text piped in, then closed), null, closed.
same_as_untraced() {
  local name=$1
  shift
  local mode=${STDIN_MODE:-null} i
  for i in plain traced; do
    local pre=()
    [[ $i == traced ]] && pre=("$sysaxis" trace --engine "$engine" -q -o "$tmp/$name.trace.txt" --)
    case $mode in
      pipe) printf 'piped text\n' | "${pre[@]}" "$@" >"$tmp/$name.$i.out" 2>"$tmp/$name.$i.err" ;;
      null) "${pre[@]}" "$@" </dev/null >"$tmp/$name.$i.out" 2>"$tmp/$name.$i.err" ;;
      closed) "${pre[@]}" "$@" <&- >"$tmp/$name.$i.out" 2>"$tmp/$name.$i.err" ;;
    esac
    echo $? >"$tmp/$name.$i.status"
  done
  cmp -s "$tmp/$name.plain.out" "$tmp/$name.traced.out" ||
    fail "$name: stdout differs: $(diff "$tmp/$name.plain.out" "$tmp/$name.traced.out" | head -20)"
  local a b
  a=$(cat "$tmp/$name.plain.status") b=$(cat "$tmp/$name.traced.status")
  [[ $a == "$b" ]] || fail "$name: exit status $b traced, $a untraced; stderr: $(head -5 "$tmp/$name.traced.err")"
  echo "ok: $name (status $a)"
}

case $case in
  kill)
    if [[ $engine == ebpf ]] && ! command -v bpftool >/dev/null; then
      echo "SKIP: bpftool not installed"
      exit 77
    fi
    for round in 1 2 3; do
      rm -f "$tmp/pid" "$tmp/child"
      # The command forks a child (a second traced process) and waits for a signal.
      "$sysaxis" trace --engine "$engine" -q -o "$tmp/t.txt" -- /bin/sh -c \
        "'$corpus/signal_wait' '$tmp/child' & '$corpus/signal_wait' '$tmp/pid'; wait" </dev/null >/dev/null 2>&1 &
      sx=$!
      started+=("$sx")
      for ((i = 0; i < 200; ++i)); do [[ -s $tmp/pid && -s $tmp/child ]] && break; sleep 0.05; done
      [[ -s $tmp/pid && -s $tmp/child ]] || fail "the traced command did not start"
      shell=$(cat "/proc/$sx/task/$sx/children" 2>/dev/null)
      shell=${shell%% *}
      traced=$(cat "$tmp/pid") child=$(cat "$tmp/child")
      started+=("$shell" "$traced" "$child")
      progs=() links=()
      if [[ $engine == ebpf ]]; then
        # What sysaxis holds, from its own descriptors.
        mapfile -t progs < <(grep -h '^prog_id:' /proc/"$sx"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u)
        mapfile -t links < <(grep -h '^link_id:' /proc/"$sx"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u)
        ((${#progs[@]} > 0)) || fail "no BPF program found in sysaxis's descriptors"
        for id in "${progs[@]}"; do
          bpftool prog show id "$id" >/dev/null 2>&1 || fail "bpftool does not show prog $id while tracing"
        done
      fi
      # Round 2 kills while a traced process is stopped (SIGSTOP): it must not stay stopped.
      # Under eBPF the one sysaxis answers for is its child (the shell); a stopped grandchild
      # would stay stopped when the shell dies without sysaxis too.
      if ((round == 2)); then
        if [[ $engine == ptrace ]]; then kill -STOP "$traced"; else kill -STOP "$shell"; fi
        sleep 0.2
      fi
      kill -KILL "$sx"
      wait "$sx" 2>/dev/null
      st=$?
      ((st == 137)) || fail "sysaxis was not killed by SIGKILL (status $st)"
      # The direct child (the shell) dies with sysaxis under both engines (EXITKILL, PDEATHSIG).
      # Under ptrace every traced process does; under eBPF the shell's own children are orphaned
      # as when the shell is killed without sysaxis (they exit within 20 s).
      if [[ $engine == ptrace ]]; then
        gone_within 5 "$shell" "$traced" "$child" || fail "traced processes left alive: $(ps -o pid,stat,cmd -p "$shell,$traced,$child")"
      else
        gone_within 5 "$shell" || fail "the command was left alive: $(ps -o pid,stat,cmd -p "$shell")"
        for p in "$traced" "$child"; do
          if alive "$p"; then
            s=$(cat "/proc/$p/stat")
            s=${s##*) }
            [[ ${s:0:1} != T && ${s:0:1} != t ]] || fail "process $p left stopped"
            kill -KILL "$p" 2>/dev/null
          fi
        done
      fi
      if [[ $engine == ebpf ]]; then
        # Programs are freed once their last reference goes (an RCU grace period later).
        for ((i = 0; i < 100; ++i)); do
          left=0
          for id in "${progs[@]}"; do bpftool prog show id "$id" >/dev/null 2>&1 && left=1; done
          for id in "${links[@]}"; do bpftool link show id "$id" >/dev/null 2>&1 && left=1; done
          ((left == 0)) && break
          sleep 0.05
        done
        for id in "${progs[@]}"; do
          bpftool prog show id "$id" >/dev/null 2>&1 && fail "BPF program $id still loaded: $(bpftool prog show id "$id")"
        done
        for id in "${links[@]}"; do
          bpftool link show id "$id" >/dev/null 2>&1 && fail "BPF link $id still loaded: $(bpftool link show id "$id")"
        done
        echo "ok: round $round: ${#progs[@]} programs, ${#links[@]} links released"
      else
        echo "ok: round $round: no traced process left"
      fi
    done
    ;;
  untouched)
    same_as_untraced sigstorm "$corpus/sigstorm"
    grep -q "^rt 10000 sum 50005000$" "$tmp/sigstorm.traced.out" || fail "signals lost: $(cat "$tmp/sigstorm.traced.out")"
    [[ $(cat "$tmp/sigstorm.traced.status") == 143 ]] || fail "sigstorm did not end by SIGTERM"
    same_as_untraced jobctl "$corpus/jobctl"
    [[ $(cat "$tmp/jobctl.traced.out") == $'a: stopped by 19\na: continued\na: exited 7\nb: stopped by 20\nb: continued\nb: killed by 9' ]] ||
      fail "job control: $(cat "$tmp/jobctl.traced.out")"
    STDIN_MODE=pipe same_as_untraced fds-pipe "$corpus/fds"
    grep -q "^stdin: 11 bytes: piped text" "$tmp/fds-pipe.traced.out" || fail "stdin not piped: $(cat "$tmp/fds-pipe.traced.out")"
    STDIN_MODE=null same_as_untraced fds-null "$corpus/fds"
    STDIN_MODE=closed same_as_untraced fds-closed "$corpus/fds"
    grep -q "^stdin: error Bad file descriptor" "$tmp/fds-closed.traced.out" ||
      fail "a closed stdin was not closed in the command: $(cat "$tmp/fds-closed.traced.out")"
    same_as_untraced rename_exec "$corpus/rename_exec" 12
    [[ $(wc -l <"$tmp/rename_exec.traced.out") == 13 ]] || fail "rename_exec: $(cat "$tmp/rename_exec.traced.out")"
    # PTRACE_TRACEME: under eBPF the program runs as without sysaxis; under ptrace, sysaxis can
    # not let it (the call would fail where it succeeds untraced): 125 and the reason.
    if [[ $engine == ebpf ]]; then
      same_as_untraced traceme "$corpus/traceme"
    else
      "$sysaxis" trace --engine ptrace -q -o "$tmp/tm.txt" -- "$corpus/traceme" </dev/null >"$tmp/tm.out" 2>"$tmp/tm.err"
      st=$?
      ((st == 125)) || fail "PTRACE_TRACEME under ptrace: status $st, stdout $(cat "$tmp/tm.out"), stderr $(cat "$tmp/tm.err")"
      grep -q "PTRACE_TRACEME" "$tmp/tm.err" || fail "PTRACE_TRACEME: no clear message: $(cat "$tmp/tm.err")"
      [[ ! -s $tmp/tm.out ]] || fail "PTRACE_TRACEME: the command went on: $(cat "$tmp/tm.out")"
      echo "ok: traceme (125: $(head -1 "$tmp/tm.err"))"
    fi
    ;;
  *) fail "unknown case" ;;
esac
echo "ok"
