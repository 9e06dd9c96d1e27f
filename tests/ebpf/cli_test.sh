#!/bin/sh
# sysaxis trace --engine ebpf from the command line: the command's stdin, stdout and exit status
# pass through, the summary goes to -o, --engine auto says which engine ran. Exit 77 = skipped.
set -u
sysaxis=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

if ! "$sysaxis" trace --engine ebpf -q -o "$tmp/probe.json" --format json -- /bin/true 2>"$tmp/err"; then
  echo "SKIP: eBPF engine unavailable: $(cat "$tmp/err")"
  exit 77
fi

out=$(echo "hello from stdin" | "$sysaxis" trace --engine ebpf -q --format json -o "$tmp/t.json" -- /bin/cat)
[ "$out" = "hello from stdin" ] || fail "stdin/stdout not passed through: '$out'"
grep -q '"engine": *"ebpf"' "$tmp/t.json" || fail "engine not recorded in the JSON"
grep -q '"hook": *"tracepoint"' "$tmp/t.json" || fail "hook not recorded in the JSON"
"$sysaxis" trace --engine ebpf --hook bogus -q -o "$tmp/h.txt" -- /bin/true 2>/dev/null
[ $? -eq 2 ] || fail "--hook bogus is not a usage error"
grep -q '"syscall": *"read"' "$tmp/t.json" || fail "no read row in the JSON"

"$sysaxis" trace --engine ebpf -q -o "$tmp/t.txt" -- /bin/sh -c 'exit 42'
[ $? -eq 42 ] || fail "exit status not passed through"

"$sysaxis" trace --engine ebpf --count-only -q -o "$tmp/c.txt" -- /bin/sh -c 'exit 3'
[ $? -eq 3 ] || fail "--count-only: exit status not passed through"
grep -q "count-only" "$tmp/c.txt" || fail "--count-only not noted in the summary"

"$sysaxis" trace --engine auto -o "$tmp/a.txt" -- /bin/true 2>"$tmp/a.err" || fail "--engine auto failed"
grep -q "^sysaxis: engine ebpf (auto" "$tmp/a.err" || fail "auto did not say it chose ebpf: $(cat "$tmp/a.err")"
echo "ok"
