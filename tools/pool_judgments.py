#!/usr/bin/env python3
"""Pool candidate articles for relevance judging, print judging sheets, write qrels.

Used to build tests/eval/opeds-*: for every query, the top results of several
engines and query variants are merged into one pool (deduplicated by article
id); a person reads every pooled article and grades it; `qrels` turns those
grades into TREC qrels where every pooled article not graded 1 or 2 is a
judged 0. Standard library only (sqlite3 must have FTS5, as CPython's does).

Engines
  opedex   the opedex binary (`search --json`), same filters as the query; with
           --opedex-mode MODE (repeatable) it runs once per mode with
           `--mode MODE` instead, and those runs are recorded as MODE@rank
           (`lexical@2`, `semantic@7`, `hybrid@3`)
  fts5     SQLite FTS5 over title+body, porter tokenizer, bm25(), OR of the words
  bm25     plain BM25 (k1 1.2, b 0.75) over title+body, no stemming
Variants (hand-written reformulations, one per line in a TSV `qid<TAB>text`)
run through fts5 and bm25 at their own, smaller depth.

  pool_judgments.py pool  --queries Q.jsonl --variants V.tsv --articles A.jsonl \
        --index DIR --opedex BIN [--depth 20] [--variant-depth 10] --out POOL.tsv
        [--extend OLD_POOL.tsv] [--opedex-mode MODE]... [--opedex-only]
  pool_judgments.py merge --pool POOL.tsv --merged MERGED.tsv
  pool_judgments.py sheet --pool POOL.tsv --articles A.jsonl --queries Q.jsonl QID...
  pool_judgments.py qrels --pool POOL.tsv --grades GRADES.txt --out QRELS.txt

opedex merges syndicated copies into one article and keeps one id; fts5 and
bm25 see every copy. `pool` warns about pooled ids the index does not hold;
`merge` folds each copy listed in MERGED.tsv (`copy_id<TAB>kept_id`, from the
`also_in` field of `opedex search --json`) into the kept id's row, so a copy is
never judged twice and every judged id is one the index can return.

With --extend, pooled articles keep their numbers and new ones are numbered
after them. A full run (all engines) rewrites each row's sources with what this
run found (`kept` when nothing did). With --opedex-only, fts5, bm25 and the
variants are not run, so a row's sources are kept and the tags of this run's
opedex modes are appended to them: adding, say, the semantic and hybrid runs of
a new opedex build to a judged pool (`pool --opedex-mode lexical --opedex-mode
semantic --opedex-mode hybrid --opedex-only --depth 10 --extend POOL.tsv`).

The articles file is the output of tools/convert_corpus.py; it and the sheets
contain corpus text and stay outside the repository. POOL.tsv holds only
`qid<TAB>n<TAB>docid<TAB>sources` (n = the number shown on the sheet).
GRADES.txt holds one line per query: `QID 2:n,n 1:n,n` (unlisted pooled = 0;
`+docid=g` adds an article found while reading that no engine pooled).
"""

import argparse
import json
import math
import re
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict

STOP = set(
    """a an and are as at be been but by can could did do does for from had has
    have how i if in into is it its of on or over should so than that the their
    them there these they this to was we were what when where which who whom why
    will with would you your about after""".split()
)
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text):
    """Lower-cased words without stop words and without possessive 's."""
    out = []
    for w in WORD.findall(text.lower().replace("\u2019", "'")):
        w = w.removesuffix("'s").replace("'", "")
        if w and w not in STOP:
            out.append(w)
    return out


def load_articles(path):
    arts = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            arts[a["id"]] = a
    return arts


