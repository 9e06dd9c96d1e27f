#!/bin/sh
# sysaxis trace --api from the command line. Bad input (unknown family, library not found, glob
# matching nothing, the ptrace engine, --by api without --api) exits 2 before the command starts:
# the command would create a file. With the eBPF engine: the command's output and exit status pass
# through, --by api prints the per-API table, the JSON has `api` on rows and an `apis` array.
# Exit 77 = skipped (the eBPF part only; the bad-input part needs no privileges).
set -u
sysaxis=$1
bin=$2
lib=$bin/libsxapi-test.so
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

bad() {  # expected message, then sysaxis trace arguments before --
  want=$1
  shift
  "$sysaxis" trace -q -o "$tmp/out" "$@" -- /bin/sh -c "touch $tmp/ran" 2>"$tmp/err"
  rc=$?
  [ $rc -eq 2 ] || fail "$*: exit $rc, not 2 ($(cat "$tmp/err"))"
  [ ! -e "$tmp/ran" ] || fail "$*: the command ran"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$*: not one line: $(cat "$tmp/err")"
  grep -q -- "$want" "$tmp/err" || fail "$*: message '$(cat "$tmp/err")' lacks '$want'"
}
bad "unknown API family 'bogus'" --engine ebpf --api bogus
bad "library libnosuch-sysaxis.so.7 not found" --engine ebpf --api libnosuch-sysaxis.so.7:f*
bad "no exported function of .* matches 'zz_nothing\*'" --engine ebpf --api "$lib:zz_nothing*"
bad "needs the eBPF engine" --engine ptrace --api "$lib:sxapi_*"
bad "--by api needs --api" --engine ebpf --by api

if ! "$sysaxis" trace --engine ebpf -q -o "$tmp/probe.json" --format json -- /bin/true 2>"$tmp/err"; then
  echo "SKIP: eBPF engine unavailable: $(cat "$tmp/err")"
  exit 77
fi

out=$("$sysaxis" trace --engine ebpf -q --api "$lib:sxapi_*" -o "$tmp/t.json" --format json -- "$bin/sysaxis-ebpf-test-apiuse")
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc"
[ "$out" = "apiuse 1" ] || fail "stdout not passed through: '$out'"
grep -q '"api": *"sxapi_outer"' "$tmp/t.json" || fail "no sxapi_outer in the JSON"
grep -q '"apis"' "$tmp/t.json" || fail "no apis array in the JSON"

LD_LIBRARY_PATH=$bin "$sysaxis" trace --engine ebpf -q --api libsxapi-test.so:sxapi_* --by api -o "$tmp/t.txt" \
  -- "$bin/sysaxis-ebpf-test-apiuse" >/dev/null || fail "--by api run failed"
grep -q "sxapi_outer" "$tmp/t.txt" || fail "--by api: no sxapi_outer line: $(cat "$tmp/t.txt")"
grep -q "(none)" "$tmp/t.txt" || fail "--by api: no (none) line"

"$sysaxis" trace --engine ebpf -q --api "$lib:sxapi_*" --by api --format csv -o "$tmp/t.csv" \
  -- /bin/sh -c 'exit 7'
[ $? -eq 7 ] || fail "exit status not passed through with --api"
head -1 "$tmp/t.csv" | grep -q "^api,calls," || fail "--by api csv header: $(head -1 "$tmp/t.csv")"
echo "ok"
