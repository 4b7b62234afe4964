#!/bin/sh
# Installs the Debian packages Parley builds and tests with, when they are
# missing. `make demo`, `make test` and .ci/run call it first. Idempotent: when
# everything is present it only asks dpkg, which takes a few milliseconds.
#
# Exit 0 when all are present (or were installed), 2 when something is missing
# and we may not install it (not root, or no apt-get): the message says the
# exact command to run.
set -eu

# libclang-rt-14-dev carries libFuzzer and the sanitizer runtimes; it is only a
# "recommends" of clang, so it is named here. libjansson-dev: the CLI reads
# terms from JSON. chromium and python3: the report_html test renders
# report.html headless and reads the DOM and Chromium's network log.
# gettext: msgfmt compiles the Chinese catalogue (po/zh_CN.po).
# libmicrohttpd-dev: the node's web app; chromium-driver, python3-selenium
# and fonts-noto-cjk: its test in a real browser, with Chinese on screen.
# libqrencode-dev: the QR code on a certificate's printed copy; poppler-utils:
# its test reads the PDF's text (pdftotext) and, with zbar-tools, its QR code.
# tzdata: the test of local times reads real zones (daylight saving).
# dpkg-dev: CI builds the Debian package (cpack, dpkg-shlibdeps).
PACKAGES="libsodium-dev libmsgpack-dev libzmq3-dev libcmocka-dev libsqlite3-dev
libjansson-dev pkg-config cmake make gcc clang libclang-rt-14-dev chromium python3 gettext
libmicrohttpd-dev chromium-driver python3-selenium fonts-noto-cjk libqrencode-dev poppler-utils zbar-tools tzdata dpkg-dev"
# For the test of this script only: another list, and "behave as non-root".
PACKAGES=${PARLEY_DEPS_PACKAGES:-$PACKAGES}

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ] || [ -n "${PARLEY_DEPS_NO_INSTALL:-}" ] ||
    ! command -v apt-get >/dev/null 2>&1; then
    echo "parley: missing packages:$missing" >&2
    echo "parley: install them with:  sudo apt-get install -y$missing" >&2
    exit 2
fi

echo "parley: installing missing packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists; update once, then install.
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
