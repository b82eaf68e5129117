//! What can go wrong with a model, each with what to do about it.

use std::path::PathBuf;

/// Errors loading or running an embedding model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// No model directory was given and none is at the default place.
    #[error(
        "no embedding model found (looked in {}); fetch the default one with \
         `tools/fetch-model.sh`, or give a sentence-transformers model folder with \
         --model DIR or OPEDEX_MODEL",
        .looked_in.display()
    )]
    NotFound {
        /// The default folder that does not exist.
        looked_in: PathBuf,
    },
    /// The model folder lacks a file every model needs.
    #[error(
        "the model folder {} has no {file}; a sentence-transformers model folder holds \
         config.json, tokenizer.json and model.safetensors (`tools/fetch-model.sh` fetches one)",
        .dir.display()
    )]
    MissingFile {
        /// The model folder.
        dir: PathBuf,
        /// The missing file's name.
        file: &'static str,
    },
    /// The model is not of the BERT family.
    #[error(
        "the model in {} is a {model_type:?} model; opedex runs BERT-family sentence-transformers \
         models (model_type \"bert\" in config.json), such as all-MiniLM-L6-v2",
        .dir.display()
    )]
    NotBert {
        /// The model folder.
        dir: PathBuf,
        /// The `model_type` its config gives.
        model_type: String,
    },
    /// A model file cannot be read or understood.
    #[error("the model file {} cannot be used: {reason}", .path.display())]
    BadFile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The model failed while embedding text.
    #[error("the embedding model failed: {0}")]
    Run(String),
    /// This opedex was built without the `semantic` feature.
    #[error(
        "this opedex was built without semantic search (cargo feature `semantic`); \
         rebuild it with default features, or use --mode lexical"
    )]
    Disabled,
}
