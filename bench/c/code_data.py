#!/usr/bin/env python3
"""Bytes of code and of read-only data a linker map says were linked: picolibc's link script puts
.rodata into .text, so `size` alone cannot tell them apart.

    code_data.py MAP    prints "CODE RODATA"
"""
import re
import sys


def main(path):
    code = rodata = 0
    started = False
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("Linker script and memory map"):
            started = True
        if not started:
            continue
        # an input section: " .text.name  0xADDR  0xSIZE file", the name alone on its line when long
        m = re.match(r"^ (\.(?:text|rodata|srodata)\S*)(?:\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+))?", line)
        if not m:
            continue
        size = m.group(3)
        if size is None and i + 1 < len(lines):
            n = re.match(r"^\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s", lines[i + 1])
            size = n.group(2) if n else None
        if size is None:
            continue
        if "rodata" in m.group(1):
            rodata += int(size, 16)
        else:
            code += int(size, 16)
    print(code, rodata)


if __name__ == "__main__":
    main(sys.argv[1])
