//! In-process query latency of opedex, for the benchmark suite (`bench/`).
//!
//! Opens an index once, then answers every line of a query file the way
//! `opedex search` does — parse, retrieve, re-rank, highlight, load the
//! articles, render the text output — with every ranking feature on. Warm-up
//! rounds over the same list come first; then each query is timed once.
//! Prints `{"queries":…,"hits":…,"p50_ms":…,"p95_ms":…,"p99_ms":…}`.
//!
//! With `--plain` every ranking feature is off (plain BM25), for the
//! with/without ratio; `--expand` adds pseudo-relevance feedback.
//!
//! Run: `cargo run --release --example search_latency -- INDEX QUERIES.txt [WARMUP_ROUNDS] [--plain] [--expand]`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use opedex::output::{self, Marks};
use opedex::{Index, Ranking, SearchRequest};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    opedex::eval::nearest_rank(sorted, p / 100.0).unwrap_or(0.0)
}

fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let plain = args.iter().any(|a| a == "--plain");
    let expand = args.iter().any(|a| a == "--expand");
    let args: Vec<&String> = args
        .iter()
        .filter(|a| *a != "--plain" && *a != "--expand")
        .collect();
    let [dir, queries, rest @ ..] = args.as_slice() else {
        return Err(
            "usage: search_latency INDEX QUERIES.txt [WARMUP_ROUNDS] [--plain] [--expand]".into(),
        );
    };
    let warmup: usize = rest.first().map_or(Ok(1), |s| s.parse())?;
    let mut ranking = if plain {
        Ranking::plain()
    } else {
        Ranking::default()
    };
    ranking.expand = expand;
    let index = Index::open(PathBuf::from(dir.as_str()))?;
    let list: Vec<String> = std::fs::read_to_string(queries.as_str())?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let answer = |q: &str| -> Result<usize, Box<dyn std::error::Error>> {
        let req = SearchRequest {
            ranking: ranking.clone(),
            ..SearchRequest::new(q)
        };
        let hits = index.search(&req)?.hits;
        let text: String = hits
            .iter()
            .map(|h| output::hit_text(h, Marks::Plain))
            .collect();
        std::hint::black_box(text);
        Ok(hits.len())
    };
    let mut hits = 0;
    for _ in 0..warmup {
        for q in &list {
            hits += answer(q)?;
        }
    }
    let mut ms = Vec::with_capacity(list.len());
    for q in &list {
        let t = Instant::now();
        hits += answer(q)?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    ms.sort_by(f64::total_cmp);
    println!(
        "{{\"queries\":{},\"hits\":{hits},\"p50_ms\":{:.3},\"p95_ms\":{:.3},\"p99_ms\":{:.3}}}",
        ms.len(),
        percentile(&ms, 50.0),
        percentile(&ms, 95.0),
        percentile(&ms, 99.0)
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("search_latency: {e}");
            ExitCode::from(2)
        }
    }
}
