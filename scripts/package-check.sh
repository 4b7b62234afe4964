#!/bin/sh
# Builds as others build (issue 13 §6), for .ci/run:
#   1. libparley alone (-DPARLEY_PROGRAMS=OFF): needs only libsodium and
#      msgpack-c; its shared library exports only the API (test_abi.py);
#   2. a Release (-O3) build of everything but the tests, warnings as
#      errors (the optimiser finds warnings a debug build does not);
#   3. its Debian package (cpack -G DEB), unpacked into a scratch root:
#      parley and parleyd run from it, and examples/verify-cert.c builds
#      against its headers and library and checks the spec's certificate.
# The clang build with warnings as errors is `make fuzz` (every target).
set -eu
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "-- libparley alone"
cmake -S . -B build-lib -DCMAKE_BUILD_TYPE=Release -DPARLEY_PROGRAMS=OFF -DPARLEY_TESTS=OFF \
      -DPARLEY_WERROR=ON >/dev/null
cmake --build build-lib -j "$JOBS" >/dev/null
version=$(sed -n 's/^project(parley VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
python3 tests/tools/test_abi.py build-lib/proto/libparley.so proto/include build-lib/proto/include \
        --version "$version"

echo "-- Release build and its package"
cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release -DPARLEY_TESTS=OFF -DPARLEY_WERROR=ON \
      -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build build-rel -j "$JOBS" >/dev/null
(cd build-rel && cpack -G DEB >/dev/null)
deb=$(ls build-rel/parley_*.deb)
echo "$deb: $(dpkg-deb -f "$deb" Depends)"
root=$work/root
dpkg-deb -x "$deb" "$root"
lib=$(dirname "$(find "$root" -name libparley.so.0 | head -1)")
"$root/usr/bin/parley" --version
LD_LIBRARY_PATH=$lib "$root/usr/bin/parleyd" --help >/dev/null
cc examples/verify-cert.c -I"$root/usr/include" -L"$lib" -lparley -lsodium -o "$work/verify-cert"
awk '$0 == "name: certificate-case1" {f = 1} f && /^hex: / {print $2; exit}' \
    spec/vectors/negotiation.vec |
    python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))' \
    >"$work/case1.cert"
LD_LIBRARY_PATH=$lib "$work/verify-cert" "$work/case1.cert"
echo "-- packages built and checked"
