#!/bin/sh
# The install rules: libparley, its headers, the .pc file, the CLI and its
# man page, and the conformance suite install under any prefix, and a
# program built with pkg-config against the installed copy links and runs.
# Usage: test_install.sh BUILD_DIR [EXTRA_CFLAGS]  (e.g. the sanitizer flags
# an instrumented library needs in whatever links it)
set -eu
build=${1:?build dir}
extra=${2:-}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/parley bin/parley-conform include/parley/parley.h share/man/man1/parley.1; do
    [ -f "$prefix/$f" ] || { echo "test_install: $f was not installed"; exit 1; }
done
pc=$(find "$prefix" -name parley.pc)
[ -n "$pc" ] || { echo "test_install: no parley.pc"; exit 1; }
cat >"$prefix/use.c" <<'C'
#include <parley/parley.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    return strcmp(pl_errname(PL_E_SIG), "PL_E_SIG") == 0 ? 0 : 1;
}
C
export PKG_CONFIG_PATH=$(dirname "$pc")
# shellcheck disable=SC2086
cc $extra "$prefix/use.c" $(pkg-config --cflags --libs --static parley) -o "$prefix/use"
"$prefix/use"
"$prefix/bin/parley" --version >/dev/null
echo "1 passed, 0 failed"
