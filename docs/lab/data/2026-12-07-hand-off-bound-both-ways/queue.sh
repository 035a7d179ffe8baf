#!/bin/bash
# runs each job line of $1 in the fast phase (waits up to 5 min for one), output to $2/jobN.txt
jobs=$1; out=$2; mkdir -p $out
H=/work/main/build/release/bench/msgpool-lab-handoff-latency
n=0
while IFS= read -r cmd; do
  n=$((n+1))
  for i in $(seq 1 300); do
    l=$($H --reps 3 | head -1 | awk '{print $4}')
    if awk -v l=$l 'BEGIN{exit !(l<80)}'; then break; fi
    sleep 1
  done
  { echo "job: $cmd"; echo "start $(date -u +%H:%M:%S) before: $($H --reps 5)"; eval "$cmd"; echo "end $(date -u +%H:%M:%S) after: $($H --reps 5)"; } > $out/job$n.txt 2>&1
done < $jobs
echo done > $out/DONE
