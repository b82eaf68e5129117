#!/usr/bin/env bash
# Records what an opedex binary prints, so that a change meant to alter no
# behaviour (a refactor) can be checked byte for byte:
#
#     bench/outputs.sh BINARY BEFORE_DIR                  # before the change
#     bench/outputs.sh BINARY AFTER_DIR BEFORE_DIR/work   # after it
#     diff -r -x work -x sums.txt BEFORE_DIR AFTER_DIR    # nothing = identical
#
# It records, under OUT_DIR:
#   normalize-fixtures.txt   `normalize` of every file under tests/fixtures
#                            (stdout, stderr and exit code of each)
#   normalize-shared.txt     `normalize` of the seed and every HTML corpus in
#                            ../shared/corpus (skipped without that folder)
#   stats-*.json             `stats --json` of two indexes: the AllSides and
#                            Webis op-eds converted to JSONL, and the shared
#                            corpus folder ingested as it is
#   search-*.jsonl           `search --json` (ranked and --plain) for the 300
#                            benchmark queries (bench/make_queries.py), over
#                            the indexes in the third argument's folder when
#                            it is given: two ingests of the same input can
#                            differ in deleted documents that background
#                            merges have not dropped yet, which moves BM25
#                            scores in the last digits, so a search is
#                            compared on one and the same index
#   show-similar.txt         `show --json` and `similar --json` of 20 articles
#   sums.txt                 a checksum of each file, for the closing note
#
# The ingest summaries end with a time in seconds, which is cut off. Work
# files go to OUT_DIR/work; nothing is written into the repository.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 BINARY OUT_DIR [INDEXES_DIR]" >&2
    exit 2
fi
bin=$(realpath "$1")
out=$(realpath -m "$2")
indexes=$(realpath -m "${3:-$2/work}")
repo=$(cd "$(dirname "$0")/.." && pwd)
shared="$repo/../shared"
work="$out/work"
rm -rf "$out"
mkdir -p "$work"
cd "$repo"

# normalize: one file at a time, so each file's output stands alone.
while IFS= read -r -d '' f; do
    rel=${f#"$repo"/}
    printf '=== %s\n' "$rel"
    code=0
    NO_COLOR=1 "$bin" normalize "$f" >"$work/o" 2>"$work/e" </dev/null || code=$?
    cat "$work/o"
    printf -- '--- stderr\n'
    cat "$work/e"
    printf -- '--- exit %s\n' "$code"
done < <(find "$repo/tests/fixtures" -type f -print0 | sort -z) >"$out/normalize-fixtures.txt"

if [ ! -d "$shared/corpus" ]; then
    echo "SKIPPED: $shared/corpus is absent; only the fixtures were recorded" >&2
    (cd "$out" && sha256sum ./*.txt >sums.txt)
    exit 0
fi

for d in "$shared/seed" "$shared/corpus/zyte-aeb" "$shared/corpus/trafilatura-eval" \
    "$shared/corpus/readability-testpages" "$shared/corpus/webis-editorials"; do
    printf '=== %s\n' "${d#"$repo"/}"
    code=0
    NO_COLOR=1 "$bin" normalize "$d" 2>"$work/e" </dev/null || code=$?
    printf -- '--- stderr\n'
    cat "$work/e"
    printf -- '--- exit %s\n' "$code"
done >"$out/normalize-shared.txt"

python3 tools/convert_corpus.py --out "$work/opeds.jsonl" 2>/dev/null
python3 bench/make_queries.py "$work/opeds.jsonl" "$work/queries.txt" >/dev/null

ingest() { # NAME INPUT
    "$bin" ingest --quiet --index "$work/idx-$1" "$2" 2>"$out/ingest-$1.stderr" >/dev/null
    "$bin" stats --json --index "$work/idx-$1" >"$out/stats-$1.json"
}
ingest opeds "$work/opeds.jsonl"
ingest shared "$shared/corpus"

for idx in opeds shared; do
    for mode in ranked plain; do
        flag=()
        [ "$mode" = plain ] && flag=(--plain)
        while IFS= read -r q; do
            printf '=== %s\n' "$q"
            NO_COLOR=1 "$bin" search --json "${flag[@]}" --index "$indexes/idx-$idx" -- "$q" || true
        done <"$work/queries.txt" >"$out/search-$idx-$mode.jsonl" 2>&1
    done
done

# show and similar for 20 articles spread over the op-ed index.
grep -o '"article_id":"[^"]*"' "$out/search-opeds-ranked.jsonl" | sort -u | awk 'NR % 25 == 1' | head -20 |
    sed 's/"article_id":"\(.*\)"/\1/' >"$work/ids.txt"
while IFS= read -r id; do
    printf '=== %s\n' "$id"
    "$bin" show --json --index "$indexes/idx-opeds" "$id" || true
    "$bin" similar --json --index "$indexes/idx-opeds" "$id" || true
done <"$work/ids.txt" >"$out/show-similar.txt" 2>&1

(cd "$out" && sha256sum ./*.txt ./*.json ./*.jsonl ./*.stderr >sums.txt)
echo "recorded in $out" >&2
