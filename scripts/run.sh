#!/usr/bin/env bash
# The one command that runs the app: installs what is missing, builds the release app and
# serves it on http://127.0.0.1:${PORT:-8080}/ with the built-in example scenario.
#   PORT=9000 scripts/run.sh      another port
#   BASE=/tools/payg/ scripts/run.sh   serve under a sub-path, as a static host might
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${PORT:-8080}"
BASE="${BASE:-/}"

# Fail before a long build if the port is taken.
if ! python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])))" "$PORT" 2>/dev/null; then
  echo "error: port $PORT on 127.0.0.1 is already in use (or not a valid port)." >&2
  echo "       what to do: stop the program using it, or choose another port: PORT=8081 scripts/run.sh" >&2
  exit 3
fi

scripts/setup.sh
# Rebuild only when a source is newer than the last build (a second run starts at once).
if [ -f dist/index.html ] && [ -z "$(find src style index.html Cargo.toml Cargo.lock Trunk.toml .cargo/config.toml scripts/post_build.py scripts/split_wasm.py scripts/sw.js -newer dist/index.html -print -quit)" ]; then
  echo "[run] dist/ is up to date" >&2
else
  echo "[run] building the release app (first build about 3 minutes)" >&2
  scripts/build.sh >&2
fi
exec python3 scripts/serve.py --root dist --port "$PORT" --base "$BASE"
