//! In-process cost of each ingest stage, per article (`cargo bench --bench
//! ingest_stages`). The stages are those `opedex ingest` runs on every
//! article: body normalisation, language detection, topic assignment, the
//! MinHash signature for syndicated copies, passage splitting, and building
//! the Tantivy documents. Input: see `benches/common/mod.rs`. Whole-ingest
//! figures against the bare engine and FTS5 come from `bench/run.py`.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

use opedex::stages::{clean, dedup, document, lang, passage};
use opedex::{Article, Taxonomy};

/// Articles per iteration: enough to average over lengths and languages.
const ARTICLES: usize = 500;

/// A stage's name and what it does to one article.
type Stage<'a> = (&'static str, &'a dyn Fn(&Article));

fn stages(c: &mut Criterion) {
    let articles = common::articles(&common::input(), ARTICLES);
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();
    let taxonomy = Taxonomy::default_taxonomy();
    let (_, fields) = document::schema();
    // Each stage as it runs on one article; `black_box` keeps its output
    // from being optimised away.
    let stages: [Stage; 6] = [
        ("clean::body", &|a| {
            black_box(clean::body(&a.body));
        }),
        ("detect_language", &|a| {
            black_box(lang::detect(&a.body));
        }),
        ("assign_topics", &|a| {
            black_box(taxonomy.assign(a.lang.as_deref(), &a.title, &a.body));
        }),
        ("minhash_signature", &|a| {
            black_box(dedup::signature(&a.body));
        }),
        ("split_passages", &|a| {
            black_box(passage::split(&a.body));
        }),
        ("prepare_documents", &|a| {
            black_box(document::prepare(a, None, 0, &fields));
        }),
    ];

    let mut group = c.benchmark_group("ingest_stage");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    for (name, stage) in stages {
        group.bench_function(name, |b| b.iter(|| articles.iter().for_each(stage)));
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
