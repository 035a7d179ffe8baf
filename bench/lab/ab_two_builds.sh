#!/usr/bin/env bash
# bench/lab/ab_two_builds.sh - A/B of two builds of msgpool-bench, run interleaved.
#
# Builds msgpool-bench (release preset) from two commits, each from a clean
# `git archive` copy in a work folder, then runs the two binaries in turn,
# old, new, old, new, ..., one repetition per invocation, ROUNDS times each, so
# that a slow minute of a shared machine hurts both builds alike.  Prints, per
# cell and system measured by both: the old build's median and min..max over
# its rounds, the new build's median, new/old, and the verdict:
#   slower   the new median is below the old build's min
#   faster   the new median is above the old build's max
#   within   otherwise
# The exit status is 0 either way; a failed run (exactly-once, hang) stops it.
#
#   bench/lab/ab_two_builds.sh                           # fd625ee against HEAD, --compare-peers, 7 rounds
#   bench/lab/ab_two_builds.sh --old 0931b3e --rounds 9
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
# Everything after `--` goes to both binaries in every round, after the
# defaults `--compare-peers --reps 1 --idle-seconds 0.05 --quiet --no-plots`;
# `--reps` stays 1 (the rounds are the repetitions).  Mind that the two
# builds measure with their own tool: a change of the tool's workload between
# the commits shows up as a change of every system (docs/lab, the A/B notes).
set -euo pipefail

old=fd625ee
new=HEAD
rounds=7
work=""
jobs=2
while [[ $# -gt 0 ]]; do
    case "$1" in
        --old) old="$2"; shift 2 ;;
        --new) new="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        --) shift; break ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "ab_two_builds.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
    esac
done
bench_args=("$@")
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "ab_two_builds.sh: --rounds takes a whole number >= 1" >&2; exit 1; }

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
echo "building new ($new_commit) ..."
new_bin="$(build new "$new_commit")"

defaults=(--compare-peers --reps 1 --idle-seconds 0.05 --quiet --no-plots)
rm -rf "$work/runs"
for ((i = 1; i <= rounds; ++i)); do
    for side in old new; do
        bin="$old_bin"; [[ "$side" == new ]] && bin="$new_bin"
        echo "round $i/$rounds: $side"
        # Exit status 4 is "a goal missed" (when --goals is among the
        # arguments): a measurement all the same.
        # From the build's own copy: the tool names a run after the commit
        # of the folder it runs in, which there is none (the run id says
        # "unknown"; the log names the commit).
        status=0
        (cd "$work/$side" && "$bin" "${defaults[@]}" "${bench_args[@]}" --output "$work/runs/$side-$i") \
            > "$work/runs-$side-$i.log" 2>&1 || status=$?
        if [[ $status -ne 0 && $status -ne 4 ]]; then
            echo "ab_two_builds.sh: $side round $i exited with status $status, see $work/runs-$side-$i.log" >&2
            exit 1
        fi
    done
done

python3 - "$work/runs" "$rounds" "$old_commit" "$new_commit" <<'PY'
import csv, statistics, sys
from pathlib import Path

runs, rounds, old_commit, new_commit = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]

def medians(side):
    """(cell, system) -> the median throughput of each round, M msg/s."""
    out = {}
    for i in range(1, rounds + 1):
        with open(runs / f"{side}-{i}" / "latest" / "summary.csv", newline="") as f:
            for row in csv.DictReader(f):
                out.setdefault((row["cell"], row["system"]), []).append(float(row["mps_median"]) / 1e6)
    return out

old, new = medians("old"), medians("new")
keys = [k for k in old if k in new]
cells = list(dict.fromkeys(k[0] for k in keys))
width = max(len(k[1]) for k in keys) if keys else 6
print(f"\nM msg/s over {rounds} interleaved rounds; old {old_commit}, new {new_commit}")
print(f"{'cell':<16} {'system':<{width}} {'old median':>10} {'old min..max':>16} {'new median':>10} {'new/old':>8}  verdict")
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
        print(f"{c:<16} {system:<{width}} {om:>10.2f} {span:>16} {nm:>10.2f} {nm / om:>8.2f}  {verdict}")
only = sorted({k[1] for k in old} ^ {k[1] for k in new})
print(f"\n{len(keys)} cells: {counts['slower']} slower (new median below old min), "
      f"{counts['within']} within old min..max, {counts['faster']} faster (above old max)")
if only:
    print("measured by one build only: " + ", ".join(only))
PY
