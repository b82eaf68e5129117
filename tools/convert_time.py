#!/usr/bin/env python3
"""Convert the classic TIME test collection into opedex evaluation files.

Reads ``time-collection/{TIME.ALL,TIME.QUE,TIME.REL}`` (default
``../shared/corpus/time-collection`` next to the repo) and writes three files
into the output directory given on the command line (never the repository:
the texts stay outside it):

* ``articles.jsonl`` -- one canonical opedex Article per document, id
  ``time-<docno>`` (e.g. ``time-017``), outlet ``TIME``, date from the header,
  language ``en``; the body is the document's lines joined with single spaces
  (the collection is double-spaced, upper case, with spaces before
  punctuation -- kept as distributed).
* ``queries.tsv`` -- ``qid<TAB>text`` for every query that has judgments.
* ``qrels.txt`` -- TREC qrels ``qid 0 docid 1`` (TIME judgments are binary).

The judgment numbers in TIME.REL are *positions* in the original
425-document file, not the ``*TEXT`` docnos. This copy lacks two documents
between positions 371 and 379 (SOURCE.md), so position x is the x-th
``*TEXT`` document here when x <= 370 and the (x-2)-th when x >= 380; a
position in 371..379 is an error.

Python 3 standard library only. Exit codes: 0 ok, 2 missing input or a
malformed file (the message names the file and line).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = REPO_ROOT.parent / "shared" / "corpus" / "time-collection"

# One header (docno 431) writes its date as "08/30 63"; a few pad with extra spaces.
_HEADER = re.compile(r"^\*TEXT\s+(\d+)\s+(\d\d)/(\d\d)[/ ](\d\d)\s+PAGE\s+(\d+)\s*$")
_FIND = re.compile(r"^\*FIND\s+(\d+)\s*$")
# Positions 371..379 fall in the gap left by the two missing documents.
_GAP = range(371, 380)
_SHIFT_FROM = 380
_SHIFT = 2


class InputError(Exception):
    """A malformed input file; the message names the file and line."""


def read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="strict").splitlines()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from e
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from e


def collapse(words: list[str]) -> str:
    return " ".join(" ".join(words).split())


def parse_documents(path: Path) -> list[dict]:
    """The documents of TIME.ALL in file order, as Article records."""
    docs: list[dict] = []
    body: list[str] = []

    def flush() -> None:
        if docs:
            text = collapse(body)
            if not text:
                raise InputError(f"{path}: document {docs[-1]['id']} has no text")
            docs[-1]["body"] = text
        body.clear()

    for lineno, line in enumerate(read_lines(path), 1):
        if line.startswith("*TEXT"):
            m = _HEADER.match(line)
            if not m:
                raise InputError(f"{path}:{lineno}: malformed *TEXT header: {line[:60]!r}")
            flush()
            docno, mm, dd, yy, page = m.groups()
            docs.append(
                {
                    "id": f"time-{docno}",
                    "title": f"TIME {docno}, page {int(page)}",
                    "authors": [],
                    "outlet": "TIME",
                    "published": f"19{yy}-{mm}-{dd}",
                    "lang": "en",
                    "body": "",
                }
            )
        elif line.startswith("*STOP"):
            break
        elif line.strip():
            if not docs:
                raise InputError(f"{path}:{lineno}: text before the first *TEXT header")
            body.append(line)
    flush()
    return docs


def parse_queries(path: Path) -> dict[str, str]:
    queries: dict[str, str] = {}
    current: str | None = None
    words: list[str] = []
    for lineno, line in enumerate(read_lines(path), 1):
        if line.startswith("*FIND"):
            m = _FIND.match(line)
            if not m:
                raise InputError(f"{path}:{lineno}: malformed *FIND line: {line[:60]!r}")
            if current is not None:
                queries[current] = collapse(words)
            current, words = str(int(m.group(1))), []
        elif line.startswith("*STOP"):
            break
        elif line.strip():
            if current is None:
                raise InputError(f"{path}:{lineno}: text before the first *FIND line")
            words.append(line)
    if current is not None:
        queries[current] = collapse(words)
    return queries


def parse_judgments(path: Path, n_docs: int) -> dict[str, list[int]]:
    """Query id -> 0-based indexes of judged documents in TIME.ALL order."""
    judged: dict[str, list[int]] = {}
    for lineno, line in enumerate(read_lines(path), 1):
        fields = line.split()
        if not fields:
            continue
        if not all(f.isdigit() for f in fields):
            raise InputError(f"{path}:{lineno}: expected numbers only: {line[:60]!r}")
        qid, positions = str(int(fields[0])), [int(f) for f in fields[1:]]
        indexes = []
        for x in positions:
            if x in _GAP:
                raise InputError(f"{path}:{lineno}: position {x} falls in the gap 371..379")
            i = (x - _SHIFT if x >= _SHIFT_FROM else x) - 1
            if not 0 <= i < n_docs:
                raise InputError(f"{path}:{lineno}: position {x} is outside the collection")
            indexes.append(i)
        if indexes:
            judged.setdefault(qid, []).extend(indexes)
    return judged


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output directory (created; use /tmp, not the repo)")
    ap.add_argument(
        "--collection",
        type=Path,
        default=DEFAULT_DIR,
        help=f"the time-collection folder (default: {DEFAULT_DIR})",
    )
    args = ap.parse_args(argv)
    src: Path = args.collection
    if not src.is_dir():
        print(f"convert_time: {src} is not a directory", file=sys.stderr)
        return 2
    try:
        docs = parse_documents(src / "TIME.ALL")
        queries = parse_queries(src / "TIME.QUE")
        judged = parse_judgments(src / "TIME.REL", len(docs))
    except InputError as e:
        print(f"convert_time: {e}", file=sys.stderr)
        return 2
    missing = sorted(set(judged) - set(queries), key=int)
    if missing:
        print(f"convert_time: judged queries without text: {missing}", file=sys.stderr)
        return 2

    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "articles.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    qids = sorted(judged, key=int)
    with open(args.out / "queries.tsv", "w", encoding="utf-8") as f:
        for q in qids:
            f.write(f"{q}\t{queries[q]}\n")
    pairs = 0
    with open(args.out / "qrels.txt", "w", encoding="utf-8") as f:
        for q in qids:
            for i in sorted(set(judged[q])):
                f.write(f"{q} 0 {docs[i]['id']} 1\n")
                pairs += 1
    print(
        f"convert_time: {len(docs)} articles, {len(qids)} judged queries "
        f"(of {len(queries)}), {pairs} judgments -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
