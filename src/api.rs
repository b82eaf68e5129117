//! The library's front door: an [`Index`] to open, fill and search, and
//! [`normalize`] to read articles without any index.
//!
//! Every front end — the command line, programs that embed opedex, the
//! examples — goes through these, so they all read, write and rank the same
//! way. Everything below (readers, schema, writer, ranking) is reached only
//! through them.

use std::path::{Path, PathBuf};

use crate::article::Article;
use crate::error::{Error, Result};
use crate::eval::{self, EvalQuery, Evaluation, Level, Qrels};
use crate::export::{self, Engine, ExportOptions, ExportReport};
use crate::index::merge::{self, Optimized};
use crate::index::vectors::fill::{self, FillReport};
use crate::index::{explain_write_error, stored, OpedexIndex};
use crate::ingest::{self, Event, ReadOptions, Skip, Warning};
use crate::pipeline::{self, IngestOptions, IngestReport, Progress};
use crate::search::similar::SimilarRequest;
use crate::search::{self, Hit, Mode, Ranking, SearchRequest, SearchResults};
use crate::semantic::{self, Semantic};
use crate::stats::{self, Stats, TopicCount};
use crate::topics;

/// An opedex index on disk: passages of op-eds with their articles'
/// metadata, ready to search.
///
/// ```no_run
/// use opedex::{Index, IngestOptions, SearchRequest};
///
/// let mut index = Index::open_or_create("index")?;
/// let report = index.ingest(&["corpus".into()], &IngestOptions::default(), &mut ())?;
/// println!("{report}");
/// for hit in index.search(&SearchRequest::new("peace treaty islands"))?.hits {
///     println!("{} — {}", hit.article.title, hit.text);
/// }
/// # Ok::<(), opedex::Error>(())
/// ```
///
/// Searches see the commit that was last when the index was opened or last
/// written through this value. Reading needs no lock; writing ([`ingest`],
/// [`optimize`]) takes the index's writer lock and fails with
/// [`Error::IndexBusy`] while another process holds it.
///
/// [`ingest`]: Index::ingest
/// [`optimize`]: Index::optimize
pub struct Index {
    inner: OpedexIndex,
    semantic: Semantic,
}

/// How `opedex embed` gives an index vectors.
#[derive(Debug, Clone, Default)]
pub struct EmbedOptions {
    /// Embed every article again (another model or rule), replacing the
    /// vectors; otherwise only articles without vectors for their current
    /// version are embedded.
    pub rebuild: bool,
    /// What text is embedded (default: what the index embeds, else
    /// [`crate::Units::Opening`]).
    pub units: Option<crate::Units>,
    /// Commit after this many articles (0: only at the end).
    pub commit_every: usize,
}

impl Index {
    /// Opens an existing index. Another program's directory, a damaged
    /// index or one built with another schema version is refused with the
    /// command that fixes it.
    pub fn open(path: impl AsRef<Path>) -> Result<Index> {
        Ok(Index {
            inner: OpedexIndex::open(path.as_ref())?,
            semantic: Semantic::default(),
        })
    }

    /// Creates an empty index in `path`, which must be absent or an empty
    /// directory (a repository's placeholder `README.md` may be there).
    pub fn create(path: impl AsRef<Path>) -> Result<Index> {
        let path = path.as_ref();
        if Index::exists(path) {
            return Err(Error::AlreadyAnIndex {
                path: path.to_path_buf(),
            });
        }
        Index::open_or_create(path)
    }

    /// Opens the index at `path`, creating it when the directory is absent
    /// or empty. A directory holding other files is refused, so opedex never
    /// mixes its files with someone else's.
    pub fn open_or_create(path: impl AsRef<Path>) -> Result<Index> {
        let path = path.as_ref();
        let inner = OpedexIndex::open_or_create(path).map_err(|e| explain_write_error(path, e))?;
        Ok(Index {
            inner,
            semantic: Semantic::default(),
        })
    }

    /// True when `path` holds an index (of any schema version).
    pub fn exists(path: impl AsRef<Path>) -> bool {
        crate::index::exists(path.as_ref())
    }

    /// Where the index lives.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Embeds with the sentence-transformers model in `dir` (`None`: the
    /// default folder that `tools/fetch-model.sh` fills). The model is
    /// loaded when first needed: by a semantic or hybrid search, or by
    /// writing to an index with vectors.
    pub fn set_model(&mut self, dir: Option<PathBuf>) {
        self.semantic.set_model_dir(dir);
    }

