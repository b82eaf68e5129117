#!/usr/bin/env bash
# MRR@10 of the known-item sets (tests/eval/known-*.jsonl) in each search
# mode, on an index of the shared op-ed corpus that has vectors:
#
#   bench/semantic_eval.sh BIN INDEX [FUSION]
#
# BIN is an opedex release binary, INDEX an index built with
# `opedex ingest --semantic` from tools/convert_corpus.py's op-ed JSON Lines
# (AllSides + Webis, 4,623 articles), FUSION an optional `--fusion` spec.
# Prints one line per set and mode: set, split, mode, MRR@10, queries.
# Tune on the paraphrase set's `tune` split only; report `check`.
set -euo pipefail
bin="$1"; index="$2"; fusion="${3:-}"
here="$(cd "$(dirname "$0")/.." && pwd)"
eval_dir="$here/tests/eval"
run() { # set split mode
    local args=(eval --index "$index" --queries "$eval_dir/known-$1.jsonl"
        --qrels "$eval_dir/known-qrels.txt" --mode "$3" --json)
    [[ "$2" != all ]] && args+=(--split "$2")
    [[ -n "$fusion" && "$3" == hybrid ]] && args+=(--fusion "$fusion")
    "$bin" "${args[@]}" | python3 -c '
import json, sys
d = json.load(sys.stdin)
m, n = d["mean"]["mrr10"], d["queries"]
print(f"{sys.argv[1]:<11}{sys.argv[2]:<6}{sys.argv[3]:<9}{m:.3f}  n={n}")
' "$1" "$2" "$3"
}
for mode in lexical semantic hybrid; do
    run paraphrase tune "$mode"
    run paraphrase check "$mode"
    run lexical all "$mode"
    run filtered all "$mode"
done
