#!/usr/bin/env python3
"""Convert the shared op-ed test corpora into canonical opedex Article JSON Lines.

Sources (read-only, under the corpus folder, default ``../shared/corpus`` next to the repo):

* ``allsides-opinion/jsons/*.json``  -- one AllSides article object per file.
* ``webis-editorials/{aljazeera,foxnews,guardian}/*.json`` -- Webis editorials, segmented
  into argumentative units (``{"paragraphs": [[{number, text, label}, ...], ...]}``).

Output: one Article object per line (UTF-8), keys in this order:
``id, title, authors, outlet, site, section, published, url, topics, body, source``
(``lang`` is omitted).  Records without a title or body are skipped with a message on
stderr; a broken file never stops the run.  A summary goes to stderr at the end.

Python 3.11 standard library only.  See tools/README.md.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Iterator, TextIO

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"

SOURCES = ("allsides", "webis")
ALLSIDES_DIR = Path("allsides-opinion") / "jsons"
WEBIS_DIR = Path("webis-editorials")
WEBIS_OUTLETS = {
    "aljazeera": "Al Jazeera",
    "foxnews": "Fox News",
    "guardian": "The Guardian",
}

# Characters that attach to the preceding segment (no space before them).
_CLOSING_PUNCT = set(".,;:?!)]}%…")
# Characters after which the next segment attaches (no space after them).
_OPENING_PUNCT = set("([{")
# Markdown-style escapes found in a few Fox News files: "1\." and "Iran\'s".
_BACKSLASH_ESCAPE = re.compile(r"\\([.'\"])")
# Rest of an English contraction split off after an apostrophe ("there'" + "s ...").
_CONTRACTION_TAIL = re.compile(r"(?:s|t|d|m|ll|re|ve)\b")
_WS_RUN = re.compile(r"\s+")
_MDY_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})")
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?")


class SkipRecord(Exception):
    """Raised when a file cannot yield an article; the message is the reason."""


# --------------------------------------------------------------------------- helpers


def collapse_ws(text: str) -> str:
    """Collapse every whitespace run to one space and strip the ends."""
    return _WS_RUN.sub(" ", text).strip()


def normalize_body(text: str) -> str:
    """Split on any line break, strip lines, drop empty ones, join with one blank line."""
    lines = (line.strip() for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def parse_date(raw: str) -> str | None:
    """Return ``YYYY-MM-DD`` for an ISO or ``M/D/YY`` date, None for empty.

    Raises ValueError for anything else (the caller warns and stores null).
    """
    raw = (raw or "").strip()
    if not raw:
        return None
    m = _MDY_DATE.fullmatch(raw)
    if m:
        month, day, yy = (int(g) for g in m.groups())
        return dt.date(2000 + yy, month, day).isoformat()
    m = _ISO_DATE.fullmatch(raw)
    if m:
        return dt.date.fromisoformat(m.group(1)).isoformat()
    raise ValueError(raw)


def split_authors(raw: str) -> list[str]:
    """Split a comma-separated byline string; strip quotes/whitespace; de-duplicate in order."""
    names: list[str] = []
    seen: set[str] = set()
    for part in (raw or "").split(","):
        name = collapse_ws(part.strip().strip("\"'“”‘’`").strip())
        if name and name not in seen:
            seen.add(name)
            names.append(name)
    return names


def make_article(
    *,
    art_id: str,
    title: str,
    authors: list[str],
    outlet: str | None,
    published: str | None,
    url: str | None,
    topics: list[str],
    body: str,
    rel_path: str,
    fmt: str,
) -> dict:
    """Build the canonical Article dict (fixed key order), validating title and body."""
    if not title:
        raise SkipRecord("no title")
    if not body:
        raise SkipRecord("no body")
    return {
        "id": art_id,
        "title": title,
        "authors": authors,
        "outlet": outlet or None,
        "site": None,
        "section": None,
        "published": published,
        "url": url or None,
        "topics": topics,
        "body": body,
        "source": {"path": rel_path, "format": fmt},
    }


def load_json(path: Path) -> object:
    """Read a JSON file as UTF-8 (BOM tolerated); errors become SkipRecord."""
    try:
        with path.open("r", encoding="utf-8-sig") as fh:
            return json.load(fh)
    except UnicodeDecodeError as exc:
        raise SkipRecord(f"not UTF-8 ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise SkipRecord(f"invalid JSON (line {exc.lineno}: {exc.msg})") from None
    except OSError as exc:
        raise SkipRecord(f"unreadable ({exc.strerror or exc})") from None


def str_field(obj: dict, key: str) -> str:
    """Return obj[key] as a string ('' when missing/null; other scalars are str()-ed)."""
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    raise SkipRecord(f"field {key!r} has type {type(value).__name__}")


# --------------------------------------------------------------------------- allsides


def convert_allsides(path: Path, rel_path: str, warn) -> dict:
    """Convert one AllSides JSON file into an Article dict."""
    obj = load_json(path)
    if not isinstance(obj, dict):
        raise SkipRecord(f"top level is {type(obj).__name__}, expected object")
    raw_id = str_field(obj, "ID").strip() or path.stem
    raw_date = str_field(obj, "date")
    try:
        published = parse_date(raw_date)
    except ValueError:
        warn(f"unparseable date {raw_date!r}, stored null")
        published = None
    topic = str_field(obj, "topic").strip().replace("_", " ")
    return make_article(
        art_id=f"allsides-{raw_id}",
        title=collapse_ws(str_field(obj, "title")),
        authors=split_authors(str_field(obj, "authors")),
        outlet=str_field(obj, "source").strip(),
        published=published,
        url=str_field(obj, "url").strip(),
        topics=[collapse_ws(topic)] if topic.strip() else [],
        body=normalize_body(str_field(obj, "content_original")),
        rel_path=rel_path,
        fmt="allsides-json",
    )


# --------------------------------------------------------------------------- webis


def _needs_space(prev: str, nxt: str, in_double_quote: bool) -> bool:
    """Decide whether a space goes between joined text ``prev`` and segment ``nxt``.

    ``in_double_quote`` is True when ``prev`` holds an odd number of ``"`` (a quote
    is open), so a ``"`` ending ``prev`` is an opening quote and a ``"`` starting
    ``nxt`` is a closing one.
    """
    first, last = nxt[0], prev[-1]
    if first in _CLOSING_PUNCT:
        return False
    if first == "*" and (len(nxt) == 1 or not nxt[1].isalnum()):  # footnote mark "word*."
        return False
    if last in _OPENING_PUNCT:
        return False
    if first == '"' and in_double_quote:  # closing quote
        return False
    if last == '"' and in_double_quote:  # dangling opening quote
        return False
    if first == "'" and (len(nxt) == 1 or nxt[1] in _CLOSING_PUNCT or nxt[1].isspace()):
        return False  # closing single quote: "...'. I simply"
    if last == "'" and len(prev) > 1 and prev[-2].isalpha() and _CONTRACTION_TAIL.match(nxt):
        return False  # split contraction: "there'" + "s"
    return True


def join_segments(texts: list[str]) -> str:
    """Join one paragraph's segment texts into running text.

    Segments carry no surrounding whitespace of their own (a few have stray edge
    spaces, which are stripped), punctuation is often a separate segment, and
    quotes/brackets may be split off; see ``_needs_space`` for the rules.
    """
    out = ""
    quotes = 0
    for raw in texts:
        seg = _BACKSLASH_ESCAPE.sub(r"\1", raw or "").strip()
        if not seg:
            continue
        if out and _needs_space(out, seg, quotes % 2 == 1):
            out += " "
        out += seg
        quotes += seg.count('"')
    return collapse_ws(out)


def clean_webis_title(text: str) -> str:
    """Drop the single full stop the corpus appends to every headline (keep '...', '?')."""
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


def convert_webis(path: Path, rel_path: str, folder: str, warn) -> dict:
    """Convert one Webis editorial JSON file into an Article dict."""
    obj = load_json(path)
    if not isinstance(obj, dict) or not isinstance(obj.get("paragraphs"), list):
        raise SkipRecord("no 'paragraphs' list")
    paragraphs: list[list[dict]] = []
    for i, para in enumerate(obj["paragraphs"]):
        if not isinstance(para, list) or not all(isinstance(s, dict) for s in para):
            raise SkipRecord(f"paragraph {i} is not a list of segment objects")
        paragraphs.append(para)
    if not paragraphs:
        raise SkipRecord("no paragraphs")

    def texts(para: list[dict]) -> list[str]:
        return [s["text"] for s in para if isinstance(s.get("text"), str)]

    head = paragraphs[0]
    if any(s.get("label") == "title" for s in head):
        title = clean_webis_title(join_segments(texts(head)))
        rest = paragraphs[1:]
    else:
        title, rest = "", paragraphs
    stray = sum(1 for p in rest for s in p if s.get("label") == "title")
    if stray:
        warn(f"{stray} 'title' segment(s) outside the first paragraph, kept in body")
    body = "\n\n".join(p for p in (join_segments(texts(para)) for para in rest) if p)
    return make_article(
        art_id=f"webis-{folder}-{path.stem}",
        title=title,
        authors=[],
        outlet=WEBIS_OUTLETS.get(folder, folder),
        published=None,
        url=None,
        topics=[],
        body=body,
        rel_path=rel_path,
        fmt="webis-json",
    )


# --------------------------------------------------------------------------- driver


class Stats:
    """Counters for the end-of-run summary."""

    def __init__(self) -> None:
        self.files = collections.Counter()  # per source
        self.written = collections.Counter()  # per source
        self.skipped = collections.Counter()  # per reason
        self.warnings = 0
        self.body_words: list[int] = []
        self.author_counts = collections.Counter()
        self.null_dates = 0

    def add(self, source: str, art: dict) -> None:
        self.written[source] += 1
        self.body_words.append(len(art["body"].split()))
        self.author_counts[len(art["authors"])] += 1
        self.null_dates += art["published"] is None


def iter_files(corpus: Path, only: list[str]) -> Iterator[tuple[str, Path, str]]:
    """Yield (source, path, webis folder or '') in a stable, sorted order."""
    if "allsides" in only:
        for path in sorted((corpus / ALLSIDES_DIR).glob("*.json")):
            yield "allsides", path, ""
    if "webis" in only:
        for folder in sorted(WEBIS_OUTLETS):
            for path in sorted((corpus / WEBIS_DIR / folder).glob("*.json")):
                yield "webis", path, folder


def convert_all(corpus: Path, only: list[str], out: TextIO, stats: Stats) -> None:
    """Convert every file of the selected sources and write JSON Lines to ``out``."""
    seen_ids: set[str] = set()
    for source, path, folder in iter_files(corpus, only):
        rel_path = path.relative_to(corpus).as_posix()
        stats.files[source] += 1

        def warn(msg: str, _rel: str = rel_path) -> None:
            stats.warnings += 1
            print(f"warning: {_rel}: {msg}", file=sys.stderr)

        try:
            if source == "allsides":
                art = convert_allsides(path, rel_path, warn)
            else:
                art = convert_webis(path, rel_path, folder, warn)
            if art["id"] in seen_ids:
                raise SkipRecord(f"duplicate id {art['id']}")
        except SkipRecord as exc:
            reason = str(exc)
        except Exception as exc:  # never crash on one bad file
            reason = f"unexpected {type(exc).__name__}: {exc}"
        else:
            seen_ids.add(art["id"])
            out.write(json.dumps(art, ensure_ascii=False) + "\n")
            stats.add(source, art)
            continue
        stats.skipped[reason.split(" (")[0]] += 1
        print(f"skip: {rel_path}: {reason}", file=sys.stderr)


def print_summary(stats: Stats, elapsed: float, out_name: str) -> None:
    """Print the run summary to stderr."""
    err = sys.stderr
    files = sum(stats.files.values())
    written = sum(stats.written.values())
    per = ", ".join(f"{s} {stats.files[s]}->{stats.written[s]}" for s in SOURCES if stats.files[s])
    print(f"files read: {files} ({per or 'none'})", file=err)
    print(f"articles written: {written} -> {out_name}", file=err)
    skipped = sum(stats.skipped.values())
    print(f"skipped: {skipped}", file=err)
    for reason, n in stats.skipped.most_common():
        print(f"  {n:6d}  {reason}", file=err)
    if stats.warnings:
        print(f"warnings: {stats.warnings}", file=err)
    if stats.body_words:
        words = stats.body_words
        print(
            f"body words: median {statistics.median(words):.0f}, min {min(words)}, max {max(words)}",
            file=err,
        )
        dist = ", ".join(f"{k}:{v}" for k, v in sorted(stats.author_counts.items()))
        print(f"authors per article (count:articles): {dist}", file=err)
        print(f"published null: {stats.null_dates}", file=err)
    print(f"time: {elapsed:.2f}s", file=err)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    ap = argparse.ArgumentParser(
        description="Convert shared/corpus (AllSides + Webis editorials) to opedex Article JSON Lines.",
    )
    ap.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"corpus folder (default: ../shared/corpus from the repo root = {DEFAULT_CORPUS})",
    )
    ap.add_argument(
        "--only",
        default=",".join(SOURCES),
        help="comma-separated sources to convert: allsides,webis (default: both)",
    )
    ap.add_argument("--out", default="-", help="output file, or '-' for stdout (default: -)")
    args = ap.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    bad = [s for s in only if s not in SOURCES]
    if bad or not only:
        names = ", ".join(bad) or "(none given)"
        ap.error(f"--only: unknown source(s) {names}; choose from {','.join(SOURCES)}")
    args.only = only
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = parse_args(argv)
    corpus: Path = args.corpus
    if not corpus.is_dir():
        print(f"error: corpus folder not found: {corpus} (use --corpus PATH)", file=sys.stderr)
        return 2
    needed = {"allsides": corpus / ALLSIDES_DIR, "webis": corpus / WEBIS_DIR}
    missing = [str(needed[s]) for s in args.only if not needed[s].is_dir()]
    if missing:
        print(f"error: source folder(s) missing: {', '.join(missing)} (see --only)", file=sys.stderr)
        return 2

    stats = Stats()
    start = time.monotonic()
    if args.out == "-":
        convert_all(corpus, args.only, sys.stdout, stats)
        sys.stdout.flush()
        out_name = "stdout"
    else:
        out_path = Path(args.out)
        tmp_path = out_path.with_name(out_path.name + ".tmp")
        try:
            with tmp_path.open("w", encoding="utf-8", newline="\n") as fh:
                convert_all(corpus, args.only, fh, stats)
            os.replace(tmp_path, out_path)
        except OSError as exc:
            print(f"error: cannot write {out_path}: {exc}", file=sys.stderr)
            tmp_path.unlink(missing_ok=True)
            return 1
        out_name = str(out_path)
    print_summary(stats, time.monotonic() - start, out_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
