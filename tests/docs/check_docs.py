#!/usr/bin/env python3
"""tests/docs/check_docs.py - the documentation's links and headings.

    python3 tests/docs/check_docs.py [SOURCE_DIR]

Over README.md, CHANGELOG.md and every Markdown file under docs/:
  * every relative link and image resolves: the file or folder exists, and a
    #fragment names a heading of the target page (GitHub's anchors);
  * no heading outside docs/lab/ holds a date (2026-11-30) or a year (2026):
    product pages state what is, the lab notebook what was measured when;
  * every page in docs/lab/ is named YYYY-MM-DD-<what>.md: one dated file per
    experiment.
Links inside code blocks and code spans are not links.  Prints each problem
as file:line and exits 1 if there is any, else prints a count and exits 0.
"""
import re
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]).resolve()
pages = [p for p in [root / "README.md", root / "CHANGELOG.md"] if p.exists()]
pages += sorted((root / "docs").rglob("*.md"))

LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
DATED = re.compile(r"\b(?:\d{4}-\d{2}-\d{2}|(?:19|20)\d{2})\b")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def lines_outside_code(path):
    """(line number, text) of the lines outside fenced code blocks."""
    fence = None
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        m = FENCE.match(line)
        if m:
            if fence is None:
                fence = m.group(1)
            elif m.group(1) == fence:
                fence = None
            continue
        if fence is None:
            yield number, line


def slug(heading):
    """GitHub's anchor for a heading's text."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links: their text
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


anchors_cache = {}


def anchors(path):
    if path not in anchors_cache:
        seen, out = {}, set()
        for _, line in lines_outside_code(path):
            m = HEADING.match(line)
            if not m:
                continue
            s = slug(m.group(2))
            n = seen.get(s, 0)
            seen[s] = n + 1
            out.add(s if n == 0 else f"{s}-{n}")
        anchors_cache[path] = out
    return anchors_cache[path]


problems = []
links = 0
for page in pages:
    rel = page.relative_to(root)
    in_lab = rel.parts[:2] == ("docs", "lab")
    if in_lab and not re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9][a-z0-9.-]*\.md", page.name):
        problems.append(f"{rel}: a lab page is named YYYY-MM-DD-<what>.md")
    for number, line in lines_outside_code(page):
        m = HEADING.match(line)
        if m and not in_lab and DATED.search(m.group(2)):
            problems.append(f"{rel}:{number}: a date in a heading outside docs/lab/: {line.strip()}")
        for target in LINK.findall(CODE_SPAN.sub("", line)):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
                continue
            links += 1
            file_part, _, fragment = target.partition("#")
            dest = (page.parent / file_part).resolve() if file_part else page
            if not dest.exists():
                problems.append(f"{rel}:{number}: no such file: {target}")
            elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
                problems.append(f"{rel}:{number}: no heading for #{fragment} in {dest.relative_to(root)}")

for p in problems:
    print(p)
if problems:
    print(f"check_docs: {len(problems)} problem(s) in {len(pages)} pages")
    sys.exit(1)
print(f"check_docs: {len(pages)} pages, {links} relative links, all resolve; no dated heading outside docs/lab/")
