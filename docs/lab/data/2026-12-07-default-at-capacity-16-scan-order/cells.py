import sys, re
# prints, per job file: start, L before/after, then per cell: system median (x moodycamel)
for f in sys.argv[1:]:
    t=open(f).read()
    Ls=re.findall(r"one-way hand-off: median ([\d.]+) ns \(min ([\d.]+)", t)
    st=re.search(r"start (\S+)", t); en=re.search(r"\nend (\S+)", t)
    print(f"{f}: {st.group(1) if st else ''}-{en.group(1) if en else ''} L before {Ls[0][0] if Ls else '?'} after {Ls[-1][0] if Ls else '?'}")
    for sec in re.split(r"\n== median over \d+ repetitions of \d+ messages \| ", t)[1:]:
        cell=sec.split(" ==")[0]
        rows=[]
        for line in sec.split("\n")[2:]:
            m=re.match(r"^(\S.*?)\s+yes\s+([\d.]+)", line)
            if not m: break
            rows.append((re.sub(r" \(best peer\)","",m.group(1)), float(m.group(2))))
        mc=[v for n,v in rows if n.startswith("moodycamel::ConcurrentQueue")]
        mc=mc[0] if mc else None
        print("  "+cell+": "+", ".join(f"{n.split(' [')[0]} {v}"+(f" ({v/mc:.2f}x)" if mc else "") for n,v in rows))
