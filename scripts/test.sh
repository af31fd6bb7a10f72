#!/usr/bin/env bash
# The one command that runs every test: formatting, lints (host and wasm32), the native engine
# tests, the release build and its first-load size, and the browser tests (Playwright driving
# Chromium against dist/ served from a sub-path). Installs what is missing first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() {
  local name="$1"; shift
  local t0=$SECONDS
  printf '\n\033[1m== %s\033[0m\n' "$name"
  "$@"
  printf '\033[1m== %s: ok (%ss)\033[0m\n' "$name" "$((SECONDS - t0))"
}

step "setup" scripts/setup.sh --browser
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
[ -f .setup/env ] && . .setup/env

step "cargo fmt --check" cargo fmt --all --check
step "clippy (host)" cargo clippy --all-targets --locked -- -D warnings
step "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --lib --bins --locked -- -D warnings
step "cargo test (native)" cargo test --locked
step "release build" scripts/build.sh
# The first load reached 377.7 KB gzipped on 2026-12-02 (budget 200 KB, not met); this holds it
# there with a little room, so that growth is a decision and not an accident. Raised from
# 385,000 to 386,500 the same day for the fix of issue 15's crash and slowness on big scenarios
# (paged lists, cards built when opened, one-pass line index, capped chart: 385.9 KB; see
# docs/benchmarks.md, "Scale"), then to 397,000 for issue 15's "nothing lost" (Recently closed,
# Back within the app, two-tab conflicts, another tab's autosave kept: 395.9 KB; see
# docs/benchmarks.md, "First-load transfer"); then down to 394,500 with the JS glue minified
# (393.8 KB); then 395,500 for issue 13's total bar and meter headers (395.3 KB); then 397,500
# for the decoder's refusal of duplicate keys and overflowing products and the link checksum
# (issue 15; 397.1 KB); then 398,500 for the static first paint and the scenario menu that
# starts closed on phones (issue 13; 397.9 KB); then 414,500 for issue 12's engine: five dated
# books with sources, the Copilot Credits meter, billing-plan meter ids and four learn-…
# examples (413.6 KB; docs/benchmarks.md says where it went and what could take it back); then
# down to 413,500 with issue 12's app part (the agents form in a chunk, sources on opened lines)
# paid for by links made from the pretty JSON (one serialiser, -5.9 KB) and keyed_enum! (412.6 KB);
# then 418,800 for issue 14's usage import in the app (its file input, drop routing and panel
# host: +3.6 KB; the importer and the panel are a 97 KB chunk) and issue 13's cards opened by use
# and remembered per scenario (+2.5 KB), less the built-in examples as data (-0.6 KB): 418.3 KB;
# then down to 410,300 with the link compressor in a chunk of its own (409.8 KB), and to 383,300
# with the release wasm built by a dated nightly with the standard library rebuilt for size and
# panics that abort at once (scripts/release-toolchain.sh; 382.8 KB); then 388,100 for issue 13's
# app bar (the name, save state and a keyboard menu in one row; the saved scenarios' rules moved
# to library.rs) and the first paint that carries the app bar and the first visit's totals
# (index.html +0.9 KB, CSS +0.5 KB), with the closed sections built when opened and the price
# table in a chunk (-0.7 KB): 387.6 KB.
step "first-load size (at most 388,100 B gzipped)" scripts/size-report.sh --max-first-load 388100
step "browser tests (Playwright + Chromium, dist/ under /tools/payg/)" npx playwright test --config tests/e2e/playwright.config.mjs
echo
echo "all tests passed"
