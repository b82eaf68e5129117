#!/usr/bin/env python3
"""Benchmark driver: opedex, the bare Tantivy engine and SQLite FTS5, side by side.

    CARGO_TARGET_DIR=… python3 bench/run.py N [--work /tmp/opedex-bench] [--opedex-flags "…"]

For N articles it
1. makes (or reuses) the corpus `corpus-N.jsonl` with `gen_corpus.py` (N + 1,000
   articles, of which the last 1,000 go to `extra-N.jsonl` for the incremental run),
   the passages `passages-N.jsonl` with `bare_engine passages` (opedex's own split),
   and a query list `queries-N.txt` with `make_queries.py`;
2. builds the release binaries (`opedex`, examples `bare_engine`, `search_latency`);
3. indexes with all three under `/usr/bin/time -v` (wall time, peak RSS), measures the
   index sizes, in-process query latency (warm-up, then p50/p95/p99 over the list),
   and whole-process query p50 over the first 50 queries;
4. for opedex also re-ingests the unchanged corpus and adds the 1,000 extra articles;
5. prints a markdown table with ratios to the bare engine and writes `results-N.json`.

`--only-opedex` runs only opedex and prints its figures as JSON; `--opedex-results FILE`
then runs only the bare engine and FTS5 and takes opedex's figures from that JSON (for
runs too long to make in one go, such as N = 1,000,000).

Everything it writes goes under --work (default /tmp/opedex-bench); nothing into the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WHOLE_PROCESS_QUERIES = 50
WARMUP_ROUNDS = 1
# Seconds of rest after os.sync() before a system's queries are timed.
SETTLE_S = 5


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def rss_parts(pid: int) -> tuple[int, int, int]:
    """(VmRSS, RssAnon, RssFile) in kB of `pid`'s child (the process /usr/bin/time runs)."""
    try:
        child = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        status = Path(f"/proc/{child[0]}/status").read_text() if child else ""
    except OSError:
        return 0, 0, 0
    kb = {l.split(":")[0]: int(l.split()[1]) for l in status.splitlines() if l.startswith(("VmRSS", "RssAnon", "RssFile"))}
    return kb.get("VmRSS", 0), kb.get("RssAnon", 0), kb.get("RssFile", 0)


def timed(cmd: list[str]) -> dict:
    """Runs `cmd` under /usr/bin/time -v: wall seconds, peak RSS MB, stdout, and the
    anonymous / file-backed (mmap'd index segments) parts of RSS when it peaked."""
    p = subprocess.Popen(["/usr/bin/time", "-v", *cmd], text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = (0, 0, 0)
    out: dict = {}

    def drain(name, stream):
        out[name] = stream.read()

    import threading

    readers = [threading.Thread(target=drain, args=(n, st)) for n, st in (("out", p.stdout), ("err", p.stderr))]
    for t in readers:
        t.start()
    while p.poll() is None:
        now = rss_parts(p.pid)
        if now[0] > peak[0]:
            peak = now
        time.sleep(0.2)
    for t in readers:
        t.join()
    if p.returncode != 0:
        raise SystemExit(f"failed ({p.returncode}): {shlex.join(cmd)}\n{out['err'][-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", out["err"])
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out["err"]).group(1))
    return {
        "seconds": round(seconds, 2),
        "rss_mb": round(rss / 1024, 1),
        "rss_anon_mb": round(peak[1] / 1024, 1),
        "rss_file_mb": round(peak[2] / 1024, 1),
        "stdout": out["out"],
    }


def settle() -> None:
    """Writes the index just built to disk before its queries are timed, so
    the kernel's write-back of its pages does not overlap them."""
    os.sync()
    time.sleep(SETTLE_S)


