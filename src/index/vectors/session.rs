//! Keeping the vectors in step with a writing session: what the session
//! adds is embedded (or its vectors reused), what it deletes loses its
//! vectors, and each commit writes the vector file it names.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

use super::file::{self, ArticleEntry, Header, Source, StoredVector, VectorFile};
use super::{collect_garbage, file_name, quantise, Quantised, VectorError, VectorsInfo};
use crate::article::Article;
use crate::embed::{Embedder, Units};
use crate::error::{Error, Result};

/// Texts sent to the model at once; bounds the memory of texts waiting.
const TEXTS_PER_RUN: usize = 64;

/// A model to embed with, and what to embed (`None`: what the index
/// already embeds, or the default for a new one).
#[derive(Clone, Copy)]
pub struct Embedding<'m> {
    /// The model.
    pub model: &'m dyn Embedder,
    /// The rule for what text is embedded.
    pub units: Option<Units>,
}

/// Counts of a session's vectors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VectorStats {
    /// Texts run through the model.
    pub embedded: usize,
    /// Vectors reused because their text had been embedded before.
    pub reused: usize,
}

struct NewArticle {
    generation: u64,
    entry: ArticleEntry,
}

struct Todo {
    id: String,
    generation: u64,
    slot: usize,
    text: String,
}

/// The vector side of a writing session; does nothing for an index
/// without vectors unless given a model.
pub struct VectorSession<'m> {
    dir: PathBuf,
    schema: u32,
    model: Option<&'m dyn Embedder>,
    units: Units,
    base: Option<VectorFile>,
    /// The file before `base`, kept for one more commit for readers that
    /// opened the index just before it was replaced.
    previous: Option<String>,
    deleted: HashSet<String>,
    new: HashMap<String, NewArticle>,
    todo: Vec<Todo>,
    generation: u64,
    /// Text hash → vector of `base`, built when first needed.
    reuse: Option<HashMap<u64, usize>>,
    /// Text hash → vector embedded in this session.
    fresh: HashMap<u64, Quantised>,
    stats: VectorStats,
    written: Option<(String, VectorFile)>,
    /// The model window the vectors were made with ([`VectorsInfo::window`]):
    /// the base's, or the model's for new vectors.
    window: Option<usize>,
}

impl<'m> VectorSession<'m> {
    /// The vector session of the index in `dir` whose last commit recorded
    /// `info`. An index with vectors needs their model; a model given to an
    /// index without vectors starts them.
    pub fn new(
        dir: &Path,
        schema: u32,
        info: Option<&VectorsInfo>,
        embedding: Option<Embedding<'m>>,
    ) -> Result<Self> {
        let model = embedding.map(|e| e.model);
        let window = match info {
            Some(info) => info.window,
            None => model.map(|m| m.info().max_tokens),
        };
        let (base, units) = match (info, embedding) {
            (Some(info), Some(e)) => {
                check_model(dir, info, e.model)?;
                let units: Units = info.units.parse()?;
                if e.units.is_some_and(|u| u != units) {
                    return Err(Error::Invalid(format!(
                        "the index embeds {units}, not {}; to change that, re-embed it: \
                         `opedex embed --rebuild --units {} --index {}`",
                        e.units.unwrap_or_default(),
                        e.units.unwrap_or_default(),
                        dir.display()
                    )));
                }
                (Some(VectorFile::open(dir, &info.file, schema)?), units)
            }
            (Some(info), None) => {
                return Err(Error::ModelNeeded {
                    path: dir.to_path_buf(),
                    model: info.model_name.clone(),
                })
            }
            (None, e) => (None, e.and_then(|e| e.units).unwrap_or_default()),
        };
        Ok(VectorSession {
            dir: dir.to_path_buf(),
            schema,
            model,
            units,
            base,
            previous: None,
            deleted: HashSet::new(),
            new: HashMap::new(),
            todo: Vec::new(),
            generation: 0,
            reuse: None,
            fresh: HashMap::new(),
            stats: VectorStats::default(),
            written: None,
            window,
        })
    }

