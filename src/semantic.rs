//! The semantic side of the API: which model embeds queries and new
//! articles, the index's vector file, and which mode a search or `similar`
//! runs in. [`crate::Index`] holds one [`Semantic`] and asks it.
//!
//! It sits above `search`, `eval` and the index, below `pipeline` and `api`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tantivy::Searcher;

use crate::embed::{Embedder, ModelError, Units};
use crate::error::{Error, Result};
use crate::index::schema::SCHEMA_VERSION;
use crate::index::vectors::session::{check_model, Embedding};
use crate::index::vectors::{VectorError, VectorFile};
use crate::index::OpedexIndex;
use crate::search::dense;
use crate::search::hybrid::{self, Fusion, Mode};
use crate::search::similar::{self, SimilarRequest};
use crate::search::{self, Hit, SearchRequest, SearchResults};

#[cfg(feature = "semantic")]
type LoadedModel = crate::embed::Model;

/// The model an [`crate::Index`] embeds with and the vectors it searches.
#[derive(Default)]
pub(crate) struct Semantic {
    model_dir: Option<PathBuf>,
    #[cfg(feature = "semantic")]
    model: Mutex<Option<Arc<LoadedModel>>>,
    vectors: Mutex<Option<Arc<VectorFile>>>,
    fusion: Fusion,
}

/// A model ready to embed with, shared.
pub(crate) type ModelHandle = Arc<dyn Embedder + Send + Sync>;

