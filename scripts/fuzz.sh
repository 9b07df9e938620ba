#!/usr/bin/env bash
# Runs each cargo-fuzz target for SECONDS (default 60) and prints execs and crashes.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(parse_archive tfevents csv megatron share manifest)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  cp -n fuzz/seeds/"$t"/* "fuzz/corpus/$t/" 2>/dev/null || true
  log=$(mktemp)
  set +e
  (cd fuzz && cargo fuzz run --sanitizer none "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536 -print_final_stats=1) >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1 || true)
  [ -n "$execs" ] || execs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  crashes=$(find "fuzz/artifacts/$t" -type f 2>/dev/null | wc -l)
  printf '%-16s %6ss  execs %12s  crashes %s  (exit %s)\n' "$t" "$secs" "${execs:-?}" "$crashes" "$rc"
  [ "$rc" = 0 ] || tail -30 "$log"
done
