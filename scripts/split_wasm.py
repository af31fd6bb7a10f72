#!/usr/bin/env python3
"""Trunk post_build hook: splits the app's WebAssembly into a first-load module and chunks.

Functions marked `#[lazy]` in src/ui (the advisor, the comparison) become chunks that the
browser fetches the first time they are needed, so the first load carries only what the first
total needs (docs/benchmarks.md, "First-load transfer"). Trunk 0.22 cannot split, so Trunk
builds as usual (with its wasm-opt step off: index.html says data-wasm-opt="0") and this hook
redoes the last steps on cargo's output, which is linked with --emit-relocs for this
(.cargo/config.toml):

  wasm-split-cli  cargo's .wasm  ->  main module + one .wasm per split + the JS loader
  wasm-bindgen    main module    ->  JS glue + main .wasm (as Trunk runs it, --target web)
  wasm-opt -Oz    every .wasm
  terser          the JS glue and the loader (minified ES modules)

Then it replaces Trunk's JS glue and .wasm in the staging directory, names every file after
a hash of its content (a new build never reuses an old name, so caches cannot mix builds),
and updates index.html: the loader script, the preload links and their integrity hashes.
The service worker and the Content-Security-Policy are written afterwards (post_build.py).

Runs with TRUNK_STAGING_DIR and TRUNK_PROFILE set by Trunk (see Trunk.toml).
"""
import base64
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

APP = "power-payg-web"


def die(what, todo):
    sys.exit(f"split_wasm: error: {what}\n            what to do: {todo}")


def run(args):
    try:
        done = subprocess.run(args, capture_output=True, text=True)
    except FileNotFoundError:
        die(f"{args[0]} is not installed.", "run scripts/setup.sh, which installs it")
    if done.returncode != 0:
        die(f"{os.path.basename(args[0])} failed:\n{done.stderr.strip()}", "see the message above")
    return done.stdout


def minify(text, name):
    """Minifies an ES module with terser (pinned in package-lock.json): the JS glue is ~47 KB as
    wasm-bindgen writes it. Names are hashed after this, so the hash is of what is served."""
    terser = os.path.join(root, "node_modules", ".bin", "terser")
    if not os.path.isfile(terser):
        die("terser is not installed.", "run scripts/setup.sh, which installs the npm tools")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, name)
        out = os.path.join(tmp, "min-" + name)
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        run([terser, src, "--module", "--compress", "--mangle", "--ecma", "2020", "-o", out])
        with open(out, encoding="utf-8") as f:
            return f.read()


