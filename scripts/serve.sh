#!/usr/bin/env bash
# Serves the app with the bundled sample runs on http://127.0.0.1:8080/ (rebuilds on change).
set -euo pipefail
cd "$(dirname "$0")/.."
export TRUNK_SKIP_VERSION_CHECK=true
RUNLENS_SKIP_BROWSER=1 bash scripts/setup.sh
exec trunk serve --release "$@"
