#!/bin/sh
# The install rules: libparley (static and shared), its headers (version.h
# generated), the .pc file, the CLI and its man page, and the conformance
# suite install under any prefix; a program built with pkg-config against
# the installed copy links and runs, statically and against the shared
# library; and examples/verify-cert.c, built against the installed shared
# library, accepts the spec's certificate vector and refuses its damaged
# twin with the vector's code, printing the vector's certificate hash.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR [EXTRA_CFLAGS]  (the extra
# flags: e.g. the sanitizer flags an instrumented library needs in whatever
# links it)
set -eu
build=${1:?build dir}
src=${2:?source dir}
extra=${3:-}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { echo "test_install: $1"; fail=$((fail + 1)); }

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/parley bin/parley-conform include/parley/parley.h include/parley/version.h \
         include/parley/export.h share/man/man1/parley.1; do
    if [ -f "$prefix/$f" ]; then ok; else no "$f was not installed"; fi
done
pc=$(find "$prefix" -name parley.pc)
[ -n "$pc" ] || { echo "test_install: no parley.pc"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
cat >"$prefix/use.c" <<'C'
#include <parley/parley.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    if (pl_init() != PL_OK)
        return 1;
    /* the headers compiled against and the library run with agree */
    if (strcmp(pl_version(), PL_VERSION_STRING) != 0)
        return 1;
    return strcmp(pl_errname(PL_E_SIG), "PL_E_SIG") == 0 ? 0 : 1;
}
C
export PKG_CONFIG_PATH=$(dirname "$pc")
# static: the archive named outright, with the private dependencies
# shellcheck disable=SC2086
if cc $extra "$prefix/use.c" $(pkg-config --cflags parley) "$libdir/libparley.a" \
      $(pkg-config --libs --static parley | sed 's/-lparley//') -o "$prefix/use-static" &&
   "$prefix/use-static"; then ok; else no "a program linked with libparley.a fails"; fi
# shared
if [ -f "$libdir/libparley.so.0" ]; then
    # shellcheck disable=SC2086
    if cc $extra "$prefix/use.c" $(pkg-config --cflags --libs parley) -o "$prefix/use-shared" &&
       LD_LIBRARY_PATH=$libdir "$prefix/use-shared"; then ok
    else no "a program linked with libparley.so fails"; fi
    # the example, on the spec's certificate vectors (SPEC §11.3, §16.6)
    # shellcheck disable=SC2086
    cc $extra "$src/examples/verify-cert.c" $(pkg-config --cflags --libs parley) \
        -o "$prefix/verify-cert" || no "examples/verify-cert.c does not build"
    vec=$src/spec/vectors/negotiation.vec
    for name in certificate-case1 certificate-damaged; do
        awk -v n="$name" '$0 == "name: " n {f = 1} f && /^hex: / {print $2; exit}' "$vec" |
            python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))' \
            >"$prefix/$name.cert"
        hash=$(awk -v n="$name" '$0 == "name: " n {f = 1} f && /^cert_hash: / {print $2; exit}' "$vec")
        rc=0
        LD_LIBRARY_PATH=$libdir "$prefix/verify-cert" "$prefix/$name.cert" >"$prefix/out" || rc=$?
        want_rc=0
        [ "$name" = certificate-damaged ] && want_rc=1
        if [ "$rc" = "$want_rc" ] && grep -q "certificate hash $hash" "$prefix/out"; then ok
        else no "verify-cert on $name: exit $rc, output: $(cat "$prefix/out")"; fi
    done
    if grep -q "PL_E_SIG" "$prefix/out"; then ok; else no "verify-cert does not name PL_E_SIG"; fi
else
    no "libparley.so.0 was not installed"
fi
"$prefix/bin/parley" --version >/dev/null && ok || no "parley --version fails"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
