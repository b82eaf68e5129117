//! In-process query latency (`cargo bench --bench search`): an index built
//! by the real binary from the benchmark input (see `benches/common/mod.rs`)
//! in a temporary folder, then queries answered the way `opedex search`
//! answers them (parse, retrieve, re-rank, load, highlight, render), with
//! every ranking feature on and with plain BM25. The queries are the first
//! three words of every tenth title, as `bench/make_queries.py` makes them.
//! Latency percentiles at 100k and 1M articles against the bare engine come
//! from `bench/run.py`.

mod common;

use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

use opedex::output::{self, Marks};
use opedex::{Index, Ranking, SearchRequest};

fn queries(titles: &[String]) -> Vec<String> {
    let mut out = vec!["peace treaty islands".to_string()];
    for title in titles.iter().step_by(10) {
        let words: Vec<String> = title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 3)
            .take(3)
            .map(str::to_lowercase)
            .collect();
        if !words.is_empty() {
            out.push(words.join(" "));
        }
    }
    out.truncate(100);
    out
}

fn latency(c: &mut Criterion) {
    let input = common::input();
    let titles: Vec<String> = common::articles(&input, usize::MAX)
        .into_iter()
        .map(|a| a.title)
        .collect();
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("index");
    let status = Command::new(env!("CARGO_BIN_EXE_opedex"))
        .arg("ingest")
        .arg(&input.path)
        .arg("--index")
        .arg(&path)
        .arg("-q")
        .status()
        .expect("run opedex ingest");
    assert!(
        status.success(),
        "opedex ingest {} failed",
        input.path.display()
    );
    let index = Index::open(&path).expect("open the new index");
    let list = queries(&titles);

    let mut group = c.benchmark_group("search");
    group.throughput(Throughput::Elements(list.len() as u64));
    group.sample_size(20);
    for (name, ranking) in [
        ("ranked", Ranking::default()),
        ("plain_bm25", Ranking::plain()),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                for q in &list {
                    let req = SearchRequest {
                        ranking: ranking.clone(),
                        ..SearchRequest::new(q.clone())
                    };
                    let results = index.search(&req).expect("search");
                    let text: String = results
                        .hits
                        .iter()
                        .map(|h| output::hit_text(h, Marks::Plain))
                        .collect();
                    black_box(text);
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, latency);
criterion_main!(benches);