def size_mb(path: Path) -> float:
    if path.is_file():
        return round(path.stat().st_size / 1e6, 1)
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def whole_process_p50(cmd_of, queries: list[str]) -> float:
    ms = []
    for q in queries[:WHOLE_PROCESS_QUERIES]:
        t = time.perf_counter()
        p = subprocess.run(cmd_of(q), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ms.append((time.perf_counter() - t) * 1e3)
        if p.returncode not in (0, 1):
            raise SystemExit(f"whole-process query failed: {shlex.join(cmd_of(q))}")
    return round(statistics.median(ms), 2)


def prepare(n: int, work: Path, bins: dict, with_passages: bool = True) -> tuple[Path, Path, Path, Path]:
    corpus, extra = work / f"corpus-{n}.jsonl", work / f"extra-{n}.jsonl"
    passages, queries = work / f"passages-{n}.jsonl", work / f"queries-{n}.txt"
    if not (corpus.exists() and extra.exists()):
        log(f"generating {n} + 1000 articles")
        full = work / f"full-{n}.jsonl"
        run([sys.executable, str(HERE / "gen_corpus.py"), str(n + 1000), str(full)])
        with full.open(encoding="utf-8") as src, corpus.open("w") as a, extra.open("w") as b:
            for i, line in enumerate(src):
                (a if i < n else b).write(line)
        full.unlink()
    if with_passages and not passages.exists():
        # Only the bare engine and FTS5 read pre-split passages.
        log("writing passages with opedex's splitter")
        run([bins["bare"], "passages", str(corpus), str(passages)])
    if not queries.exists():
        run([sys.executable, str(HERE / "make_queries.py"), str(corpus), str(queries)])
    return corpus, extra, passages, queries


def build() -> dict:
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    log("building release binaries")
    subprocess.run(
        ["cargo", "build", "--release", "--bin", "opedex", "--example", "bare_engine",
         "--example", "search_latency"],
        cwd=REPO, check=True,
    )
    rel = target / "release"
    return {
        "opedex": str(rel / "opedex"),
        "bare": str(rel / "examples" / "bare_engine"),
        "latency": str(rel / "examples" / "search_latency"),
    }


def ratio(x: float, base: float) -> str:
    return f"{x / base:.2f}×" if base else "–"


def table(n: int, r: dict, corpus_mb: float) -> str:
    b = r["bare"]
    rows = [
        "| system | index s | articles/s | MB/s | peak RSS MB | index MB | query p50 ms | p95 ms | p99 ms | whole-process p50 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, label in (("bare", "bare Tantivy (pre-split passages)"), ("opedex", "opedex"), ("fts5", "SQLite FTS5")):
        x = r[name]
        rows.append(
            f"| {label} | {x['index_s']:.1f} | {n / x['index_s']:,.0f} | {corpus_mb / x['index_s']:.1f} | "
            f"{x['rss_mb']:.0f} | {x['index_mb']:.0f} | {x['p50_ms']:.2f} | {x['p95_ms']:.2f} | "
            f"{x['p99_ms']:.2f} | {x['whole_ms']:.1f} |"
        )
    for name in ("opedex", "fts5"):
        x = r[name]
        rows.append(
            f"| {name} ÷ bare | {ratio(x['index_s'], b['index_s'])} | | | {ratio(x['rss_mb'], b['rss_mb'])} | "
            f"{ratio(x['index_mb'], b['index_mb'])} | {ratio(x['p50_ms'], b['p50_ms'])} | "
            f"{ratio(x['p95_ms'], b['p95_ms'])} | {ratio(x['p99_ms'], b['p99_ms'])} | "
            f"{ratio(x['whole_ms'], b['whole_ms'])} |"
        )
    o = r["opedex"]
    rows.append("")
    rows.append(
        f"Peak RSS split (sampled every 0.2 s): opedex {o['rss_anon_mb']:.0f} MB anonymous + "
        f"{o['rss_file_mb']:.0f} MB file-backed (mmap'd segments); bare {b['rss_anon_mb']:.0f} + "
        f"{b['rss_file_mb']:.0f} MB."
    )
    rows.append(
        f"opedex incremental: re-ingest unchanged {o['reingest_s']:.1f} s "
        f"({o['reingest_s'] / o['index_s']:.0%} of a full ingest, peak RSS {o['reingest_rss_mb']:.0f} MB); "
        f"add 1,000 new articles {o['add1k_s']:.1f} s (peak RSS {o['add1k_rss_mb']:.0f} MB)."
    )
    return "\n".join(rows)


def clean(p: Path) -> Path:
    subprocess.run(["rm", "-rf", str(p)], check=True)
    return p


def run_opedex(args, work: Path, bins: dict, corpus: Path, extra: Path, queries: Path,
               qlist: list[str], r: dict) -> None:
    """Full ingest, queries, unchanged re-ingest and the 1,000-article addition."""
    oidx = clean(work / f"opedex-{args.n}")
    flags = shlex.split(args.opedex_flags)
    log("opedex ingest")
    t = timed([bins["opedex"], "ingest", str(corpus), "--index", str(oidx), "-q", *flags])
    o = {"index_s": t["seconds"], "rss_mb": t["rss_mb"], "index_mb": size_mb(oidx),
         "rss_anon_mb": t["rss_anon_mb"], "rss_file_mb": t["rss_file_mb"]}
    log(f"opedex: {o}")
    # Queries run on the N-article index, before the incremental runs change it.
    log("opedex queries")
    settle()
    o.update(json.loads(run([bins["latency"], str(oidx), str(queries), str(WARMUP_ROUNDS)]).stdout))
    o["whole_ms"] = whole_process_p50(lambda q: [bins["opedex"], "search", q, "--index", str(oidx)], qlist)
    log("opedex re-ingest unchanged")
    t = timed([bins["opedex"], "ingest", str(corpus), "--index", str(oidx), *flags])
    o["reingest_s"], o["reingest_rss_mb"] = t["seconds"], t["rss_mb"]
    o["reingest_summary"] = t["stdout"].strip()
    log("opedex add 1,000")
    t = timed([bins["opedex"], "ingest", str(extra), "--index", str(oidx), *flags])
    o["add1k_s"], o["add1k_rss_mb"] = t["seconds"], t["rss_mb"]
    o["add1k_summary"] = t["stdout"].strip()
    r["opedex"] = o
    log(f"opedex: {o}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--work", type=Path, default=Path("/tmp/opedex-bench"))
    ap.add_argument("--opedex-flags", default="", help="extra flags for `opedex ingest`")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--only-opedex", action="store_true", help="skip the bare engine and FTS5")
    ap.add_argument("--opedex-results", type=Path,
                    help="take opedex's figures from the JSON an earlier --only-opedex run printed "
                         "(same N, same corpus) and run only the bare engine and FTS5")
    args = ap.parse_args(argv)
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    if REPO in work.resolve().parents:
        raise SystemExit("--work must be outside the repository (the corpus is publishers' text)")
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "release"
    bins = {
        "opedex": str(target / "opedex"),
        "bare": str(target / "examples" / "bare_engine"),
        "latency": str(target / "examples" / "search_latency"),
    } if args.no_build else build()
    corpus, extra, passages, queries = prepare(args.n, work, bins, with_passages=not args.only_opedex)
    qlist = [q for q in queries.read_text().splitlines() if q.strip()]
    corpus_mb = corpus.stat().st_size / 1e6
    r: dict = {"n": args.n, "corpus_mb": round(corpus_mb, 1), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    if passages.exists():
        r["passages"] = sum(1 for _ in passages.open())

    if args.opedex_results:
        earlier = json.loads(args.opedex_results.read_text())
        if earlier.get("n") != args.n:
            raise SystemExit(f"{args.opedex_results} holds figures for {earlier.get('n')} articles, not {args.n}")
        r["opedex"], r["opedex_date"] = earlier["opedex"], earlier["date"]
    else:
        run_opedex(args, work, bins, corpus, extra, queries, qlist, r)
    if args.only_opedex:
        print(json.dumps(r, indent=1))
        return 0

    # bare engine
    bidx = clean(work / f"bare-{args.n}")
    log("bare engine index")
    t = timed([bins["bare"], "index", str(passages), str(bidx)])
    b = {"index_s": t["seconds"], "rss_mb": t["rss_mb"], "index_mb": size_mb(bidx),
         "rss_anon_mb": t["rss_anon_mb"], "rss_file_mb": t["rss_file_mb"]}
    settle()
    b.update(json.loads(run([bins["bare"], "query", str(bidx), str(queries), str(WARMUP_ROUNDS)]).stdout))
    b["whole_ms"] = whole_process_p50(lambda q: [bins["bare"], "search", str(bidx), q], qlist)
    r["bare"] = b
    log(f"bare: {b}")

    # FTS5
    fdb = work / f"fts5-{args.n}.db"
    log("fts5 index")
    fts = [sys.executable, str(HERE / "fts5.py")]
    t = timed([*fts, "index", str(passages), str(fdb)])
    f = {"index_s": t["seconds"], "rss_mb": t["rss_mb"], "index_mb": size_mb(fdb)}
    settle()
    f.update(json.loads(run([*fts, "query", str(fdb), str(queries), str(WARMUP_ROUNDS)]).stdout))
    f["whole_ms"] = whole_process_p50(lambda q: [*fts, "search", str(fdb), q], qlist)
    r["fts5"] = f
    log(f"fts5: {f}")

    (work / f"results-{args.n}.json").write_text(json.dumps(r, indent=1))
    when = r["date"] if "opedex_date" not in r else f"opedex {r['opedex_date']}, the others {r['date']}"
    print(f"## {args.n:,} articles ({r['passages']:,} passages, {corpus_mb:.0f} MB of JSONL) — {when}\n")
    print(table(args.n, r, corpus_mb))
    return 0


if __name__ == "__main__":
    sys.exit(main())
