#!/bin/bash
# usage: ab.sh OUT ROUNDS SYSTEMS CELL... ; binaries in $OLD $NEW
out=$1; rounds=$2; sys=$3; shift 3
mkdir -p $out
for ((i=1;i<=rounds;i++)); do
  for c in "$@"; do
    order="old new"; ((i%2==0)) && order="new old"
    for side in $order; do
      bin=$OLD; [[ $side == new ]] && bin=$NEW
      $bin -s "$sys" --shapes ${c%/*} --capacities ${c#*/} --reps 1 --messages ${MSGS:-1000000} --quiet --no-plots --output $out/$side-$i-${c/\//-} >/dev/null 2>&1 || echo "fail $side $i $c"
    done
  done
done
python3 - $out $rounds <<'PY'
import csv,statistics,sys,glob
from pathlib import Path
out=Path(sys.argv[1]); rounds=int(sys.argv[2])
d={}
for f in glob.glob(str(out/'*/latest/summary.csv')):
    side,i=Path(f).parts[-3].split('-')[:2]
    for r in csv.DictReader(open(f)):
        d.setdefault((r['cell'],r['system'],side),{})[int(i)]=float(r['mps_median'])/1e6
keys=sorted(set((c,s) for c,s,_ in d))
print(f"{'cell':<16} {'system':<45} {'old med':>8} {'new med':>8} {'new/old':>8} {'paired':>7}  old range / new range")
for c,s in keys:
    o=d.get((c,s,'old'),{}); n=d.get((c,s,'new'),{})
    if not o or not n: continue
    om=statistics.median(o.values()); nm=statistics.median(n.values())
    pr=statistics.median(n[i]/o[i] for i in o if i in n)
    print(f"{c:<16} {s:<45} {om:8.2f} {nm:8.2f} {nm/om:8.2f} {pr:7.2f}  {min(o.values()):.1f}..{max(o.values()):.1f} / {min(n.values()):.1f}..{max(n.values()):.1f}")
PY
