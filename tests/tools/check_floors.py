#!/usr/bin/env python3
"""The house's floors (issue 13 §2, docs/ARCHITECTURE.md): every quoted
#include of the source folders lands on the same floor or one below, and no
two modules (a .c with its .h) of one folder include each other, directly or
round a cycle.

    proto   libparley: nothing of ours below it
    common  file/passphrase I/O and the control client: proto
    node    parleyd: proto, common
    cli     parley: proto, common
    conform parley-conform: proto, common

Usage: check_floors.py SOURCE_DIR   (exit 0 clean, 1 with each breach)"""
import os
import re
import sys

FLOORS = {
    "proto": set(),
    "common": {"proto"},
    "node": {"proto", "common"},
    "cli": {"proto", "common"},
    "conform": {"proto", "common"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def files(root, folder):
    for dirpath, _, names in os.walk(os.path.join(root, folder)):
        for n in sorted(names):
            if n.endswith((".c", ".h")):
                yield os.path.join(dirpath, n)


def where(root, folder, path, name):
    """The folder a quoted include resolves to (the includer's own
    directory first, then the include paths the build gives)."""
    own = os.path.normpath(os.path.join(os.path.dirname(path), name))
    if os.path.exists(own):
        return os.path.relpath(own, root).split(os.sep)[0], own
    for cand in ("proto/include", "proto/src", "common", "node", "cli", "conform"):
        p = os.path.normpath(os.path.join(root, cand, name))
        if os.path.exists(p):
            return os.path.relpath(p, root).split(os.sep)[0], p
    if name == "parley/version.h":  # generated into the build tree
        return "proto", None
    return None, None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    bad = 0
    for folder, allowed in FLOORS.items():
        graph = {}
        for path in files(root, folder):
            text = open(path, encoding="utf-8").read()
            mod = os.path.splitext(os.path.basename(path))[0]
            for name in INCLUDE.findall(text):
                got, target = where(root, folder, path, name)
                rel = os.path.relpath(path, root)
                if got is None:
                    print(f"FAIL {rel}: #include \"{name}\" is not in the tree")
                    bad += 1
                elif got != folder and got not in allowed:
                    print(f"FAIL {rel}: #include \"{name}\" climbs from {folder} to {got}")
                    bad += 1
                elif got == folder and target is not None:
                    dep = os.path.splitext(os.path.basename(target))[0]
                    if dep != mod and os.path.dirname(target) == os.path.dirname(path):
                        graph.setdefault(mod, set()).add(dep)
        # cycles between the folder's modules
        state = {}

        def visit(m, trail):
            nonlocal bad
            state[m] = 1
            for d in sorted(graph.get(m, ())):
                if state.get(d) == 1:
                    cyc = trail[trail.index(d):] + [d] if d in trail else [m, d]
                    print(f"FAIL {folder}: include cycle {' -> '.join(cyc)}")
                    bad += 1
                elif d not in state:
                    visit(d, trail + [d])
            state[m] = 2

        for m in sorted(graph):
            if m not in state:
                visit(m, [m])
    print(f"{'ok' if not bad else 'FAIL'}: {bad} breach(es) of the floors")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
