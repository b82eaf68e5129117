//! Embedding throughput and query latency of a sentence-transformers model
//! on this machine's CPU (BENCHMARKS.md, "Semantic search").
//!
//! ```sh
//! cargo run --release --example embed_speed -- MODEL_DIR ARTICLES.jsonl [TEXTS] [QUERIES.jsonl]
//! RAYON_NUM_THREADS=1 cargo run --release --example embed_speed -- ...   # one core
//! ```
//!
//! Texts are the articles' openings (title and body) cut to about 48, 96
//! and 192 words (≈ 64, 128 and 256 word pieces); each length is embedded
//! as an ingest does (one text per thread, side by side), and texts per
//! second are printed (TEXTS 0 skips this). With a query file (JSON Lines with a `query` field), each query is embedded on
//! its own, and the median and 99th-percentile times are printed.

use std::io::BufRead;
use std::time::Instant;

use opedex::stages::embed::Model;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model_dir, articles, rest @ ..] = args.as_slice() else {
        eprintln!("usage: embed_speed MODEL_DIR ARTICLES.jsonl [TEXTS] [QUERIES.jsonl]");
        std::process::exit(2);
    };
    let n: usize = rest.first().map_or(Ok(64), |s| s.parse())?;
    let started = Instant::now();
    let model = Model::load(std::path::Path::new(model_dir))?;
    println!(
        "model {} ({} dims, window {}) loaded in {:.0} ms; {} threads",
        model.info.name,
        model.info.dims,
        model.info.max_tokens,
        started.elapsed().as_secs_f64() * 1e3,
        rayon::current_num_threads()
    );
    let mut openings = Vec::new();
    // TEXTS 0: query latency only.
    let lines = std::io::BufReader::new(std::fs::File::open(articles)?).lines();
    for line in lines.take(n) {
        let a: opedex::Article = serde_json::from_str(&line?)?;
        openings.push(format!("{}\n\n{}", a.title, a.body));
    }
    for words in [48, 96, 192].into_iter().filter(|_| n > 0) {
        let texts: Vec<String> = openings
            .iter()
            .map(|t| {
                t.split_whitespace()
                    .take(words)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let t = Instant::now();
        model.embed(&refs)?;
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{words:>4} words: {:>7.1} texts/s",
            refs.len() as f64 / secs
        );
    }
    if let Some(queries) = rest.get(1) {
        let mut times = Vec::new();
        for line in std::io::BufReader::new(std::fs::File::open(queries)?).lines() {
            let v: serde_json::Value = serde_json::from_str(&line?)?;
            let q = v["query"].as_str().unwrap_or_default().to_string();
            let t = Instant::now();
            model.embed(&[q.as_str()])?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        let at =
            |p: f64| times[((p * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
        println!(
            "query embedding, {} queries: p50 {:.2} ms, p99 {:.2} ms",
            times.len(),
            at(0.5),
            at(0.99)
        );
    }
    Ok(())
}
