#!/usr/bin/env python3
"""Write a query list for the benchmark, sampled from the corpus's titles at run time.

    make_queries.py CORPUS.jsonl OUT.txt [--count 300] [--seed 7]

A third of the queries are one title word, a third two words from one title, a
third an adjacent pair from a title (a bigram, as people type them). Words are
letters only, at least four long, and not common function words, so every query
asks for something the corpus talks about. Nothing here is committed: the list is
made from whatever corpus the run uses.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys

WORD = re.compile(r"[A-Za-z]{4,}")
COMMON = set(
    """
    about after again against also among been before being between both could does doing during
    each even from further have having here into just like made make many more most much must
    never only other over same should some such than that their them then there these they this
    those through under until very want were what when where which while will with would your
    says said says year years still every first last next back down well
    """.split()
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    titles = []
    with open(args.corpus, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= 20_000:  # the real articles come first; their titles are enough
                break
            words = [w.lower() for w in WORD.findall(json.loads(line).get("title", ""))]
            words = [w for w in words if w not in COMMON]
            if words:
                titles.append(words)
    rng = random.Random(args.seed)
    out = []
    while len(out) < args.count:
        ws = titles[rng.randrange(len(titles))]
        kind = len(out) % 3
        if kind == 0:
            q = rng.choice(ws)
        elif kind == 1 and len(ws) >= 2:
            q = " ".join(rng.sample(ws, 2))
        elif len(ws) >= 2:
            i = rng.randrange(len(ws) - 1)
            q = f"{ws[i]} {ws[i + 1]}"
        else:
            continue
        out.append(q)
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    print(f"make_queries: {len(out)} queries -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
