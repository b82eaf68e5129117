#!/usr/bin/env python3
"""The SQLite FTS5 peer of the benchmark suite: the same passages as the bare engine.

    fts5.py index PASSAGES.jsonl DB      one table, porter unicode61; prints {"passages","seconds"}
    fts5.py query DB QUERIES.txt [WARMUP] in-process top-10 bm25 + snippet; prints p50/p95/p99 ms
    fts5.py search DB QUERY              one whole-process query: open, search, print

PASSAGES.jsonl comes from `bare_engine passages` (opedex's own passage split).
A query's words are OR-ed, as opedex and the bare engine do with plain words.
Python 3 standard library only (sqlite3 with FTS5).
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import sys
import time

WORD = re.compile(r"\w+")


def match_expr(q: str) -> str:
    """Plain words OR-ed, each quoted so FTS5 syntax characters are inert."""
    return " OR ".join(f'"{w}"' for w in WORD.findall(q))


def index(src: str, db: str) -> None:
    start = time.monotonic()
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(
        "CREATE VIRTUAL TABLE p USING fts5(title, body, author UNINDEXED, outlet UNINDEXED,"
        " tokenize='porter unicode61')"
    )

    def rows():
        with open(src, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                yield r["title"], r["body"], "; ".join(r["authors"]), r["outlet"]

    n = 0
    batch = []
    for row in rows():
        batch.append(row)
        if len(batch) == 10_000:
            con.executemany("INSERT INTO p VALUES (?,?,?,?)", batch)
            n += len(batch)
            batch.clear()
    con.executemany("INSERT INTO p VALUES (?,?,?,?)", batch)
    n += len(batch)
    con.commit()
    con.close()
    print(json.dumps({"passages": n, "seconds": round(time.monotonic() - start, 3)}))


SQL = (
    "SELECT title, outlet, snippet(p, 1, '<b>', '</b>', '…', 24), bm25(p) "
    "FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT 10"
)


def answer(con: sqlite3.Connection, q: str) -> list[str]:
    expr = match_expr(q)
    if not expr:
        return []
    return [f"{-s:.2f} {t} — {o}\n  {snip}" for t, o, snip, s in con.execute(SQL, (expr,))]


def percentile(xs: list[float], p: float) -> float:
    rank = math.ceil(p / 100 * len(xs))
    return xs[min(max(rank, 1), len(xs)) - 1] if xs else 0.0


def query(db: str, queries: str, warmup: int) -> None:
    con = sqlite3.connect(db)
    with open(queries, encoding="utf-8") as fh:
        qs = [line.strip() for line in fh if line.strip()]
    hits = 0
    for _ in range(warmup):
        for q in qs:
            hits += len(answer(con, q))
    ms = []
    for q in qs:
        t = time.perf_counter()
        hits += len(answer(con, q))
        ms.append((time.perf_counter() - t) * 1e3)
    ms.sort()
    print(
        json.dumps(
            {
                "queries": len(ms),
                "hits": hits,
                "p50_ms": round(percentile(ms, 50), 3),
                "p95_ms": round(percentile(ms, 95), 3),
                "p99_ms": round(percentile(ms, 99), 3),
            }
        )
    )


def search(db: str, q: str) -> None:
    con = sqlite3.connect(db)
    for line in answer(con, q):
        print(line)


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "index":
        index(argv[1], argv[2])
    elif len(argv) >= 3 and argv[0] == "query":
        query(argv[1], argv[2], int(argv[3]) if len(argv) > 3 else 1)
    elif len(argv) >= 3 and argv[0] == "search":
        search(argv[1], argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
