#!/usr/bin/env bash
# Runs each cargo-fuzz target for SECONDS (default 60) and prints execs and crashes.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#        scripts/fuzz.sh --runs N [TARGET...]   (stop each target after N execs instead)
# FUZZ_MAX_LEN sets libFuzzer's largest input (default 65536 bytes).
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=(-max_total_time="${1:-60}"); label="${1:-60}s"
if [ "${1:-}" = --runs ]; then
  limit=(-runs="$2"); label="$2 runs"; shift 2
else
  shift || true
fi
max_len=${FUZZ_MAX_LEN:-65536}
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(parse_archive tfevents csv megatron share manifest chart archive_views)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# libfuzzer-sys compiles libFuzzer, which is C++.
if ! command -v c++ >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq g++; else sudo apt-get install -y -qq g++; fi
fi
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  cp -n fuzz/seeds/"$t"/* "fuzz/corpus/$t/" 2>/dev/null || true
  log=$(mktemp)
  start=$SECONDS
  set +e
  (cd fuzz && cargo fuzz run --sanitizer none "$t" "corpus/$t" -- "${limit[@]}" -max_len="$max_len" -print_final_stats=1) >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1 || true)
  [ -n "$execs" ] || execs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
  crashes=$(find "fuzz/artifacts/$t" -type f 2>/dev/null | wc -l)
  secs=$((SECONDS - start))
  printf '%-16s %-14s max_len %-6s execs %12s  in %6ss (build included)  crashes %s  (exit %s)\n' "$t" "$label" "$max_len" "${execs:-?}" "${secs:-?}" "$crashes" "$rc"
  [ "$rc" = 0 ] || tail -30 "$log"
done
