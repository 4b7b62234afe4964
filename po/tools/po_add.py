#!/usr/bin/env python3
"""Appends translations to po/zh_CN.po: po_add.py PO PAIRS.py, where
PAIRS.py defines T = {english: chinese}. Existing msgids are left alone.
A maintainer's tool; the build and tests never run it."""
import runpy
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from check_po import parse_po  # noqa: E402


def quote(s):
    s = s.replace("\\", "\\\\").replace('"', '\\"')
    parts = s.split("\n")
    lines = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    if len(lines) <= 1:
        return '"' + (lines[0] if lines else "") + '"'
    return '""\n' + "\n".join('"' + line + '"' for line in lines)


def main():
    po_path, pairs_path = sys.argv[1], sys.argv[2]
    have = parse_po(open(po_path, encoding="utf-8").read())
    pairs = runpy.run_path(pairs_path)["T"]
    added = 0
    with open(po_path, "a", encoding="utf-8") as f:
        for k, v in pairs.items():
            if k in have:
                continue
            f.write("\nmsgid " + quote(k) + "\nmsgstr " + quote(v) + "\n")
            added += 1
    print(f"po_add: {added} added")


if __name__ == "__main__":
    main()
