//! The index as of its last commit, for a server that runs while other
//! processes ingest: each request looks at `meta.json` (at most every
//! [`CHECK_EVERY`]) and, when a writer has committed since, opens the index
//! again. Requests in flight keep the index they started with. The server
//! only reads: it never takes the writer lock.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use super::ApiError;
use crate::Index;

/// How often `meta.json` is looked at.
pub const CHECK_EVERY: Duration = Duration::from_millis(250);

/// What identifies a commit on disk: `meta.json`'s modification time and
/// length (a commit replaces the file).
type Stamp = (SystemTime, u64);

/// An index that follows its commits.
pub struct LiveIndex {
    path: PathBuf,
    /// The model folder for semantic and hybrid search (`None`: the default).
    model: Option<PathBuf>,
    current: Mutex<Current>,
}

#[derive(Default)]
struct Current {
    index: Option<Arc<Index>>,
    stamp: Option<Stamp>,
    checked: Option<Instant>,
}

impl LiveIndex {
    /// Follows the index at `path`, searching by meaning with the model in
    /// `model` (`None`: the default model's folder); nothing is opened until
    /// the first request.
    pub fn new(path: PathBuf, model: Option<PathBuf>) -> LiveIndex {
        LiveIndex {
            path,
            model,
            current: Mutex::new(Current::default()),
        }
    }

    /// Where the index lives.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// The index as of its last commit, opened again if a writer committed
    /// since it was last opened; a 503 when it cannot be opened. Blocking:
    /// call it from a blocking thread.
    pub fn get(&self) -> Result<Arc<Index>, ApiError> {
        let mut current = self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let due = current.checked.is_none_or(|at| at.elapsed() >= CHECK_EVERY);
        if let (Some(index), false) = (&current.index, due) {
            return Ok(Arc::clone(index));
        }
        current.checked = Some(Instant::now());
        let stamp = std::fs::metadata(self.path.join("meta.json"))
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        if let (Some(index), true) = (&current.index, stamp == current.stamp) {
            return Ok(Arc::clone(index));
        }
        match Index::open(&self.path) {
            Ok(mut index) => {
                index.set_model(self.model.clone());
                if let Some(before) = &current.index {
                    index.adopt_model(before);
                }
                let index = Arc::new(index);
                current.index = Some(Arc::clone(&index));
                current.stamp = stamp;
                Ok(index)
            }
            // A commit that could not be opened (say, one being replaced
            // right now): keep answering from the last good one.
            Err(_) if current.index.is_some() => {
                current.checked = None;
                Ok(Arc::clone(current.index.as_ref().expect("checked above")))
            }
            Err(e) => Err(ApiError::unavailable(e.to_string())),
        }
    }
}
