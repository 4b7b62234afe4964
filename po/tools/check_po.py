#!/usr/bin/env python3
"""The catalogue is complete (issue 15 §1): every text the CLI marks for
translation (xgettext over cli/*.c and common/*.c with the project's keywords), every text
of the library's text report (proto/src/report.c, keywords TR and TR_N) and every
library error message (proto/include/parley/error.h, which the CLI
translates through cli_strerror) has a non-empty, non-fuzzy translation in
po/zh_CN.po, with the same printf conversions in the same order.

Usage: check_po.py SOURCE_DIR   (exit 0 complete, 1 not, with each gap)"""
import re
import subprocess
import sys
import tempfile

KEYWORDS = ["-k_", "-kN_", "-kL", "-kusage_msg:2", "-kref_verb:4", "-kdraw_verb:4"]


def unquote(chunks):
    out = []
    for c in chunks:
        out.append(bytes(c, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8"))
    return "".join(out)


def parse_po(text):
    """msgid -> (msgstr, fuzzy), skipping the header."""
    entries = {}
    for block in re.split(r"\n\s*\n", text):
        fuzzy = re.search(r"^#,.*\bfuzzy\b", block, re.M) is not None
        m = re.search(r'^msgid ((?:"(?:[^"\\]|\\.)*"\s*)+)^msgstr ((?:"(?:[^"\\]|\\.)*"\s*)+)',
                      block, re.M)
        if not m:
            continue
        mid = unquote(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
        mstr = unquote(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2)))
        if mid:
            entries[mid] = (mstr, fuzzy)
    return entries


def conversions(s):
    return re.findall(r"%[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t)?[diouxXcsp%]", s)


def main():
    src = sys.argv[1]
    with tempfile.NamedTemporaryFile(suffix=".pot") as pot:
        files = subprocess.run(["sh", "-c", f"ls {src}/cli/*.c {src}/common/*.c"], capture_output=True,
                               text=True, check=True).stdout.split()
        subprocess.run(["xgettext", "--from-code=UTF-8", *KEYWORDS, "-o", pot.name, *files],
                       check=True)
        wanted = list(parse_po(open(pot.name, encoding="utf-8").read()).keys())
        # the library's text report, through the same domain (TR, TR_N)
        subprocess.run(["xgettext", "--from-code=UTF-8", "-kTR", "-kTR_N", "-o", pot.name,
                        f"{src}/proto/src/report.c"], check=True)
        wanted += [m for m in parse_po(open(pot.name, encoding="utf-8").read()).keys()
                   if m not in wanted]
    err = open(f"{src}/proto/include/parley/error.h", encoding="utf-8").read()
    wanted += [unquote([m]) for m in
               re.findall(r'X\(PL_[A-Z_]+,\s*-?\d+,\s*"[^"]*",\s*"((?:[^"\\]|\\.)*)"\s*\)', err)]
    po = parse_po(open(f"{src}/po/zh_CN.po", encoding="utf-8").read())
    gaps = 0
    for mid in wanted:
        got = po.get(mid)
        if got is None or not got[0] or got[1]:
            print(f"untranslated: {mid!r}")
            gaps += 1
        elif conversions(mid) != conversions(got[0]):
            print(f"conversions differ: {mid!r} -> {got[0]!r}")
            gaps += 1
    print(f"check_po: {len(wanted)} texts, {gaps} gap(s)")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
