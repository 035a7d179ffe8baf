#!/bin/bash
# usage: bound.sh OUTDIR ROUNDS
out=$1; n=$2; B=/work/main/build/release/bench
for r in $(seq 1 $n); do
  date -u +%H:%M:%S > $out/r$r-time.txt
  $B/msgpool-lab-handoff-latency --reps 5 > $out/r$r-before.txt
  $B/msgpool-bench -s 'pool bulk32,line_pool bulk32,ring_pool bulk32,spin_pool bulk32,moodycamel::ConcurrentQueue bulk32' --shapes 4x4 --capacities 16 --reps 7 --messages 1000000 > $out/r$r-bench.txt 2>&1
  $B/msgpool-lab-handoff-latency --reps 5 > $out/r$r-after.txt
  date -u +%H:%M:%S >> $out/r$r-time.txt
done
