#!/bin/sh
# Runs fuzz targets for SECONDS seconds each (default 60), one after the
# other, at low priority: `fuzz/run.sh SECONDS [TARGET...]` (all five
# without names, so two shells can share the targets between two cores). Needs the nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`). Without a sanitizer by default (SANITIZER=none):
# the code is safe Rust, so the fuzzers hunt panics, hangs and runaway memory,
# and an AddressSanitizer build of Tantivy took over 54 minutes on 2 cores.
# SANITIZER=address fuzz/run.sh 600 runs the same with ASan. Crashes are saved under fuzz/artifacts/TARGET/;
# reproduce one with `cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-…`.
# Seeds come from tests/fixtures, so the fuzzer starts from real layouts.
set -eu
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-text_page html json csv query}
sanitizer=${SANITIZER:-none}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
target_dir=${FUZZ_TARGET_DIR:-${CARGO_TARGET_DIR:-$here/target}/fuzz}
fixtures=$here/../tests/fixtures

mkdir -p corpus/text_page corpus/html corpus/json corpus/csv corpus/query
for f in "$fixtures"/pages/*.txt "$fixtures"/cards/*.txt; do cp "$f" corpus/text_page/; done
for f in "$fixtures"/html/*.html; do cp "$f" corpus/html/; done
for f in "$fixtures"/jsonl/*.json* "$fixtures"/datasets/*.jsonl "$fixtures"/datasets/*/*.json; do cp "$f" corpus/json/; done
for f in "$fixtures"/*/*.csv "$fixtures"/*/*.tsv; do [ -f "$f" ] && cp "$f" corpus/csv/; done
printf 'title,byline,body\n"A","By Ann Lee","Some words here."\n' > corpus/csv/seed.csv
printf 'peace "treaty islands" +japan -war author:volnov\n' > corpus/query/seed1
printf 'title:"two words" outlet:x lang:ru расписание 平和条約\n' > corpus/query/seed2

status=0
mkdir -p logs
for t in $targets; do
    echo "== $t: $seconds s"
    if nice -n 10 cargo +nightly fuzz run --sanitizer "$sanitizer" --target-dir "$target_dir" "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=20 \
        -print_final_stats=1 >"logs/$t.log" 2>&1; then
        echo "   no crash"
    else
        echo "   FAILED: see fuzz/logs/$t.log and fuzz/artifacts/$t/"
        status=1
    fi
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|Done)|panicked at|SUMMARY" "logs/$t.log" | sed 's/^/   /' || true
done
exit $status
