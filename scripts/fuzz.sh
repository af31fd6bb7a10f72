#!/usr/bin/env bash
# Coverage-guided fuzzing of the decoders (cargo-fuzz / libFuzzer), one target after the other:
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   each target for SECONDS (default 60)
#
# Targets (fuzz/fuzz_targets/): `scenario_file` (engine::decode::decode_scenario, then
# re-encode + decode, price and the reports), `share_link` (share::decode_link, then
# Copy link + open) and `import_files` (import::import_all on usage exports, seeded with the
# files of tests/fixtures/import/). The first run installs a nightly toolchain and cargo-fuzz (libFuzzer needs
# nightly's -Zsanitizer flags; the project itself stays on its pinned stable toolchain).
#
# Seeds are written fresh on every run from the built-in examples (`power-payg example NAME`,
# `power-payg link FILE`) and the JSON blocks of docs/scenario-format.md; what the fuzzer finds
# grows fuzz/corpus/TARGET, kept between runs (out of git). A crash, timeout or out-of-memory
# input is saved under fuzz/artifacts/TARGET/ with its stack trace in fuzz/logs/TARGET.log, and
# the script exits 1. Per target it prints executions, executions per second, the corpus
# (libFuzzer's inputs/bytes at the end, and the files kept in fuzz/corpus/TARGET) and crashes.
#
# One libFuzzer process at a time (-jobs=1 -workers=1): the machine's cores are shared.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ="$ROOT/fuzz"
cd "$ROOT"

say() { printf '\033[1m[fuzz]\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[1;31m[fuzz] error:\033[0m %s\n' "$1" >&2
  [ $# -gt 1 ] && printf '       what to do: %s\n' "$2" >&2
  exit 2
}

SECONDS_PER_TARGET="${1:-60}"
case "$SECONDS_PER_TARGET" in
  '' | *[!0-9]*) die "SECONDS must be a whole number, got '$SECONDS_PER_TARGET'" "scripts/fuzz.sh [SECONDS] [TARGET...]" ;;
