#!/usr/bin/env bash
# Prints the size of every file in dist/ raw and gzipped (-9), and two totals:
#   first load  everything the page fetches before the app is interactive: all of dist/ but the
#               wasm chunks split off at #[lazy] functions (scripts/split_wasm.py)
#   whole app   first load plus those chunks, which load when their part is first opened (and
#               which the service worker fetches in the background, so they also work offline)
# Budget: 200 KB gzipped (not met; see docs/benchmarks.md).
#   scripts/size-report.sh --max-first-load BYTES   also fails (exit 1) when the gzipped first
#                                                    load is larger: scripts/test.sh holds the
#                                                    size reached so that it cannot creep back up
set -euo pipefail
max=""
if [ "${1:-}" = "--max-first-load" ]; then
  max="${2:-}"
  [[ "$max" =~ ^[0-9]+$ ]] || { echo "usage: scripts/size-report.sh [--max-first-load BYTES]" >&2; exit 2; }
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f dist/index.html ] || { echo "no dist/: run scripts/build.sh first" >&2; exit 2; }
printf '%-56s %10s %10s\n' file bytes gzip
first=0; gfirst=0; later=0; glater=0
for f in dist/*; do
  [ -f "$f" ] || continue
  n=$(basename "$f"); r=$(stat -c %s "$f"); g=$(gzip -9 -c "$f" | wc -c)
  case "$n" in
    split_*.wasm | chunk_*.wasm) later=$((later + r)); glater=$((glater + g)); n="$n (on demand)" ;;
    *) first=$((first + r)); gfirst=$((gfirst + g)) ;;
  esac
  printf '%-56s %10d %10d\n' "$n" "$r" "$g"
done
printf '%-56s %10d %10d\n' "first load" "$first" "$gfirst"
printf '%-56s %10d %10d\n' "whole app (first load + on-demand chunks)" "$((first + later))" "$((gfirst + glater))"
printf 'first load gzipped: %.1f KB (budget 200 KB); whole app %.1f KB\n' \
  "$(echo "$gfirst / 1000" | bc -l)" "$(echo "($gfirst + $glater) / 1000" | bc -l)"
if [ -n "$max" ] && [ "$gfirst" -gt "$max" ]; then
  echo "error: the first load is $gfirst bytes gzipped, over the $max held by scripts/test.sh." >&2
  echo "       what to do: find what grew (docs/benchmarks.md says how), move it to a chunk or make it smaller." >&2
  exit 1
fi
