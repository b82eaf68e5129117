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
//! `--facets` times each query twice in turn, as `search` and as `search
//! --facets` (facet counts rendered too), and prints one line per mode,
//! `{"mode":"search",…}` then `{"mode":"facets",…}`: the two side by side
//! in one run, under the same load. `--hybrid` does the same with a
//! lexical and a hybrid search (`{"mode":"lexical",…}`, then
//! `{"mode":"hybrid",…}`; the index needs vectors, and the query's
//! embedding is timed as part of the hybrid search).
//!
//! Run: `cargo run --release --example search_latency -- INDEX QUERIES.txt [WARMUP_ROUNDS] [--plain] [--expand] [--facets | --hybrid]`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use opedex::output::{self, Marks};
use opedex::{Index, Mode, Ranking, SearchRequest};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    opedex::eval::nearest_rank(sorted, p / 100.0).unwrap_or(0.0)
}

fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let flag = |name: &str| args.iter().any(|a| a == name);
    let (plain, expand, facets, hybrid) = (
        flag("--plain"),
        flag("--expand"),
        flag("--facets"),
        flag("--hybrid"),
    );
    let args: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [dir, queries, rest @ ..] = args.as_slice() else {
        return Err("usage: search_latency INDEX QUERIES.txt [WARMUP_ROUNDS] \
                    [--plain] [--expand] [--facets | --hybrid]"
            .into());
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
    let answer = |q: &str, facets: bool, mode: Mode| -> Result<usize, Box<dyn std::error::Error>> {
        let req = SearchRequest {
            ranking: Ranking {
                mode,
                ..ranking.clone()
            },
            facets,
            ..SearchRequest::new(q)
        };
        let results = index.search(&req)?;
        let mut text: String = results
            .hits
            .iter()
            .map(|h| output::hit_text(h, Marks::Plain))
            .collect();
        text += &output::summary_text(&results, 0);
        if let Some(f) = &results.facets {
            text += &output::facets_text(f, 10);
        }
        std::hint::black_box(text);
        Ok(results.hits.len())
    };
    // (name, facets, mode), each query timed in each in turn.
    let own = ranking.mode;
    let modes: &[(&str, bool, Mode)] = if facets {
        &[("search", false, own), ("facets", true, own)]
    } else if hybrid {
        &[
            ("lexical", false, Mode::Lexical),
            ("hybrid", false, Mode::Hybrid),
        ]
    } else {
        &[("search", false, own)]
    };
    let mut hits = 0;
    for _ in 0..warmup {
        for q in &list {
            for &(_, f, m) in modes {
                hits += answer(q, f, m)?;
            }
        }
    }
    let mut ms: Vec<Vec<f64>> = vec![Vec::with_capacity(list.len()); modes.len()];
    for q in &list {
        for (i, &(_, f, m)) in modes.iter().enumerate() {
            let t = Instant::now();
            hits += answer(q, f, m)?;
            ms[i].push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    for ((name, _, _), mut ms) in modes.iter().zip(ms) {
        ms.sort_by(f64::total_cmp);
        let mode = if modes.len() > 1 {
            format!("\"mode\":\"{name}\",")
        } else {
            String::new()
        };
        println!(
            "{{{mode}\"queries\":{},\"hits\":{hits},\"p50_ms\":{:.3},\"p95_ms\":{:.3},\"p99_ms\":{:.3}}}",
            ms.len(),
            percentile(&ms, 50.0),
            percentile(&ms, 95.0),
            percentile(&ms, 99.0)
        );
    }
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