    /// What the session has embedded and reused so far.
    pub fn stats(&self) -> VectorStats {
        self.stats
    }

    /// The committed vectors this session started from (or last committed).
    pub fn base(&self) -> Option<&VectorFile> {
        self.base.as_ref()
    }

    /// Gives `article` (whose documents are being added, in the version
    /// with `content_hash`) its vectors: reused where its text was embedded
    /// before, else embedded with the next batch.
    pub fn add(&mut self, article: &Article, content_hash: u64) -> Result<()> {
        let Some(model) = self.model else {
            return Ok(());
        };
        let units = self.units.of(article, model.info().max_tokens);
        self.generation += 1;
        let mut entry = ArticleEntry {
            id: article.id.clone(),
            content_hash,
            vectors: Vec::with_capacity(units.len()),
        };
        for (slot, unit) in units.into_iter().enumerate() {
            let text_hash = xxh3_64(unit.text.as_bytes());
            let known = self.known(text_hash);
            let q = match known {
                Some(q) => {
                    self.stats.reused += 1;
                    q
                }
                None => {
                    self.todo.push(Todo {
                        id: article.id.clone(),
                        generation: self.generation,
                        slot,
                        text: unit.text,
                    });
                    Quantised {
                        scale: 0.0,
                        codes: Vec::new(),
                    }
                }
            };
            entry.vectors.push(StoredVector {
                passage: unit.passage,
                text_hash,
                q,
            });
        }
        let generation = self.generation;
        self.new
            .insert(article.id.clone(), NewArticle { generation, entry });
        if self.todo.len() >= TEXTS_PER_RUN {
            self.flush()?;
        }
        Ok(())
    }

    /// A vector for this text made before, in this session or the base.
    fn known(&mut self, text_hash: u64) -> Option<Quantised> {
        if let Some(q) = self.fresh.get(&text_hash) {
            return Some(q.clone());
        }
        let base = self.base.as_ref()?;
        let reuse = self.reuse.get_or_insert_with(|| {
            (0..base.vectors())
                .map(|v| (base.text_hash(v), v))
                .collect()
        });
        reuse.get(&text_hash).map(|&v| base.quantised(v))
    }

    /// Notes that the article `id` was deleted (to be replaced, merged
    /// away, or dropped with its file): its vectors go with it.
    pub fn delete(&mut self, id: &str) {
        if self.model.is_none() {
            return;
        }
        self.new.remove(id);
        self.deleted.insert(id.to_string());
    }

    /// Runs the model on every text waiting for it.
    pub fn flush(&mut self) -> Result<()> {
        let Some(model) = self.model else {
            return Ok(());
        };
        if self.todo.is_empty() {
            return Ok(());
        }
        let todo = std::mem::take(&mut self.todo);
        let texts: Vec<&str> = todo.iter().map(|t| t.text.as_str()).collect();
        let vectors = model.embed(&texts)?;
        self.stats.embedded += todo.len();
        for (t, v) in todo.iter().zip(vectors) {
            let q = quantise(&v);
            self.fresh.insert(xxh3_64(t.text.as_bytes()), q.clone());
            if let Some(a) = self
                .new
                .get_mut(&t.id)
                .filter(|a| a.generation == t.generation)
            {
                a.entry.vectors[t.slot].q = q;
            }
        }
        Ok(())
    }

    /// True when the next commit changes the vectors.
    fn changed(&self) -> bool {
        let base_has = |id: &String| self.base.as_ref().is_some_and(|b| b.find(id).is_some());
        !self.new.is_empty() || self.deleted.iter().any(base_has)
    }

