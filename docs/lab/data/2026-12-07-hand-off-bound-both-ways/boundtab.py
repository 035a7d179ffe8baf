import sys, re, glob, os
# usage: boundtab.py ROUNDFILES...  in this directory: python3 boundtab.py bound*-bench.txt q*-job*.txt
# (a round's bench output X-bench.txt with X-before.txt, X-after.txt, X-time.txt beside it, or a queue job file)
def parse_handoff(text):
    out=[]
    for m in re.finditer(r"one-way hand-off: median ([\d.]+) ns \(min ([\d.]+), max ([\d.]+)\)", text):
        out.append((float(m.group(1)), float(m.group(2))))
    s=[float(m.group(1)) for m in re.finditer(r"same-core hand-off: median ([\d.]+) ns", text)]
    return out, s
def parse_bench(text):
    rows={}
    for line in text.splitlines():
        m=re.match(r"^(\S.*?bulk32)(?: \[[^\]]*\])?(?: \(best peer\))?\s+yes\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", line)
        if m and m.group(1) not in rows: rows[m.group(1)]=float(m.group(2))
    return rows
print("| round | start (UTC) | L before, median (min) ns | L after, median (min) ns | S ns | bound 16 / 2 min L (M msg/s) | moodycamel bulk32 | moodycamel / bound | best msgpool bulk32 | best / moodycamel |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
for f in sys.argv[1:]:
    name=os.path.basename(f)
    if "job" in name:
        text=open(f).read(); hb=text.split("\nend ")[0]; ha=text.split("\nend ")[1] if "\nend " in text else ""
        before,s1=parse_handoff(hb.split("system")[0]); after,s2=parse_handoff(ha); bench=text; start=re.search(r"start (\S+)",text).group(1)
    else:
        d=os.path.dirname(f) or "."; r=name.rsplit("-",1)[0]
        before,s1=parse_handoff(open(f"{d}/{r}-before.txt").read()); after,s2=parse_handoff(open(f"{d}/{r}-after.txt").read())
        bench=open(f).read(); start=open(f"{d}/{r}-time.txt").read().split()[0]
    rows=parse_bench(bench)
    mc=rows.get("moodycamel::ConcurrentQueue bulk32")
    ours={k:v for k,v in rows.items() if not k.startswith("moodycamel")}
    bk=max(ours,key=ours.get)
    lmin=min(before[0][1], after[0][1])
    bound=16/(2*lmin)*1e3
    S=min(s1+s2) if s1+s2 else float('nan')
    print(f"| {name.replace('-bench.txt','').replace('.txt','')} | {start} | {before[0][0]:.1f} ({before[0][1]:.1f}) | {after[0][0]:.1f} ({after[0][1]:.1f}) | {S:.0f} | {bound:.1f} | {mc:.1f} | {mc/bound:.2f} | {bk.split(' bulk32')[0]} {ours[bk]:.1f} | {ours[bk]/mc:.2f}x |")