    /// Takes the model `other` has loaded, if it reads the same folder: the
    /// server opens the index again at every commit and keeps the model.
    pub(crate) fn adopt_model(&self, other: &Index) {
        self.semantic.adopt_model(&other.semantic);
    }

    /// Whether the two hold the same loaded model.
    #[cfg(all(test, feature = "semantic"))]
    pub(crate) fn shares_model_with(&self, other: &Index) -> bool {
        self.semantic.shares_model_with(&other.semantic)
    }

    /// True when the index has vectors (semantic and hybrid search work).
    pub fn has_vectors(&self) -> bool {
        self.inner.info.vectors.is_some()
    }

    /// The mode a search asking for `mode` runs in: [`Mode::Auto`] becomes
    /// hybrid when the index has vectors and the model is found, else
    /// lexical; semantic or hybrid on an index without vectors is an error
    /// naming the command that adds them.
    pub fn resolve_mode(&self, mode: Mode) -> Result<Mode> {
        self.semantic.resolve(&self.inner, mode)
    }

    /// Fuses hybrid rankings with these weights instead of the defaults
    /// (for tuning on a judged set).
    pub fn set_fusion(&mut self, fusion: search::hybrid::Fusion) {
        self.semantic.set_fusion(fusion);
    }

    /// Reads `sources` (files or directories, `-` for standard input) into
    /// the index and commits. Unchanged records are recognised before they
    /// are parsed; bad files and records are skipped and counted, never
    /// fatal. `progress` sees every file, skip and warning, and can stop the
    /// run: what was written up to then is committed.
    pub fn ingest(
        &mut self,
        sources: &[PathBuf],
        options: &IngestOptions,
        progress: &mut dyn Progress,
    ) -> Result<IngestReport> {
        let turning_on = options.semantic && !self.has_vectors();
        let had_articles = !self.inner.info.langs.is_empty();
        let model = self.semantic.for_ingest(&self.inner, options.semantic)?;
        let embedding = model
            .as_ref()
            .map(|m| semantic::embedding(m, options.units));
        let report = pipeline::ingest(&self.inner, sources, options, progress, embedding)?;
        self.inner.refresh_info()?;
        // Articles written before the index had vectors get them now.
        if turning_on && had_articles && !report.interrupted {
            let embed = EmbedOptions {
                units: options.units,
                ..EmbedOptions::default()
            };
            let filled = self.embed(&embed, progress)?;
            let mut report = report;
            report.written.embedded += filled.embedded_texts;
            return Ok(report);
        }
        Ok(report)
    }

    /// Gives vectors to the articles that lack them (all of them with
    /// `rebuild`), committing as it goes, so an index becomes searchable by
    /// meaning without re-reading its sources. `progress` sees the count
    /// and can stop the run; what was embedded until then is kept.
    pub fn embed(
        &mut self,
        options: &EmbedOptions,
        progress: &mut dyn Progress,
    ) -> Result<FillReport> {
        let model = self.semantic.model()?;
        let every = if options.commit_every == 0 {
            usize::MAX
        } else {
            options.commit_every
        };
        let embedding = semantic::embedding(&model, options.units);
        let report = fill::fill(
            &self.inner,
            embedding,
            options.rebuild,
            every,
            &mut |done, of| {
                progress.embedded(done, Some(of));
                progress.stop_requested()
            },
        )
        .map_err(|e| explain_write_error(&self.inner.path, e))?;
        self.inner.refresh_info()?;
        Ok(report)
    }

