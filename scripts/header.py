#!/usr/bin/python3
"""Writes the public header: cgo's generated header without its #line
markers, with the Go doc comment of every exported function copied above
its declaration (cgo itself drops them).

usage: header.py <cgo header> <capi dir> <output>
"""
import glob
import re
import sys

src, capi, out = sys.argv[1:4]
docs = {}
for path in sorted(glob.glob(capi + "/*.go")):
    lines = open(path, encoding="utf-8").read().split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^//export (\w+)$", line)
        if not m:
            continue
        block = []
        j = i - 1
        while j >= 0 and lines[j].startswith("//"):
            block.insert(0, lines[j][2:].strip() if lines[j] == "//" else lines[j][3:] if lines[j].startswith("// ") else lines[j][2:])
            j -= 1
        while block and block[-1] == "":
            block.pop()
        docs[m.group(1)] = block

result = []
for line in open(src, encoding="utf-8").read().split("\n"):
    if line.startswith("#line "):
        continue
    m = re.match(r"^extern \w[\w\s\*]* (\w+)\(", line)
    if m and m.group(1) in docs and docs[m.group(1)]:
        result.append("")
        result.append("/* " + "\n * ".join(x.replace("*/", "* /") for x in docs[m.group(1)]) + " */")
    result.append(line)
open(out, "w", encoding="utf-8").write("\n".join(result))
