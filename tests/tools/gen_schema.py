#!/usr/bin/env python3
"""The body schema, generated from the spec (issue 13 §4, after Core
Lightning's generated wire code): the key tables of spec §13.5 — one per
message type, and the nested participant and item maps — become
proto/src/body_schema.h, the field lists the decoder in proto/src/body.c
reads (SCHEMA_<TYPE>) and an index per key (F_<TYPE>_<KEY>). A new field
is a row in the spec; running this writes its entry, and the decoder uses
it by name. ctest `schema` fails while the header and the spec differ.

Usage: gen_schema.py SOURCE_DIR [--check]   (--check: exit 1 if the
header is not what the spec makes, writing nothing)"""
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("check_schema", os.path.join(HERE, "check_schema.py"))
check_schema = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_schema)

OUT = "proto/src/body_schema.h"


def nested_names(src):
    """The nested maps' names, in the spec's order: "participant", "item"."""
    text = open(f"{src}/spec/parley-v2.md", encoding="utf-8").read()
    sec = text[text.index("### 13.5 Body encoding"):text.index("### 13.6 ")]
    return [m.group(1).replace(" ", "_") for m in re.finditer(r"^An? ([a-z ]+) map:$", sec, re.M)]


def render(src):
    types, nested, _ = check_schema.spec_tables(src)
    msg_h = open(f"{src}/proto/include/parley/msg.h", encoding="utf-8").read()
    names = {int(n): name for name, n in re.findall(r"\bPL_T_([A-Z_]+) = (\d+)", msg_h)}
    out = ["/* Generated from spec/parley-v2.md §13.5 by tests/tools/gen_schema.py: do not",
           " * edit. Change the spec's table, then run `make schema`; ctest `schema` fails",
           " * while this file and the spec differ. Per map: an index per key",
           " * (F_<MAP>_<KEY>, the keys in the canonical order of §3) and the field list",
           " * the decoder reads (SCHEMA_<MAP>: key, kind, required). */",
           "#ifndef PARLEY_BODY_SCHEMA_H", "#define PARLEY_BODY_SCHEMA_H", ""]

    def table(name, what, fields):
        keys = sorted(fields)
        out.append(f"/* {what} */")
        out.append("enum {")
        out.extend(f"    F_{name}_{k.upper()}," for k in keys)
        out.append("};")
        out.append(f"#define SCHEMA_{name} \\")
        rows = [f'    {{"{k}", {fields[k][0]}, {1 if fields[k][1] else 0}, 0}}' for k in keys]
        out.append(", \\\n".join(rows))
        out.append("")

    for n in sorted(types):
        if n not in names:
            raise SystemExit(f"gen_schema: type {n} of §13.5 has no PL_T_ name in msg.h")
        table(names[n], f"{names[n].lower().replace('_', '-')} ({n})", types[n])
    nn = nested_names(src)
    if len(nn) != len(nested):
        raise SystemExit("gen_schema: the nested maps' names and tables differ in number")
    for name, fields in zip(nn, nested):
        table(name.upper(), f"a {name} map, nested", fields)
    out.append("#endif")
    return "\n".join(out) + "\n"


def main():
    src = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "."
    text = render(src)
    path = os.path.join(src, OUT)
    if "--check" in sys.argv:
        have = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if have != text:
            print(f"FAIL {OUT} is not what spec §13.5 makes: run `make schema`")
            return 1
        print(f"ok: {OUT} is what spec §13.5 makes")
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"gen_schema: wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