    /// Ranks passages for `request`: the page of hits asked for, the
    /// number of matching articles, facet counts when asked for, and what
    /// was corrected or suggested. Its topic filters name topics by name
    /// or alias ([`Index::resolve_topics`]); an unknown topic is
    /// [`Error::UnknownTopic`], never an empty result.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.inner.reader()?.searcher();
        let mut request = request.clone();
        request.filters.topics = self.resolve_with(&searcher, &request.filters.topics)?;
        self.semantic.search(&self.inner, &searcher, &request)
    }

    /// The whole stored article with this id, or with the one id that
    /// starts with it. Contact details are included as stored; show them
    /// only when asked ([`Article::without_contacts`]).
    pub fn article(&self, id: &str) -> Result<Article> {
        let searcher = self.inner.reader()?.searcher();
        let id = self.resolve_id(&searcher, id)?;
        stored::load_article(&self.inner, &searcher, &id)
    }

    /// The articles most like one of the index's (more-like-this), one hit
    /// (its closest passage) each. The id may be a unique beginning of one.
    pub fn similar(&self, request: &SimilarRequest) -> Result<Vec<Hit>> {
        let searcher = self.inner.reader()?.searcher();
        let mut request = SimilarRequest {
            id: self.resolve_id(&searcher, &request.id)?,
            ..request.clone()
        };
        request.filters.topics = self.resolve_with(&searcher, &request.filters.topics)?;
        self.semantic.similar(&self.inner, &searcher, &request)
    }

    /// `id` when an article has it, else the one id that starts with it.
    fn resolve_id(&self, searcher: &tantivy::Searcher, id: &str) -> Result<String> {
        if self.inner.article_doc(searcher, id)?.is_some() {
            return Ok(id.to_string());
        }
        let ids = stored::ids_with_prefix(&self.inner, searcher, id)?;
        match ids.as_slice() {
            [] => Err(Error::NoSuchArticle(id.to_string())),
            [one] => Ok(one.clone()),
            more if more.len() > stored::MAX_PREFIX_IDS => Err(Error::Invalid(format!(
                "more than {} articles have ids starting with {id:?}; give more of the id",
                stored::MAX_PREFIX_IDS
            ))),
            more => Err(Error::Invalid(format!(
                "{} articles have ids starting with {id:?} ({}); give more of the id",
                more.len(),
                more.join(", ")
            ))),
        }
    }

    /// Counts of articles and passages by outlet, author, topic, language and year.
    pub fn stats(&self) -> Result<Stats> {
        let searcher = self.inner.reader()?.searcher();
        stats::compute(&self.inner, &searcher)
    }

    /// Writes what a distributed engine loads into `dir` (`opedex export`):
    /// for OpenSearch an index template and `_bulk` files, for Quickwit an
    /// index config and NDJSON files, each data file under
    /// `options.max_file_bytes`, and `LOAD.md` with the commands that load
    /// them. Streams the index one stored document at a time. `dir` must be
    /// absent, empty or hold a previous export, whose files are replaced.
    pub fn export(&self, dir: impl AsRef<Path>, options: &ExportOptions) -> Result<ExportReport> {
        let searcher = self.inner.reader()?.searcher();
        export::export(&self.inner, &searcher, dir.as_ref(), options)
    }

    /// The request that runs `request`'s first stage on an export of this
    /// index (`opedex search --as`): OpenSearch query DSL, or Quickwit's
    /// query string and aggregations, over the index's languages. Topics
    /// are resolved as [`Index::search`] does. Re-rank what the engine
    /// returns with [`crate::rerank`].
    pub fn engine_query(
        &self,
        engine: Engine,
        request: &SearchRequest,
    ) -> Result<serde_json::Value> {
        let searcher = self.inner.reader()?.searcher();
        let mut request = request.clone();
        request.filters.topics = self.resolve_with(&searcher, &request.filters.topics)?;
        let langs: Vec<&str> = self.inner.info.langs.iter().map(String::as_str).collect();
        export::translate(engine, &request, &langs)
    }

    /// Every topic of the vocabulary with the number of articles that have
    /// it, and any other topic the index holds; most articles first.
    pub fn topics(&self) -> Result<Vec<TopicCount>> {
        let searcher = self.inner.reader()?.searcher();
        stats::topic_counts(&self.inner, &searcher, topics::default_vocabulary())
    }

    /// The topics a filter names, as the index stores them: a vocabulary
    /// topic by its name or an alias, in any case (`Health_Care`,
    /// `healthcare`), or a topic the index holds. Anything else is
    /// [`Error::UnknownTopic`] with the closest known topics, so a filter
    /// never silently matches nothing. [`Index::search`] and
    /// [`Index::similar`] resolve their filters' topics this way.
    pub fn resolve_topics(&self, given: &[String]) -> Result<Vec<String>> {
        let searcher = self.inner.reader()?.searcher();
        self.resolve_with(&searcher, given)
    }

    fn resolve_with(&self, searcher: &tantivy::Searcher, given: &[String]) -> Result<Vec<String>> {
        if given.is_empty() {
            return Ok(Vec::new());
        }
        let vocabulary = topics::default_vocabulary();
        let held = stats::topic_names(&self.inner, searcher)?;
        given
            .iter()
            .map(|g| {
                if let Some(t) = vocabulary.resolve(g) {
                    return Ok(t.name.clone());
                }
                let lower = g.trim().to_lowercase();
                if held.contains(&lower) {
                    return Ok(lower);
                }
                let mut candidates = vocabulary.spellings();
                candidates.extend(
                    held.iter()
                        .filter(|h| vocabulary.resolve(h).is_none())
                        .map(|h| (h.clone(), vec![h.clone()])),
                );
                Err(Error::UnknownTopic {
                    topic: g.clone(),
                    closest: topics::closest(g, &candidates, 3),
                })
            })
            .collect()
    }

    /// Merges the index into at most `segments` segments (at least one),
    /// for faster searches; each merge is atomic.
    pub fn optimize(&mut self, segments: usize) -> Result<Optimized> {
        merge::optimize(&self.inner, segments).map_err(|e| explain_write_error(self.path(), e))
    }

    /// Runs judged `queries` through [`Index::search`] and scores the
    /// rankings against `qrels`.
    pub fn evaluate(
        &self,
        queries: &[EvalQuery],
        qrels: &Qrels,
        level: Level,
        ranking: &Ranking,
    ) -> Result<Evaluation> {
        let searcher = self.inner.reader()?.searcher();
        // The model loads on its first use: load it (and open the vectors)
        // before the first query's clock starts, so the latencies are the
        // queries'.
        if self.semantic.resolve(&self.inner, ranking.mode)? != search::hybrid::Mode::Lexical {
            self.semantic.model()?;
            self.semantic.vectors(&self.inner)?;
        }
        let mut search =
            |req: &SearchRequest| Ok(self.semantic.search(&self.inner, &searcher, req)?.hits);
        eval::evaluate(queries, qrels, level, ranking, &mut search)
    }
}

