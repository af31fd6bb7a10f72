#!/usr/bin/env bash
# Builds the release app into dist/ with Trunk, offline, with the tools scripts/setup.sh installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
[ -f .setup/env ] && . .setup/env
# Trunk must not download anything: wasm-bindgen and wasm-opt come from PATH.
export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true NO_COLOR=true
trunk build --release "$@"
