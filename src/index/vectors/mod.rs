//! The index's vectors: one file beside the Tantivy index, written with each
//! commit and named after it, so that index and vectors always agree.
//!
//! Tantivy writes a commit by replacing `meta.json` atomically; its payload
//! ([`crate::index::IndexInfo`]) names the vector file of that commit
//! ([`VectorsInfo::file`], `vectors-OPSTAMP.odv`). The writer embeds what
//! the commit adds, writes the whole file under a temporary name, syncs it,
//! renames it, and only then commits. A crash before the commit leaves the
//! previous `meta.json`, which names the previous file (kept until the
//! commit after next); a crash after it leaves a complete new file. Files no
//! commit names are deleted by the next writer.
//!
//! Vectors are keyed by article id, not by Tantivy document, so merges and
//! `optimize` (which keep the payload) leave them valid; deleting or
//! replacing an article deletes its vectors in the same commit. Each article
//! also records the content hash of the version its vectors belong to, and
//! search checks it against the index, so even a reader that raced a writer
//! never pairs an article with another version's vectors.
//!
//! The file is memory-mapped; its layout is in [`file`]. Vectors are stored
//! as int8 with one scale per vector, and as sign bits for a quick first
//! pass (ARCHITECTURE.md, "Semantic and hybrid search").

pub mod file;
pub mod fill;
pub mod session;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use file::{quantise, Quantised, VectorFile};
pub use session::VectorSession;

/// The layout version of vector files.
pub const FORMAT: u32 = 1;

/// What a commit records about its vectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VectorsInfo {
    /// The vector file of this commit, in the index directory.
    pub file: String,
    /// The hash of the model that made them ([`crate::embed::ModelInfo::hash`]).
    pub model: String,
    /// The model's folder name, for messages.
    pub model_name: String,
    /// Vector length.
    pub dims: usize,
    /// What was embedded ([`crate::embed::Units`]).
    pub units: String,
    /// The model's window in word pieces when the vectors were made
    /// (`sentence_bert_config.json`, which the model's hash leaves out).
    /// `None` in indexes written before it was recorded; it stays unknown
    /// until `opedex embed --rebuild`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<usize>,
    /// Articles with vectors.
    pub articles: usize,
    /// Vectors.
    pub vectors: usize,
}

/// What is wrong with an index's vectors, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    /// The vectors were made by another model than the one given.
    #[error(
        "the vectors of {} were made with the model {index_model} ({index_hash}); the model given \
         ({model}, {model_hash}) is another one. Give the index's model with --model DIR, or \
         re-embed every article with this one: `opedex embed --rebuild --index {} --model DIR`",
        .path.display(), .path.display()
    )]
    OtherModel {
        /// The index directory.
        path: PathBuf,
        /// The model name the vectors record.
        index_model: String,
        /// Its hash.
        index_hash: String,
        /// The model given.
        model: String,
        /// Its hash.
        model_hash: String,
    },
    /// The vectors were made by the same model with another window.
    #[error(
        "the vectors of {} were made with the model {model} reading {index_window} word pieces \
         of each text; its folder now says {window} (sentence_bert_config.json). Restore \
         max_seq_length {index_window}, or re-embed every article with this window: \
         `opedex embed --rebuild --index {} --model DIR`",
        .path.display(), .path.display()
    )]
    OtherWindow {
        /// The index directory.
        path: PathBuf,
        /// The model name.
        model: String,
        /// The window the vectors record.
        index_window: usize,
        /// The window of the model given.
        window: usize,
    },
    /// The vector file is missing, damaged, or of another format or schema.
    #[error(
        "{}: the vector file cannot be used ({reason}); make the vectors again: \
         `opedex embed --rebuild --index {}`",
        .file.display(), .index.display()
    )]
    Unusable {
        /// The index directory.
        index: PathBuf,
        /// The vector file.
        file: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Semantic search was asked of an index without vectors.
    #[error(
        "the index at {} has no vectors, so it can only be searched lexically; add them with \
         `opedex embed --index {}` (or ingest with --semantic), or search with --mode lexical",
        .path.display(), .path.display()
    )]
    NoVectors {
        /// The index directory.
        path: PathBuf,
    },
}

/// The file name of the vectors of the commit with this opstamp.
pub fn file_name(opstamp: u64) -> String {
    format!("vectors-{opstamp:020}.odv")
}

/// True for names of files this module writes (finished or not).
fn is_vector_file(name: &str) -> bool {
    name.starts_with("vectors-") && (name.ends_with(".odv") || name.ends_with(".odv.tmp"))
}

/// Deletes vector files in `dir` other than `keep`: those of older commits,
/// and those a killed writer left unfinished or uncommitted. Only a writer,
/// holding the index's writer lock, calls it.
pub fn collect_garbage(dir: &Path, keep: &[&str]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if is_vector_file(&name) && !keep.contains(&name.as_ref()) {
            // A file still mapped by a reader stays readable until unmapped.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
