#!/usr/bin/env bash
# bench/lab/ab_two_builds.sh - A/B of two builds of msgpool-bench, run interleaved.
#
# Builds msgpool-bench (release preset) from two commits, each from a clean
# `git archive` copy in a work folder, then runs the two binaries in turn,
# old, new, old, new, ..., one repetition per invocation, ROUNDS times each, so
# that a slow minute of a shared machine hurts both builds alike.  Prints, per
# cell and system measured by both: the old build's median and min..max over
# its rounds, the new build's median, new/old, the median of the rounds'
# paired ratios (each round's new over the same round's old), and the verdict:
#   slower   the new median is below the old build's min
#   faster   the new median is above the old build's max
#   within   otherwise
# The exit status is 0 either way; a failed run (exactly-once, hang) stops it.
#
# With --cells, each round runs every cell in an invocation of its own, the two
# builds back to back (old first in odd rounds, new first in even ones): the
# two measurements of a cell are a second or two apart instead of a whole
# matrix, which matters on a machine whose speed changes within seconds.
# With --old and --new naming the same commit it builds once and measures the
# build against itself (an A/A run): its "slower" and "faster" cells are the
# verdict's false alarms on this machine, the yardstick for an A/B.
#
#   bench/lab/ab_two_builds.sh                           # fd625ee against HEAD, --compare-peers, 7 rounds
#   bench/lab/ab_two_builds.sh --old 0931b3e --rounds 9
#   bench/lab/ab_two_builds.sh --old b5a4fc8 --cells standard -- --messages 300000
#   bench/lab/ab_two_builds.sh --old HEAD --new HEAD --cells standard   # A/A
#   bench/lab/ab_two_builds.sh --work /tmp/ab -- --systems aliases --shapes 1x1,4x4 --messages 200000
#
# Options (before `--`):
#   --old REV      the baseline commit (default fd625ee)
#   --new REV      the commit measured against it (default HEAD)
#   --rounds N     invocations of each build (default 7)
#   --work DIR     where the copies, builds and results go (default: a new
#                  folder under ${TMPDIR:-/tmp}); given again, it reuses the
#                  builds already there (a copy is rebuilt only when missing)
#   --jobs N       build parallelism (default 2)
#   --cells LIST   one invocation per cell and round, the builds back to back:
#                  SHAPE/CAPACITY items separated by commas (4x4/16,1x1/1024),
#                  or `standard`: the cells of --compare-peers (1x1 .. 32x32 at
#                  capacity 1024, 4x4 at 64 and at 16)
#   --systems LIST with --cells, the systems each invocation runs (the tool's
#                  --systems syntax); default: every composition, alias and
#                  reference row, and moodycamel
# Everything after `--` goes to both binaries in every round, after the
# defaults `--compare-peers --reps 1 --idle-seconds 0.05 --quiet --no-plots`
# (with --cells: `--systems` as --systems gives, `--reps 1 --quiet
# --no-plots`);
# `--reps` stays 1 (the rounds are the repetitions).  Mind that the two
# builds measure with their own tool: a change of the tool's workload between
# the commits shows up as a change of every system (docs/lab, the A/B notes).
set -euo pipefail

old=fd625ee
new=HEAD
rounds=7
work=""
jobs=2
cells=""
systems=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --old) old="$2"; shift 2 ;;
        --new) new="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        --cells) cells="$2"; shift 2 ;;
        --systems) systems="$2"; shift 2 ;;
        --) shift; break ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "ab_two_builds.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
    esac
done
bench_args=("$@")
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "ab_two_builds.sh: --rounds takes a whole number >= 1" >&2; exit 1; }
[[ -z "$systems" || -n "$cells" ]] || { echo "ab_two_builds.sh: --systems goes with --cells (without it, --compare-peers fixes the systems)" >&2; exit 1; }
[[ "$cells" == standard ]] && cells="1x1/1024,2x2/1024,4x4/1024,8x8/1024,16x16/1024,32x32/1024,4x4/64,4x4/16"
cell_list=()
if [[ -n "$cells" ]]; then
    IFS=, read -r -a cell_list <<< "$cells"
    for c in "${cell_list[@]}"; do
        [[ "$c" =~ ^[1-9][0-9]*x[1-9][0-9]*/[1-9][0-9]*$ ]] ||
            { echo "ab_two_builds.sh: --cells item '$c' is not SHAPE/CAPACITY (as 4x4/16), nor is the list 'standard'" >&2; exit 1; }
    done
fi

repo="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
old_commit="$(git -C "$repo" rev-parse --verify --short "$old^{commit}")"
new_commit="$(git -C "$repo" rev-parse --verify --short "$new^{commit}")"
[[ -n "$work" ]] || work="$(mktemp -d "${TMPDIR:-/tmp}/msgpool-ab.XXXXXX")"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
echo "work folder: $work (old $old_commit, new $new_commit)"

