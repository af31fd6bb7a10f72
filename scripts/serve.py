#!/usr/bin/env python3
"""Serves a built dist/ on 127.0.0.1 only, optionally under a sub-path (e.g. /tools/payg/).

Used by scripts/run.sh (the app) and by the browser tests (to prove relative asset paths).
Prints the URL once listening. Exits 3 with a clear message if the port is taken.
"""
import argparse
import errno
import functools
import http.server
import os
import sys


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
        super().do_GET()

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
