#!/usr/bin/env bash
# Every benchmark of the project, one table: figure, value, goal, peer.
# Native: parse throughput, event-file reading (with TensorBoard's readers when
# `pip install tensorboard` is done), decimation + draw, memory per point.
# `relate`: a scatter of 100,000 generated runs (points, layout, pixels, hit-testing) and
# rank correlation.
# Browser: the same reading and drawing inside wasm in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export TRUNK_SKIP_VERSION_CHECK=true
out=$(mktemp)
echo "== native (cargo bench)"
cargo bench --bench parse 2>/dev/null | tee -a "$out"
cargo bench --bench curves 2>/dev/null | tee -a "$out"
cargo bench --bench lineage 2>/dev/null | tee -a "$out"
cargo bench --bench workspace 2>/dev/null | tee -a "$out"
cargo bench --bench relate 2>/dev/null | tee -a "$out"
ds=$(grep 'TensorBoard Rust data server' "$out" | grep -Eo '[0-9.]+ MB/s' | grep -Eo '^[0-9.]+' || true)
echo
echo "== browser (wasm in headless Chromium)"
[ -f dist/index.html ] || trunk build --release >/dev/null
[ -d tests/e2e/node_modules/playwright-core ] || (cd tests/e2e && npm ci --no-audit --no-fund >/dev/null)
DATA_SERVER_MBS="${ds}" node tests/e2e/bench.mjs
