#!/bin/sh
# Query latency with and without the ranking features, measured side by side:
# runs `opedex eval` over the same queries ROUNDS times, alternating plain BM25
# and the default ranking, and prints each run's median and p99 search time
# per query, then the medians of those and their ratio.
#
#   bench/eval-latency.sh INDEX QUERIES QRELS [ROUNDS]
#   e.g. bench/eval-latency.sh /tmp/time/index /tmp/time/queries.tsv /tmp/time/qrels.txt 5
set -eu
index=$1 queries=$2 qrels=$3 rounds=${4:-5}
bin=${OPEDEX:-target/release/opedex}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
i=0
while [ "$i" -lt "$rounds" ]; do
    for mode in plain default; do
        flag=""
        [ "$mode" = plain ] && flag="--plain"
        # shellcheck disable=SC2086
        "$bin" eval --index "$index" --queries "$queries" --qrels "$qrels" --json $flag |
            python3 -c 'import json,sys; v=json.load(sys.stdin); l=v["latency_ms"]; print(sys.argv[1], l["median"], l["p99"])' "$mode" >>"$tmp"
    done
    i=$((i + 1))
done
python3 - "$tmp" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
for mode in ("plain", "default"):
    med = [float(r[1]) for r in rows if r[0] == mode]
    p99 = [float(r[2]) for r in rows if r[0] == mode]
    print(f"{mode:8} median {statistics.median(med):7.2f} ms   p99 {statistics.median(p99):7.2f} ms   ({len(med)} runs)")
m = {mode: statistics.median(float(r[1]) for r in rows if r[0] == mode) for mode in ("plain", "default")}
p = {mode: statistics.median(float(r[2]) for r in rows if r[0] == mode) for mode in ("plain", "default")}
print(f"ratio    median {m['default'] / m['plain']:.2f}x   p99 {p['default'] / p['plain']:.2f}x")
PY
