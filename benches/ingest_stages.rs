//! In-process cost of each ingest stage, per article (`cargo bench --bench
//! ingest_stages`). The stages are those `opedex ingest` runs on every
//! article: body normalisation, language detection, topic assignment, the
//! MinHash signature for syndicated copies, passage splitting, and building
//! the Tantivy documents. Input: see `benches/common/mod.rs`. Whole-ingest
//! figures against the bare engine and FTS5 come from `bench/run.py`.

mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;

use opedex::topics::Taxonomy;
use opedex::{dedup, index, lang, normalize, passage};

/// Articles per iteration: enough to average over lengths and languages.
const ARTICLES: usize = 500;

fn stages(c: &mut Criterion) {
    let articles = common::articles(ARTICLES);
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let taxonomy = Taxonomy::default_taxonomy();
    let (_, fields) = index::schema::build();

    let mut group = c.benchmark_group("ingest_stage");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("normalize_body", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(normalize::normalize_body(&a.body));
            }
        })
    });
    group.bench_function("detect_language", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(lang::detect(&a.body));
            }
        })
    });
    group.bench_function("assign_topics", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(taxonomy.assign(a.lang.as_deref(), &a.title, &a.body));
            }
        })
    });
    group.bench_function("minhash_signature", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(dedup::signature(&a.body));
            }
        })
    });
    group.bench_function("split_passages", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(passage::split(&a.body));
            }
        })
    });
    group.bench_function("prepare_documents", |b| {
        b.iter_batched(
            || (),
            |()| {
                for a in &articles {
                    black_box(index::document::prepare(a, None, 0, &fields));
                }
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
