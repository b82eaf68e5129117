#!/usr/bin/env python3
"""Consistency check for the op-ed evaluation set in this folder.

Checks that opeds-queries.jsonl, opeds-qrels.txt, opeds-variants.tsv and
opeds-pool.tsv parse and agree: every qid of the qrels is a query and every
query is judged, no (qid, docid) pair is judged twice, grades are 0, 1 or 2,
every query has at least one grade-2 article, filters use only the keys and
date forms `opedex search` accepts, and every pooled article is judged.
With --articles (the JSONL written by tools/convert_corpus.py) it also checks
that every judged docid is an article id of the corpus; without it that check
is skipped with a message. Exit code 0 when all is well, 1 otherwise.

    python3 tests/eval/check.py [--articles /tmp/opeds.jsonl]
"""

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILTER_KEYS = {"author", "outlet", "topic", "lang", "since", "until"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", help="corpus JSONL from tools/convert_corpus.py")
    args = ap.parse_args()
    errors = []

    queries = {}
    for n, line in enumerate((HERE / "opeds-queries.jsonl").read_text().splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"queries line {n}: {e}")
            continue
        qid, text, flt = q.get("qid"), q.get("query"), q.get("filters", {})
        if not isinstance(qid, str) or not qid:
            errors.append(f"queries line {n}: no qid")
            continue
        if qid in queries:
            errors.append(f"queries line {n}: duplicate qid {qid}")
        if not isinstance(text, str) or not text.strip():
            errors.append(f"{qid}: empty query")
        if not isinstance(flt, dict) or set(flt) - FILTER_KEYS:
            errors.append(f"{qid}: bad filters {flt!r}")
        else:
            for key in ("since", "until"):
                if key in flt and not DATE.match(str(flt[key])):
                    errors.append(f"{qid}: {key} {flt[key]!r} is not YYYY[-MM[-DD]]")
        queries[qid] = q

    judged = defaultdict(dict)
    for n, line in enumerate((HERE / "opeds-qrels.txt").read_text().splitlines(), 1):
        parts = line.split()
        if len(parts) != 4 or parts[1] != "0" or parts[3] not in ("0", "1", "2"):
            errors.append(f"qrels line {n}: not `qid 0 docid 0|1|2`: {line!r}")
            continue
        qid, _, doc, grade = parts
        if doc in judged[qid]:
            errors.append(f"qrels line {n}: {qid} {doc} judged twice")
        judged[qid][doc] = int(grade)

    for qid in sorted(set(judged) - set(queries)):
        errors.append(f"qrels qid {qid} is not in the queries")
    for qid in sorted(set(queries) - set(judged)):
        errors.append(f"query {qid} has no judgments")
    for qid, docs in judged.items():
        if 2 not in docs.values():
            errors.append(f"{qid}: no grade-2 article")

    for n, line in enumerate((HERE / "opeds-variants.tsv").read_text().splitlines(), 1):
        qid, _, text = line.partition("\t")
        if qid not in queries or not text.strip():
            errors.append(f"variants line {n}: bad row {line!r}")

    pooled = defaultdict(set)
    for n, line in enumerate((HERE / "opeds-pool.tsv").read_text().splitlines(), 1):
        parts = line.split("\t")
        if len(parts) != 4:
            errors.append(f"pool line {n}: expected 4 tab-separated fields")
            continue
        pooled[parts[0]].add(parts[2])
    for qid, docs in pooled.items():
        missing = docs - set(judged.get(qid, {}))
        if missing:
            errors.append(f"{qid}: {len(missing)} pooled articles not judged")

    if args.articles:
        ids = set()
        with open(args.articles, encoding="utf-8") as f:
            for line in f:
                ids.add(json.loads(line)["id"])
        for qid, docs in judged.items():
            for doc in docs:
                if doc not in ids:
                    errors.append(f"{qid}: docid {doc} is not in {args.articles}")
    else:
        print("skip: docid existence not checked (pass --articles FILE)")

    grades = Counter(g for docs in judged.values() for g in docs.values())
    rel = sorted(sum(1 for g in d.values() if g > 0) for d in judged.values())
    print(
        f"{len(queries)} queries, {sum(grades.values())} judgments "
        f"(2: {grades[2]}, 1: {grades[1]}, 0: {grades[0]}), relevant per query "
        f"min {rel[0]} median {rel[len(rel) // 2]} max {rel[-1]}"
    )
    for e in errors:
        print("error:", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
