#!/usr/bin/env bash
# Prints the size of each file of the app in dist/ (raw and gzip -9): first what must arrive
# before the first run paints (the first screen: page, start script, the first part of the
# app's wasm and its glue, the stylesheet), then each module loaded later (the rest of the app's
# wasm when the release build is split, see scripts/split-wasm.mjs; the curve reader's worker:
# its script, glue and wasm), then the bundled sample runs apart. The last line is
# `first screen: N bytes gzip`. Run after `trunk build --release`.
set -euo pipefail
cd "$(dirname "$0")/../dist"
gz() { gzip -9 -c "$1" | wc -c; }
row() { printf '%-44s %10s %10s\n' "$@"; }
row file raw gzip
first=0; first_raw=0
# wasm-bindgen's snippets (small JS the app's glue imports) arrive with it.
snippets=$(find snippets -type f 2>/dev/null | sort || true)
for f in index.html init.js runlens-web.js runlens-web_bg.wasm style.css $snippets; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); g=$(gz "$f")
  first=$((first + g)); first_raw=$((first_raw + raw))
  row "$f" "$raw" "$g"
done
row "first screen (before the first run paints)" "$first_raw" "$first"
later=0; later_raw=0
for f in runlens-web_later.wasm curve-worker.js runlens-worker.js runlens-worker_bg.wasm; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); g=$(gz "$f")
  later=$((later + g)); later_raw=$((later_raw + raw))
  case "$f" in
    runlens-web_later.wasm) what="the rest of the app, preloaded beside the first part" ;;
    *) what="curve reader, first curve file" ;;
  esac
  row "later: $f ($what)" "$raw" "$g"
done
other=0; other_raw=0
for f in favicon.svg runs.json; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); g=$(gz "$f")
  other=$((other + g)); other_raw=$((other_raw + raw))
  row "$f" "$raw" "$g"
done
row "app total" "$((first_raw + later_raw + other_raw))" "$((first + later + other))"
sraw=$(find samples -type f -exec cat {} + | wc -c); sgz=$(find samples -type f -exec gzip -9 -c {} \; | wc -c)
row "bundled sample runs (data, not app)" "$sraw" "$sgz"
echo "first screen: $first bytes gzip"