def load_queries(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def name_match(value, names):
    """All words of the filter value occur among the name's words (as opedex does)."""
    want = WORD.findall(value.lower())
    return any(set(want) <= set(WORD.findall(n.lower())) for n in names if n)


def passes(a, flt):
    if "author" in flt and not name_match(flt["author"], a.get("authors") or []):
        return False
    if "outlet" in flt and not name_match(flt["outlet"], [a.get("outlet"), a.get("site")]):
        return False
    if "topic" in flt and flt["topic"].lower() not in [t.lower() for t in a.get("topics") or []]:
        return False
    pub = a.get("published")
    if ("since" in flt or "until" in flt) and not pub:
        return False
    if "since" in flt and pub < flt["since"]:
        return False
    if "until" in flt and pub[: len(flt["until"])] > flt["until"]:
        return False
    return True


class Bm25:
    """Plain article-level BM25 over title+body, no stemming."""

    def __init__(self, arts, k1=1.2, b=0.75):
        self.k1, self.b = k1, b
        self.post = defaultdict(list)
        self.len = {}
        for aid, a in arts.items():
            toks = words(a["title"] + " " + a["body"])
            self.len[aid] = len(toks)
            for t, n in Counter(toks).items():
                self.post[t].append((aid, n))
        self.avg = sum(self.len.values()) / max(1, len(self.len))
        self.n = len(self.len)

    def search(self, query):
        scores = defaultdict(float)
        for t in set(words(query)):
            plist = self.post.get(t, [])
            if not plist:
                continue
            idf = math.log(1 + (self.n - len(plist) + 0.5) / (len(plist) + 0.5))
            for aid, tf in plist:
                norm = self.k1 * (1 - self.b + self.b * self.len[aid] / self.avg)
                scores[aid] += idf * tf * (self.k1 + 1) / (tf + norm)
        return sorted(scores, key=lambda d: (-scores[d], d))


class Fts5:
    """SQLite FTS5, porter stemming, bm25() ranking, OR of the query words."""

    def __init__(self, arts):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE a USING fts5(id UNINDEXED, title, body, "
            "tokenize='porter unicode61')"
        )
        self.db.executemany(
            "INSERT INTO a VALUES (?,?,?)",
            ((aid, x["title"], x["body"]) for aid, x in arts.items()),
        )

    def search(self, query):
        terms = sorted(set(words(query)))
        if not terms:
            return []
        match = " OR ".join('"%s"' % t for t in terms)
        rows = self.db.execute(
            "SELECT id FROM a WHERE a MATCH ? ORDER BY bm25(a), id", (match,)
        )
        return [r[0] for r in rows]


def opedex(binary, index, q, depth, mode=None):
    cmd = [binary, "search", q["query"], "--index", index, "-n", str(depth), "--json"]
    if mode:
        cmd += ["--mode", mode]
    flt = q.get("filters") or {}
    for key in ("author", "outlet", "topic", "lang", "since", "until"):
        vals = flt.get(key)
        for v in vals if isinstance(vals, list) else [vals] if vals else []:
            cmd += ["--" + key, v]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"opedex failed on {q['qid']}: {out.stderr.strip()}")
    ids = []
    for line in out.stdout.splitlines():
        hit = json.loads(line)
        if "summary" in hit:  # the last line: total, corrections, facets
            continue
        aid = hit["article_id"]
        if aid not in ids:
            ids.append(aid)
    return ids[:depth]


