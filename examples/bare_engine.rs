//! The bare-engine reference of the benchmark suite (`bench/`): the least a
//! Tantivy program must do to index and search the same passages as opedex.
//! Its figures are the ceiling that opedex's are divided by.
//!
//! - `passages IN.jsonl OUT.jsonl` — reads canonical Article JSON Lines with
//!   opedex's own reader (normalisation included) and writes one line per
//!   passage, split with [`opedex::stages::passage::split`], so the bare engine and the
//!   SQLite FTS5 peer index exactly the text opedex indexes. Not timed.
//! - `index PASSAGES.jsonl DIR [MEMORY_MIB]` — title and body as TEXT with
//!   English stemming and positions (body stored for snippets), author and
//!   outlet as raw strings; one writer with Tantivy's default thread count,
//!   one commit. Prints `{"passages":…,"seconds":…}`.
//! - `query DIR QUERIES.txt [WARMUP_ROUNDS]` — in-process latency: top-10 BM25
//!   over title and body with a snippet per hit, for every line of the query
//!   file, after warm-up rounds over the same list. Prints p50/p95/p99 in ms.
//! - `search DIR QUERY` — one whole-process query: open, search, print.
//!
//! Run: `cargo run --release --example bare_engine -- index /tmp/p.jsonl /tmp/bare`.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use opedex::{Normalized, ReadOptions};
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

type Res<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// One passage with its article's display fields, as both engines read it.
#[derive(Serialize, Deserialize)]
struct PassageLine {
    title: String,
    body: String,
    authors: Vec<String>,
    outlet: String,
}

struct Fields {
    title: Field,
    body: Field,
    author: Field,
    outlet: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let title = b.add_text_field("title", text(true));
    let body = b.add_text_field("body", text(true));
    let author = b.add_text_field("author", STRING | STORED);
    let outlet = b.add_text_field("outlet", STRING | STORED);
    (
        b.build(),
        Fields {
            title,
            body,
            author,
            outlet,
        },
    )
}

fn fields_of(index: &Index) -> Res<Fields> {
    let s = index.schema();
    Ok(Fields {
        title: s.get_field("title")?,
        body: s.get_field("body")?,
        author: s.get_field("author")?,
        outlet: s.get_field("outlet")?,
    })
}

fn passages(input: &Path, output: &Path) -> Res<()> {
    let mut out = BufWriter::new(std::fs::File::create(output)?);
    let mut count = 0usize;
    for item in opedex::normalize(&[input.to_path_buf()], &ReadOptions::default()) {
        let a = match item {
            Normalized::Article(a) => a,
            // A skipped record is skipped by opedex too; a skipped file is an error.
            Normalized::Skipped(s) if s.record.is_none() => return Err(s.to_string().into()),
            Normalized::Skipped(_) | Normalized::Warning(_) => continue,
            Normalized::Stopped(e) => return Err(e.into()),
        };
        for p in opedex::stages::passage::split(&a.body) {
            let line = PassageLine {
                title: a.title.clone(),
                body: p.text(&a.body).to_string(),
                authors: a.authors.clone(),
                outlet: a.outlet.clone().unwrap_or_default(),
            };
            count += 1;
            writeln!(out, "{}", serde_json::to_string(&line)?)?;
        }
    }
    out.flush()?;
    eprintln!("bare_engine: {count} passages -> {}", output.display());
    Ok(())
}

fn index(input: &Path, dir: &Path, memory_mib: usize) -> Res<()> {
    let started = Instant::now();
    std::fs::create_dir_all(dir)?;
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema)?;
    let mut writer = index.writer::<TantivyDocument>(memory_mib << 20)?;
    let mut n = 0usize;
    for line in BufReader::new(std::fs::File::open(input)?).lines() {
        let p: PassageLine = serde_json::from_str(&line?)?;
        let mut d = doc!(f.title => p.title, f.body => p.body, f.outlet => p.outlet);
        for a in p.authors {
            d.add_text(f.author, a);
        }
        writer.add_document(d)?;
        n += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    println!(
        "{{\"passages\":{n},\"seconds\":{:.3}}}",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn open(dir: &Path) -> Res<(Index, IndexReader, Fields)> {
    let index = Index::open_in_dir(dir)?;
    let f = fields_of(&index)?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok((index, reader, f))
}

/// Top-10 hits, each rendered as title, outlet and a highlighted snippet.
fn answer(index: &Index, searcher: &Searcher, f: &Fields, q: &str) -> Res<Vec<String>> {
    let parser = QueryParser::for_index(index, vec![f.title, f.body]);
    let (query, _) = parser.parse_query_lenient(q);
    let top = searcher.search(&query, &TopDocs::with_limit(10).order_by_score())?;
    let snippets = SnippetGenerator::create(searcher, &query, f.body)?;
    let mut out = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let d: TantivyDocument = searcher.doc(addr)?;
        let s = snippets.snippet_from_doc(&d);
        let get = |field| d.get_first(field).and_then(|v| v.as_str()).unwrap_or("");
        out.push(format!(
            "{score:.2} {} — {}\n  {}",
            get(f.title),
            get(f.outlet),
            s.to_html()
        ));
    }
    Ok(out)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    opedex::eval::nearest_rank(sorted, p / 100.0).unwrap_or(0.0)
}

fn query(dir: &Path, queries: &Path, warmup: usize) -> Res<()> {
    let (index, reader, f) = open(dir)?;
    let searcher = reader.searcher();
    let list: Vec<String> = std::fs::read_to_string(queries)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let mut hits = 0usize;
    for _ in 0..warmup {
        for q in &list {
            hits += answer(&index, &searcher, &f, q)?.len();
        }
    }
    let mut ms = Vec::with_capacity(list.len());
    for q in &list {
        let t = Instant::now();
        let out = answer(&index, &searcher, &f, q)?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        hits += out.len();
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

fn search(dir: &Path, q: &str) -> Res<()> {
    let (index, reader, f) = open(dir)?;
    let out = answer(&index, &reader.searcher(), &f, q)?;
    let mut stdout = std::io::stdout().lock();
    for line in out {
        writeln!(stdout, "{line}")?;
    }
    Ok(())
}

fn run(args: &[String]) -> Res<()> {
    let arg = |i: usize| -> Res<&String> {
        args.get(i)
            .ok_or_else(|| "usage: bare_engine passages|index|query|search ARGS…".into())
    };
    match arg(0)?.as_str() {
        "passages" => passages(&PathBuf::from(arg(1)?), &PathBuf::from(arg(2)?)),
        "index" => {
            let mib = args.get(3).map_or(Ok(256), |s| s.parse())?;
            index(&PathBuf::from(arg(1)?), &PathBuf::from(arg(2)?), mib)
        }
        "query" => {
            let warmup = args.get(3).map_or(Ok(1), |s| s.parse())?;
            query(&PathBuf::from(arg(1)?), &PathBuf::from(arg(2)?), warmup)
        }
        "search" => search(&PathBuf::from(arg(1)?), arg(2)?),
        other => Err(format!("unknown mode {other:?}").into()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bare_engine: {e}");
            ExitCode::from(2)
        }
    }
}
