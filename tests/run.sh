#!/usr/bin/env bash
# tests/run.sh - install what is missing, build, run the whole test suite.
#
#   tests/run.sh                 normal (release) build
#   tests/run.sh --sanitizers    also the tsan and asan (ASan + UBSan) builds
#   CI=true tests/run.sh         same as --sanitizers
#
# MSGPOOL_STRESS scales the stress tests (default 1: small; e.g. 50 for a soak).
set -euo pipefail
cd "$(dirname "$0")/.."

sanitizers=false
[ "${CI:-}" = "true" ] && sanitizers=true
for arg in "$@"; do
    case "$arg" in
        --sanitizers) sanitizers=true ;;
        *) echo "usage: tests/run.sh [--sanitizers]" >&2; exit 2 ;;
    esac
done

scripts/install_deps.sh

# Sanitizer runtimes: the bad-capacity tests ask for absurd sizes on purpose
# and expect std::length_error, so the allocators must return null instead of
# aborting.
export TSAN_OPTIONS="allocator_may_return_null=1 halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
export ASAN_OPTIONS="allocator_may_return_null=1 detect_leaks=1 ${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1 ${UBSAN_OPTIONS:-}"

presets=(release)
$sanitizers && presets+=(tsan asan)

# Sanitized runs are 5 to 20 times slower: unless MSGPOOL_STRESS is set, they
# run the stress tests at a quarter of the default size (every test, every
# composition, smaller message counts and fewer rounds).
for preset in "${presets[@]}"; do
    echo "=== tests/run.sh: $preset build ==="
    start=$(date +%s)
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
    if [ "$preset" = release ]; then
        ctest --preset "$preset"
    else
        MSGPOOL_STRESS="${MSGPOOL_STRESS:-0.25}" ctest --preset "$preset"
    fi
    echo "=== tests/run.sh: $preset passed in $(( $(date +%s) - start )) s ==="
done
echo "tests/run.sh: all passed (${presets[*]})"
