#!/usr/bin/env bash
# Prints the size of every file in dist/ raw and gzipped (-9), and the first-load total
# (everything the page fetches on a first visit: all of dist/ but sw.js's own precache
# re-fetch, which the HTTP cache serves). Budget: 200 KB gzipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f dist/index.html ] || { echo "no dist/: run scripts/build.sh first" >&2; exit 2; }
printf '%-48s %10s %10s\n' file bytes gzip
total=0; gtotal=0
for f in dist/*; do
  [ -f "$f" ] || continue
  n=$(basename "$f"); r=$(stat -c %s "$f"); g=$(gzip -9 -c "$f" | wc -c)
  total=$((total + r)); gtotal=$((gtotal + g))
  printf '%-48s %10d %10d\n' "$n" "$r" "$g"
done
printf '%-48s %10d %10d\n' "total (first load)" "$total" "$gtotal"
printf 'gzipped total: %.1f KB (budget 200 KB)\n' "$(echo "$gtotal / 1000" | bc -l)"
