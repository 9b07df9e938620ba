#!/usr/bin/env bash
# Installs every tool the app and its tests need, skipping what is already there.
# Versions follow ../shared/TOOLCHAIN.md: wasm-bindgen-cli must equal the pinned crate.
set -euo pipefail
export TRUNK_SKIP_VERSION_CHECK=true
WB_VERSION=0.2.130
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0

need_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown

if [ "${RUNLENS_SKIP_BROWSER:-0}" != 1 ]; then
  if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
    need_root apt-get update -qq
    need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  fi
fi

if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  need_root npm install -g --prefix /usr/local "binaryen@${BINARYEN_VERSION}"
fi

# Binaryen's wasm-split, for the release build's split into the first screen and a later part
# (scripts/split-wasm.sh). npm's binaryen has no wasm-split; Debian's package has, and is
# unpacked into a cache folder, not installed, so that it does not shadow npm's newer wasm-opt.
BINARYEN_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/runlens/binaryen"
if [ "${RUNLENS_SPLIT:-}" != 0 ] && ! [ -x "$BINARYEN_CACHE/usr/bin/wasm-split" ] && ! command -v wasm-split >/dev/null; then
  deb=$(mktemp -d)
  (cd "$deb" && { apt-get download binaryen 2>/dev/null || { need_root apt-get update -qq && apt-get download binaryen; }; })
  mkdir -p "$BINARYEN_CACHE" && dpkg -x "$deb"/binaryen_*.deb "$BINARYEN_CACHE"
  rm -rf "$deb"
fi

[ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen ${WB_VERSION}" ] \
  || cargo install wasm-bindgen-cli --version "${WB_VERSION}"

[ "$(trunk --version 2>/dev/null)" = "trunk ${TRUNK_VERSION}" ] \
  || cargo install trunk --version "${TRUNK_VERSION}" --locked

# The e2e tests' npm packages, reinstalled when package-lock.json changes.
if [ -f tests/e2e/package-lock.json ]; then
  stamp=tests/e2e/node_modules/.lock-stamp
  if ! [ -f "$stamp" ] || ! cmp -s tests/e2e/package-lock.json "$stamp"; then
    # lighthouse depends on a package by its "latest" tag, which can make `npm ci` call the
    # lock file stale when that package is published again: then install from the lock's
    # ranges instead, without rewriting it.
    (cd tests/e2e && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund --no-save; }) \
      && cp tests/e2e/package-lock.json "$stamp"
  fi
fi
