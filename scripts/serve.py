#!/usr/bin/env python3
"""Serves a built dist/ on 127.0.0.1 only, optionally under a sub-path (e.g. /tools/payg/),
gzipped like a static host.

Used by scripts/run.sh (the app) and by the browser tests (to prove relative asset paths).
Prints the URL once listening. Exits 3 with a clear message if the port is taken.
"""
import argparse
import errno
import functools
import gzip
import http.server
import os
import sys


# What a static host compresses, and the compressed bodies by (path, mtime, size).
COMPRESSED = {".html", ".js", ".mjs", ".css", ".wasm", ".svg", ".json", ".webmanifest"}
GZIPPED = {}


class Handler(http.server.SimpleHTTPRequestHandler):
    base = "/"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".webmanifest": "application/manifest+json",
        ".svg": "image/svg+xml",
    }

    def translate_path(self, path):
        # Only paths under the base exist; everything else is a 404 (as on a real sub-path host).
        if not path.startswith(self.base):
            return os.path.join(self.directory, "__outside_base__")
        return super().translate_path("/" + path[len(self.base):])

    def do_GET(self):
        if self.path == self.base.rstrip("/") and self.base != "/":
            self.send_response(301)
            self.send_header("Location", self.base)
            self.end_headers()
            return
        if self.send_gzipped():
            return
        super().do_GET()

    def send_gzipped(self):
        """Serves text and wasm gzipped when the browser accepts it, as static hosts do (measured
        loads through a server that does not compress overstate the wasm transfer 2.6 times)."""
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return False
        path = self.translate_path(self.path.split("?", 1)[0].split("#", 1)[0])
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return False  # the parent class redirects to the path with a slash
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path) or os.path.splitext(path)[1] not in COMPRESSED:
            return False
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        body = GZIPPED.get(key)
        if body is None:
            with open(path, "rb") as f:
                body = gzip.compress(f.read(), compresslevel=6)
            GZIPPED[key] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return True

    def end_headers(self):
        # Revalidate every time so a new build is never mixed with a cached old one.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, fmt, *args):
        if os.environ.get("SERVE_QUIET") != "1":
            super().log_message(fmt, *args)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--root", default="dist")
    p.add_argument("--base", default="/")
    p.add_argument("--port", type=int, default=8080)
    a = p.parse_args()
    base = "/" + a.base.strip("/") + "/" if a.base.strip("/") else "/"
    if not os.path.isfile(os.path.join(a.root, "index.html")):
        print(f"error: {a.root}/index.html does not exist; build the app first (scripts/run.sh builds it).", file=sys.stderr)
        sys.exit(2)
    Handler.base = base
    handler = functools.partial(Handler, directory=os.path.abspath(a.root))
    try:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), handler)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            print(f"error: port {a.port} on 127.0.0.1 is already in use.\n"
                  f"       what to do: stop the program using it, or choose another port: PORT=8081 scripts/run.sh",
                  file=sys.stderr)
            sys.exit(3)
        raise
    print(f"power-payg is served at http://127.0.0.1:{httpd.server_address[1]}{base}  (Ctrl-C stops it)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
