#!/usr/bin/env bash
# Runs every test: native (core, CLI), wasm component tests in headless Chromium, and the
# end-to-end browser tests against a release build of dist/. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export TRUNK_SKIP_VERSION_CHECK=true
bash scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }

step "format and lints (native and wasm32)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --workspace --target wasm32-unknown-unknown --lib --bins --tests -- -D warnings

step "native tests"
cargo test --workspace

step "component tests in headless Chromium (wasm-bindgen-test)"
cargo test --target wasm32-unknown-unknown --test components --test chart_component

step "end-to-end tests (trunk build --release, Playwright + Chromium)"
cargo build --bin runlens
RUNLENS_SPLIT=1 trunk build --release
node --test tests/e2e/