# A clean copy of `commit` in $work/<side>, built; prints the binary's path.
build() {
    local side="$1" commit="$2" src="$work/$1"
    if [[ -f "$src/.ab-commit" && "$(cat "$src/.ab-commit")" != "$commit" ]]; then
        echo "ab_two_builds.sh: $src holds $(cat "$src/.ab-commit"), not $commit; use another --work" >&2
        exit 1
    fi
    if [[ ! -f "$src/.ab-commit" ]]; then
        mkdir -p "$src"
        git -C "$repo" archive "$commit" | tar -x -C "$src"
        echo "$commit" > "$src/.ab-commit"
    fi
    (cd "$src" && cmake --preset release > "$work/$side-configure.log" 2>&1) ||
        { echo "ab_two_builds.sh: configuring $side ($commit) failed, see $work/$side-configure.log" >&2; exit 1; }
    (cd "$src" && cmake --build --preset release -j"$jobs" --target msgpool-bench > "$work/$side-build.log" 2>&1) ||
        { echo "ab_two_builds.sh: building $side ($commit) failed, see $work/$side-build.log" >&2; exit 1; }
    echo "$src/build/release/bench/msgpool-bench"
}

echo "building old ($old_commit) ..."
old_bin="$(build old "$old_commit")"
if [[ "$new_commit" == "$old_commit" ]]; then
    echo "new is old ($old_commit): an A/A run of one build"
    new_bin="$old_bin"
else
    echo "building new ($new_commit) ..."
    new_bin="$(build new "$new_commit")"
fi

defaults=(--compare-peers --reps 1 --idle-seconds 0.05 --quiet --no-plots)
# --compare-peers fixes its cells; one cell at a time names its systems instead
# (every composition, alias and reference row, and moodycamel; not the idle-CPU
# measurement).
[[ ${#cell_list[@]} -ne 0 ]] &&
    defaults=(--systems "${systems:-compositions,aliases,references,moodycamel::ConcurrentQueue}" --reps 1
              --quiet --no-plots)
rm -rf "$work/runs"
# One invocation of one build: `run SIDE ROUND NAME [ARGS...]`, results in
# $work/runs/SIDE-ROUND/NAME.
run() {
    local side="$1" i="$2" name="$3" bin="$old_bin" status=0
    shift 3
    [[ "$side" == new ]] && bin="$new_bin"
    # Exit status 4 is "a goal missed" (when --goals is among the
    # arguments): a measurement all the same.
    # From the build's own copy: the tool names a run after the commit
    # of the folder it runs in, which there is none (the run id says
    # "unknown"; the log names the commit).  An A/A run's two sides share
    # the old copy.
    local dir="$work/$side"
    [[ "$new_bin" == "$old_bin" ]] && dir="$work/old"
    (cd "$dir" && "$bin" "${defaults[@]}" "${bench_args[@]}" "$@" --output "$work/runs/$side-$i/$name") \
        > "$work/runs-$side-$i-$name.log" 2>&1 || status=$?
    if [[ $status -ne 0 && $status -ne 4 ]]; then
        echo "ab_two_builds.sh: $side round $i ($name) exited with status $status, see $work/runs-$side-$i-$name.log" >&2
        exit 1
    fi
}

for ((i = 1; i <= rounds; ++i)); do
    if [[ ${#cell_list[@]} -eq 0 ]]; then
        for side in old new; do
            echo "round $i/$rounds: $side"
            run "$side" "$i" all
        done
    else
        order=(old new)
        ((i % 2 == 0)) && order=(new old)
        echo "round $i/$rounds: ${#cell_list[@]} cells, ${order[0]} first"
        for c in "${cell_list[@]}"; do
            for side in "${order[@]}"; do
                run "$side" "$i" "${c/\//-}" --shapes "${c%/*}" --capacities "${c#*/}"
            done
        done
    fi
done

python3 - "$work/runs" "$rounds" "$old_commit" "$new_commit" <<'PY'
import csv, statistics, sys
from pathlib import Path

runs, rounds, old_commit, new_commit = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]

def medians(side):
    """(cell, system) -> the median throughput of each round, M msg/s."""
    out = {}
    for i in range(1, rounds + 1):
        for summary in sorted((runs / f"{side}-{i}").glob("*/latest/summary.csv")):
            with open(summary, newline="") as f:
                for row in csv.DictReader(f):
                    out.setdefault((row["cell"], row["system"]), []).append(float(row["mps_median"]) / 1e6)
    return out

old, new = medians("old"), medians("new")
keys = [k for k in old if k in new]
cells = list(dict.fromkeys(k[0] for k in keys))
width = max(len(k[1]) for k in keys) if keys else 6
print(f"\nM msg/s over {rounds} interleaved rounds; old {old_commit}, new {new_commit}")
print(f"{'cell':<16} {'system':<{width}} {'old median':>10} {'old min..max':>16} {'new median':>10} {'new/old':>8} "
      f"{'paired':>7}  verdict")
counts = {"slower": 0, "within": 0, "faster": 0}
for cell in cells:
    for (c, system) in keys:
        if c != cell:
            continue
        o, n = old[(c, system)], new[(c, system)]
        om, nm = statistics.median(o), statistics.median(n)
        verdict = "slower" if nm < min(o) else "faster" if nm > max(o) else "within"
        counts[verdict] += 1
        span = f"{min(o):.2f}..{max(o):.2f}"
        paired = statistics.median(b / a for a, b in zip(o, n))  # round i's new over round i's old
        print(f"{c:<16} {system:<{width}} {om:>10.2f} {span:>16} {nm:>10.2f} {nm / om:>8.2f} {paired:>7.2f}  {verdict}")
only = sorted({k[1] for k in old} ^ {k[1] for k in new})
print(f"\n{len(keys)} cells: {counts['slower']} slower (new median below old min), "
      f"{counts['within']} within old min..max, {counts['faster']} faster (above old max)")
if only:
    print("measured by one build only: " + ", ".join(only))
PY
