//! Handing an index off to a distributed engine: `opedex export` writes what
//! OpenSearch (or Elasticsearch) and Quickwit load, and `search --as` the
//! query that reproduces opedex's first stage on them.
//!
//! The export streams the index's stored documents one segment at a time,
//! in document order, where every article's documents sit together (the
//! writer adds them as one batch; merges keep segments whole): the article
//! document first, then its passages. Each passage becomes one NDJSON line
//! ([`lines`]) carrying the article's metadata, and passage 0 also carries
//! the article itself (`article_json`). Memory holds one article at a time,
//! whatever the index's size.
//!
//! Not exported: what serves incremental ingest and copy detection
//! (`content_hash`, `fingerprint`, `source_key`, `dup_band`, `dup_sig`,
//! `copy_id`) and the spelling-correction words; contacts are never in an
//! index. [`opensearch`] and [`quickwit`] hold each engine's mapping and
//! query; [`rerank`] applies opedex's re-ranking to an engine's top hits.
//!
//! Export sits above `search` and `index`: it may use them, `analysis`,
//! `article`, `date`, `ingest::exported` (the line format, which ingest
//! reads back) and `error`.

pub mod lines;
pub mod opensearch;
pub mod quickwit;
pub mod rerank;
mod yaml;

use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::OpedexIndex;
use crate::search::query::ParsedQuery;
use crate::search::{Filters, SearchRequest};

/// The largest `_bulk` request OpenSearch and Elasticsearch accept by
/// default is 100 MB (`http.max_content_length`); files stay below it.
pub const MAX_FILE_BYTES: u64 = 100_000_000;

/// The engine an export or a query is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// OpenSearch or Elasticsearch: an index template and `_bulk` files.
    OpenSearch,
    /// Quickwit: an index config (YAML) and NDJSON for `quickwit index ingest`.
    Quickwit,
}

impl Engine {
    /// The engine's name as the command line spells it.
    pub fn name(self) -> &'static str {
        match self {
            Engine::OpenSearch => "opensearch",
            Engine::Quickwit => "quickwit",
        }
    }
}

impl FromStr for Engine {
    type Err = Error;
    fn from_str(s: &str) -> Result<Engine> {
        match s {
            "opensearch" | "elasticsearch" => Ok(Engine::OpenSearch),
            "quickwit" => Ok(Engine::Quickwit),
            other => Err(Error::Invalid(format!(
                "unknown engine {other:?}; use opensearch or quickwit"
            ))),
        }
    }
}

/// How to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The target engine.
    pub engine: Engine,
    /// The index name on the engine (OpenSearch index, Quickwit index id).
    pub name: String,
    /// A data file is closed before it would grow past this many bytes.
    pub max_file_bytes: u64,
}

impl ExportOptions {
    /// An export for `engine` into an index named `opedex`, files of at most
    /// [`MAX_FILE_BYTES`].
    pub fn new(engine: Engine) -> ExportOptions {
        ExportOptions {
            engine,
            name: "opedex".into(),
            max_file_bytes: MAX_FILE_BYTES,
        }
    }
}

/// One file an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportedFile {
    /// Its name inside the output directory.
    pub name: String,
    /// Its size.
    pub bytes: u64,
    /// The passage documents it holds (0 for the mapping and LOAD.md).
    pub documents: u64,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    /// The engine.
    pub engine: Engine,
    /// The directory written.
    pub dir: PathBuf,
    /// Articles exported.
    pub articles: u64,
    /// Passage documents exported (one NDJSON document each).
    pub passages: u64,
    /// Every file written, data files in order, then the mapping and LOAD.md.
    pub files: Vec<ExportedFile>,
}

impl ExportReport {
    /// Bytes written in all.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }
}

impl fmt::Display for ExportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let data = self.files.iter().filter(|f| f.documents > 0).count();
        write!(
            f,
            "exported {} articles as {} passage documents for {} into {}: {} data file{}, {} files, {:.1} MB",
            self.articles,
            self.passages,
            self.engine.name(),
            self.dir.display(),
            data,
            if data == 1 { "" } else { "s" },
            self.files.len(),
            self.bytes() as f64 / 1e6
        )
    }
}

