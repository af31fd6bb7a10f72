#!/usr/bin/env python3
"""Trunk post_build hook: makes dist/ an offline-capable, locked-down static app.

0. Splits the wasm (scripts/split_wasm.py): everything below must see the final files.
1. Writes sw.js, a service worker that precaches every file of this build under a cache
   named after a hash of the build's contents: a new release gets a new cache, installed
   whole or not at all, and the old one is deleted when no tab runs the old release any more,
   so old and new files are never mixed (scripts/sw.js says how).
2. Adds a Content-Security-Policy to index.html that allows scripts only from the app's own
   origin plus the inline loader Trunk writes and index.html's first-paint script (by sha256), WebAssembly compilation,
   and connections to the app's own origin only: nothing a user enters can be sent elsewhere.

Runs with the staging directory in TRUNK_STAGING_DIR (see Trunk.toml).
"""
import base64
import hashlib
import os
import re
import subprocess
import sys

staging = os.environ.get("TRUNK_STAGING_DIR")
if not staging or not os.path.isdir(staging):
    sys.exit("post_build: TRUNK_STAGING_DIR is not set; run through `trunk build`")

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if subprocess.run([sys.executable, os.path.join(root, "scripts", "split_wasm.py")]).returncode != 0:
    sys.exit(1)
index_path = os.path.join(staging, "index.html")
with open(index_path, encoding="utf-8") as f:
    index = f.read()

# --- Content-Security-Policy -------------------------------------------------------------
# Trunk's module loader, and index.html's own classic script that decides, before the first
# paint, whether the pre-rendered figures are the scenario's (see index.html).
inline = re.findall(r"<script(?: type=\"module\")?>(.*?)</script>", index, flags=re.S)
hashes = " ".join(
    "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in inline
)
csp = (
    "default-src 'self'; "
    f"script-src 'self' {hashes} 'wasm-unsafe-eval'; "
    "connect-src 'self'; "
    "style-src 'self'; "
    "img-src 'self' data: blob:; "
    "font-src 'self'; "
    "worker-src 'self'; "
    "manifest-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'none'"
)
meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}" />'
index = re.sub(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>\s*", "", index)
index = index.replace("<head>", "<head>\n    " + meta, 1)
with open(index_path, "w", encoding="utf-8") as f:
    f.write(index)

# --- Service worker ------------------------------------------------------------------------
files = sorted(
    name
    for name in os.listdir(staging)
    if os.path.isfile(os.path.join(staging, name)) and not name.startswith(".") and name != "sw.js"
)
digest = hashlib.sha256()
for name in files:
    digest.update(name.encode())
    with open(os.path.join(staging, name), "rb") as f:
        digest.update(f.read())
version = digest.hexdigest()[:16]
precache = ["./"] + ["./" + n for n in files if n != "index.html"]
with open(os.path.join(root, "scripts", "sw.js"), encoding="utf-8") as f:
    template = f.read()
# The files this release's page names (hashed names): the worker installs only if the page it
# fetches names them all, so a cache never pairs one release's page with another's files.
entries = [n for n in files if n != "index.html" and n in index]
sw = (
    template.replace("__VERSION__", version)
    .replace('"__ENTRY__"', "[%s]" % ", ".join('"%s"' % n for n in entries))
    .replace("__PRECACHE__", ",\n  ".join('"%s"' % p for p in precache))
)
sw_path = os.path.join(staging, "sw.js")
with open(sw_path, "w", encoding="utf-8") as f:
    f.write(sw)
# Minified like the JS glue (scripts/split_wasm.py): the worker is part of every first load.
terser = os.path.join(root, "node_modules", ".bin", "terser")
if not os.path.isfile(terser):
    sys.exit("post_build: terser is not installed; run scripts/setup.sh, which installs the npm tools")
if subprocess.run([terser, sw_path, "--compress", "--mangle", "--ecma", "2020", "-o", sw_path]).returncode != 0:
    sys.exit("post_build: terser could not minify sw.js")
print(f"post_build: sw.js cache {version}, {len(precache)} files; CSP with {len(inline)} inline script hash(es)")