def cmd_pool(args):
    arts = load_articles(args.articles)
    queries = load_queries(args.queries)
    variants = defaultdict(list)
    if args.variants:
        with open(args.variants, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    qid, text = line.rstrip("\n").split("\t", 1)
                    variants[qid].append(text)
    existing = read_pool(args.extend) if args.extend else {}
    if args.opedex_only and not args.extend:
        sys.exit("--opedex-only adds runs to a pool: give --extend")
    if not args.opedex_only:
        bm25, fts = Bm25(arts), Fts5(arts)
    rows, sizes = [], []
    for q in queries:
        flt = q.get("filters") or {}
        found = defaultdict(list)  # docid -> sources, insertion order = first seen

        def add(ids, tag, depth):
            kept = [d for d in ids if d in arts and passes(arts[d], flt)][:depth]
            for r, d in enumerate(kept, 1):
                found[d].append(f"{tag}@{r}")

        for mode in args.opedex_mode or [None]:
            ids = opedex(args.opedex, args.index, q, args.depth, mode)
            add(ids, mode or "opedex", args.depth)
        if not args.opedex_only:
            add(fts.search(q["query"]), "fts5", args.depth)
            add(bm25.search(q["query"]), "bm25", args.depth)
            for i, v in enumerate(variants.get(q["qid"], []), 1):
                add(fts.search(v), f"v{i}fts5", args.variant_depth)
                add(bm25.search(v), f"v{i}bm25", args.variant_depth)
        # With --extend, articles already in the pool keep their numbers (the
        # grades refer to them) and newly pooled ones are numbered after them.
        old = {d: n for n, d, _ in existing.get(q["qid"], [])}
        old_src = {d: src.split(",") for _, d, src in existing.get(q["qid"], [])}
        nxt = max(old.values(), default=0)
        for d, src in found.items():
            if d not in old:
                nxt += 1
                old[d] = nxt
        for d, n in sorted(old.items(), key=lambda x: x[1]):
            if args.opedex_only and d in old_src:
                # Only opedex ran: keep what the earlier rounds recorded.
                src = old_src[d] + [t for t in found.get(d, []) if t not in old_src[d]]
            else:
                src = found.get(d, ["kept"])
            rows.append((q["qid"], n, d, ",".join(src)))
        sizes.append(len(old))
        print(f"{q['qid']}\tpool {len(old)}", file=sys.stderr)
    write_pool(args.out, rows)
    missing = sorted({d for _, _, d, _ in rows if not in_index(args.opedex, args.index, d)})
    for d in missing:
        print(f"warning: {d} is pooled but not in the index (merged copy?)", file=sys.stderr)
    print(
        f"{len(queries)} queries, {len(rows)} pooled, pool size "
        f"min {min(sizes)} median {sorted(sizes)[len(sizes) // 2]} max {max(sizes)}",
        file=sys.stderr,
    )


def in_index(binary, index, docid):
    out = subprocess.run([binary, "show", docid, "--index", index], capture_output=True)
    return out.returncode == 0


def write_pool(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write("%s\t%d\t%s\t%s\n" % tuple(r))


def cmd_merge(args):
    kept = {}
    with open(args.merged, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                copy, keep = line.split()
                kept[copy] = keep
    pool = read_pool(args.pool)
    rows = []
    for qid in pool:
        entries = [[qid, n, d, src] for n, d, src in pool[qid]]
        by_id = {e[2]: e for e in entries}
        for e in entries:
            keep = kept.get(e[2])
            if keep is None:
                continue
            if keep in by_id:
                by_id[keep][3] += "," + ",".join(f"{s}(copy)" for s in e[3].split(","))
                e[2] = None
            else:
                e[2] = keep
        rows += [e for e in entries if e[2] is not None]
    write_pool(args.pool, rows)


def read_pool(path):
    pool = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            qid, n, d, src = line.rstrip("\n").split("\t")
            pool[qid].append((int(n), d, src))
    return pool


def snippet(body, terms, width):
    """The window of `width` characters holding the most query-word hits."""
    low = body.lower()
    hits = sorted(m.start() for t in terms for m in re.finditer(r"\b" + re.escape(t[:6]), low))
    if not hits:
        return ""
    best, start = 0, hits[0]
    for i, h in enumerate(hits):
        n = sum(1 for x in hits[i:] if x < h + width)
        if n > best:
            best, start = n, h
    s = max(0, start - 60)
    return " ".join(body[s : s + width].split())


def cmd_sheet(args):
    arts = load_articles(args.articles)
    queries = {q["qid"]: q for q in load_queries(args.queries)}
    pool = read_pool(args.pool)
    for spec in args.qids:
        qid, _, start = spec.partition(":")
        q = queries[qid]
        print(f"=== {qid}: {q['query']}  {json.dumps(q.get('filters') or {})}")
        terms = words(q["query"])
        for n, d, src in pool[qid]:
            if start and n < int(start):
                continue
            a = arts[d]
            head = " ".join(a["body"][: args.head].split())
            print(
                f"[{n}] {a['title'][:110]} | {a.get('outlet') or ''} {a.get('published') or ''}"
                f" | {len(a['body'].split())}w\n    {head}\n    >> {snippet(a['body'], terms, args.width)}"
            )


def cmd_qrels(args):
    pool = read_pool(args.pool)
    grades = {}
    with open(args.grades, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            qid, *parts = line.split()
            g = {}
            extra = {}
            for p in parts:
                if p.startswith("+"):
                    d, v = p[1:].rsplit("=", 1)
                    extra[d] = int(v)
                    continue
                lvl, ns = p.split(":")
                for n in filter(None, ns.split(",")):
                    if int(n) in g:
                        sys.exit(f"{qid}: {n} graded twice")
                    g[int(n)] = int(lvl)
            grades[qid] = (g, extra)
    missing = sorted(set(pool) - set(grades))
    if missing:
        sys.exit("no grades for " + " ".join(missing))
    with open(args.out, "w", encoding="utf-8") as f:
        for qid in sorted(pool):
            g, extra = grades[qid]
            nums = {n for n, _, _ in pool[qid]}
            bad = set(g) - nums
            if bad:
                sys.exit(f"{qid}: {sorted(bad)} not in the pool")
            seen = set()
            for n, d, _ in pool[qid]:
                f.write(f"{qid} 0 {d} {g.get(n, 0)}\n")
                seen.add(d)
            for d, v in extra.items():
                if d not in seen:
                    f.write(f"{qid} 0 {d} {v}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pool")
    p.add_argument("--queries", required=True)
    p.add_argument("--variants")
    p.add_argument("--articles", required=True)
    p.add_argument("--index", required=True)
    p.add_argument("--opedex", required=True)
    p.add_argument("--depth", type=int, default=20)
    p.add_argument("--variant-depth", type=int, default=10)
    p.add_argument("--extend", help="existing pool: keep its numbering, add new articles after it")
    p.add_argument(
        "--opedex-mode",
        action="append",
        metavar="MODE",
        help="run opedex with `--mode MODE` (lexical, semantic, hybrid), recorded as "
        "MODE@rank; repeatable, one run per mode (default: one run without --mode, "
        "recorded as opedex@rank)",
    )
    p.add_argument(
        "--opedex-only",
        action="store_true",
        help="with --extend: run only opedex (no fts5, bm25, variants) and append its "
        "tags to the sources pooled articles already have",
    )
    p.add_argument("--out", required=True)
    s = sub.add_parser("sheet")
    s.add_argument("--pool", required=True)
    s.add_argument("--articles", required=True)
    s.add_argument("--queries", required=True)
    s.add_argument("--head", type=int, default=160)
    s.add_argument("--width", type=int, default=220)
    s.add_argument("qids", nargs="+", help="QID, or QID:N to start at pool number N")
    m = sub.add_parser("merge")
    m.add_argument("--pool", required=True)
    m.add_argument("--merged", required=True)
    r = sub.add_parser("qrels")
    r.add_argument("--pool", required=True)
    r.add_argument("--grades", required=True)
    r.add_argument("--out", required=True)
    args = ap.parse_args()
    {"pool": cmd_pool, "merge": cmd_merge, "sheet": cmd_sheet, "qrels": cmd_qrels}[args.cmd](args)


if __name__ == "__main__":
    main()