/// A search reduced to what an engine's first stage needs.
pub struct FirstStage<'a> {
    /// The query's clauses after opedex's parse stage.
    pub parsed: &'a ParsedQuery,
    /// The filters, with the query's qualifiers.
    pub filters: &'a Filters,
    /// The analyser keys to search (the index's languages).
    pub langs: &'a [&'a str],
    /// How much a title match weighs against a passage match.
    pub title_boost: f32,
    /// How many passages to fetch for re-ranking.
    pub candidates: usize,
    /// Whether to count facets.
    pub facets: bool,
    /// Values per facet.
    pub facet_size: usize,
}

/// Values counted per facet by a translated query.
pub const FACET_SIZE: usize = 100;

/// The request for `engine` that reproduces opedex's first stage of `req`
/// on an export: OpenSearch's `_search` body, or Quickwit's search request
/// (query string and aggregations). `langs` are the analyser keys present.
pub(crate) fn translate(
    engine: Engine,
    req: &SearchRequest,
    langs: &[&str],
) -> Result<serde_json::Value> {
    let (parsed, filters, candidates) = crate::search::first_stage(req, langs)?;
    // A language filter leaves only its languages' fields to search.
    let wanted: Vec<&str> = filters
        .langs
        .iter()
        .map(|l| crate::analysis::analyser_key(Some(l)))
        .collect();
    let narrowed: Vec<&str> = langs
        .iter()
        .copied()
        .filter(|k| wanted.contains(k))
        .collect();
    let langs = if wanted.is_empty() { langs } else { &narrowed };
    let stage = FirstStage {
        parsed: &parsed,
        filters: &filters,
        langs,
        title_boost: if req.ranking.field_weights {
            crate::search::query::TITLE_BOOST
        } else {
            1.0
        },
        candidates,
        facets: req.facets,
        facet_size: FACET_SIZE,
    };
    Ok(match engine {
        Engine::OpenSearch => opensearch::query(&stage),
        Engine::Quickwit => quickwit::query(&stage),
    })
}

/// The name of the file every export writes last; a directory holding it
/// (and only export files) may be exported into again.
pub const LOAD_FILE: &str = "LOAD.md";

/// Whether `name` is a file an export writes.
fn is_export_file(name: &str) -> bool {
    name == LOAD_FILE
        || name == opensearch::TEMPLATE_FILE
        || name == quickwit::CONFIG_FILE
        || ((name.starts_with(opensearch::DATA_PREFIX) || name.starts_with(quickwit::DATA_PREFIX))
            && name.ends_with(".ndjson"))
}

