#!/usr/bin/env bash
# Prints the size of each file of the app in dist/ (raw and gzip -9), and the totals;
# the bundled sample runs are counted apart. Run after `trunk build --release`.
set -euo pipefail
cd "$(dirname "$0")/../dist"
total=0; gtotal=0
printf '%-44s %10s %10s\n' file raw gzip
for f in index.html *.js *.wasm *.css favicon.svg runs.json; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + raw)); gtotal=$((gtotal + gz))
  printf '%-44s %10d %10d\n' "$f" "$raw" "$gz"
done
printf '%-44s %10d %10d\n' "app total" "$total" "$gtotal"
sraw=$(find samples -type f -exec cat {} + | wc -c); sgz=$(find samples -type f -exec gzip -9 -c {} \; | wc -c)
printf '%-44s %10d %10d\n' "bundled sample runs (data, not app)" "$sraw" "$sgz"
