#!/usr/bin/env bash
# The importer against pandas on the same file, side by side in one run (issue 14):
#
#   scripts/bench-import.sh [ROWS]     default 1000000
#
# 1. scripts/gen-usage.py writes a usage report (2025 layout) of ROWS rows to /tmp/imp-bench/.
# 2. The CLI, built with the `native` profile (release with opt-level 3: Cargo.toml; set
#    BENCH_PROFILE=release to measure the opt-level "z" build the wasm uses), runs under
#    /usr/bin/time -v (wall time, CPU time, peak memory): once the whole
#    `power-payg import FILE` (read, aggregate, build and print the scenario), once reading and
#    aggregating only (`--month` of no row: it stops before building).
# 3. The same aggregation in pandas (read_csv, then group-bys: distinct user x app pairs per
#    environment, runs per flow per day, requests per caller per day, Dataverse readings per
#    day), in a throwaway venv under /tmp/imp-bench/venv, under /usr/bin/time -v too. The script
#    also prints the time pandas spends after its own import (read_csv + group-by only). If pip
#    cannot install pandas, that half is skipped with a message.
# 4. The ratios pandas / native, in wall time and in CPU time (user + system): on a shared
#    machine wall times swing with the load, CPU times much less.
#
# Figures go to docs/benchmarks.md ("Import") by hand; the script only measures.
set -euo pipefail
ROWS="${1:-1000000}"
case "$ROWS" in '' | *[!0-9]*) echo "usage: scripts/bench-import.sh [ROWS]" >&2; exit 2 ;; esac
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK=/tmp/imp-bench
mkdir -p "$WORK"
FILE="$WORK/usage-$ROWS.csv"

say() { printf '\033[1m[bench-import]\033[0m %s\n' "$*" >&2; }

# "wall seconds, peak MB, CPU seconds (user + system)" from a /usr/bin/time -v log.
measure() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; wall = s }
    /Maximum resident set size/ { rss = $2 / 1024 }
    /User time/ { user = $2 }
    /System time/ { sys = $2 }
    END { printf "%.2f s wall, peak %.0f MB, %.2f s CPU (%.2f user + %.2f system)", wall, rss, user + sys, user, sys }' "$1"
}
# "wall cpu" seconds from a /usr/bin/time -v log, for the ratios.
seconds() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; wall = s }
    /User time/ { user = $2 }
    /System time/ { sys = $2 }
    END { printf "%s %s", wall, user + sys }' "$1"
}

if [ ! -s "$FILE" ]; then
  say "generating $ROWS rows"
  python3 "$ROOT/scripts/gen-usage.py" big "$ROWS" "$FILE"
fi
say "file: $FILE ($(du -h "$FILE" | cut -f1))"

PROFILE="${BENCH_PROFILE:-native}"
say "building the CLI ($PROFILE profile)"
(cd "$ROOT" && cargo build --profile "$PROFILE" --locked --quiet --bin power-payg)
CLI="$ROOT/target/$PROFILE/power-payg"

say "native import"
/usr/bin/time -v "$CLI" import "$FILE" > "$WORK/scenario.json" 2> "$WORK/native.log"
native="$(measure "$WORK/native.log")"
say "scenario: $(du -h "$WORK/scenario.json" | cut -f1)"
# Reading and aggregating only, as pandas does: a month with no rows stops before the
# scenario is built and written (and exits 2, as it should).
/usr/bin/time -v "$CLI" import --month 1999-01 "$FILE" > /dev/null 2> "$WORK/native-read.log" || true
reading="$(measure "$WORK/native-read.log")"

pandas="skipped (pip could not install pandas)"
inner=""
if [ ! -x "$WORK/venv/bin/python" ] || ! "$WORK/venv/bin/python" -c 'import pandas' 2>/dev/null; then
  say "installing pandas into a throwaway venv ($WORK/venv)"
  python3 -m venv "$WORK/venv" >/dev/null 2>&1 && "$WORK/venv/bin/pip" install --quiet pandas >/dev/null 2>&1 || true
fi
if "$WORK/venv/bin/python" -c 'import pandas' 2>/dev/null; then
  cat > "$WORK/aggregate.py" <<'PY'
"""The importer's aggregation of a usage report, in pandas."""
import sys, time
import pandas as pd

start = time.perf_counter()
df = pd.read_csv(sys.argv[1], dtype={"Caller ID": "string", "Resource ID": "string"})
df["day"] = df["Usage Datetime"].str.slice(0, 10)
apps = df[df["Meter Category"] == "Power Apps"]
pairs = apps.groupby(["Environment ID", "Resource ID"])["Caller ID"].nunique()
flows = df[df["Meter Category"] == "Power Automate"]
runs = flows.groupby(["Environment ID", "Resource ID", "day"])["Consumed Quantity"].sum()
reqs = df[df["Meter Category"] == "Power Platform request"]
requests = reqs.groupby(["Environment ID", "Caller ID", "day"])["Consumed Quantity"].sum()
dv = df[df["Meter Category"] == "Dataverse"]
storage = dv.groupby(["Environment ID", "Meter Subcategory", "day"])["Consumed Quantity"].mean()
billed = df.groupby(["Environment ID", "Meter Category"])["Billed Quantity"].sum()
took = time.perf_counter() - start
print(f"{took:.2f}", len(pairs), int(pairs.sum()), len(runs), len(requests), len(storage), len(billed))
PY
  say "pandas"
  /usr/bin/time -v "$WORK/venv/bin/python" "$WORK/aggregate.py" "$FILE" > "$WORK/pandas.out" 2> "$WORK/pandas.log"
  pandas="$(measure "$WORK/pandas.log")"
  inner=" (read_csv + group-by alone: $(cut -d' ' -f1 "$WORK/pandas.out") s)"
fi

printf '\n%-8s %s rows, %s\n' "file" "$ROWS" "$(du -h "$FILE" | cut -f1)"
printf '%-8s %s\n' "native" "$native"
printf '%-8s %s\n' "" "reading and aggregating only: $reading"
printf '%-8s %s%s\n' "pandas" "$pandas" "$inner"
if [ -s "$WORK/pandas.log" ] && [ "$pandas" != "skipped (pip could not install pandas)" ]; then
  read -r pw pc <<< "$(seconds "$WORK/pandas.log")"
  read -r nw nc <<< "$(seconds "$WORK/native.log")"
  read -r rw rc <<< "$(seconds "$WORK/native-read.log")"
  awk -v pw="$pw" -v pc="$pc" -v nw="$nw" -v nc="$nc" -v rw="$rw" -v rc="$rc" 'BEGIN {
    printf "%-8s whole import: %.1fx wall, %.1fx CPU; reading and aggregating: %.1fx wall, %.1fx CPU\n", "pandas/", pw / (nw > 0 ? nw : 0.01), pc / (nc > 0 ? nc : 0.01), pw / (rw > 0 ? rw : 0.01), pc / (rc > 0 ? rc : 0.01)
  }'
fi
