#!/bin/sh
# Peak memory and time of `opedex ingest` on large inputs (issue 6), and the
# time to recover from an ingest killed half-way. Not part of `cargo test`.
#
#   bench/reliability_rss.sh [OPEDEX_BINARY] [JSONL_MB]
#
# Defaults: target/release/opedex (or $CARGO_TARGET_DIR/release/opedex) and a
# 1024-MB JSON Lines dump. Inputs are generated in a temporary directory
# (about 1.5 GB with the defaults) and removed at the end. Each line printed
# is: case, peak RSS (MB), wall time (s), exit code, and the ingest summary.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${CARGO_TARGET_DIR:-$root/target}/release/opedex}
jsonl_mb=${2:-1024}
work=$(mktemp -d "${TMPDIR:-/tmp}/opedex-rss.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -x "$bin" ] || { echo "no opedex binary at $bin; build with cargo build --release" >&2; exit 2; }

measure() { # name, then the opedex arguments
    name=$1; shift
    /usr/bin/time -f "%M %e %x" -o "$work/time" "$bin" "$@" >"$work/out" 2>"$work/err" || true
    read -r rss_kb secs code <"$work/time" || true
    printf '%-28s peak %6d MB  %7.1f s  exit %s  %s\n' "$name" $((rss_kb / 1024)) "$secs" "$code" \
        "$(tail -n 1 "$work/out" | cut -c1-150)"
}

python3 - "$work" "$jsonl_mb" <<'PY'
import json, os, random, sys
work, jsonl_mb = sys.argv[1], int(sys.argv[2])
rnd = random.Random(6)
vocab = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(3, 10))) for _ in range(30000)]
def para(n):
    return " ".join(rnd.choice(vocab) for _ in range(n)) + "."
# One 200-MB plain-text page: a title, a byline, then paragraphs.
with open(os.path.join(work, "huge.txt"), "w") as f:
    f.write("A very long column\n\nBy Some Writer\n\n")
    while f.tell() < 200 << 20:
        f.write(para(120) + "\n\n")
# A large JSON Lines dump of distinct articles.
with open(os.path.join(work, "dump.jsonl"), "w") as f:
    i = 0
    while f.tell() < jsonl_mb << 20:
        f.write(json.dumps({"id": f"d{i}", "title": f"Column {i}", "outlet": "Bench Times",
                            "published": "2022-02-02", "body": "\n\n".join(para(90) for _ in range(6))}) + "\n")
        i += 1
# 100,000 tiny files in 100 directories.
tiny = os.path.join(work, "tiny")
for d in range(100):
    os.makedirs(os.path.join(tiny, f"d{d:03}"))
    for k in range(1000):
        with open(os.path.join(tiny, f"d{d:03}", f"f{k:04}.txt"), "w") as f:
            f.write(f"Tiny note {d}-{k}\n\n{para(60)}\n")
# 20,000 articles for the recovery measurement.
with open(os.path.join(work, "recover.jsonl"), "w") as f:
    for i in range(20000):
        f.write(json.dumps({"id": f"r{i}", "title": f"Piece {i}", "body": para(150)}) + "\n")
PY
echo "opedex: $bin"
echo "inputs: 200-MB page, $(du -m "$work/dump.jsonl" | cut -f1)-MB JSONL, 100,000 tiny files"
measure "200-MB text page" ingest "$work/huge.txt" --index "$work/i1"
measure "${jsonl_mb}-MB JSONL" ingest "$work/dump.jsonl" --index "$work/i2"
measure "100,000 tiny files" ingest "$work/tiny" --index "$work/i3"

# Recovery: kill an ingest half-way, then time opening the index and
# re-running the same ingest to completion.
"$bin" ingest "$work/recover.jsonl" --index "$work/i4" --commit-every 2000 >/dev/null 2>&1 &
pid=$!
while [ "$(python3 -c "import json,sys;print(json.load(open(sys.argv[1])).get('opstamp',0))" "$work/i4/meta.json" 2>/dev/null || echo 0)" -lt 16000 ]; do
    kill -0 $pid 2>/dev/null || break
    sleep 0.2
done
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
measure "open after SIGKILL (stats)" stats --index "$work/i4"
measure "re-ingest after SIGKILL" ingest "$work/recover.jsonl" --index "$work/i4" --commit-every 2000
