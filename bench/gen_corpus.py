#!/usr/bin/env python3
"""Make a benchmark corpus of N articles in opedex's canonical JSON Lines.

Real articles come first: AllSides + Webis from the shared corpus folder
(converted with ``tools/convert_corpus.py``), or the bundled ``corpus/articles.jsonl``
when the shared folder is absent. When N is larger than the real set, synthetic
articles follow. Each one takes the metadata (authors, outlet, site, section, date,
topics) of one real article and a body of real paragraphs drawn from *different*
real articles, so no two synthetic bodies are near-duplicates for opedex's MinHash
detector (threshold 0.5 over 4-word shingles): two of them share a paragraph now
and then, never most of their text. Titles join the first half of one real title
with the second half of another. Everything is drawn from one seeded generator,
so the same N and seed give the same file.

The output holds publishers' text: write it under /tmp, never into the repository.

    python3 bench/gen_corpus.py N OUT.jsonl [--seed S] [--corpus DIR]

Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import convert_corpus  # noqa: E402  (tools/ is not a package)

META_KEYS = ("authors", "outlet", "site", "section", "published", "topics")


def real_articles(corpus: Path) -> tuple[list[dict], str]:
    """The real articles, in a fixed order, and where they came from."""
    sources = [s for s in convert_corpus.SOURCES if (corpus / _source_dir(s)).is_dir()]
    if sources:
        buf = io.StringIO()
        stats = convert_corpus.Stats()
        # The converter reports skips on stderr; keep the benchmark log quiet.
        saved, sys.stderr = sys.stderr, io.StringIO()
        try:
            convert_corpus.convert_all(corpus, sources, buf, stats)
        finally:
            sys.stderr = saved
        arts = [json.loads(line) for line in buf.getvalue().splitlines() if line]
        return arts, f"{corpus} ({', '.join(sources)})"
    bundled = REPO / "corpus" / "articles.jsonl"
    with bundled.open(encoding="utf-8") as fh:
        arts = [json.loads(line) for line in fh if line.strip()]
    return arts, str(bundled)


def _source_dir(source: str) -> Path:
    return convert_corpus.ALLSIDES_DIR if source == "allsides" else convert_corpus.WEBIS_DIR


def paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if len(p.split()) >= 5]


def synthetic(i: int, rng: random.Random, arts: list[dict], paras: list[list[str]]) -> dict:
    """One synthetic article: real metadata, paragraphs from distinct real articles."""
    meta = arts[rng.randrange(len(arts))]
    # As many paragraphs as a real article has, within a sane range.
    shape = paras[rng.randrange(len(paras))]
    want = min(max(len(shape), 3), 30)
    donors: set[int] = set()
    body = []
    while len(body) < want:
        d = rng.randrange(len(paras))
        if d in donors or not paras[d]:
            continue
        donors.add(d)
        ps = paras[d]
        body.append(ps[rng.randrange(len(ps))])
    t1 = arts[rng.randrange(len(arts))]["title"].split()
    t2 = arts[rng.randrange(len(arts))]["title"].split()
    title = " ".join(t1[: max(1, len(t1) // 2)] + t2[len(t2) // 2 :])
    art = {"id": f"syn{i:08d}", "title": title}
    for k in META_KEYS:
        if meta.get(k) not in (None, [], ""):
            art[k] = meta[k]
    art["body"] = "\n\n".join(body)
    return art


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("out", help="output JSONL file (under /tmp)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=convert_corpus.DEFAULT_CORPUS)
    args = ap.parse_args(argv)
    out = Path(args.out).resolve()
    if REPO in out.parents:
        print("error: the corpus holds publishers' text; write it outside the repository", file=sys.stderr)
        return 2
    arts, origin = real_articles(args.corpus)
    if not arts:
        print(f"error: no articles in {origin}", file=sys.stderr)
        return 2
    paras = [paragraphs(a.get("body", "")) for a in arts]
    rng = random.Random(args.seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    size = 0
    with tmp.open("w", encoding="utf-8", newline="\n") as fh:
        for i in range(args.n):
            a = arts[i] if i < len(arts) else synthetic(i, rng, arts, paras)
            line = json.dumps(a, ensure_ascii=False) + "\n"
            size += len(line.encode())
            fh.write(line)
    os.replace(tmp, out)
    real = min(args.n, len(arts))
    print(
        f"gen_corpus: {args.n} articles ({real} real from {origin}, {args.n - real} synthetic), "
        f"{size / 1e6:.1f} MB -> {out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
