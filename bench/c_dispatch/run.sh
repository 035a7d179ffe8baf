#!/bin/sh
# What the blocking-mode dispatch of libmsgpool_c costs a program of the
# README's generation: readme_throughput.c built against the library of
# this checkout and against that of a git revision (default: main), the two
# run alternately, round after round, in one run of this script.
#
#   bench/c_dispatch/run.sh [baseline-rev] [rounds] [messages]
#
# Prints every run and, per shape, the median and min..max in M msg/s of
# each build and the ratio of the medians.  Shape "1 thread": the main thread
# writes and reads each id in turn, the cost of a call pair; the others move
# ids between P producer and P consumer threads.  Builds in a scratch directory
# with -O2 -DNDEBUG (the release preset's flags); needs git, cmake, cc, c++.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
rev=${1:-main}
rounds=${2:-7}
messages=${3:-2000000}
# MSGPOOL_DISPATCH_WORK=<dir>: build there and keep it; a second run with the
# same directory reuses the two programs (build while the machine is busy,
# measure once it is quiet).
if [ -n "${MSGPOOL_DISPATCH_WORK:-}" ]; then
    work=$MSGPOOL_DISPATCH_WORK
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/msgpool-c-dispatch.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi

build_lib() {  # <source dir> <build dir>
    cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release -DMSGPOOL_BUILD_TESTS=OFF -DMSGPOOL_BUILD_BENCH=OFF >/dev/null
    cmake --build "$2" --target msgpool_c -j 2 >/dev/null
}
if [ ! -x "$work/base" ] || [ ! -x "$work/new" ]; then
    rm -rf "$work/base-src"
    mkdir -p "$work/base-src"
    git -C "$src" archive "$rev" | tar -x -C "$work/base-src"
    git -C "$src" rev-parse --short "$rev" > "$work/base-rev"
    git -C "$src" rev-parse --short HEAD > "$work/new-rev"
    build_lib "$work/base-src" "$work/base-build"
    build_lib "$src" "$work/new-build"
    for v in base new; do
        s=$([ $v = base ] && echo "$work/base-src" || echo "$src")
        cc -std=c99 -O2 -DNDEBUG -I"$s/include" "$here/readme_throughput.c" -o "$work/$v" \
            -L"$work/$v-build/src" -lmsgpool_c -lpthread -Wl,-rpath,"$work/$v-build/src"
    done
fi
[ "${MSGPOOL_DISPATCH_BUILD_ONLY:-0}" = 1 ] && exit 0

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus; base $rev as built ($(cat "$work/base-rev")), new as built ($(cat "$work/new-rev")); uptime:$(uptime | sed 's/.*load/ load/')"
for r in $(seq "$rounds"); do
    for shape in "0 1024" "1 1024" "4 1024" "8 100"; do
        for v in base new; do
            set -- $shape
            echo "$r $v $("$work/$v" "$1" "$2" "$messages")"
        done
    done
done | tee "$work/runs"
echo "# shape: base median (min..max) | new median (min..max) | new/base"
awk '{ v = $2; x = $NF; key = $3; for (i = 4; i < NF; i++) key = key " " $i; vals[key, v] = vals[key, v] " " x; keys[key] = 1 }
function stats(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2; lo = a[1]; hi = a[n] }
END { for (k in keys) { stats(vals[k, "base"]); bm = med; bl = lo; bh = hi; stats(vals[k, "new"]);
    printf "%s | %.1f (%.1f..%.1f) | %.1f (%.1f..%.1f) | %.2f\n", k, bm, bl, bh, med, lo, hi, med / bm } }' "$work/runs" | sort
