#!/usr/bin/env python3
"""Worst-case stack of a call from ROOT, from GCC's -fcallgraph-info=su files (VCG graphs with
each function's own stack use). The runtime's indirect calls are a meter's body
(ms_meter.decode_body), which the stream enters and no body code does, and, below a body, the
meter's pattern match (ms_meter.match_pattern): an indirect call is taken to reach every function
named *_body, or ms_match_pattern where a body is already on the path. The user's callback is not
counted: it is the caller's code."""
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


def callees(name, path):
    targets = set(edges.get(name, ()))
    if "__indirect_call" in targets:
        targets.discard("__indirect_call")
        in_body = any(p.endswith("_body") for p in path + [name])
        targets.update(["ms_match_pattern"] if in_body else bodies)
    return targets


def worst(name, path):
    if name in path:
        raise SystemExit("recursion through " + " -> ".join(path + [name]))
    return usage.get(name, 0) + max([worst(t, path + [name]) for t in callees(name, path)] or [0])


print(worst(root, []))
