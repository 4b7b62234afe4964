#!/usr/bin/env python3
"""One schema (issue 13 §4): the body tables of spec §13.5 — per message
type, and the nested participant and item maps — are generated into
proto/src/body_schema.h (gen_schema.py); this test fails when the header
is not what the spec makes, when a case of the decoder in
proto/src/body.c does not read its own type's generated list, and when an
enumerated word the spec lists is not the set of wire names the decoder
accepts for it. Likewise the charge
catalogue of spec §15.7 and the table in proto/src/terms.c (issue 14 §3).

Usage: check_schema.py SOURCE_DIR   (exit 0 same, 1 with each difference)"""
import re
import sys

KINDS = {"bin32": "K_BIN32", "bin64": "K_BIN64", "uint": "K_UINT", "bool": "K_BOOL",
         "text": "K_TEXT", "name": "K_NAME", "title": "K_TITLE", "word": "K_WORD",
         "array": "K_ARRAY", "map": "K_MAP"}


def spec_tables(src):
    text = open(f"{src}/spec/parley-v2.md", encoding="utf-8").read()
    sec = text[text.index("### 13.5 Body encoding"):text.index("### 13.6 ")]
    types, nested, enums = {}, [], []
    current = None  # list of type numbers, or "nested"
    for line in sec.splitlines():
        heads = re.findall(r"\*\*[a-z-]+ \((\d+)\)\*\*", line)
        if heads and line.startswith("**"):
            current = [int(n) for n in heads]
            for n in current:
                types[n] = {}
            continue
        if re.match(r"^An? [a-z ]+ map:$", line):
            current = "nested"
            nested.append({})
            continue
        m = re.match(r"^\| (`[^|]+) \| ([a-z0-9]+) \| (req|opt) \| (.*) \|$", line)
        if not m or current is None:
            continue
        keys = re.findall(r"`([a-z_]+)` \(type (\d+)\)", m.group(1))
        if keys:  # "`commit` (type 6) or `reveal` (type 7)"
            for k, n in keys:
                types[int(n)][k] = (KINDS[m.group(2)], m.group(3) == "req")
        else:
            k = re.match(r"`([a-z_]+)`", m.group(1)).group(1)
            row = (KINDS[m.group(2)], m.group(3) == "req")
            if current == "nested":
                nested[-1][k] = row
            else:
                for n in current:
                    types[n][k] = row
        if m.group(2) == "word":
            # an enumeration: "one of `a`, `b`, …" or "`a` (…) or `b` (…)",
            # before any further rule after a ';'
            rule = re.sub(r"^\(version 2\) ", "", m.group(4).split(";")[0])
            if "one of" in rule or re.match(r"^`[a-z_]+`( \([^)]*\))? or `[a-z_]+`", rule):
                enums.append((m.group(1), set(re.findall(r"`([a-z_]+)`", rule))))
    return types, nested, enums


def schema_header(src):
    """SCHEMA_<MAP> -> {key: (kind, required)} from the generated header."""
    text = open(f"{src}/proto/src/body_schema.h", encoding="utf-8").read()
    maps = {}
    for name, rows in re.findall(r"#define SCHEMA_([A-Z_]+) \\\n((?:    \{.*\}(?:, \\)?\n)+)", text):
        maps[name] = {k: (kind, req == "1") for k, kind, req in
                      re.findall(r'\{"([a-z_]+)", (K_[A-Z0-9]+), ([01]), 0\}', rows)}
    return maps


def code_tables(src):
    """What the decoder reads: each case of decode_obj() names the
    generated list of its own type (READ(SCHEMA_<TYPE>)); the nested maps'
    lists likewise."""
    body = open(f"{src}/proto/src/body.c", encoding="utf-8").read()
    msg_h = open(f"{src}/proto/include/parley/msg.h", encoding="utf-8").read()
    numbers = {name: int(n) for name, n in re.findall(r"\b(PL_T_[A-Z_]+) = (\d+)", msg_h)}
    maps = schema_header(src)
    dec = body[body.index("static int decode_obj("):]
    dec = dec[:dec.index("\n}\n")]
    types = {}
    for case in re.split(r"\n    case ", dec)[1:]:
        name = case.split(":")[0].strip()
        read = re.search(r"READ\(SCHEMA_([A-Z_]+)\);", case)
        if not read:
            continue
        if "PL_T_" + read.group(1) != name:
            types[numbers.get(name, -1)] = {"(reads another type's list)": read.group(1)}
            continue
        if name in numbers:
            types[numbers[name]] = maps.get(read.group(1), {})
    nested = []
    rest = body[:body.index("static int decode_obj(")]
    for m in re.findall(r"struct field f\[\] = \{SCHEMA_([A-Z_]+)\};", rest):
        nested.append(maps.get(m, {}))
    enums = []
    for arr in re.findall(r"static const char \*const [a-z_]+_names\[\] = \{(.*?)\};", body, re.S):
        words = set(re.findall(r'\] = "([a-z_]+)"', arr)) - {"none"}
        enums.append(words)
    return types, nested, enums