/// Prepares `dir`: creates it, or, when it holds a previous export (a
/// `LOAD.md` and nothing but export files), removes that export's files.
/// Any other non-empty directory is refused, so an export never mixes its
/// files with others or deletes what it did not write.
fn prepare_dir(dir: &Path) -> Result<()> {
    let io = |e: std::io::Error| Error::Io {
        path: dir.to_path_buf(),
        source: e,
    };
    if !dir.exists() {
        return std::fs::create_dir_all(dir).map_err(io);
    }
    if !dir.is_dir() {
        return Err(Error::Invalid(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    if names.is_empty() {
        return Ok(());
    }
    let previous = names.iter().any(|n| n == LOAD_FILE);
    if let Some(other) = names.iter().find(|n| !is_export_file(n)) {
        return Err(Error::Invalid(format!(
            "{} is not empty and holds {other:?}, which no export wrote; \
             export into an empty or new directory",
            dir.display()
        )));
    }
    if !previous {
        return Err(Error::Invalid(format!(
            "{} is not empty and holds no {LOAD_FILE} of a previous export; \
             export into an empty or new directory",
            dir.display()
        )));
    }
    for n in names {
        let path = dir.join(&n);
        std::fs::remove_file(&path).map_err(|e| Error::Io { path, source: e })?;
    }
    Ok(())
}

/// Exports the committed state seen by `searcher` into `dir` (see the
/// module documentation).
pub(crate) fn export(
    index: &OpedexIndex,
    searcher: &Searcher,
    dir: &Path,
    options: &ExportOptions,
) -> Result<ExportReport> {
    if options.name.is_empty()
        || !options
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        || !options.name.starts_with(|c: char| c.is_ascii_lowercase())
    {
        return Err(Error::Invalid(format!(
            "index name {:?}: use lower-case ASCII letters, digits, '-' and '_', starting with a letter",
            options.name
        )));
    }
    if options.max_file_bytes < 1024 {
        return Err(Error::Invalid(format!(
            "a file limit of {} bytes is too small (at least 1024)",
            options.max_file_bytes
        )));
    }
    prepare_dir(dir)?;
    let prefix = match options.engine {
        Engine::OpenSearch => opensearch::DATA_PREFIX,
        Engine::Quickwit => quickwit::DATA_PREFIX,
    };
    let mut out = Rotating::new(dir, prefix, options.max_file_bytes);
    let mut articles = 0u64;
    let mut passages = 0u64;
    // One article's lines: an article never spans two files, so each file
    // can be loaded, or read back, on its own.
    let mut unit = String::new();
    let mut unit_docs = 0u64;
    each_passage(index, searcher, |p| {
        if p.first_of_article {
            articles += 1;
            if unit_docs > 0 {
                out.write_unit(unit.as_bytes(), unit_docs)?;
            }
            unit.clear();
            unit_docs = 0;
        }
        passages += 1;
        unit_docs += 1;
        if options.engine == Engine::OpenSearch {
            opensearch::action_line(&mut unit, &options.name, &p.id())?;
        }
        lines::document_line(&mut unit, &p)
    })?;
    if unit_docs > 0 {
        out.write_unit(unit.as_bytes(), unit_docs)?;
    }
    let mut files = out.finish()?;
    let (mapping_name, mapping) = match options.engine {
        Engine::OpenSearch => (
            opensearch::TEMPLATE_FILE,
            serde_json::to_string_pretty(&opensearch::template(&options.name))? + "\n",
        ),
        Engine::Quickwit => (
            quickwit::CONFIG_FILE,
            yaml::to_yaml(&quickwit::config(&options.name)),
        ),
    };
    files.push(write_file(dir, mapping_name, &mapping)?);
    let load = match options.engine {
        Engine::OpenSearch => opensearch::load_md(&options.name, &files),
        Engine::Quickwit => quickwit::load_md(&options.name, &files),
    };
    files.push(write_file(dir, LOAD_FILE, &load)?);
    Ok(ExportReport {
        engine: options.engine,
        dir: dir.to_path_buf(),
        articles,
        passages,
        files,
    })
}

fn write_file(dir: &Path, name: &str, text: &str) -> Result<ExportedFile> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| Error::Io { path, source: e })?;
    Ok(ExportedFile {
        name: name.to_string(),
        bytes: text.len() as u64,
        documents: 0,
    })
}

/// Data files of at most `max` bytes, named `{prefix}00001.ndjson` on: a
/// unit (an article's documents, with their action lines for `_bulk`) is
/// never split.
struct Rotating {
    dir: PathBuf,
    prefix: &'static str,
    max: u64,
    current: Option<(BufWriter<File>, PathBuf)>,
    files: Vec<ExportedFile>,
}

impl Rotating {
    fn new(dir: &Path, prefix: &'static str, max: u64) -> Rotating {
        Rotating {
            dir: dir.to_path_buf(),
            prefix,
            max,
            current: None,
            files: Vec::new(),
        }
    }

    /// Writes one article's lines (`docs` documents).
    fn write_unit(&mut self, unit: &[u8], docs: u64) -> Result<()> {
        let len = unit.len() as u64;
        if len > self.max {
            return Err(Error::Invalid(format!(
                "one article's documents take {len} bytes, more than the file limit of {} bytes",
                self.max
            )));
        }
        let full = self
            .files
            .last()
            .is_some_and(|f| self.current.is_some() && f.bytes + len > self.max);
        if full {
            self.close()?;
        }
        if self.current.is_none() {
            let name = format!("{}{:05}.ndjson", self.prefix, self.files.len() + 1);
            let path = self.dir.join(&name);
            let file = File::create(&path).map_err(|e| Error::Io {
                path: path.clone(),
                source: e,
            })?;
            self.current = Some((BufWriter::with_capacity(1 << 20, file), path));
            self.files.push(ExportedFile {
                name,
                bytes: 0,
                documents: 0,
            });
        }
        let (w, path) = self.current.as_mut().expect("opened above");
        w.write_all(unit).map_err(|e| Error::Io {
            path: path.clone(),
            source: e,
        })?;
        let f = self.files.last_mut().expect("pushed with the writer");
        f.bytes += len;
        f.documents += docs;
        Ok(())
    }

    fn close(&mut self) -> Result<()> {
        if let Some((mut w, path)) = self.current.take() {
            w.flush().map_err(|e| Error::Io { path, source: e })?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<ExportedFile>> {
        self.close()?;
        Ok(self.files)
    }
}

/// One passage as exported: its own fields and its article's.
pub struct ExportedPassage<'a> {
    /// The article (without body and contacts).
    pub article: &'a Article,
    /// The article's analyser key (`en`, …, `xx`).
    pub key: &'static str,
    /// The passage's position in the article.
    pub number: u64,
    /// True for the first passage met of an article (passage 0 unless the
    /// index lost one).
    pub first_of_article: bool,
    /// The stored text: the passage and the whitespace up to the next one.
    pub text: &'a str,
    /// The article document's JSON, carried by passage 0.
    pub article_json: Option<&'a str>,
}

impl ExportedPassage<'_> {
    /// The passage's document id, `article_id#n`.
    pub fn id(&self) -> String {
        format!("{}#{}", self.article.id, self.number)
    }
}

/// Calls `f` with every live passage of the index, segment by segment in
/// stored order, each article's passages together; one article's metadata
/// is held at a time.
fn each_passage(
    index: &OpedexIndex,
    searcher: &Searcher,
    mut f: impl FnMut(ExportedPassage<'_>) -> Result<()>,
) -> Result<()> {
    let fields = &index.fields;
    // The article whose documents are being read: id, article, JSON, key,
    // and whether a passage of it was exported yet.
    let mut current: Option<(Article, String, &'static str, bool)> = None;
    for segment in searcher.segment_readers() {
        let store = segment
            .get_store_reader(8)
            .map_err(|e| Error::Tantivy(e.into()))?;
        for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            let doc = doc?;
            let id = doc
                .get_first(fields.article_id)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            if let Some(json) = doc.get_first(fields.article_json).and_then(|v| v.as_str()) {
                let article: Article = serde_json::from_str(json)?;
                let article = article.without_contacts();
                let key = crate::analysis::analyser_key(article.lang.as_deref());
                let json = serde_json::to_string(&article)?;
                current = Some((article, json, key, false));
                continue;
            }
            let Some(number) = doc.get_first(fields.passage).and_then(|v| v.as_u64()) else {
                continue;
            };
            let text = doc
                .get_first(fields.text)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            if current.as_ref().is_none_or(|(a, ..)| a.id != id) {
                // Not after its article document: never written so, but
                // read the article rather than lose the passage.
                let mut article = crate::index::stored::load_article_metadata(index, searcher, id)?;
                article = article.without_contacts();
                let key = crate::analysis::analyser_key(article.lang.as_deref());
                let json = serde_json::to_string(&article)?;
                current = Some((article, json, key, false));
            }
            let (article, json, key, seen) = current.as_mut().expect("set above");
            let first = !*seen;
            *seen = true;
            f(ExportedPassage {
                article,
                key,
                number,
                first_of_article: first,
                text,
                article_json: (number == 0).then_some(json.as_str()),
            })?;
        }
    }
    Ok(())
}
