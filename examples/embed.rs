//! Embedding opedex: build an index from a folder of op-eds and print the
//! best passages for a query.
//!
//! Run: `cargo run --example embed -- corpus "peace treaty islands"`.

use std::path::PathBuf;

use opedex::{Index, IngestOptions, SearchRequest};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let folder = PathBuf::from(args.next().unwrap_or_else(|| "corpus".into()));
    let query = args.next().unwrap_or_else(|| "peace treaty islands".into());

    let dir = std::env::temp_dir().join(format!("opedex-embed-{}", std::process::id()));
    let mut index = Index::create(&dir)?;
    let report = index.ingest(&[folder], &IngestOptions::default(), &mut ())?;
    println!("{report}");

    let results = index.search(&SearchRequest::new(query))?;
    for hit in &results.hits {
        let a = &hit.article;
        println!("{}. {} — {}", hit.rank, a.title, a.authors.join(", "));
        println!("   {}", hit.text.chars().take(160).collect::<String>());
    }
    drop(index);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
