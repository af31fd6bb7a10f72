#!/usr/bin/env python3
"""Writes a large valid scenario file for memory and speed measurements of the decoder.

    python3 tests/bench/gen-scenario.py apps N > big.json     # N apps, one user group each
    python3 tests/bench/gen-scenario.py runs N > big.json     # one flow with N daily_runs records

One record per line, as a tool that writes JSON line by line would; docs/benchmarks.md lists
the figures measured with it (`/usr/bin/time -v power-payg price big.json`).
"""
import sys

HEAD = ('{"version": 1, "name": "generated", "price_book": "2023-06",\n'
        ' "month": {"year": 2026, "month": 11},\n'
        ' "environments": [{"name": "Big", "payg": true,\n')


def main():
    kind, n = sys.argv[1], int(sys.argv[2])
    out = sys.stdout
    out.write(HEAD)
    if kind == "apps":
        out.write('  "apps": [\n')
        for i in range(n):
            sep = "," if i + 1 < n else ""
            out.write('    {"name": "App %d", "connectors": "premium", '
                      '"user_groups": [{"users": %d, "licence": "none"}]}%s\n' % (i, i % 500 + 1, sep))
        out.write("  ]}]}\n")
    elif kind == "runs":
        out.write('  "flows": [{"name": "f", "trigger": "instant", "mode": "cloud", '
                  '"connectors": "premium", "owner": {"kind": "user", "licence": "none"},\n'
                  '   "daily_runs": [\n')
        for i in range(n):
            sep = "," if i + 1 < n else ""
            out.write('    {"day": %d, "runs": %d, "licence": "none"}%s\n' % (i % 30 + 1, i % 97 + 1, sep))
        out.write("  ]}]}]}\n")
    else:
        sys.exit("usage: gen-scenario.py apps|runs N")


main()
