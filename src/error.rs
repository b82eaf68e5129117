//! The library's one error type.
//!
//! Every fallible function in the library returns [`Result`]; the binary adds
//! context (which file, which command) with `anyhow` at its edge.

use std::path::PathBuf;

/// Errors the opedex library can return.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An I/O error, with the path it concerns.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory being read or written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The search engine reported an error.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The directory holds no index at all.
    #[error(
        "{path} is not an opedex index ({reason}); build one with `opedex ingest --index DIR` \
         in a new or empty directory"
    )]
    NotAnIndex {
        /// The directory that was opened.
        path: PathBuf,
        /// What was missing or wrong.
        reason: String,
    },
    /// An index was to be created where one already is.
    #[error("{path} already holds an index; open it instead of creating one")]
    AlreadyAnIndex {
        /// The index directory.
        path: PathBuf,
    },
    /// The index was built by another schema version of opedex.
    #[error(
        "{path} was built with index schema version {found}, this opedex uses version {expected}; \
         re-ingest your articles: `opedex ingest --rebuild --index {path} PATH…` \
         (or into a new directory with `--index NEW_DIR`)"
    )]
    SchemaVersion {
        /// The index directory.
        path: PathBuf,
        /// Version recorded in the index.
        found: u32,
        /// Version this build writes and reads.
        expected: u32,
    },
    /// The directory holds an index whose files are missing, cut short or unreadable.
    #[error(
        "{path}: the index is damaged ({reason}); re-ingest your articles to rebuild it: \
         `opedex ingest --rebuild --index {path} PATH…`"
    )]
    Damaged {
        /// The index directory.
        path: PathBuf,
        /// What is wrong, as the engine reported it.
        reason: String,
    },
    /// The index directory cannot be written (read-only file system, no
    /// permission, disk full); the last commit is still intact.
    #[error("cannot write to the index at {}: {}", .path.display(), unwritable_advice(.source))]
    NotWritable {
        /// The index directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The commit at the end of an ingest failed; nothing of the run is
    /// visible and the index keeps its previous commit.
    #[error("commit failed; the index keeps its previous state")]
    Commit {
        /// Why it failed.
        #[source]
        source: Box<Error>,
    },
    /// The user asked to stop (Ctrl-C or SIGTERM).
    #[error("interrupted")]
    Interrupted,
    /// Another process holds the index writer lock.
    #[error(
        "the index at {path} is being written by another process; wait for it to finish and try again"
    )]
    IndexBusy {
        /// The index directory.
        path: PathBuf,
    },
    /// A search query could not be understood.
    #[error("invalid query: {0}")]
    Query(String),
    /// A filter, option or data file given by the user is invalid.
    #[error("{0}")]
    Invalid(String),
    /// A topic filter names no topic of the vocabulary or the index.
    #[error(
        "unknown topic {topic:?}; the closest known topics are: {closest} \
         (`opedex topics` lists them all)",
        closest = closest.join(", ")
    )]
    UnknownTopic {
        /// The topic as given.
        topic: String,
        /// The known topics closest to it, best first.
        closest: Vec<String>,
    },
    /// No article with this id exists in the index.
    #[error("no article with id {0:?} in the index")]
    NoSuchArticle(String),
    /// An embedding model cannot be found, loaded or run.
    #[error(transparent)]
    Model(#[from] crate::embed::ModelError),
    /// The index's vectors cannot be used as asked.
    #[error(transparent)]
    Vectors(#[from] crate::index::vectors::VectorError),
    /// The index has vectors, so writing to it needs their model.
    #[error(
        "the index at {} keeps vectors made with the model {model}; writing to it embeds the \
         new articles, so it needs that model: give its folder with --model DIR or OPEDEX_MODEL \
         (`tools/fetch-model.sh` fetches all-MiniLM-L6-v2)",
        .path.display()
    )]
    ModelNeeded {
        /// The index directory.
        path: PathBuf,
        /// The model the vectors were made with.
        model: String,
    },
    /// JSON (de)serialisation failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Shorthand for results of this library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a write failure means for the index and what the user can do.
fn unwritable_advice(source: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match source.kind() {
        K::ReadOnlyFilesystem => "the storage is read-only. Searching, showing and counting \
            work on it as it is; to ingest or optimize, copy the index to writable storage \
            or choose a writable directory with --index"
            .into(),
        K::PermissionDenied => "no permission to write there. Reading commands work as they \
            are; to ingest or optimize, run as a user who may write the directory, or choose \
            a writable directory with --index"
            .into(),
        K::StorageFull | K::QuotaExceeded => format!(
            "{source}; the index keeps its last commit (free some space, or choose another \
             directory with --index)"
        ),
        _ => format!(
            "{source}; the index keeps its last commit (choose a writable directory with --index)"
        ),
    }
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