def content_hash(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def sri(path):
    with open(path, "rb") as f:
        return "sha384-" + base64.b64encode(hashlib.sha384(f.read()).digest()).decode()


staging = os.environ.get("TRUNK_STAGING_DIR")
if not staging or not os.path.isdir(staging):
    sys.exit("split_wasm: TRUNK_STAGING_DIR is not set; run through `trunk build`")
profile = os.environ.get("TRUNK_PROFILE", "release")
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

metadata = json.loads(run(["cargo", "metadata", "--no-deps", "--format-version", "1", "--offline"]))
source = os.path.join(metadata["target_directory"], "wasm32-unknown-unknown", profile, APP + ".wasm")
if not os.path.isfile(source):
    die(f"cargo's output {source} is missing.", "build with scripts/build.sh (trunk build --release)")

trunk_js = glob.glob(os.path.join(staging, APP + "-*.js"))
trunk_wasm = glob.glob(os.path.join(staging, APP + "-*_bg.wasm"))
if len(trunk_js) != 1 or len(trunk_wasm) != 1:
    die(f"expected one {APP} JS glue and one .wasm from Trunk in {staging}, found {trunk_js + trunk_wasm}.",
        "check index.html's <link data-trunk rel=\"rust\"> and Trunk.toml (filehash = true)")

with tempfile.TemporaryDirectory() as tmp:
    split_dir = os.path.join(tmp, "split")
    bindgen_dir = os.path.join(tmp, "bindgen")
    run(["wasm-split-cli", source, split_dir, "--out-name", APP])
    run(["wasm-bindgen", "--target=web", "--no-typescript", "--keep-lld-exports",
         f"--out-dir={bindgen_dir}", f"--out-name={APP}", os.path.join(split_dir, APP + ".wasm")])
    main_wasm = os.path.join(bindgen_dir, APP + "_bg.wasm")
    chunks = sorted(glob.glob(os.path.join(split_dir, "*.wasm")))
    chunks = [c for c in chunks if os.path.basename(c) != APP + ".wasm"]
    for wasm in [main_wasm] + chunks:
        run(["wasm-opt", "-Oz", wasm, "-o", wasm])

    # Content-hashed names, innermost first: chunks, then the loader that names them, then the
    # glue that imports the loader, then the main module.
    loader_path = os.path.join(split_dir, "__wasm_split.js")
    with open(loader_path, encoding="utf-8") as f:
        loader = f.read()
    renamed = {}
    for chunk in chunks:
        name = os.path.basename(chunk)
        stem = name[: -len(".wasm")]
        final = f"{stem}-{content_hash(chunk)}.wasm"
        if f'"./{name}"' not in loader:
            die(f"the loader does not name the chunk {name}.", "report this: wasm-split-cli's output changed")
        loader = loader.replace(f'"./{name}"', f'"./{final}"')
        renamed[chunk] = final
    # The loader imports initSync from the glue, whose final name is not known yet; a fixed
    # placeholder of the same shape is replaced once it is.
    loader = loader.replace(f'from "./{APP}.js"', 'from "./__GLUE__"')
    loader = minify(loader, "loader.js")
    if '"./__GLUE__"' not in loader:
        die("the minified loader lost the glue's import.", "report this: terser's output changed")
    loader_name = "__wasm_split-%s.js" % hashlib.sha256(loader.encode()).hexdigest()[:16]

    glue_path = os.path.join(bindgen_dir, APP + ".js")
    with open(glue_path, encoding="utf-8") as f:
        glue = f.read()
    # Only the JS import moves; the wasm still names its import module "./__wasm_split.js",
    # which is the key the glue passes the loader under.
    if 'from "./__wasm_split.js"' not in glue:
        die("the JS glue does not import the split loader.", "check that src/ui has #[lazy] functions and that "
            ".cargo/config.toml links with --emit-relocs")
    glue = glue.replace('from "./__wasm_split.js"', f'from "./{loader_name}"')
    glue = minify(glue, "glue.js")
    glue_name = "%s-%s.js" % (APP, hashlib.sha256(glue.encode()).hexdigest()[:16])
    wasm_name = "%s-%s_bg.wasm" % (APP, content_hash(main_wasm))
    loader = loader.replace('"./__GLUE__"', f'"./{glue_name}"')

    for old in trunk_js + trunk_wasm:
        os.remove(old)
    with open(os.path.join(staging, glue_name), "w", encoding="utf-8") as f:
        f.write(glue)
    with open(os.path.join(staging, loader_name), "w", encoding="utf-8") as f:
        f.write(loader)
    shutil.copyfile(main_wasm, os.path.join(staging, wasm_name))
    for chunk, final in renamed.items():
        shutil.copyfile(chunk, os.path.join(staging, final))

index_path = os.path.join(staging, "index.html")
with open(index_path, encoding="utf-8") as f:
    index = f.read()
old_js, old_wasm = os.path.basename(trunk_js[0]), os.path.basename(trunk_wasm[0])
if index.count(old_js) < 1 or index.count(old_wasm) < 1:
    die("index.html does not load Trunk's JS glue and .wasm.", "check index.html's <link data-trunk rel=\"rust\">")
index = index.replace(old_js, glue_name).replace(old_wasm, wasm_name)


def with_integrity(match):
    tag = match.group(0)
    href = re.search(r'href="\./([^"]+)"', tag)
    if not href:
        return tag
    return re.sub(r'integrity="[^"]*"', f'integrity="{sri(os.path.join(staging, href.group(1)))}"', tag)


index = re.sub(r"<link [^>]*integrity=\"[^\"]*\"[^>]*>", with_integrity, index)
with open(index_path, "w", encoding="utf-8") as f:
    f.write(index)

sizes = ", ".join(
    f"{n} {os.path.getsize(os.path.join(staging, n)):,} B"
    for n in [wasm_name] + list(renamed.values())
)
print(f"split_wasm: {len(renamed)} chunk(s); {sizes}")
