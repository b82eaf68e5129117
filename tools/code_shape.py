#!/usr/bin/env python3
"""The shape of the Rust code: file lengths, function lengths, module visibility.

    python3 tools/code_shape.py [--files N] [--fns N] [DIR ...]   (default DIR: src)

Prints markdown tables: the N longest files (lines), the N longest functions
(lines from `fn` to its closing brace, tests included), how many files and
functions exceed 800 and 80 lines, and the counts of `pub mod`, `pub(crate)
mod` and private `mod` lines. Standard library only; braces inside strings,
chars and comments are skipped, which is enough for rustfmt-formatted code.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

FN = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(\w+)")
MOD = re.compile(r"^\s*(pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*;")


def strip_code(line: str, in_block: bool) -> tuple[str, bool]:
    """The line with strings, chars and comments blanked; whether a block comment is open."""
    out = []
    i = 0
    while i < len(line):
        if in_block:
            end = line.find("*/", i)
            if end < 0:
                return "".join(out), True
            i, in_block = end + 2, False
            continue
        c = line[i]
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            in_block, i = True, i + 2
            continue
        if c == '"':
            j = i + 1
            while j < len(line) and line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            i = j + 1
            continue
        if c == "'" and re.match(r"'(\\.|[^\\'])'", line[i:i + 4]):
            i += len(re.match(r"'(\\.|[^\\'])'", line[i:]).group(0))
            continue
        out.append(c)
        i += 1
    return "".join(out), in_block


def functions(path: Path) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every function in a file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    in_block = False
    stack: list[tuple[str, int, int]] = []  # (name, start, depth at which its body opened)
    depth = 0
    pending: tuple[str, int] | None = None
    for n, raw in enumerate(lines, 1):
        m = FN.match(raw)
        code, in_block = strip_code(raw, in_block)
        if m:
            pending = (m.group(1), n)
        for c in code:
            if c == "{":
                depth += 1
                if pending:
                    stack.append((pending[0], pending[1], depth))
                    pending = None
            elif c == "}":
                if stack and stack[-1][2] == depth:
                    name, start, _ = stack.pop()
                    found.append((name, start, n - start + 1))
                depth -= 1
        if pending and code.rstrip().endswith(";"):
            pending = None  # a declaration without a body (trait method)
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", default=["src"])
    ap.add_argument("--files", type=int, default=15)
    ap.add_argument("--fns", type=int, default=20)
    args = ap.parse_args(argv)
    files = sorted(p for d in args.dirs for p in Path(d).rglob("*.rs"))
    if not files:
        print("no .rs files", file=sys.stderr)
        return 2
    sizes = [(len(p.read_text(encoding="utf-8").splitlines()), p) for p in files]
    fns = [(length, f"{p}:{start}", name) for p in files for name, start, length in functions(p)]
    mods = {"pub": 0, "pub(crate)/pub(super)": 0, "private": 0}
    for p in files:
        for line in p.read_text(encoding="utf-8").splitlines():
            m = MOD.match(line)
            if m:
                vis = (m.group(1) or "").strip()
                key = "pub" if vis == "pub" else ("private" if not vis else "pub(crate)/pub(super)")
                mods[key] += 1
    sizes.sort(key=lambda t: -t[0])
    fns.sort(key=lambda t: -t[0])
    print(f"{len(files)} files, {sum(s for s, _ in sizes)} lines, {len(fns)} functions\n")
    print("| file | lines |\n|---|---|")
    for size, p in sizes[: args.files]:
        print(f"| {p} | {size} |")
    print("\n| function | at | lines |\n|---|---|---|")
    for length, at, name in fns[: args.fns]:
        print(f"| {name} | {at} | {length} |")
    print(
        f"\nfiles over 800 lines: {sum(1 for s, _ in sizes if s > 800)}; "
        f"functions over 80 lines: {sum(1 for l, _, _ in fns if l > 80)}; "
        f"mod lines: {mods['pub']} pub, {mods['pub(crate)/pub(super)']} pub(crate)/pub(super), "
        f"{mods['private']} private"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
