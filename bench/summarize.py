#!/usr/bin/env python3
"""Prints the benchmark table and the targets from JMH's JSON and ReadingSize's output.

usage: summarize.py results.json reading-size.jsonl

Targets, per telegram:
  speed vs Gurux   Gurux ns/op / decoder ns/op       >= 50
  vs the floor     decoder ns/op / JDK floor ns/op   <= 5
  overhead         decoder B/op - reading bytes      <= 1024 (what decode allocates beyond what it returns)
"""
import json
import sys

TELEGRAMS = {
    # benchmark class -> (telegram name in reading-size, JDK floor benchmark)
    "NetzNoeP1Bench": ("netz_noe_p1", "floorJdkAesCtr"),
    "KamstrupOmnipowerBench": ("kamstrup_omnipower", "floorJdkAesGcm"),
}


def main(results_path, sizes_path):
    with open(results_path) as f:
        results = json.load(f)
    sizes = {}
    with open(sizes_path) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                sizes[r["telegram"]] = r

    rows = {}
    for r in results:
        cls, method = r["benchmark"].rsplit(".", 2)[-2:]
        m = r["primaryMetric"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {})
        rows.setdefault(cls, {})[method] = {
            "ns": m["score"], "err": m["scoreError"], "bytes": alloc.get("score"),
        }

    print()
    print(f"{'benchmark':<40} {'ns/op':>12} {'±':>9} {'B/op':>10}")
    for cls in sorted(rows):
        for method in sorted(rows[cls]):
            v = rows[cls][method]
            err = "" if v["err"] != v["err"] else f"{v['err']:.1f}"  # NaN with too few iterations
            b = "n/a" if v["bytes"] is None else f"{v['bytes']:.0f}"
            print(f"{cls + '.' + method:<40} {v['ns']:>12.1f} {err:>9} {b:>10}")

    print()
    print(f"{'telegram':<20} {'target':<38} {'measured':>12}  result")
    for cls, (name, floor) in TELEGRAMS.items():
        b = rows.get(cls, {})
        if "decoder" not in b:
            continue
        dec = b["decoder"]
        checks = []
        if "gurux" in b:
            checks.append(("decoder >= 50x faster than Gurux", b["gurux"]["ns"] / dec["ns"], "x", lambda x: x >= 50))
        if floor in b:
            checks.append((f"decoder <= 5x JDK floor ({floor})", dec["ns"] / b[floor]["ns"], "x", lambda x: x <= 5))
        if name in sizes and dec["bytes"] is not None:
            reading = sizes[name]["reading_bytes"]
            print(f"{name:<20} {'reading: ' + str(sizes[name]['values']) + ' values, bytes it owns':<38} "
                  f"{reading:>12}")
            checks.append(("allocated beyond the reading <= 1024 B", dec["bytes"] - reading, " B", lambda x: x <= 1024))
        for label, value, unit, ok in checks:
            passed = ok(value)
            shown = f"{value:.1f}{unit}" if unit == "x" else f"{value:.0f}{unit}"
            print(f"{name:<20} {label:<38} {shown:>12}  {'PASS' if passed else 'FAIL'}")
    print()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
