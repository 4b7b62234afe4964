#!/usr/bin/env python3
"""Spec quotes in code (issue 13 §4; after Core Lightning's check-quotes).

check_spec.sh checks that every `§N.M` cited in code names a section of
spec/*.md. This checks more where code quotes the spec: a comment that
cites `SPEC §N.M` (an issue's `§` is not the spec's) and then quotes it in
double quotes, as in

    /* SPEC §13.12: "A defense node MUST NOT acknowledge a disclosure before
     * it holds every item of it ..." */

must quote words that are in section N.M (its text up to the next section
of the same or a higher level), so that a rule reworded in the spec cannot
leave a stale copy in the code. A section's text runs to the next
numbered heading (a quote cites the section that says it, not a parent).
Spacing, line breaks, the comment's `*` margins, Markdown emphasis and a
closing full stop are not compared; words are, and an ellipsis stands for
words left out. Exit 1 on any quote the section does not hold.

Usage: check_quotes.py [ROOT]        check ROOT (default: the current dir)
       check_quotes.py --self-test   check that a wrong quote is caught
"""
import os
import re
import sys
import tempfile

DIRS = ("proto", "node", "common", "cli", "conform", "tests", "fuzz")
HEADING = re.compile(r"^(#{2,4}) ([0-9]+(?:\.[0-9]+)*)\.? ")
# a citation, then (within the same comment, a few words on) a quote
QUOTE = re.compile(r"\bSPEC §([0-9]+(?:\.[0-9]+)*)[^\"§]{0,80}?\"([^\"]{12,})\"", re.I)
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def norm(s):
    s = s.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = re.sub(r"[*_`]", "", s)  # Markdown emphasis, comment margins
    s = re.sub(r"\s+", " ", s).strip()
    return s.rstrip(".").strip()


def holds(text, words):
    """Whether text says words; an ellipsis in words stands for what the
    quote left out: the pieces must come in order."""
    at = 0
    for piece in re.split(r"\u2026|\.\.\.", words):
        piece = norm(piece)
        if not piece:
            continue
        at = text.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return True


def sections(root):
    """{'13.12': normalized text} for every numbered section of spec/*.md."""
    out = {}
    spec = os.path.join(root, "spec")
    for name in sorted(os.listdir(spec)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(spec, name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        heads = [(i, len(m.group(1)), m.group(2))
                 for i, l in enumerate(lines) for m in [HEADING.match(l)] if m]
        for k, (i, level, num) in enumerate(heads):
            # its own text: up to the next numbered heading, its own
            # numbered subsections excluded (a quote cites the section
            # that says it, not its parent)
            end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
            out[num] = norm("\n".join(lines[i + 1:end]))
    return out


def quotes(root):
    """(path, line, section, quoted words) for every quote in a comment."""
    for d in DIRS:
        top = os.path.join(root, d)
        for dirpath, _, files in os.walk(top):
            for fn in sorted(files):
                if not fn.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, fn)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for c in COMMENT.finditer(text):
                    body = re.sub(r"^\s*\*+ ?", " ", c.group(0)[2:], flags=re.M)
                    for q in QUOTE.finditer(body):
                        line = text.count("\n", 0, c.start()) + 1
                        yield os.path.relpath(path, root), line, q.group(1), q.group(2)


def check(root):
    secs = sections(root)
    bad = n = 0
    for path, line, sec, words in quotes(root):
        n += 1
        if sec not in secs:
            print(f"check_quotes: {path}:{line}: §{sec} is no section of spec/", file=sys.stderr)
            bad += 1
        elif not holds(secs[sec], words):
            print(f"check_quotes: {path}:{line}: §{sec} does not say \"{norm(words)}\"; "
                  f"quote the spec's words or drop the quotes", file=sys.stderr)
            bad += 1
    print(f"check_quotes: {n} quotes of the spec in code, {bad} not in their section")
    return 1 if bad else 0


def self_test():
    """A right quote passes; a reworded one, or one of another section, fails."""
    spec = ("## 13. Rules\n\n### 13.1 One\n\n- A node MUST NOT sign twice at one\n"
            "  *seq*.\n\n### 13.2 Two\n\nNothing here.\n")
    cases = [
        ('/* SPEC §13.1: "A node MUST NOT sign twice\n * at one seq." */', 0),
        ('/* SPEC §13.1: "A node MUST NOT sign \u2026 at one seq" */', 0),
        ('/* SPEC \u00a713: "A node MUST NOT sign twice at one seq" */', 1),  # the parent
        ('/* SPEC §13.1: "A node MUST NOT sign twice at any seq" */', 1),
        ('/* SPEC §13.2: "A node MUST NOT sign twice at one seq" */', 1),
        ('/* SPEC \u00a799.1: "A node MUST NOT sign twice at one seq" */', 1),  # no such section
    ]
    for code, want in cases:
        with tempfile.TemporaryDirectory() as t:
            os.makedirs(os.path.join(t, "spec"))
            os.makedirs(os.path.join(t, "proto"))
            with open(os.path.join(t, "spec", "s.md"), "w", encoding="utf-8") as f:
                f.write(spec)
            with open(os.path.join(t, "proto", "x.c"), "w", encoding="utf-8") as f:
                f.write(code + "\n")
            got = check(t)
            if got != want:
                print(f"check_quotes: self-test: {code!r} gave {got}, not {want}", file=sys.stderr)
                return 1
    print("check_quotes: self-test passed (a reworded or misplaced quote is caught)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--self-test":
        sys.exit(self_test())
    sys.exit(check(sys.argv[1] if len(sys.argv) > 1 else "."))
