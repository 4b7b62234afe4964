#!/bin/sh
# scripts/deps.sh: quiet and 0 when everything is installed; when something
# is missing and it may not install, it names the package, prints the exact
# apt-get line, and exits 2.
set -u
deps=${1:?usage: test_deps.sh path/to/scripts/deps.sh}
fail() { echo "test_deps: $*" >&2; exit 1; }

out=$(PARLEY_DEPS_PACKAGES="dpkg" sh "$deps" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "all present: exit $rc, expected 0"
[ -z "$out" ] || fail "all present: expected no output, got: $out"

out=$(PARLEY_DEPS_PACKAGES="dpkg parley-no-such-package" PARLEY_DEPS_NO_INSTALL=1 sh "$deps" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "missing: exit $rc, expected 2"
printf '%s\n' "$out" | grep -q 'missing packages: parley-no-such-package$' ||
    fail "missing: package not named: $out"
printf '%s\n' "$out" | grep -q 'sudo apt-get install -y parley-no-such-package$' ||
    fail "missing: no apt-get line: $out"
echo "1 passed, 0 failed"
