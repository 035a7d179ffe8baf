#!/usr/bin/env bash
# bench/run.sh - install what is missing, build the release preset, run
# msgpool-bench with its default settings.  Extra arguments go to msgpool-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target msgpool-bench
exec build/release/bench/msgpool-bench "$@"
