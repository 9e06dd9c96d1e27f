#!/usr/bin/env bash
# The committed data regenerates the committed report: for every results/*/report/ that a study
# database beside it produced, gunzip the database, run `sysaxis analyze` and `sysaxis report`
# exactly as its report.md says they were run (same relative paths, docs/findings.md), and
# compare the outputs with the committed ones: report.md, the tidy CSV, the plot data and
# scripts, and the analysis (report/analysis.json.gz). Lines naming the revision of the sysaxis
# that wrote them are left out of the comparison. Exit 77 (skipped) without gnuplot.
#   results_regenerate.sh SYSAXIS_BIN SOURCE_DIR [--update]
# --update replaces the committed report/ folders (and their analysis.json.gz) with the
# regenerated ones instead of comparing: run it after changing docs/findings.md or the report.
set -euo pipefail
sx=$(realpath "$1")
src=$(realpath "$2")
update=${3:-}
command -v gnuplot >/dev/null || { echo "skipped: gnuplot is not installed (Debian: gnuplot-nox)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/docs"
cp "$src/docs/findings.md" "$tmp/docs/findings.md"
checked=0
failed=0
for md in "$src"/results/*/report/report.md; do
  dir=$(dirname "$(dirname "$md")")
  name=$(basename "$dir")
  # The report's own account of how it was made: "sysaxis report --db ../X.db -o . ...".
  db=$(sed -n 's/^ *sysaxis report --db \.\.\/\([^ ]*\.db\) .*/\1/p' "$md" | head -n 1)
  if [[ -z $db || ! -f $dir/$db.gz ]]; then
    echo "$name: no database beside the report (${db:-none named}.gz): not checked"
    continue
  fi
  work="$tmp/results/$name"
  mkdir -p "$work"
  gunzip -c "$dir/$db.gz" >"$work/$db"
  (
    cd "$tmp"
    "$sx" analyze --db "results/$name/$db" -o "results/$name/report-analysis.json" -q
    "$sx" report --db "results/$name/$db" --analysis "results/$name/report-analysis.json" \
      --findings docs/findings.md -o "results/$name/report" -q
  )
  if [[ $update == --update ]]; then
    rm -rf "$dir/report"
    cp -r "$work/report" "$dir/report"
    rm -f "$dir/report/analysis.json"
    gzip -9 -n -c "$work/report-analysis.json" >"$dir/report/analysis.json.gz"
    echo "$name: report/ regenerated from $db.gz"
    checked=$((checked + 1))
    continue
  fi
  gunzip -c "$dir/report/analysis.json.gz" >"$tmp/committed-analysis.json"
  differs=()
  for f in "$dir"/report/*; do
    base=$(basename "$f")
    case $base in
      *.svg | *.html | analysis.json.gz) continue ;;  # images and the page follow from the files compared
    esac
    if ! diff -q <(grep -v 'revision' "$f") <(grep -v 'revision' "$work/report/$base") >/dev/null 2>&1; then
      differs+=("$base")
    fi
  done
  if ! diff -q <(grep -v '"revision"' "$tmp/committed-analysis.json") \
    <(grep -v '"revision"' "$work/report-analysis.json") >/dev/null; then
    differs+=("analysis.json")
  fi
  if ((${#differs[@]})); then
    echo "$name: regenerating from $db.gz gives other ${differs[*]}"
    for base in "${differs[@]}"; do
      [[ $base == analysis.json ]] && continue
      diff <(grep -v 'revision' "$dir/report/$base") <(grep -v 'revision' "$work/report/$base") | head -n 10 || true
    done
    failed=$((failed + 1))
  else
    echo "$name: report/ regenerates from $db.gz"
  fi
  checked=$((checked + 1))
done
((checked > 0)) || { echo "no committed report with its database found under $src/results"; exit 1; }
((failed == 0))
