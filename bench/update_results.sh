#!/usr/bin/env bash
# bench/update_results.sh - regenerate the Results section of docs/benchmarks.md.
#
#   bench/update_results.sh                  build, run the project's run, rewrite the section
#   bench/update_results.sh --from DIR       rewrite it from a finished run (DIR holds results.md)
#   bench/update_results.sh -- --reps 7      extra arguments for msgpool-bench
#
# The project's run is
#   msgpool-bench --compare-peers --goals bench/goals/peer-comparison.json
# (a few minutes on a quiet 2-core machine; `--estimate` among the extra
# arguments prints the plan only and leaves the page alone).  The tool's
# results.md, which opens with the run's date, commit, compiler, CPU and host,
# replaces everything between the markers `<!-- results:begin` and
# `<!-- results:end -->` of docs/benchmarks.md, after one line naming the
# command that made it.  A run that fails (exit status 2 or 3) changes
# nothing; a missed goal (status 4) is a result like any other.
set -euo pipefail
cd "$(dirname "$0")/.."

page=docs/benchmarks.md
run_args=(--compare-peers --goals bench/goals/peer-comparison.json)
extra=()
from=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --from) from="$2"; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "update_results.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
    esac
done

if [[ -z "$from" ]]; then
    if ! log=$(cmake --preset release 2>&1); then
        echo "$log" >&2
        echo "update_results.sh: configuring the release preset failed" >&2
        exit 1
    fi
    cmake --build --preset release --target msgpool-bench
    status=0
    build/release/bench/msgpool-bench "${run_args[@]}" "${extra[@]}" --output msgpool-bench-results || status=$?
    for arg in "${extra[@]}"; do [[ "$arg" == --estimate ]] && exit "$status"; done
    if [[ $status -ne 0 && $status -ne 4 ]]; then
        echo "update_results.sh: msgpool-bench exited with status $status; $page is unchanged" >&2
        exit "$status"
    fi
    from=msgpool-bench-results/latest
    made_by="\`bench/update_results.sh${extra[*]:+ -- ${extra[*]}}\`"
else
    made_by="\`bench/update_results.sh --from\` (from a finished run)"
fi
[[ -f "$from/results.md" ]] || { echo "update_results.sh: no results.md in $from" >&2; exit 1; }

grep -q '^<!-- results:begin' "$page" && grep -q '^<!-- results:end -->$' "$page" ||
    { echo "update_results.sh: $page has no results:begin / results:end markers" >&2; exit 1; }
awk -v results="$from/results.md" -v made_by="$made_by" '
    /^<!-- results:begin/ {
        print; print ""; print "Written by " made_by "."; print ""
        while ((getline line < results) > 0) print line
        print ""; skipping = 1; next
    }
    /^<!-- results:end -->$/ { skipping = 0 }
    !skipping { print }
' "$page" > "$page.new"
mv "$page.new" "$page"
echo "$page: Results rewritten from $from/results.md"
