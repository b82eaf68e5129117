//! What the criterion benchmarks share: the input articles.
//!
//! The input is, in order of preference: the path in `OPEDEX_BENCH_INPUT`
//! (any file or folder `opedex ingest` reads, such as a `bench/gen_corpus.py`
//! JSONL), the AllSides op-eds in `../shared/corpus/allsides-opinion` when
//! that folder exists, or the bundled sample corpus `corpus/`. The articles
//! are read once through `opedex normalize` (the real binary), so each stage
//! sees exactly what it sees during an ingest.

use std::path::PathBuf;
use std::process::Command;

use opedex::Article;

/// The benchmark input: a path `opedex` reads, and where it came from.
pub struct Input {
    pub path: PathBuf,
    pub origin: &'static str,
}

/// The input, chosen as the module doc says.
pub fn input() -> Input {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if let Some(path) = std::env::var_os("OPEDEX_BENCH_INPUT") {
        return Input {
            path: PathBuf::from(path),
            origin: "OPEDEX_BENCH_INPUT",
        };
    }
    let shared = root.join("../shared/corpus/allsides-opinion");
    if shared.is_dir() {
        return Input {
            path: shared,
            origin: "../shared/corpus/allsides-opinion",
        };
    }
    eprintln!(
        "benches: ../shared/corpus is absent, so the input is the bundled sample corpus (19 articles)"
    );
    Input {
        path: root.join("corpus"),
        origin: "the sample corpus",
    }
}

/// The input's articles, normalised by `opedex normalize`, at most `limit`.
pub fn articles(input: &Input, limit: usize) -> Vec<Article> {
    let out = Command::new(env!("CARGO_BIN_EXE_opedex"))
        .arg("normalize")
        .arg(&input.path)
        .output()
        .expect("run opedex normalize");
    assert!(
        out.status.success(),
        "opedex normalize {} failed: {}",
        input.path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let articles: Vec<Article> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .take(limit)
        .map(|line| serde_json::from_str(line).expect("normalize prints Articles"))
        .collect();
    eprintln!(
        "benches: {} articles from {} ({})",
        articles.len(),
        input.origin,
        input.path.display()
    );
    articles
}
