#!/usr/bin/env bash
# Builds the release app into dist/ with Trunk, offline, with the tools scripts/setup.sh installed.
#
# The wasm is compiled by the dated nightly of scripts/release-toolchain.sh, with the standard
# library rebuilt for size (see that file and docs/building.md); if that toolchain is missing
# (setup could not install it), the pinned stable one builds it, larger, with a warning.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
[ -f .setup/env ] && . .setup/env
. scripts/release-toolchain.sh
sysroot="$(rustc +"$RELEASE_TOOLCHAIN" --print sysroot 2>/dev/null || true)"
if [ -n "$sysroot" ] && [ -d "$sysroot/lib/rustlib/src/rust/library" ]; then
  export RUSTUP_TOOLCHAIN="$RELEASE_TOOLCHAIN"
  # A target directory of its own: the stable toolchain's builds (clippy, tests, the CLI) and
  # this one would otherwise rebuild each other's build scripts and macros every time.
  export CARGO_TARGET_DIR="$ROOT/target/nightly"
  export CARGO_UNSTABLE_BUILD_STD="std,panic_abort"
  export CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT=true
  export CARGO_PROFILE_RELEASE_PANIC="immediate-abort"
  # Cargo appends these to .cargo/config.toml's rustflags for the target (it merges an
  # environment array with the config's). Nothing the app shows is made with Debug formatting.
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none -Zfmt-debug=none"
else
  printf '[build] warning: %s with rust-src is not installed: building with the stable toolchain,\n' "$RELEASE_TOOLCHAIN" >&2
  printf '        whose wasm is larger than scripts/test.sh allows. Run scripts/setup.sh to install it.\n' >&2
fi
# Trunk must not download anything: wasm-bindgen and wasm-opt come from PATH.
export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true NO_COLOR=true
trunk build --release "$@"
