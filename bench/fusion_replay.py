#!/usr/bin/env python3
"""Replays hybrid search's fusion offline, to try fusion rules in seconds.

    bench/fusion_replay.py BIN INDEX [SPEC ...]

BIN is an opedex release binary, INDEX an index of the shared op-ed corpus
with vectors (`ingest --semantic`, as for bench/semantic_eval.sh). The script
runs `opedex eval --run-out` once per set in lexical, semantic and hybrid
mode (the runs are kept in $FUSION_RUNS, default /tmp/opedex-fusion-runs, in a
folder per binary and index version), then fuses the lexical
and semantic runs the way `search::hybrid::fused_ranking` does and scores
the result on the sets that chose the fusion's defaults: the topical set
(nDCG@10), the paraphrase set's tune split and the lexical and filtered
known-item sets (MRR@10). The paraphrase check split is never read.

First it checks itself: the replay of the default weights must order every
query's articles as the hybrid run does, else it stops (exit 1): the
Python copy of the rule has drifted from src/search/hybrid.rs.

A SPEC is comma-separated `name=value` pairs, each printed as a row:
  lexical, dense, pin, depth, ramp   as `eval --fusion`;
  norm=minmax|zscore|dbsf            how each side's scores are scaled
                                     (z-scores clipped at 0; DBSF: mean
                                     plus or minus three deviations);
  both=B                             B added to articles both sides ranked.
Standard library only.
"""
import collections
import hashlib
import json
import math
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL = os.path.join(HERE, "..", "tests", "eval")
# name: (queries, qrels, metric, split)
SETS = {
    "topical": ("opeds-queries.jsonl", "opeds-qrels.txt", "ndcg10", None),
    "paraphrase-tune": ("known-paraphrase.jsonl", "known-qrels.txt", "mrr10", "tune"),
    "lexical": ("known-lexical.jsonl", "known-qrels.txt", "mrr10", None),
    "filtered": ("known-filtered.jsonl", "known-qrels.txt", "mrr10", None),
}
DEFAULT = {"lexical": 1.0, "dense": 1.5, "pin": 1.5, "depth": 50, "ramp": 15.0,
           "norm": "minmax", "both": 0.0}


def die(message, code=2):
    print(f"fusion_replay: {message}", file=sys.stderr)
    sys.exit(code)