    /// Embeds what waits, and writes the vector file of the commit with
    /// `opstamp` (synced, under its final name) when the vectors changed.
    /// Returns what the commit's payload records: `None` for an index
    /// without vectors.
    pub fn write(&mut self, opstamp: u64) -> Result<Option<VectorsInfo>> {
        let Some(model) = self.model else {
            return Ok(None);
        };
        self.flush()?;
        let info = model.info();
        if !self.changed() {
            if let Some(base) = &self.base {
                return Ok(Some(self.info_of(base.path.file_name(), &base.header)));
            }
        }
        let base = self.base.as_ref();
        let kept = base.into_iter().flat_map(|b| {
            (0..b.articles())
                .filter(|&a| {
                    let id = b.id(a);
                    !self.deleted.contains(id) && !self.new.contains_key(id)
                })
                .map(move |a| Source::Kept(b, a))
        });
        let entries: Vec<Source<'_>> = kept
            .chain(self.new.values().map(|a| Source::New(&a.entry)))
            .collect();
        let header = Header {
            format: super::FORMAT,
            schema: self.schema,
            model: info.hash.clone(),
            model_name: info.name.clone(),
            dims: info.dims,
            units: self.units.to_string(),
            articles: 0,
            vectors: 0,
            id_bytes: 0,
        };
        let name = file_name(opstamp);
        let tmp = self.dir.join(format!("{name}.tmp"));
        let io = |e: std::io::Error| Error::io(&tmp, e);
        let header = file::write(&tmp, header, entries).map_err(io)?;
        std::fs::rename(&tmp, self.dir.join(&name)).map_err(io)?;
        // The rename must be on disk before the commit that names the file.
        std::fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(&self.dir, e))?;
        let file = VectorFile::open(&self.dir, &name, self.schema)?;
        let out = self.info_of(Some(std::ffi::OsStr::new(&name)), &header);
        self.written = Some((name, file));
        Ok(Some(out))
    }

    fn info_of(&self, name: Option<&std::ffi::OsStr>, h: &Header) -> VectorsInfo {
        VectorsInfo {
            file: name
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            model: h.model.clone(),
            model_name: h.model_name.clone(),
            dims: h.dims,
            units: h.units.clone(),
            articles: h.articles,
            vectors: h.vectors,
            window: self.window,
        }
    }

    /// The commit that named the file [`write`](Self::write) made is done:
    /// it becomes the base, and files older than the one before go.
    pub fn committed(&mut self) {
        let Some((name, file)) = self.written.take() else {
            return;
        };
        let old = self
            .base
            .replace(file)
            .and_then(|b| b.path.file_name().map(|n| n.to_string_lossy().into_owned()));
        self.previous = old;
        self.new.clear();
        self.deleted.clear();
        self.reuse = None;
        self.fresh.clear();
        let mut keep = vec![name.as_str()];
        keep.extend(self.previous.as_deref());
        collect_garbage(&self.dir, &keep);
    }

    /// Deletes vector files that no commit names (left by a killed writer),
    /// keeping the base. For the start of a writing session.
    pub fn collect_garbage(&self) {
        let base = self
            .base
            .as_ref()
            .and_then(|b| b.path.file_name().map(|n| n.to_string_lossy().into_owned()));
        let keep: Vec<&str> = base.as_deref().into_iter().collect();
        collect_garbage(&self.dir, &keep);
    }
}

fn other_model(dir: &Path, info: &VectorsInfo, model: &dyn Embedder) -> VectorError {
    VectorError::OtherModel {
        path: dir.to_path_buf(),
        index_model: info.model_name.clone(),
        index_hash: info.model.clone(),
        model: model.info().name.clone(),
        model_hash: model.info().hash.clone(),
    }
}

/// That `model` made the vectors `info` describes: the same hash and, where
/// the index recorded it, the same window.
pub(crate) fn check_model(dir: &Path, info: &VectorsInfo, model: &dyn Embedder) -> Result<()> {
    let m = model.info();
    if m.hash != info.model {
        return Err(other_model(dir, info, model).into());
    }
    match info.window {
        Some(w) if w != m.max_tokens => Err(VectorError::OtherWindow {
            path: dir.to_path_buf(),
            model: m.name.clone(),
            index_window: w,
            window: m.max_tokens,
        }
        .into()),
        _ => Ok(()),
    }
}
