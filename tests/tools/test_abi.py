#!/usr/bin/env python3
"""libparley's ABI (issue 13 §3): the shared library exports exactly the
functions its public headers declare, each marked PL_API, and nothing of
its internals; the generated version.h matches the project's version.

Usage: test_abi.py LIBPARLEY.so INCLUDE_DIR... --version X.Y.Z
"""
import re
import subprocess
import sys


def declared(dirs):
    """Every pl_ function a public header declares, and those it marks."""
    import glob
    names, marked = set(), set()
    for d in dirs:
        for path in sorted(glob.glob(d + "/parley/*.h")):
            text = open(path, encoding="utf-8").read()
            text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)  # comments
            text = re.sub(r"^#.*?(?<!\\)$", " ", text, flags=re.S | re.M)  # macros
            # declarations end in ';': split, and look at each one's head
            for decl in text.split(";"):
                m = re.search(r"\b(pl_[a-z0-9_]+)\s*\(", decl)
                if not m or re.search(r"\btypedef\b", decl[: m.start()]):
                    continue
                head = decl[: m.start()]
                # the declarator's name comes right after the return type
                if re.search(r"[(,=]\s*$", head):
                    continue
                names.add(m.group(1))
                if re.search(r"\bPL_API\b", head):
                    marked.add(m.group(1))
    return names, marked


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms.add((parts[1], parts[2]))
    return syms


def main():
    args = sys.argv[1:]
    version = None
    if "--version" in args:
        i = args.index("--version")
        version = args[i + 1]
        del args[i:i + 2]
    lib, dirs = args[0], args[1:]
    fails = 0
    names, marked = declared(dirs)
    syms = exported(lib)
    funcs = {n for t, n in syms if t in ("T", "W", "i")}
    other = sorted(f"{t} {n}" for t, n in syms if t not in ("T", "W", "i"))

    def check(ok, what):
        nonlocal fails
        print(("ok   " if ok else "FAIL ") + what)
        fails += 0 if ok else 1

    check(len(names) > 100, f"the headers declare {len(names)} functions")
    check(names == marked, "every declared function is marked PL_API"
          + ("" if names == marked else f": unmarked {sorted(names - marked)}"))
    check(not (funcs - names), "nothing but declared functions is exported"
          + ("" if not (funcs - names) else f": {sorted(funcs - names)}"))
    check(not (names - funcs), "every declared function is exported"
          + ("" if not (names - funcs) else f": missing {sorted(names - funcs)}"))
    check(all(n.startswith("pl_") for n in funcs), "every exported function starts with pl_")
    check(not other, "no data symbol is exported" + ("" if not other else f": {other}"))
    if version:
        vh = None
        for d in dirs:
            try:
                vh = open(d + "/parley/version.h", encoding="utf-8").read()
            except OSError:
                pass
        m = vh and re.search(r'#define PL_VERSION_STRING "([^"]+)"', vh)
        check(bool(m) and m.group(1) == version,
              f"version.h says {m.group(1) if m else None}, the project {version}")
    print(f"{6 + bool(version) - fails} passed, {fails} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
