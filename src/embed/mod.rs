//! Sentence embeddings: which text of an article is embedded
//! ([`units`]), and the model that turns text into vectors ([`Model`],
//! with the `semantic` feature).
//!
//! The model is a sentence-transformers model directory (`config.json`,
//! `tokenizer.json`, `model.safetensors`) of the BERT family, read with
//! candle and run on the CPU by `direct` (plain arrays, one text per
//! thread): mean pooling (or CLS, as its `1_Pooling/config.json` says),
//! then L2 normalisation, so a dot product is a cosine. Its identity is the
//! hash of those files ([`ModelInfo::hash`]), recorded with the vectors so
//! that another model is refused rather than compared with them.
//!
//! This module sits after `passage` and before `index`: it may use
//! `article`, `passage` and `error`.

#[cfg(feature = "semantic")]
mod direct;
mod error;
#[cfg(feature = "semantic")]
mod model;
pub mod units;

use std::path::PathBuf;

pub use error::ModelError;
#[cfg(feature = "semantic")]
pub use model::Model;
pub use units::{Unit, Units};

/// The name of the default model's folder.
pub const DEFAULT_MODEL: &str = "all-MiniLM-L6-v2";

/// What identifies a model and how its output is shaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// The model folder's name (`all-MiniLM-L6-v2`), for messages.
    pub name: String,
    /// xxh3-128 of its config, tokenizer, pooling config and weights, in hex.
    pub hash: String,
    /// Vector length.
    pub dims: usize,
    /// Most word pieces it reads of one text (its window); the rest is cut.
    pub max_tokens: usize,
}

/// Where `tools/fetch-model.sh` puts the default model:
/// `$XDG_CACHE_HOME/opedex/models/all-MiniLM-L6-v2`, or under
/// `~/.cache` when `XDG_CACHE_HOME` is not set.
pub fn default_model_dir() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("opedex").join("models").join(DEFAULT_MODEL))
}

/// Anything that embeds texts as [`Model`] does: the writer and search take
/// this, so they work the same with a real model and with a test's stand-in.
pub trait Embedder: Sync {
    /// What identifies the model.
    fn info(&self) -> &ModelInfo;
    /// One unit-length vector of `info().dims` numbers per text, in order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError>;
}

#[cfg(feature = "semantic")]
impl Embedder for Model {
    fn info(&self) -> &ModelInfo {
        &self.info
    }
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        Model::embed(self, texts)
    }
}
