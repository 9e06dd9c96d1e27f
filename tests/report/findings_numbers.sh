#!/usr/bin/env bash
# docs/findings.md quotes numbers only from the committed analyses, by id (DESIGN.md "Claims ->
# constraints"): `sysaxis check-numbers` must pass on it, and must fail once one of its cited
# numbers is edited (a copy of the document, beside a link to the same results/).
#   tests/report/findings_numbers.sh SYSAXIS SOURCE_DIR
set -uo pipefail
sx=${1:?usage: findings_numbers.sh SYSAXIS SOURCE_DIR}
src=$(cd "${2:?usage: findings_numbers.sh SYSAXIS SOURCE_DIR}" && pwd) || exit 1
doc=$src/docs/findings.md

"$sx" check-numbers "$doc" || { echo "findings_numbers: FAIL: $doc has numbers without a source or that disagree"; exit 1; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/docs"
ln -s "$src/results" "$tmp/results"
# The first cited integer of the document, incremented: "7 ioctls ... [constraint:C2.1@h100]".
line=$(grep -n -m1 -E '(^|[ (])[0-9]+ [a-z][^`]*\[(fit|constraint):[A-Z][0-9.]+@[a-z0-9]+\]' "$doc" | cut -d: -f1)
[[ -n $line ]] || { echo "findings_numbers: FAIL: no cited integer found to edit"; exit 1; }
awk -v n="$line" 'NR == n { if (match($0, /(^|[ (])[0-9]+ [a-z]/)) { pre = substr($0, 1, RSTART - 1); m = substr($0, RSTART, RLENGTH); rest = substr($0, RSTART + RLENGTH);
  lead = ""; if (m ~ /^[ (]/) { lead = substr(m, 1, 1); m = substr(m, 2) } split(m, p, " "); $0 = pre lead (p[1] * 10 + 3) " " p[2] rest } } { print }' "$doc" > "$tmp/docs/findings.md"
if cmp -s "$doc" "$tmp/docs/findings.md"; then echo "findings_numbers: FAIL: the edit changed nothing"; exit 1; fi
"$sx" check-numbers -q "$tmp/docs/findings.md" > "$tmp/out" 2>&1
rc=$?
if [[ $rc != 1 ]]; then
  echo "findings_numbers: FAIL: an edited number (line $line) passed check-numbers (exit $rc)"
  diff "$doc" "$tmp/docs/findings.md"
  exit 1
fi
grep -q "disagrees" "$tmp/out" || { echo "findings_numbers: FAIL: no 'disagrees' for the edited number"; cat "$tmp/out"; exit 1; }
echo "findings_numbers: $doc checks; with line $line edited it fails: $(head -1 "$tmp/out")"