def ndcg10(ranked, grades):
    """opedex's nDCG@10: linear gains, log2(rank + 1) discount."""
    dcg = sum(grades.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sorted(grades.values(), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else None


def mrr10(ranked, grades):
    for i, d in enumerate(ranked[:10]):
        if grades.get(d, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def min_max(scores, depth):
    top = scores[:max(depth, 1)]
    if not top:
        return []
    lo, hi = min(top), max(top)
    if hi > lo:
        return [min(max((s - lo) / (hi - lo), 0.0), 1.0) for s in scores]
    return [1.0 if s >= lo else 0.0 for s in scores]


def z_scores(scores, depth):
    top = scores[:max(depth, 1)]
    if len(top) < 2:
        return [1.0] * len(scores)
    mu, sd = statistics.mean(top), statistics.pstdev(top) or 1.0
    return [max(0.0, (s - mu) / sd) for s in scores]


def dbsf(scores, depth):
    top = scores[:max(depth, 1)]
    if len(top) < 2:
        return [1.0] * len(scores)
    mu, sd = statistics.mean(top), statistics.pstdev(top) or 1.0
    lo, hi = mu - 3 * sd, mu + 3 * sd
    return [min(max((s - lo) / (hi - lo), 0.0), 1.0) for s in scores]


NORMS = {"minmax": min_max, "zscore": z_scores, "dbsf": dbsf}


def fuse(lexical, dense, words, p):
    """lexical, dense: [(article id, score)] best first; words: the query's."""
    weight = p["dense"] * (min(1.0, words / p["ramp"]) if p["ramp"] > 0 else 1.0)
    norm = NORMS[p["norm"]]
    depth = int(p["depth"])
    fused = collections.defaultdict(float)
    for (d, _), s in zip(lexical, norm([s for _, s in lexical], depth)):
        fused[d] += p["lexical"] * s
    for (d, _), s in zip(dense, norm([s for _, s in dense], depth)):
        fused[d] += weight * s
    if p["both"]:
        both = {d for d, _ in lexical[:depth]} & {d for d, _ in dense[:depth]}
        for d in both:
            fused[d] += p["both"]
    rank = {d: i for i, (d, _) in enumerate(lexical)}
    ranked = sorted(fused, key=lambda d: (-fused[d], rank.get(d, 1 << 30), d))
    # The guard: a lexical best that stands clear of the rest stays first.
    if lexical and (len(lexical) == 1 or lexical[1][1] <= 0
                    or lexical[0][1] >= p["pin"] * lexical[1][1]):
        ranked.remove(lexical[0][0])
        ranked.insert(0, lexical[0][0])
    return ranked


def read_run(path):
    run = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            qid, _, doc, _, score, _ = line.split()
            run[qid].append((doc, float(score)))
    return run


def read_qrels(path):
    grades = collections.defaultdict(dict)
    with open(path) as f:
        for line in f:
            qid, _, doc, grade = line.split()
            grades[qid][doc] = int(grade)
    return grades


def runs(binary, index, name, cache):
    queries, qrels, _, _ = SETS[name]
    out = {}
    for mode in ("lexical", "semantic", "hybrid"):
        path = os.path.join(cache, f"{name}-{mode}.txt")
        if not os.path.exists(path):
            subprocess.run([binary, "eval", "--index", index,
                            "--queries", os.path.join(EVAL, queries),
                            "--qrels", os.path.join(EVAL, qrels),
                            "--mode", mode, "--run-out", path + ".part"],
                           check=True, stdout=subprocess.DEVNULL)
            os.replace(path + ".part", path)
        out[mode] = read_run(path)
    return out


def parse_spec(spec):
    p = dict(DEFAULT)
    for pair in filter(None, spec.split(",")):
        name, _, value = pair.partition("=")
        if name not in p:
            die(f"unknown setting {name!r} in {spec!r}")
        if name == "norm":
            if value not in NORMS:
                die(f"norm must be one of {', '.join(NORMS)}")
            p[name] = value
        else:
            try:
                p[name] = float(value)
            except ValueError:
                die(f"{name} wants a number, not {value!r}")
    return p


def main():
    if len(sys.argv) < 3:
        die(__doc__.strip())
    binary, index = sys.argv[1], sys.argv[2]
    specs = [(spec, parse_spec(spec)) for spec in sys.argv[3:]]
    for path, what in ((binary, "binary"), (os.path.join(index, "meta.json"), "index")):
        if not os.path.exists(path):
            die(f"no {what} at {path}")
    # One folder of runs per binary and index version, so that a rebuilt
    # binary or a re-ingested index is run again.
    stamp = "|".join(f"{os.path.realpath(p)}:{os.stat(p).st_mtime_ns}"
                     for p in (binary, os.path.join(index, "meta.json")))
    key = hashlib.sha1(stamp.encode()).hexdigest()[:12]
    cache = os.path.join(os.environ.get("FUSION_RUNS", "/tmp/opedex-fusion-runs"), key)
    os.makedirs(cache, exist_ok=True)
    data = {}
    for name, (queries, qrels, metric, split) in SETS.items():
        with open(os.path.join(EVAL, queries)) as f:
            qs = [json.loads(line) for line in f if line.strip()]
        qs = [q for q in qs if split is None or q.get("split") == split]
        data[name] = (qs, read_qrels(os.path.join(EVAL, qrels)),
                      ndcg10 if metric == "ndcg10" else mrr10,
                      runs(binary, index, name, cache))

    def score(name, p):
        qs, grades, metric, r = data[name]
        values = []
        for q in qs:
            g = grades.get(q["qid"], {})
            if not any(v > 0 for v in g.values()):
                continue
            if p is None:
                ranked = [d for d, _ in r["hybrid"].get(q["qid"], [])]
            else:
                ranked = fuse(r["lexical"].get(q["qid"], []), r["semantic"].get(q["qid"], []),
                              len(q["query"].split()), p)
            v = metric(ranked, g)
            if v is not None:
                values.append(v)
        return sum(values) / len(values)

    # Self-check: the replayed default orders each query's top 10 as the
    # hybrid run does.
    for name, (qs, _, _, r) in data.items():
        for q in qs:
            replay = fuse(r["lexical"].get(q["qid"], []), r["semantic"].get(q["qid"], []),
                          len(q["query"].split()), dict(DEFAULT))[:10]
            real = [d for d, _ in r["hybrid"].get(q["qid"], [])][:10]
            if replay != real:
                die(f"the replay differs from the hybrid run on "
                    f"{name} {q['qid']}: update fuse() to match src/search/hybrid.rs", 1)
    print(f"{'fusion':<44}" + "".join(f"{n:>17}" for n in SETS))
    print(f"{'hybrid run (the binary)':<44}" + "".join(f"{score(n, None):>17.3f}" for n in SETS))
    for spec, p in specs:
        print(f"{spec or '(the defaults)':<44}" + "".join(f"{score(n, p):>17.3f}" for n in SETS))


if __name__ == "__main__":
    main()
