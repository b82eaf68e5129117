#!/usr/bin/env bash
# Load on `opedex serve` while an ingest commits into the same index.
#
#   bench/load.sh INDEX QUERIES.txt EXTRA.jsonl [SECONDS]
#
# INDEX is copied first (the ingest adds EXTRA's articles to the copy, so a
# re-run starts from the same state). The script runs, side by side:
#   1. in-process: one thread, every query once (examples/http_load
#      --in-process), with facets: mean, p50, p99 and cores / mean;
#   2. 2 clients for SECONDS/3 seconds over loopback, no ingest running;
#   3. 32 clients for SECONDS (default 60) while `opedex ingest` adds EXTRA
#      to the index committing every 200 articles; the first ingest is
#      killed with SIGKILL after KILL_AFTER seconds (default 4), then three
#      more run in turn (the first finishes the job, the others find every
#      record unchanged), so the server sees commits, a killed writer and
#      recovered ones.
# Each step prints one JSON line; the server's stderr goes to $OUT/serve.log.
#
# Build first: cargo build --release --examples (the script uses
# target/release/opedex and target/release/examples/http_load, or
# $CARGO_TARGET_DIR's).
set -euo pipefail

if [ $# -lt 3 ]; then
    sed -n '2,20p' "$0" >&2
    exit 2
fi
INDEX=$1 QUERIES=$2 EXTRA=$3 SECONDS_32=${4:-60}
KILL_AFTER=${KILL_AFTER:-4}
TARGET=${CARGO_TARGET_DIR:-target}/release
BIN=$TARGET/opedex
LOADER=$TARGET/examples/http_load
for f in "$BIN" "$LOADER"; do
    [ -x "$f" ] || { echo "bench/load.sh: $f is missing (cargo build --release --examples)" >&2; exit 2; }
done
OUT=$(mktemp -d /tmp/opedex-load.XXXXXX)
cp -a "$INDEX" "$OUT/index"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ADDR=127.0.0.1:$PORT

cleanup() {
    kill "${SERVER:-}" "${INGEST:-}" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

"$LOADER" "$QUERIES" --in-process "$OUT/index" --facets

"$BIN" serve --index "$OUT/index" --addr "$ADDR" 2>"$OUT/serve.log" &
SERVER=$!
for _ in $(seq 100); do
    curl -sf "http://$ADDR/api/v1/healthz" >/dev/null && break
    sleep 0.1
done

"$LOADER" "$QUERIES" --addr "$ADDR" --clients 2 --seconds $((SECONDS_32 / 3)) --facets

"$BIN" ingest --quiet --index "$OUT/index" --commit-every 200 "$EXTRA" &
INGEST=$!
(
    sleep "$KILL_AFTER"
    if kill -9 "$INGEST" 2>/dev/null; then
        echo "bench/load.sh: killed the first ingest (SIGKILL) after $KILL_AFTER s" >&2
    else
        echo "bench/load.sh: the first ingest had finished before $KILL_AFTER s; nothing killed" >&2
    fi
    for round in 1 2 3; do
        "$BIN" ingest --quiet --index "$OUT/index" --commit-every 200 "$EXTRA"
        echo "bench/load.sh: ingest $((round + 1)) finished" >&2
    done
) &
KILLER=$!
"$LOADER" "$QUERIES" --addr "$ADDR" --clients 32 --seconds "$SECONDS_32" --facets
wait "$KILLER" || true
curl -sf "http://$ADDR/api/v1/stats" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(json.dumps({"articles_after": s.get("articles")}))'
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
rm -rf "$OUT/index"
echo "bench/load.sh: server log in $OUT/serve.log" >&2
