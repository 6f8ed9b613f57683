#!/usr/bin/python3
"""Writes a scenario file with its `sites` and `lanes` blocks in reverse order.

    reverse_textproto.py IN OUT

Top-level entries are found by brace matching (strings and # comments
respected); every other entry keeps its place. A `base:` path is made absolute
so the copy can live elsewhere."""
import os
import re
import sys


def entries(text):
    """Splits top-level text-format entries: (name, text) in order, comments kept with what follows."""
    out, i, start, depth = [], 0, 0, 0
    in_string = None
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 2
                continue
            if c == in_string:
                in_string = None
        elif c in "\"'":
            in_string = c
        elif c == "#":
            i = text.find("\n", i)
            if i < 0:
                i = len(text)
            continue
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                out.append(text[start:i + 1])
                start = i + 1
        elif c == "\n" and depth == 0:
            chunk = text[start:i + 1]
            if re.match(r"\s*\w+\s*:", chunk.split("#")[0] if chunk.strip().startswith("#") is False else "x"):
                out.append(chunk)
                start = i + 1
        i += 1
    out.append(text[start:])
    named = []
    for chunk in out:
        code = "\n".join(line for line in chunk.splitlines() if not line.strip().startswith("#"))
        match = re.match(r"\s*(\w+)", code)
        named.append((match.group(1) if match else "", chunk))
    return named


def main():
    src, dst = sys.argv[1], sys.argv[2]
    text = open(src, encoding="utf-8").read()
    parts = entries(text)
    for kind in ("sites", "lanes"):
        slots = [i for i, (name, _) in enumerate(parts) if name == kind]
        blocks = [parts[i] for i in slots][::-1]
        for i, block in zip(slots, blocks):
            parts[i] = block
    result = "".join(chunk for _, chunk in parts)
    base_dir = os.path.dirname(os.path.abspath(src))
    result = re.sub(r'(?m)^base:\s*"([^"]+)"',
                    lambda m: 'base: "%s"' % os.path.normpath(os.path.join(base_dir, m.group(1))), result)
    open(dst, "w", encoding="utf-8").write(result)


if __name__ == "__main__":
    main()
