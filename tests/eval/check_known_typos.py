#!/usr/bin/env python3
"""Check (and optionally score) the typo set and the known-item sets in this folder.

Files checked:
  typos.tsv                 typed<TAB>intended<TAB>kind, kind one of deletion,
                            insertion, substitution, transposition, keep
  known-paraphrase.jsonl    {"qid","query","filters","lexical_rank","split"}
  known-lexical.jsonl       {"qid","query","filters"}
  known-filtered.jsonl      {"qid","query","filters"}
  known-qrels.txt           TREC qrels `qid 0 docid 1`

Always: the files parse; every typo row is exactly one edit of its kind (a
transposition swaps two adjacent letters; keep rows have typed == intended);
qids are unique, use their file's prefix (kp/kl/kf) and match the qrels in both
directions; each query has one judged article (two only for a near-identical
copy); filters use the keys and date forms `opedex search` accepts; the
paraphrase file has `lexical_rank` (1-10 or null) and `split` (tune/check).

--articles FILE   (the JSONL of tools/convert_corpus.py) also checks that every
                  qrels docid is a corpus article and that every misspelling's
                  intended word occurs in at least 5 articles (title + body,
                  case-insensitive, whole word); it prints the keep rows' counts.
--opedex BIN --index DIR
                  also scores today's behaviour: typo correction (a misspelling
                  counts as corrected when the corrected query equals `intended`,
                  case-insensitively; a keep row fails when the word is changed)
                  and lexical MRR@10 of each known-item set (search --json -n 10
                  with the query's filters, rank of the target by distinct article).
--strip DIR       writes copies of the three known-*.jsonl files with only
                  qid/query/filters, for `opedex eval` (which rejects extra fields).

Standard library only. Exit code 0 when all is well, 1 on any problem.

    python3 tests/eval/check_known_typos.py --articles /tmp/opeds.jsonl \
        --opedex target/release/opedex --index /tmp/idx
"""

