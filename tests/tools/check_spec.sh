#!/bin/sh
# Spec citation check (after Core Lightning's check-bolt): every `§N.M`
# cited in proto/, node/, cli/, tests/ and fuzz/ must be a numbered section
# of spec/*.md; then the subsections that state a MUST but that no test
# cites are listed (informational: they are the spec's untested corners).
# Exit 1 if any citation names a section that does not exist.
set -eu
root=${1:-.}
cd "$root"

sections=$(mktemp)
cited=$(mktemp)
trap 'rm -f "$sections" "$cited"' EXIT

# "## 6. The log" -> 6 ; "### 6.2 References" -> 6.2
grep -hE '^#{2,3} [0-9]+(\.[0-9]+)*\.? ' spec/*.md |
    sed -E 's/^#+ ([0-9]+(\.[0-9]+)*)\.? .*/\1/' | sort -u >"$sections"

bad=0
for dir in proto node cli conform tests fuzz; do
    [ -d "$dir" ] || continue
    grep -rnoE '§[0-9]+(\.[0-9]+)*' "$dir" --include='*.c' --include='*.h' \
        --include='*.sh' --include='*.py' 2>/dev/null || true
done | grep -v 'tests/tools/check_spec.sh' >"$cited.raw" || true
sed -E 's/.*§//' "$cited.raw" | sort -u >"$cited"
while IFS= read -r line; do
    sec=$(printf '%s\n' "$line" | sed -E 's/.*§//')
    if ! grep -qx "$sec" "$sections"; then
        echo "check_spec: $line: no section $sec in spec/" >&2
        bad=1
    fi
done <"$cited.raw"
rm -f "$cited.raw"

# Subsections holding a MUST, and whether a test cites them (tests/, the
# conformance suite conform/ and fuzz/ only: code citing its own rule is
# not a test of it).
tested=$(grep -rhoE '§[0-9]+(\.[0-9]+)*|_s[0-9]+(_[0-9]+)*\b' tests conform fuzz 2>/dev/null |
    sed -E 's/§//; s/^_s//; s/_/./g' | sort -u)
untested=0
musts=0
for f in spec/*.md; do
    awk '/^### [0-9]+\.[0-9]+ /{sec=$2} /MUST/{if(sec!="") print sec}' "$f"
done | sort -u >"$sections.must"
while IFS= read -r sec; do
    musts=$((musts + 1))
    if ! printf '%s\n' "$tested" | grep -qx "$sec"; then
        [ $untested -eq 0 ] && echo "check_spec: subsections with a MUST that no test cites:"
        echo "  §$sec"
        untested=$((untested + 1))
    fi
done <"$sections.must"
rm -f "$sections.must"
# Issue 13 §5: every subsection of §14 (the wire protocol) that states a
# MUST is tested in process too, by the node's unit suite (an injected
# clock, captured frames) or the control table's: not only by real
# processes. Any left out fails the check.
node_suite="tests/node/test_pl_node.c tests/unit/test_ctl.c"
node_cited=$(grep -ohE '§14\.[0-9]+|_s14_[0-9]+' $node_suite 2>/dev/null |
    sed -E 's/§//; s/^_s//; s/_/./g' | sort -u)
for sec in $(awk '/^### [0-9]+\.[0-9]+ /{sec=$2} /MUST/{if (sec ~ /^14\./) print sec}' spec/*.md |
    sort -u); do
    if ! printf '%s\n' "$node_cited" | grep -qx "$sec"; then
        echo "check_spec: §$sec states a MUST that the node's in-process suite ($node_suite) does not test" >&2
        bad=1
    fi
done
# The error table of §9.1 and the library's (proto/include/parley/error.h)
# name the same codes with the same values and sections: one table, two
# copies, checked (the sentences may differ in wording).
codes_h=$(mktemp)
codes_s=$(mktemp)
sed -nE 's/.*X\((PL_[A-Z0-9_]+), *(-?[0-9]+), *"([0-9.]+)".*/\1 \2 \3/p' \
    proto/include/parley/error.h | sort >"$codes_h"
awk '/^### 9\.1 /{on=1; next} /^### /{on=0} on' spec/*.md |
    sed -nE 's/^\| `(PL_[A-Z0-9_]+)` \| (−|-)?([0-9]+) \| ([0-9.]+) \|.*/\1 \2\3 \4/p' |
    sed 's/ −/ -/' | sort >"$codes_s"
if ! cmp -s "$codes_h" "$codes_s"; then
    echo "check_spec: the error table of §9.1 and error.h differ (< error.h, > spec):" >&2
    diff "$codes_h" "$codes_s" >&2 || true
    bad=1
else
    echo "check_spec: $(wc -l <"$codes_h") error codes, the same in §9.1 and error.h"
fi
rm -f "$codes_h" "$codes_s"
n=$(grep -ohE '\bMUST( NOT)?\b' spec/*.md | wc -l)
echo "check_spec: $(wc -l <"$sections") sections, $n MUST requirements in $musts subsections; $untested subsections untested"
exit $bad