def catalogue_spec(src):
    text = open(f"{src}/spec/parley-v2.md", encoding="utf-8").read()
    sec = text[text.index("### 15.7 Charge catalogue"):text.index("## 16. ")]
    rows = set()
    alone = {"fine": "A_FINE", "rights": "A_RIGHTS", "–": "0"}
    for m in re.finditer(r"^\| ([0-9-]+) \| (\d+) \| (\d+) \| [^|]+ \| ([EDSIL ]+) \| (\d+) \| "
                         r"(fine|rights|–) \|$", sec, re.M):
        k = frozenset(x + "_" for x in m.group(4).split())
        rows.add((m.group(1), int(m.group(2)), int(m.group(3)), k, int(m.group(5)),
                  alone[m.group(6)]))
    return rows


def catalogue_code(src):
    text = open(f"{src}/proto/src/terms.c", encoding="utf-8").read()
    tab = text[text.index("} catalogue[] = {"):]
    tab = tab[:tab.index("};")]
    rows = set()
    for m in re.finditer(r'\{ART_ "([0-9-]+)", (\d+), (\d+), ([EDSIL_ |]+), (\d+), '
                         r'(A_FINE|A_RIGHTS|0)\}', tab):
        k = frozenset(x.strip() for x in m.group(4).split("|"))
        rows.add((m.group(1), int(m.group(2)), int(m.group(3)), k, int(m.group(5)),
                  m.group(6)))
    return rows


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "."
    s_types, s_nested, s_enums = spec_tables(src)
    c_types, c_nested, c_enums = code_tables(src)
    bad = 0

    def fail(what):
        nonlocal bad
        print("FAIL " + what)
        bad += 1

    if len(s_types) < 25:
        fail(f"only {len(s_types)} body tables found in §13.5")
    for n in sorted(set(s_types) | set(c_types)):
        s, c = s_types.get(n), c_types.get(n)
        if s is None or c is None:
            fail(f"type {n}: {'no spec table' if s is None else 'no decoder case'}")
        elif s != c:
            for k in sorted(set(s) | set(c)):
                if s.get(k) != c.get(k):
                    fail(f"type {n} key {k}: spec {s.get(k)}, body.c {c.get(k)}")
    for t in s_nested:
        if t not in c_nested:
            fail(f"nested map {sorted(t)}: no decoder field list with these keys, kinds and marks")
    for key, words in s_enums:
        if words not in c_enums:
            fail(f"{key}: the spec's words {sorted(words)} are no decoder name list")
    # the header is what the spec makes (tests/tools/gen_schema.py)
    import importlib.util
    import os
    g = importlib.util.spec_from_file_location(
        "gen_schema", os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen_schema.py"))
    gen = importlib.util.module_from_spec(g)
    g.loader.exec_module(gen)
    if open(f"{src}/proto/src/body_schema.h", encoding="utf-8").read() != gen.render(src):
        fail("proto/src/body_schema.h is not what spec §13.5 makes: run `make schema`")
    cs, cc = catalogue_spec(src), catalogue_code(src)
    if len(cs) < 40:
        fail(f"only {len(cs)} catalogue rows found in §15.7")
    for r in sorted(cs - cc, key=str):
        fail(f"catalogue row {r}: in the spec, not in terms.c")
    for r in sorted(cc - cs, key=str):
        fail(f"catalogue row {r}: in terms.c, not in the spec")
    print(f"{'ok' if not bad else 'FAIL'}: {len(s_types)} body tables, {len(s_nested)} nested "
          f"maps, {len(s_enums)} enumerations, {len(cs)} catalogue rows compared; "
          f"{bad} difference(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