import argparse
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = ("deletion", "insertion", "substitution", "transposition", "keep")
FILTER_KEYS = {"author", "outlet", "topic", "lang", "since", "until"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SETS = (("known-paraphrase.jsonl", "kp"), ("known-lexical.jsonl", "kl"), ("known-filtered.jsonl", "kf"))
MIN_PER_KIND, MIN_MISSPELLINGS, MIN_KEEP, MIN_DOCS = 30, 150, 100, 5


def edit_kind(typed, intended):
    """The single edit that turns `intended` into `typed`, or None."""
    t, i = typed.lower(), intended.lower()
    if t == i:
        return "keep" if typed == intended else None
    if len(t) == len(i) - 1 and any(i[:k] + i[k + 1:] == t for k in range(len(i))):
        return "deletion"
    if len(t) == len(i) + 1 and any(t[:k] + t[k + 1:] == i for k in range(len(t))):
        return "insertion"
    if len(t) == len(i):
        diff = [k for k in range(len(t)) if t[k] != i[k]]
        if len(diff) == 1:
            return "substitution"
        if (len(diff) == 2 and diff[1] == diff[0] + 1
                and t[diff[0]] == i[diff[1]] and t[diff[1]] == i[diff[0]]):
            return "transposition"
    return None


def read_typos(errors):
    rows = []
    lines = (HERE / "typos.tsv").read_text().splitlines()
    if not lines or lines[0] != "typed\tintended\tkind":
        errors.append("typos.tsv: first line must be the header typed<TAB>intended<TAB>kind")
    seen = set()
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            errors.append(f"typos.tsv line {n}: expected 3 tab-separated fields")
            continue
        typed, intended, kind = parts
        if kind not in KINDS:
            errors.append(f"typos.tsv line {n}: unknown kind {kind!r}")
            continue
        got = edit_kind(typed, intended)
        if got != kind:
            errors.append(f"typos.tsv line {n}: {typed!r} -> {intended!r} is {got or 'not one edit'}, not {kind}")
        if typed.lower() in seen:
            errors.append(f"typos.tsv line {n}: {typed!r} listed twice")
        seen.add(typed.lower())
        if kind != "keep" and not 4 <= len(intended) <= 14:
            errors.append(f"typos.tsv line {n}: intended word {intended!r} is not 4-14 letters")
        rows.append((typed, intended, kind))
    counts = Counter(k for _, _, k in rows)
    miss = sum(v for k, v in counts.items() if k != "keep")
    print("typos.tsv:", ", ".join(f"{k} {counts[k]}" for k in KINDS), f"(misspellings {miss})")
    for k in KINDS[:4]:
        if counts[k] < MIN_PER_KIND:
            errors.append(f"typos.tsv: only {counts[k]} {k} rows (want >= {MIN_PER_KIND})")
    if miss < MIN_MISSPELLINGS:
        errors.append(f"typos.tsv: only {miss} misspellings (want >= {MIN_MISSPELLINGS})")
    if counts["keep"] < MIN_KEEP:
        errors.append(f"typos.tsv: only {counts['keep']} keep rows (want >= {MIN_KEEP})")
    return rows


def read_known(errors):
    queries = {}
    for name, prefix in SETS:
        for n, line in enumerate((HERE / name).read_text().splitlines(), 1):
            if not line.strip():
                continue
            try:
                q = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{name} line {n}: {e}")
                continue
            qid, text, flt = q.get("qid"), q.get("query"), q.get("filters")
            if not isinstance(qid, str) or not re.fullmatch(prefix + r"\d{2,}", qid):
                errors.append(f"{name} line {n}: qid {qid!r} should look like {prefix}01")
                continue
            if qid in queries:
                errors.append(f"{name} line {n}: duplicate qid {qid}")
            if not isinstance(text, str) or not text.strip():
                errors.append(f"{qid}: empty query")
            if not isinstance(flt, dict) or set(flt) - FILTER_KEYS or not all(isinstance(v, str) for v in flt.values()):
                errors.append(f"{qid}: bad filters {flt!r}")
            else:
                for key in ("since", "until"):
                    if key in flt and not DATE.match(flt[key]):
                        errors.append(f"{qid}: {key} {flt[key]!r} is not YYYY[-MM[-DD]]")
            allowed = {"qid", "query", "filters"}
            if prefix == "kp":
                allowed |= {"lexical_rank", "split"}
                lr = q.get("lexical_rank", "missing")
                if not (lr is None or (isinstance(lr, int) and 1 <= lr <= 10)):
                    errors.append(f"{qid}: lexical_rank must be 1-10 or null, got {lr!r}")
                if q.get("split") not in ("tune", "check"):
                    errors.append(f"{qid}: split must be tune or check")
                words = len(text.split()) if isinstance(text, str) else 0
                if not 6 <= words <= 20:
                    errors.append(f"{qid}: paraphrase query has {words} words (want 6-20)")
            if prefix == "kf" and isinstance(flt, dict) and not flt:
                errors.append(f"{qid}: a filtered query needs filters")
            if set(q) - allowed:
                errors.append(f"{qid}: unexpected fields {sorted(set(q) - allowed)}")
            q["_set"] = prefix
            queries[qid] = q
    qrels = defaultdict(dict)
    for n, line in enumerate((HERE / "known-qrels.txt").read_text().splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 4 or parts[1] != "0" or parts[3] != "1":
            errors.append(f"known-qrels.txt line {n}: expected `qid 0 docid 1`")
            continue
        qid, _, doc, _ = parts
        if doc in qrels[qid]:
            errors.append(f"known-qrels.txt line {n}: {qid} {doc} judged twice")
        qrels[qid][doc] = 1
    for qid in queries:
        if qid not in qrels:
            errors.append(f"{qid}: no qrels")
        elif len(qrels[qid]) > 2:
            errors.append(f"{qid}: {len(qrels[qid])} judged articles (want 1, or 2 for a copy)")
    for qid in qrels:
        if qid not in queries:
            errors.append(f"known-qrels.txt: {qid} is not a query")
    sizes = Counter(q["_set"] for q in queries.values())
    splits = Counter(q.get("split") for q in queries.values() if q["_set"] == "kp")
    print(f"known-item: paraphrase {sizes['kp']} (tune {splits['tune']}, check {splits['check']}), "
          f"lexical {sizes['kl']}, filtered {sizes['kf']}; qrels for {len(qrels)} queries")
    return queries, qrels


def check_articles(path, typos, qrels, errors):
    ids, texts = set(), []
    with open(path) as f:
        for line in f:
            a = json.loads(line)
            ids.add(a["id"])
            texts.append(((a.get("title") or "") + "\n" + (a.get("body") or "")).lower())
    for qid, docs in qrels.items():
        for doc in docs:
            if doc not in ids:
                errors.append(f"{qid}: docid {doc} is not in {path}")
    tokens = [set(re.findall(r"\w+", t)) for t in texts]

    def doc_count(word):
        w = word.lower()
        if re.fullmatch(r"\w+", w):
            return sum(1 for s in tokens if w in s)
        pat = re.compile(r"(?<!\w)" + re.escape(w) + r"(?!\w)")
        return sum(1 for t in texts if pat.search(t))

    low = []
    for typed, intended, kind in typos:
        if kind != "keep":
            c = doc_count(intended)
            if c < MIN_DOCS:
                errors.append(f"typos.tsv: intended {intended!r} occurs in {c} articles (want >= {MIN_DOCS})")
    keep = [(typed, doc_count(typed)) for typed, _, kind in typos if kind == "keep"]
    print("keep rows by article count: " + ", ".join(
        f"{label} {sum(1 for _, c in keep if lo <= c <= hi)}"
        for label, lo, hi in (("absent", 0, 0), ("1-3", 1, 3), ("4-50", 4, 50), (">50", 51, 10**9))))
    absent = [w for w, c in keep if c == 0]
    if absent:
        print("  keep rows absent from the corpus (numbers/codes kept on purpose):", " ".join(absent))
    print(f"articles: {len(ids)}; all qrels docids present" if not any("is not in" in e for e in errors) else "")


def search(opedex, index, query, filters, n=10):
    """The ranked article ids of `search --json`, the query it ran instead of
    the typed one (corrected_query) and the one it offered (did_you_mean).
    Reads the summary line `{"summary": {...}}` of current binaries, and the
    per-hit `corrected_query` of binaries before issue 18."""
    cmd = [opedex, "search", "--index", index, "--json", "-n", str(n)]
    for key, value in filters.items():
        cmd += ["--" + key, value]
    cmd += ["--", query]
    out = subprocess.run(cmd, capture_output=True, text=True)
    # exit status 1: no hits (older binaries print nothing then)
    if out.returncode not in (0, 1) or (out.returncode == 1 and out.stderr.strip()):
        raise SystemExit(f"search failed for {query!r}: {out.stderr.strip()}")
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    hits = [h for h in lines if "summary" not in h]
    summary = next((h["summary"] for h in lines if "summary" in h), {})
    ranked = []
    for h in hits:
        if h["article_id"] not in ranked:
            ranked.append(h["article_id"])
    corrected = summary.get("corrected_query") or next(
        (h.get("corrected_query") for h in hits if h.get("corrected_query")), None)
    return ranked[:10], corrected, summary.get("did_you_mean")


def score_typos(opedex, index, typos, verbose):
    """A misspelling counts as corrected when the query run (or, failing
    that, the one offered) is the intended word; a keep row fails when the
    binary runs or offers anything else."""
    ok, total, fails = Counter(), Counter(), []
    offered = Counter()
    for typed, intended, kind in typos:
        _, corrected, suggested = search(opedex, index, typed, {}, n=1)
        got = corrected or suggested or typed
        offered[kind] += corrected is None and suggested is not None
        good = got.lower() == intended.lower() if kind != "keep" else got == typed
        total[kind] += 1
        ok[kind] += good
        if not good:
            how = "offered" if corrected is None and suggested else "ran"
            fails.append(f"  {kind:13} {typed} -> {got} (want {intended}; {how})")
    miss_ok = sum(ok[k] for k in KINDS[:4])
    miss_total = sum(total[k] for k in KINDS[:4])
    print("typo correction: " + ", ".join(f"{k} {ok[k]}/{total[k]}" for k in KINDS)
          + f"; misspellings corrected {miss_ok}/{miss_total}, keep rows unchanged {ok['keep']}/{total['keep']}"
          + f" (of these, only offered as 'did you mean': {sum(offered.values())})")
    if verbose:
        print("\n".join(fails))


def score_known(opedex, index, queries, qrels, verbose):
    rr = defaultdict(list)
    mismatched = []
    for qid, q in queries.items():
        ranked, _, _ = search(opedex, index, q["query"], q["filters"])
        rank = next((i for i, doc in enumerate(ranked, 1) if doc in qrels.get(qid, {})), None)
        value = 1.0 / rank if rank else 0.0
        rr[q["_set"]].append(value)
        if q["_set"] == "kp":
            rr["kp-" + q["split"]].append(value)
            if q.get("lexical_rank") != rank:
                mismatched.append(f"  {qid}: recorded {q.get('lexical_rank')}, observed {rank}")
        if verbose:
            print(f"  {qid} rank {rank}")
    for key, label in (("kp", "paraphrase"), ("kp-tune", "  tune"), ("kp-check", "  check"),
                       ("kl", "lexical"), ("kf", "filtered")):
        vals = rr.get(key, [])
        if vals:
            first = sum(1 for v in vals if v == 1.0)
            print(f"lexical MRR@10 {label:10} {sum(vals) / len(vals):.3f}  ({len(vals)} queries, {first} at rank 1, "
                  f"{sum(1 for v in vals if v == 0.0)} not in top 10)")
    if mismatched:
        print(f"{len(mismatched)} paraphrase queries whose lexical_rank differs from this run"
              " (expected with a different binary or index):")
        print("\n".join(mismatched))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", help="corpus JSONL from tools/convert_corpus.py")
    ap.add_argument("--opedex", help="opedex binary, to score today's behaviour")
    ap.add_argument("--index", help="index directory for --opedex")
    ap.add_argument("--strip", metavar="DIR", help="write qid/query/filters-only copies for `opedex eval`")
    ap.add_argument("-v", "--verbose", action="store_true", help="list failures and per-query ranks")
    args = ap.parse_args()
    errors = []
    typos = read_typos(errors)
    queries, qrels = read_known(errors)
    if args.articles:
        check_articles(args.articles, typos, qrels, errors)
    else:
        print("(no --articles: corpus checks skipped)")
    if args.strip:
        out = Path(args.strip)
        out.mkdir(parents=True, exist_ok=True)
        for name, prefix in SETS:
            with open(out / name, "w") as f:
                for qid, q in queries.items():
                    if q["_set"] == prefix:
                        f.write(json.dumps({"qid": qid, "query": q["query"], "filters": q["filters"]}) + "\n")
        print(f"eval-ready copies written to {out}/")
    if args.opedex:
        if not args.index:
            ap.error("--opedex needs --index")
        score_typos(args.opedex, args.index, typos, args.verbose)
        score_known(args.opedex, args.index, queries, qrels, args.verbose)
    for e in errors:
        print("ERROR", e)
    print("ok" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
