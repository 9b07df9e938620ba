#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml): in a release build, splits the app's wasm into the first
# screen and a part loaded later (scripts/split-wasm.mjs says how). It needs Binaryen's
# wasm-split, headless Chromium and the e2e tests' playwright-core (scripts/setup.sh installs
# them); without one of them the build stays one module, which works the same, only loads more
# before the first run paints, and this says so. RUNLENS_SPLIT=0 turns the split off;
# RUNLENS_SPLIT=1 makes a missing tool or a failed split fail the build (scripts/test.sh).
set -euo pipefail
[ "${TRUNK_PROFILE:-release}" = release ] || exit 0
[ "${RUNLENS_SPLIT:-}" = 0 ] && exit 0
cd "$(dirname "$0")/.."
dir="${TRUNK_STAGING_DIR:-${1:-dist}}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/runlens/binaryen"
if [ -z "${RUNLENS_WASM_SPLIT:-}" ]; then
  if [ -x "$cache/usr/bin/wasm-split" ]; then export RUNLENS_WASM_SPLIT="$cache/usr/bin/wasm-split"
  else RUNLENS_WASM_SPLIT=$(command -v wasm-split || true); export RUNLENS_WASM_SPLIT; fi
fi
missing=""
[ -n "$RUNLENS_WASM_SPLIT" ] || missing="Binaryen's wasm-split"
[ -x "${RUNLENS_E2E_CHROMIUM:-/usr/bin/chromium}" ] || missing="${missing:+$missing, }Chromium"
[ -d tests/e2e/node_modules/playwright-core ] || missing="${missing:+$missing, }playwright-core"
if [ -n "$missing" ]; then
  echo "split-wasm: not split (no $missing; scripts/setup.sh installs them): the app stays one module"
  [ "${RUNLENS_SPLIT:-}" = 1 ] && exit 1
  exit 0
fi
if node scripts/split-wasm.mjs "$dir"; then exit 0; fi
[ "${RUNLENS_SPLIT:-}" = 1 ] && exit 1
exit 0