esac
[ "$SECONDS_PER_TARGET" -gt 0 ] || die "SECONDS must be at least 1" "scripts/fuzz.sh [SECONDS] [TARGET...]"
shift $(($# > 0 ? 1 : 0))
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(scenario_file share_link import_files)
for t in "${TARGETS[@]}"; do
  [ -f "$FUZZ/fuzz_targets/$t.rs" ] || die "unknown target '$t'" "the targets are: $(cd "$FUZZ/fuzz_targets" && ls | sed 's/\.rs$//' | tr '\n' ' ')"
done

export PATH="$HOME/.cargo/bin:$PATH"
command -v rustup >/dev/null 2>&1 || die "rustup is not installed (it provides the nightly toolchain cargo-fuzz needs)." \
  "install rustup from https://rustup.rs, then run this again."
command -v python3 >/dev/null 2>&1 || die "python3 is needed to write the seed corpora." "apt-get install python3"

# --- nightly and cargo-fuzz, once ------------------------------------------------------------
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  say "installing the nightly toolchain (libFuzzer's instrumentation needs it)"
  rustup toolchain install nightly --profile minimal >&2 \
    || die "rustup could not install the nightly toolchain." "check the network connection to static.rust-lang.org and run this again."
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (a few minutes, fast-compiling profile)"
  (cd "$HOME" && CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
    cargo install cargo-fuzz --locked >&2) \
    || die "cargo install cargo-fuzz failed (see above)." "check the network connection to crates.io and run this again."
fi

# --- seed corpora ---------------------------------------------------------------------------
say "writing the seed corpora from the examples and docs/scenario-format.md"
cargo build --locked --quiet --bin power-payg
CLI="$ROOT/target/debug/power-payg"
SEEDS="$FUZZ/seeds"
rm -rf "$SEEDS"
mkdir -p "$SEEDS/json" "$SEEDS/links"
for name in $("$CLI" examples | awk '{print $1}'); do
  "$CLI" example "$name" > "$SEEDS/json/example-$name.json"
  "$CLI" link "$SEEDS/json/example-$name.json" > "$SEEDS/links/example-$name.txt"
  printf '?example=%s' "$name" > "$SEEDS/links/name-$name.txt"
done
python3 - "$ROOT/docs/scenario-format.md" "$SEEDS" <<'PY'
"""Turns the raw seeds into each target's corpus and dictionary.

scenario_file: every example and every JSON block of the format documentation, compact (fewer
bytes for the fuzzer to mutate through), plus the pretty examples as the app exports them.
share_link: the examples' links as text (first byte 0) and their raw deflate streams (first byte
1, see fuzz/fuzz_targets/share_link.rs). The dictionaries hold every key and short string value
of the seeds, so mutations write JSON the decoder recognises.
"""
import base64, json, os, re, sys

doc, seeds = sys.argv[1], sys.argv[2]
files = os.path.join(seeds, "scenario_file")
links = os.path.join(seeds, "share_link")
os.makedirs(files)
os.makedirs(links)

scenarios = []
for name in sorted(os.listdir(os.path.join(seeds, "json"))):
    text = open(os.path.join(seeds, "json", name), encoding="utf-8").read()
    scenarios.append((name[:-5], text))
blocks = re.findall(r"```json\n(.*?)```", open(doc, encoding="utf-8").read(), re.S)
for i, block in enumerate(blocks):
    scenarios.append((f"doc-{i:02}", block))

words = set()

def collect(v):
    if isinstance(v, dict):
        for k, x in v.items():
            words.add(k)
            collect(x)
    elif isinstance(v, list):
        for x in v:
            collect(x)
    elif isinstance(v, str) and len(v) <= 24:
        words.add(v)

for name, text in scenarios:
    value = json.loads(text)
    collect(value)
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    open(os.path.join(files, name + ".json"), "w", encoding="utf-8").write(compact)
    if name.startswith("example-"):
        open(os.path.join(files, name + "-pretty.json"), "w", encoding="utf-8").write(text)

for name in sorted(os.listdir(os.path.join(seeds, "links"))):
    link = open(os.path.join(seeds, "links", name), encoding="utf-8").read().strip()
    open(os.path.join(links, "text-" + name), "wb").write(b"\x00" + link.encode())
    if link.startswith("#s=1."):
        payload = link[len("#s=1."):]
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        open(os.path.join(links, "deflate-" + name[:-4]), "wb").write(b"\x01" + raw)

def entry(word):
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'

with open(os.path.join(seeds, "scenario_file.dict"), "w", encoding="utf-8") as out:
    for w in sorted(words):
        out.write(entry(json.dumps(w, ensure_ascii=False)) + "\n")
    for w in ["true", "false", "null", "1e30", "-0", "0.00000000000000000001", "18446744073709551616", "\\u0000", "\\ud800"]:
        out.write(entry(w) + "\n")
with open(os.path.join(seeds, "share_link.dict"), "w", encoding="utf-8") as out:
    for w in ["#s=1.", "?s=1.", "s=2.", "&", "example=", "#example=", "=="]:
        out.write(entry(w) + "\n")
PY

# import_files: the generated exports, each behind the byte that picks no extra header row.
mkdir -p "$SEEDS/import_files"
for f in "$ROOT"/tests/fixtures/import/*.csv; do
  { printf '\006'; cat "$f"; } > "$SEEDS/import_files/$(basename "$f")"
done
# Its dictionary: every column name of the layouts' header rows, and the bytes that separate,
# quote and end fields in the exports users have (libFuzzer stops at once without a dictionary
# file when -dict names one).
python3 - "$SEEDS/import_files.dict" "$ROOT"/tests/fixtures/import/*.csv <<'PY'
import re, sys

words = {",", ";", "\t", '"', '""', "\r\n", "\n", "\ufeff", "0,5", "1.5", "2026-09-01",
         "2026-09-01T10:00:00Z", "microsoft.powerplatform", "Succeeded", "Failed"}
for path in sys.argv[2:]:
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        header = f.readline().strip()
    words.update(w.strip().strip('"') for w in re.split(r"[,;\t]", header) if w.strip())

def entry(word):
    out = []
    for b in word.encode("utf-8"):
        c = chr(b)
        if c in '\\"' or b < 0x20 or b > 0x7E:
            out.append("\\x%02X" % b)
        else:
            out.append(c)
    return '"' + "".join(out) + '"'

with open(sys.argv[1], "w", encoding="ascii") as out:
    for w in sorted(words):
        out.write(entry(w) + "\n")
PY

# --- build, then run each target --------------------------------------------------------------
# --sanitizer none: power-payg forbids unsafe code (the unsafe code of its dependencies, serde_json
# and rust_decimal, is fuzzed upstream), so AddressSanitizer would mostly cost speed. -a (debug assertions, hence overflow checks): an arithmetic overflow
# panics here instead of wrapping silently as in the release app.
FUZZ_FLAGS=(--fuzz-dir "$FUZZ" --sanitizer none --debug-assertions)
say "building the fuzz targets (nightly, libFuzzer)"
for target in "${TARGETS[@]}"; do
  cargo +nightly fuzz build "${FUZZ_FLAGS[@]}" "$target" >&2
done

# A panic's message and Rust stack trace go to the log beside the saved input.
export RUST_BACKTRACE=1
mkdir -p "$FUZZ/logs"
summary=()
crashed=0
for target in "${TARGETS[@]}"; do
  corpus="$FUZZ/corpus/$target"
  artifacts="$FUZZ/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  log="$FUZZ/logs/$target.log"
  before="$(ls "$artifacts" | wc -l)"
  say "$target: fuzzing for ${SECONDS_PER_TARGET} s (log: fuzz/logs/$target.log)"
  # libFuzzer with -jobs writes the job's output to fuzz-0.log in its working directory.
  rundir="$(mktemp -d)"
  set +e
  (cd "$rundir" && cargo +nightly fuzz run "${FUZZ_FLAGS[@]}" "$target" "$corpus" "$SEEDS/$target" -- \
    -max_total_time="$SECONDS_PER_TARGET" -jobs=1 -workers=1 -print_final_stats=1 \
    -dict="$SEEDS/$target.dict" -artifact_prefix="$artifacts/" -timeout=10 -rss_limit_mb=2048) \
    > "$log.runner" 2>&1
  status=$?
  set -e
  cat "$rundir"/fuzz-*.log > "$log" 2>/dev/null || true
  cat "$log.runner" >> "$log"
  rm -rf "$rundir" "$log.runner"
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)"
  per_s="$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)"
  # libFuzzer's own corpus at the end (inputs that each add coverage); fuzz/corpus/TARGET keeps
  # every input it ever saved, so it holds more files.
  units="$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -n 1 | sed 's/corp: //' || true)"
  files="$(ls "$corpus" | wc -l)"
  found=$(( $(ls "$artifacts" | wc -l) - before ))
  if [ "$found" -gt 0 ] || [ "$status" -ne 0 ]; then
    crashed=1
    say "$target: libFuzzer stopped with status $status; new artefacts in fuzz/artifacts/$target:"
    ls -t "$artifacts" | head -n "$((found > 0 ? found : 1))" >&2
  fi
  summary+=("$(printf '%-14s %12s %8s %14s %8s %8s' "$target" "${execs:-?}" "${per_s:-?}" "${units:-?}" "$files" "$found")")
done

printf '%-14s %12s %8s %14s %8s %8s\n' target executions exec/s corpus files crashes
printf '%s\n' "${summary[@]}"
exit "$crashed"