/// One item of [`normalize`]'s output, in input order.
#[derive(Debug)]
pub enum Normalized {
    /// A complete, normalised article.
    Article(Box<Article>),
    /// A file or record that was skipped, and why.
    Skipped(Skip),
    /// Something odd about a record that was still read.
    Warning(Warning),
    /// Reading stopped for a reason that concerns every record (a `--map`
    /// column that a CSV/TSV header lacks); nothing follows.
    Stopped(Error),
}

/// Articles in input order, read in parallel on another thread; see [`normalize`].
pub struct Articles {
    items: crossbeam_channel::Receiver<Normalized>,
}

impl Iterator for Articles {
    type Item = Normalized;
    fn next(&mut self) -> Option<Normalized> {
        self.items.recv().ok()
    }
}

/// Reads `sources` (files or directories, `-` for standard input) into
/// canonical [`Article`]s without touching any index: what `opedex
/// normalize` prints and what `ingest` would index.
///
/// Reading runs on other threads and stops when the iterator is dropped.
///
/// ```no_run
/// use opedex::{normalize, Normalized, ReadOptions};
///
/// for item in normalize(&["corpus".into()], &ReadOptions::default()) {
///     match item {
///         Normalized::Article(a) => println!("{}", a.title),
///         Normalized::Skipped(skip) => eprintln!("{skip}"),
///         Normalized::Warning(w) => eprintln!("warning: {w}"),
///         Normalized::Stopped(e) => eprintln!("stopped: {e}"),
///     }
/// }
/// ```
pub fn normalize(sources: &[PathBuf], options: &ReadOptions) -> Articles {
    let (tx, rx) = crossbeam_channel::bounded(64);
    let sources = sources.to_vec();
    let options = options.clone();
    std::thread::spawn(move || {
        let (files, walk_skips, _) = ingest::collect_files(&sources);
        for skip in walk_skips {
            if tx.send(Normalized::Skipped(skip)).is_err() {
                return;
            }
        }
        // A closed channel means the caller stopped reading; anything else
        // stopped the run and is the last item.
        let read = ingest::read_files(
            files,
            &options,
            |article, _| article,
            |event| {
                let item = match event {
                    Event::Article(a) => Normalized::Article(Box::new(a)),
                    Event::Skipped(s) => Normalized::Skipped(s),
                    Event::Warning(w) => Normalized::Warning(w),
                    Event::FileDone { .. } | Event::Unchanged { .. } | Event::Read { .. } => {
                        return Ok(())
                    }
                };
                tx.send(item).map_err(|_| Error::Interrupted)
            },
        );
        if let Err(e) = read {
            if !matches!(e, Error::Interrupted) {
                let _ = tx.send(Normalized::Stopped(e));
            }
        }
    });
    Articles { items: rx }
}