impl Semantic {
    /// Uses the model in `dir` (`None`: the default folder).
    pub fn set_model_dir(&mut self, dir: Option<PathBuf>) {
        self.model_dir = dir;
        #[cfg(feature = "semantic")]
        {
            *self.model.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }

    /// Takes the model `other` has loaded, when both read the same folder
    /// and this one has none yet: an index opened again after a commit
    /// need not load the model again.
    pub fn adopt_model(&self, other: &Semantic) {
        #[cfg(feature = "semantic")]
        if self.model_dir == other.model_dir {
            let theirs = other
                .model
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            let mut ours = self.model.lock().unwrap_or_else(|e| e.into_inner());
            if ours.is_none() {
                *ours = theirs;
            }
        }
        #[cfg(not(feature = "semantic"))]
        let _ = other;
    }

    /// Whether the two hold the same loaded model.
    #[cfg(all(test, feature = "semantic"))]
    pub fn shares_model_with(&self, other: &Semantic) -> bool {
        let a = self.model.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let b = other
            .model
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        matches!((a, b), (Some(a), Some(b)) if Arc::ptr_eq(&a, &b))
    }

    /// Fuses hybrid rankings with `fusion`.
    pub fn set_fusion(&mut self, fusion: Fusion) {
        self.fusion = fusion;
    }

    /// The model, loaded on first use.
    #[cfg(feature = "semantic")]
    pub fn model(&self) -> Result<ModelHandle> {
        let mut slot = self.model.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = slot.as_ref() {
            return Ok(m.clone());
        }
        let dir = LoadedModel::locate(self.model_dir.as_deref())?;
        let model = Arc::new(LoadedModel::load(&dir)?);
        *slot = Some(model.clone());
        Ok(model)
    }

    /// Without the `semantic` feature there is no model.
    #[cfg(not(feature = "semantic"))]
    pub fn model(&self) -> Result<ModelHandle> {
        Err(ModelError::Disabled.into())
    }

    /// The vector file of the index's last commit, if it has vectors.
    pub fn vectors(&self, index: &OpedexIndex) -> Result<Option<Arc<VectorFile>>> {
        let Some(info) = &index.info.vectors else {
            return Ok(None);
        };
        let mut slot = self.vectors.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = slot.as_ref() {
            if v.path.file_name().is_some_and(|n| *n == *info.file) {
                return Ok(Some(v.clone()));
            }
        }
        let file = Arc::new(VectorFile::open(&index.path, &info.file, SCHEMA_VERSION)?);
        *slot = Some(file.clone());
        Ok(Some(file))
    }

    /// The mode a search asking for `mode` runs in: `Auto` is hybrid when
    /// the index has vectors and their model is found, else lexical.
    pub fn resolve(&self, index: &OpedexIndex, mode: Mode) -> Result<Mode> {
        let has_vectors = index.info.vectors.is_some();
        match mode {
            Mode::Lexical => Ok(Mode::Lexical),
            Mode::Auto if !has_vectors => Ok(Mode::Lexical),
            // Another model (or window) than the vectors' is not an error
            // when no mode was asked for: the search is lexical, and the
            // note says why.
            Mode::Auto => match self.model() {
                Ok(m)
                    if index
                        .info
                        .vectors
                        .as_ref()
                        .is_some_and(|v| check_model(&index.path, v, m.as_ref()).is_ok()) =>
                {
                    Ok(Mode::Hybrid)
                }
                Ok(_) => Ok(Mode::Lexical),
                Err(Error::Model(ModelError::NotFound { .. } | ModelError::Disabled)) => {
                    Ok(Mode::Lexical)
                }
                Err(e) => Err(e),
            },
            Mode::Semantic | Mode::Hybrid if !has_vectors => Err(VectorError::NoVectors {
                path: index.path.clone(),
            }
            .into()),
            m => Ok(m),
        }
    }

    /// The model and vectors for a semantic or hybrid search, checked to
    /// belong together.
    fn ready(&self, index: &OpedexIndex) -> Result<(ModelHandle, Arc<VectorFile>)> {
        let no_vectors = || VectorError::NoVectors {
            path: index.path.clone(),
        };
        let info = index.info.vectors.as_ref().ok_or_else(no_vectors)?;
        let model = self.model()?;
        check_model(&index.path, info, model.as_ref())?;
        let vectors = self.vectors(index)?.ok_or_else(no_vectors)?;
        Ok((model, vectors))
    }

    /// Runs `req` in the mode it asks for; the results say which mode ran.
    pub fn search(
        &self,
        index: &OpedexIndex,
        searcher: &Searcher,
        req: &SearchRequest,
    ) -> Result<SearchResults> {
        let mode = self.resolve(index, req.ranking.mode)?;
        if mode == Mode::Lexical {
            return search::search(index, searcher, req);
        }
        let (model, vectors) = self.ready(index)?;
        let embed = |text: &str| Ok(model.embed(&[text])?.pop().unwrap_or_default());
        hybrid::search(index, searcher, req, &embed, &vectors, mode, &self.fusion)
    }

    /// More-like-this in `req.mode`: by terms, by the article's vectors, or
    /// both fused.
    pub fn similar(
        &self,
        index: &OpedexIndex,
        searcher: &Searcher,
        req: &SimilarRequest,
    ) -> Result<Vec<Hit>> {
        // The article's own vectors are the query, so no model is needed.
        let mode = match req.mode {
            Mode::Auto if index.info.vectors.is_some() => Mode::Hybrid,
            m => self.resolve(index, m)?,
        };
        if mode == Mode::Lexical {
            return similar::similar(index, searcher, req);
        }
        let no_vectors = || VectorError::NoVectors {
            path: index.path.clone(),
        };
        let vectors = self.vectors(index)?.ok_or_else(no_vectors)?;
        let Some(query) = article_vector(&vectors, &req.id) else {
            return Err(Error::Invalid(format!(
                "article {} has no vectors yet; add them with `opedex embed --index {}`",
                req.id,
                index.path.display()
            )));
        };
        let limit = req.limit.clamp(1, search::MAX_RESULTS);
        let mut found = dense::nearest(
            index,
            searcher,
            &vectors,
            &query,
            &req.filters,
            &[],
            limit + 1,
        )?;
        found.retain(|d| d.id != req.id);
        found.truncate(limit);
        let lexical = match mode {
            Mode::Hybrid => similar::similar(index, searcher, req)?,
            _ => Vec::new(),
        };
        let fusion = Fusion {
            pin_ratio: f32::INFINITY,
            ..self.fusion
        };
        match mode {
            Mode::Semantic => hybrid::dense_hits(index, searcher, &found),
            _ => hybrid::fuse(index, searcher, lexical, &found, limit, &fusion),
        }
    }

    /// The model an ingest embeds with: needed when the index has vectors
    /// or `turn_on` asks for them.
    pub fn for_ingest(&self, index: &OpedexIndex, turn_on: bool) -> Result<Option<ModelHandle>> {
        let Some(info) = &index.info.vectors else {
            return if turn_on {
                self.model().map(Some)
            } else {
                Ok(None)
            };
        };
        match self.model() {
            Ok(m) => Ok(Some(m)),
            Err(Error::Model(ModelError::NotFound { .. } | ModelError::Disabled)) => {
                Err(Error::ModelNeeded {
                    path: index.path.clone(),
                    model: info.model_name.clone(),
                })
            }
            Err(e) => Err(e),
        }
    }
}

/// An [`Embedding`] with `model` and `units`.
pub(crate) fn embedding(model: &ModelHandle, units: Option<Units>) -> Embedding<'_> {
    Embedding {
        model: model.as_ref(),
        units,
    }
}

/// The mean of article `id`'s vectors, normalised: its query vector for
/// `similar`.
fn article_vector(file: &VectorFile, id: &str) -> Option<Vec<f32>> {
    let a = file.find(id)?;
    let mut sum = vec![0f32; file.dims()];
    for v in file.vectors_of(a) {
        let q = file.quantised(v);
        for (s, c) in sum.iter_mut().zip(&q.codes) {
            *s += q.scale * f32::from(*c);
        }
    }
    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
    (norm > 0.0).then(|| sum.into_iter().map(|x| x / norm).collect())
}
