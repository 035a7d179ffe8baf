#!/usr/bin/env bash
# bench/run.sh - the benchmark in one command (the README's main job).
#
# Installs what is missing (scripts/install_deps.sh), builds msgpool-bench with
# the release preset, and runs the default sweep: the default composition, the
# named aliases, the peers and the reference rows over the thread shapes 1x1,
# 2x2, 4x4, 8x8 at capacity 1024 with 8-byte messages, 5 interleaved
# repetitions (2 to 5 minutes on a 2-core machine).  msgpool-bench prints the table and where it
# wrote the CSV, JSON and plots: msgpool-bench-results/<run id>/ at the top
# of the source tree (git ignores it; msgpool-bench-results/latest points to
# the newest run).
#
# Extra arguments go to msgpool-bench:  bench/run.sh --full   (whole matrix,
# every composition);  bench/run.sh --help;  bench/run.sh --list.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
if ! log=$(cmake --preset release 2>&1); then
    echo "$log" >&2
    echo "bench/run.sh: configuring the release preset failed" >&2
    exit 1
fi
cmake --build --preset release --target msgpool-bench
exec build/release/bench/msgpool-bench "$@"
