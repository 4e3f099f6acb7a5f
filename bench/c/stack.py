#!/usr/bin/env python3
"""Worst-case stack of a call from ROOT, from GCC's -fcallgraph-info=su files (VCG graphs with
each function's own stack use). The one indirect call of the runtime is a meter's body
(ms_meter.decode_body); an indirect call is taken to reach every function named *_body. The
user's callback is not counted: it is the caller's code."""
import re
import sys

root, files = sys.argv[1], sys.argv[2:]
usage, edges = {}, {}
node = re.compile(r'node: \{ title: "([^"]+)" label: "[^"]*?\\n[^"]*?(\d+) bytes')
edge = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
for f in files:
    text = open(f).read()
    for name, size in node.findall(text):
        usage[name] = max(usage.get(name, 0), int(size))
    for a, b in edge.findall(text):
        edges.setdefault(a, set()).add(b)
bodies = [n for n in usage if n.endswith("_body")]
for a, targets in edges.items():
    if "__indirect_call" in targets:
        targets.update(bodies)


def worst(name, path):
    if name in path:
        raise SystemExit("recursion through " + " -> ".join(path + [name]))
    return usage.get(name, 0) + max([worst(t, path + [name]) for t in edges.get(name, ())] or [0])


print(worst(root, []))
