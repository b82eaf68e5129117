//! The flags of semantic search that several commands share: which model
//! (`--model`, `OPEDEX_MODEL`) and which ranking mode (`--mode`).

use std::path::PathBuf;

use opedex::Mode;

/// `--model DIR`.
#[derive(Debug, clap::Args)]
pub struct ModelArg {
    /// Sentence-transformers model folder (BERT family) for semantic and
    /// hybrid search [default: all-MiniLM-L6-v2 where tools/fetch-model.sh
    /// puts it].
    #[arg(long, value_name = "DIR", env = "OPEDEX_MODEL")]
    pub model: Option<PathBuf>,
}

/// `--mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModeArg {
    /// By the query's words (BM25 and the ranking features).
    Lexical,
    /// By the query's meaning only (nearest article vectors).
    Semantic,
    /// Both, fused: the default when the index has vectors.
    Hybrid,
}

/// The library's mode for an optional `--mode`.
pub fn mode(arg: Option<ModeArg>) -> Mode {
    match arg {
        None => Mode::Auto,
        Some(ModeArg::Lexical) => Mode::Lexical,
        Some(ModeArg::Semantic) => Mode::Semantic,
        Some(ModeArg::Hybrid) => Mode::Hybrid,
    }
}

/// The note printed when an index with vectors was searched lexically
/// because no model was found.
pub fn lexical_only_note(index: &opedex::Index, ran: Mode, asked: Mode) {
    if asked == Mode::Auto && ran == Mode::Lexical && index.has_vectors() {
        eprintln!(
            "opedex: note: the index has vectors, but their model was not found, so this search \
             was lexical only; give the model with --model DIR or OPEDEX_MODEL (or fetch it \
             with tools/fetch-model.sh), or pass --mode lexical to silence this"
        );
    }
}
