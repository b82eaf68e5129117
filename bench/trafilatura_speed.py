#!/usr/bin/env python3
"""Times trafilatura (Python) on the pages `examples/eval_extract.rs --only speed` times.

    pip install trafilatura lxml_html_clean   # 2.3.1 is the version the issue quotes
    python3 bench/trafilatura_speed.py [CORPUS] [--rounds N]

Reads the zyte-aeb and trafilatura-eval pages from CORPUS (default ../shared/corpus),
holds them in memory like eval_extract does, and prints milliseconds a page on one
thread for `trafilatura.extract` with metadata, the median of N rounds (default 3).
Run it beside `cargo run --release --example eval_extract -- --only speed` to compare
on the same machine at the same time: the machine is shared, so only side-by-side
ratios mean anything. Nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def pages(folder: Path) -> list[str]:
    out = []
    for p in sorted(folder.iterdir()):
        raw = p.read_bytes()
        if p.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        out.append(raw.decode("utf-8", errors="replace"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    try:
        import trafilatura
    except ImportError:
        print("trafilatura is not installed: pip install trafilatura lxml_html_clean", file=sys.stderr)
        return 2
    sets = {"zyte": args.corpus / "zyte-aeb" / "html", "traf": args.corpus / "trafilatura-eval" / "html"}
    if not all(d.is_dir() for d in sets.values()):
        print(f"skipped: {args.corpus} lacks zyte-aeb/html or trafilatura-eval/html", file=sys.stderr)
        return 0
    print(f"trafilatura {trafilatura.__version__}, one thread, median of {args.rounds} rounds")
    for name, folder in sets.items():
        docs = pages(folder)
        rounds = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            for html in docs:
                trafilatura.extract(html, with_metadata=True)
            rounds.append((time.perf_counter() - t) * 1e3 / len(docs))
        print(f"  {name:<5} {len(docs):>4} pages  {statistics.median(rounds):.2f} ms/page "
              f"(rounds: {', '.join(f'{r:.2f}' for r in rounds)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
