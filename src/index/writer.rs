//! Writing prepared articles: add, replace by id, skip unchanged, drop stale,
//! and merge syndicated copies.
//!
//! Copies are found with the MinHash signatures of [`crate::dedup`]: among the
//! articles written in this run (in memory) and among committed ones (their
//! band keys are indexed). A copy is not indexed on its own; it is recorded in
//! the `also_in` of the article indexed first. Merges are applied after each
//! commit, in a second commit, because the article a copy joins may itself be
//! uncommitted until then. Long runs commit every [`COMMIT_EVERY`] articles.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::indexer::{IndexWriterOptions, UserOperation};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, Searcher, Term};
use xxhash_rust::xxh3::xxh3_128;

use crate::article::Article;
use crate::dedup::{DedupIndex, Signature, StoredSignature, THRESHOLD};
use crate::error::Result;
use crate::index::band_filter::{committed_bands, BandFilter};
use crate::index::columns::first_strings;
use crate::index::document::{self, PreparedArticle};
use crate::index::merge::CappedMergePolicy;
use crate::index::schema::SCHEMA_VERSION;
use crate::index::stored::load_article;
use crate::index::vectors::session::{Embedding, VectorStats};
use crate::index::vectors::VectorSession;
use crate::index::{IndexInfo, OpedexIndex};

/// Most committed candidates verified per incoming article.
const MAX_DUP_CANDIDATES: usize = 16;
/// Default number of articles written between commits. Bounds the in-memory
/// signatures (about 1.6 KB an article) and how much an interrupted run loses.
pub const COMMIT_EVERY: usize = 50_000;

/// Writer tuning.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    /// Indexing threads (0 = one per core, at most 8).
    pub threads: usize,
    /// Total memory budget of the indexing threads, in bytes. The default,
    /// 128 MiB, keeps a 100,000-article ingest under 1 GiB peak RSS (945 MB
    /// measured; 1,075 MB with 256 MiB, and no faster).
    pub memory_budget: usize,
    /// Commit after this many articles written (0 = only at the end).
    pub commit_every: usize,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            threads: 0,
            memory_budget: 128 << 20,
            commit_every: COMMIT_EVERY,
        }
    }
}

/// What a writing session did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// New articles.
    pub added: usize,
    /// Articles that replaced an older version with the same id.
    pub replaced: usize,
    /// Articles already indexed exactly as read.
    pub unchanged: usize,
    /// Articles that appeared more than once in this run (the last one wins).
    pub repeated: usize,
    /// Articles removed because their file no longer contains them.
    pub removed: usize,
    /// Syndicated copies merged into another article's `also_in`.
    pub merged: usize,
    /// Passages written.
    pub passages: usize,
    /// Texts run through the embedding model (index with vectors only).
    pub embedded: usize,
}

/// An open writing session; nothing is visible to searches until [`commit`](Self::commit).
pub struct IndexSession<'a> {
    index: &'a OpedexIndex,
    writer: IndexWriter,
    committed: Searcher,
    /// Fingerprint → id of every committed article read from a record.
    known: Arc<HashMap<u64, String>>,
    /// Copy id → original id, for every copy merged into a committed article
    /// (ids hashed as in [`IdSet`]).
    copies: HashMap<u128, String>,
    /// Ids of the articles committed when the session began. An id neither
    /// here nor in `seen` cannot be in the index, so `add` skips looking it up
    /// (a term lookup in every segment: 40 % of a 1M-article ingest's time).
    committed_ids: IdSet,
    /// Ids written or found unchanged in this run.
    seen: IdSet,
    /// Ids the current file produced.
    file_ids: IdSet,
    in_run: DedupIndex,
    /// Every band key in the index or written in this run (may say yes wrongly, never no).
    bands: BandFilter,
    /// Copies waiting to be merged: target id → copies.
    pending: BTreeMap<String, Vec<Article>>,
    /// Ids deleted or merged away in this run: no longer merge targets.
    gone: HashSet<String>,
    /// Articles written since the last commit.
    since_checkpoint: usize,
    commit_every: usize,
    info: IndexInfo,
    stats: WriteStats,
    /// The vectors, kept in step with every article added and deleted.
    vectors: VectorSession<'a>,
}

/// A set of article ids kept as 128-bit hashes: 16 bytes an id instead of
/// the string, which matters for the one-file dumps of millions of records
/// whose ids must all be remembered until the file ends. A collision between
/// two of a million ids has odds of about 10^-27.
#[derive(Debug, Default)]
struct IdSet(HashSet<u128>);

impl IdSet {
    /// The 128-bit hash an id is kept as (here and in the copy map).
    fn key(id: &str) -> u128 {
        xxh3_128(id.as_bytes())
    }

    /// Adds `id`; false when it was already there.
    fn insert(&mut self, id: &str) -> bool {
        self.0.insert(IdSet::key(id))
    }

    fn contains(&self, id: &str) -> bool {
        self.0.contains(&IdSet::key(id))
    }
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

impl<'a> IndexSession<'a> {
    /// Starts a session; fails with [`crate::error::Error::IndexBusy`] if another process writes.
    #[cfg(test)]
    pub fn begin(index: &'a OpedexIndex, opts: WriterOptions) -> Result<Self> {
        Self::begin_with(index, opts, None)
    }

    /// Starts a session (failing with [`crate::error::Error::IndexBusy`] if another process writes), embedding what is added with `embedding`
    /// (which an index with vectors needs, and which gives vectors to one
    /// without them).
    pub fn begin_with(
        index: &'a OpedexIndex,
        opts: WriterOptions,
        embedding: Option<Embedding<'a>>,
    ) -> Result<Self> {
        let vectors = VectorSession::new(
            &index.path,
            SCHEMA_VERSION,
            index.info.vectors.as_ref(),
            embedding,
        )?;
        let threads = if opts.threads == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get().min(8))
        } else {
            opts.threads
        };
        let per_thread = (opts.memory_budget / threads).max(15_000_000);
        // One merge at a time, each within a cap: the pages a merge reads
        // through memory maps count as resident memory while it runs.
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(per_thread)
            .num_merge_threads(1)
            .build();
        let writer = index.writer(options)?;
        writer.set_merge_policy(Box::new(CappedMergePolicy::default()));
        let committed = index.separate_reader()?.searcher();
        let Committed {
            known,
            ids: committed_ids,
            copies,
        } = known_records(&committed)?;
        let known = Arc::new(known);
        let bands = committed_bands(&committed, index.fields.dup_band)?;
        vectors.collect_garbage();
        Ok(IndexSession {
            index,
            writer,
            committed,
            known,
            copies,
            committed_ids,
            seen: IdSet::default(),
            file_ids: IdSet::default(),
            in_run: DedupIndex::new(),
            bands,
            pending: BTreeMap::new(),
            gone: HashSet::new(),
            since_checkpoint: 0,
            commit_every: opts.commit_every,
            info: index.info.clone(),
            stats: WriteStats::default(),
            vectors,
        })
    }

    /// Texts embedded and vectors reused so far.
    pub fn vector_stats(&self) -> VectorStats {
        self.vectors.stats()
    }

    /// Deletes every document of the article `id`, and its vectors.
    fn delete_article(&mut self, id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.index.fields.article_id, id));
        self.vectors.delete(id);
    }

    /// The fingerprints of the raw records behind the committed articles,
    /// with their ids, for [`crate::ingest::ReadOptions::known`].
    pub fn known(&self) -> Arc<HashMap<u64, String>> {
        Arc::clone(&self.known)
    }

    /// Notes an article whose record the index already holds as it stands
    /// ([`crate::ingest::Event::Unchanged`]): nothing is written, and the
    /// article counts as produced by its file.
    pub fn unchanged(&mut self, id: String) -> Result<()> {
        self.file_ids.insert(&id);
        if self.seen.insert(&id) {
            self.stats.unchanged += 1;
            return Ok(());
        }
        // The id came earlier in this run, so that version replaced the
        // committed one; the last one wins, so write the committed one back.
        // (If a checkpoint already made the earlier version the committed
        // one, it stays: the unchanged record's text is no longer at hand.)
        self.stats.repeated += 1;
        let Some(addr) = self.index.article_doc(&self.committed, &id)? else {
            return Ok(());
        };
        let index = self.index;
        let f = &index.fields;
        let facts = committed_facts(&self.committed, addr, f)?;
        let article = load_article(self.index, &self.committed, &id)?;
        let prepared =
            document::prepare(&article, facts.source_key.as_deref(), facts.fingerprint, f);
        self.delete_article(&id);
        self.write(prepared)
    }

    fn committed_hash(&self, addr: tantivy::DocAddress) -> Result<Option<u64>> {
        let column = self
            .committed
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .u64("content_hash")?;
        Ok(column.first(addr.doc_id))
    }

    /// The committed article that already records this one as a merged copy,
    /// while it still is one: the original is neither deleted nor merged
    /// away in this run, and this text still matches it. A re-ingest thus
    /// finds each copy's original at once, however many other articles share
    /// its paragraphs (the band search verifies only [`MAX_DUP_CANDIDATES`]).
    fn recorded_original(&self, id: &str, sig: &Signature) -> Result<Option<String>> {
        let Some(original) = self.copies.get(&IdSet::key(id)) else {
            return Ok(None);
        };
        if self.gone.contains(original) {
            return Ok(None);
        }
        let Some(addr) = self.index.article_doc(&self.committed, original)? else {
            return Ok(None);
        };
        let facts = committed_facts(&self.committed, addr, &self.index.fields)?;
        let still_a_copy = facts
            .signature
            .is_some_and(|other| other.similarity(sig) >= THRESHOLD);
        Ok(still_a_copy.then(|| original.clone()))
    }

    /// The id of an already indexed article this one is a copy of, if any.
    /// An article from the same source file is an earlier version of this
    /// one, not a copy: the file's stale articles are dropped instead.
    fn original_of(
        &self,
        id: &str,
        source_key: Option<&str>,
        sig: &Signature,
    ) -> Result<Option<String>> {
        if let Some(m) = self.in_run.best_match(sig) {
            if m.id != id {
                return Ok(Some(m.id.to_string()));
            }
        }
        // The committed search costs a term lookup per band and segment, and
        // most articles have no copy: ask the filter first.
        // Only the keys the filter may hold: the others are in no segment,
        // so leaving them out changes neither the matches nor their scores.
        let keys = sig.band_keys();
        let index = self.index;
        let f = &index.fields;
        let bands: Vec<(Occur, Box<dyn Query>)> = keys
            .into_iter()
            .filter(|&k| self.bands.contains(k))
            .map(|k| {
                (
                    Occur::Should,
                    term_query(Term::from_field_u64(f.dup_band, k)),
                )
            })
            .collect();
        if bands.is_empty() {
            return Ok(None);
        }
        let candidates = self.committed.search(
            &BooleanQuery::new(bands),
            &TopDocs::with_limit(MAX_DUP_CANDIDATES).order_by_score(),
        )?;
        let mut best: Option<(f64, String)> = None;
        for (_, addr) in candidates {
            let other = committed_facts(&self.committed, addr, f)?;
            let other_id = other.id;
            if other_id == id || other_id.is_empty() || self.gone.contains(&other_id) {
                continue;
            }
            // An article from the same file is an earlier version of this
            // one, unless this run read it from the file again (unchanged
            // articles are never in `in_run`).
            if source_key.is_some()
                && other.source_key.as_deref() == source_key
                && !self.seen.contains(other_id.as_str())
            {
                continue;
            }
            let Some(other_sig) = other.signature else {
                continue;
            };
            let s = other_sig.similarity(sig);
            if s >= THRESHOLD && best.as_ref().is_none_or(|(b, _)| s > *b) {
                best = Some((s, other_id));
            }
        }
        Ok(best.map(|(_, id)| id))
    }

    fn write(&mut self, prepared: PreparedArticle) -> Result<()> {
        self.info.langs.insert(prepared.lang_key.to_string());
        self.stats.passages += prepared.passages();
        if let Some(sig) = prepared.signature {
            self.bands.insert_all(&sig);
            self.in_run.insert(prepared.id.clone(), sig);
        }
        self.vectors.add(&prepared.article, prepared.hash)?;
        self.add_docs(prepared.docs)?;
        // Checkpoint only after an article is whole: a commit must never
        // hold a replaced article's deletion without its new version.
        self.since_checkpoint += 1;
        if self.commit_every > 0 && self.since_checkpoint >= self.commit_every {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Adds an article: skipped when unchanged, replacing any committed
    /// version with the same id, or recorded as a copy of another article.
    pub fn add(&mut self, mut prepared: PreparedArticle) -> Result<()> {
        let id = prepared.id.clone();
        self.file_ids.insert(&id);
        if !self.seen.insert(&id) {
            self.stats.repeated += 1;
            self.delete_article(&id);
            return self.write(prepared);
        }
        let committed = if self.committed_ids.contains(&id) {
            self.index.article_doc(&self.committed, &id)?
        } else {
            None
        };
        if let Some(addr) = committed {
            let committed_hash = self.committed_hash(addr)?;
            if committed_hash != Some(prepared.hash) {
                // Keep the copies recorded for this article by earlier runs.
                let old = load_article(self.index, &self.committed, &id)?;
                let mut article = prepared.article.clone();
                if article.keep_copies_of(&old) {
                    let key = prepared.source_key.clone();
                    let fp = prepared.fingerprint;
                    prepared = document::prepare(&article, key.as_deref(), fp, &self.index.fields);
                }
            }
            if committed_hash == Some(prepared.hash) {
                self.stats.unchanged += 1;
                if let Some(sig) = prepared.signature {
                    self.in_run.insert(id, sig);
                }
                return Ok(());
            }
            self.stats.replaced += 1;
            self.delete_article(&id);
            return self.write(prepared);
        }
        if let Some(sig) = &prepared.signature {
            let original = match self.recorded_original(&id, sig)? {
                Some(original) => Some(original),
                None => self.original_of(&id, prepared.source_key.as_deref(), sig)?,
            };
            if let Some(original) = original {
                self.stats.merged += 1;
                self.gone.insert(id);
                self.pending
                    .entry(original)
                    .or_default()
                    .push(prepared.article);
                return Ok(());
            }
        }
        self.stats.added += 1;
        self.write(prepared)
    }

    /// Marks the end of a file: committed articles that came from it and are
    /// no longer in it are deleted. `key` is `None` for files that could not
    /// be read, so a damaged file never costs what was indexed from it.
    pub fn file_done(&mut self, key: Option<&str>) -> Result<()> {
        let produced = std::mem::take(&mut self.file_ids);
        let Some(key) = key else {
            return Ok(());
        };
        let index = self.index;
        let f = &index.fields;
        let query = TermQuery::new(
            Term::from_field_text(f.source_key, key),
            IndexRecordOption::Basic,
        );
        // The ids come from the fast field, not the stored documents: a
        // one-file dump of a million records would otherwise read every
        // article document back (the whole doc store, all of it resident).
        let mut by_segment: BTreeMap<u32, Vec<tantivy::DocId>> = BTreeMap::new();
        for addr in self.committed.search(&query, &DocSetCollector)? {
            by_segment
                .entry(addr.segment_ord)
                .or_default()
                .push(addr.doc_id);
        }
        let id_field = self.committed.schema().get_field_name(f.article_id);
        let mut found = Vec::new();
        for (segment, mut docs) in by_segment {
            docs.sort_unstable();
            let reader = self.committed.segment_reader(segment);
            let Some(column) = reader.fast_fields().str(id_field)? else {
                continue;
            };
            found.extend(
                first_strings(&column, docs.into_iter())?
                    .into_iter()
                    .flatten(),
            );
        }
        for id in found {
            if !id.is_empty() && !produced.contains(&id) && !self.seen.contains(&id) {
                self.delete_article(&id);
                self.stats.removed += 1;
                self.gone.insert(id);
            }
        }
        Ok(())
    }

    fn commit_writer(&mut self) -> Result<()> {
        // The model runs before the commit is prepared; the vector file is
        // on disk before the commit that names it (`index::vectors`).
        self.vectors.flush()?;
        let mut prepared = self.writer.prepare_commit()?;
        self.info.vectors = self.vectors.write(prepared.opstamp())?;
        prepared.set_payload(&serde_json::to_string(&self.info)?);
        prepared.commit()?;
        self.vectors.committed();
        Ok(())
    }

    /// Commits what was added, then merges the copies found so far (a second
    /// commit), and starts again from the new committed state: copies of
    /// articles written before a checkpoint are found through their indexed
    /// band keys, so the in-memory signatures can go.
    fn checkpoint(&mut self) -> Result<()> {
        self.commit_writer()?;
        if !self.pending.is_empty() {
            let searcher = self.index.separate_reader()?.searcher();
            for (original, copies) in std::mem::take(&mut self.pending) {
                self.merge_into(&searcher, &original, copies)?;
            }
            self.commit_writer()?;
        }
        self.committed = self.index.separate_reader()?.searcher();
        self.in_run = DedupIndex::new();
        self.since_checkpoint = 0;
        Ok(())
    }

    /// Records `copies` in the `also_in` of the committed article `original`.
    fn merge_into(
        &mut self,
        searcher: &Searcher,
        original: &str,
        copies: Vec<Article>,
    ) -> Result<()> {
        let index = self.index;
        let fields = &index.fields;
        let Ok(mut article) = load_article(self.index, searcher, original) else {
            // The original went away in this run: the copies stand on their own.
            for copy in copies {
                let prepared = document::prepare(&copy, None, 0, fields);
                if let Some(sig) = &prepared.signature {
                    self.bands.insert_all(sig);
                }
                self.vectors.add(&prepared.article, prepared.hash)?;
                self.add_docs(prepared.docs)?;
                self.stats.merged -= 1;
                self.stats.added += 1;
            }
            return Ok(());
        };
        let mut changed = false;
        for copy in &copies {
            changed |= article.merge_copy(copy);
        }
        if changed {
            let (key, fp) = self.source_of(searcher, original)?;
            let prepared = document::prepare(&article, key.as_deref(), fp, fields);
            self.delete_article(original);
            self.vectors.add(&prepared.article, prepared.hash)?;
            self.add_docs(prepared.docs)?;
        }
        Ok(())
    }

    /// Adds one article's documents as one batch, which Tantivy writes into
    /// one segment: every document of an article sits in the same segment
    /// (merges keep segments whole), so search reads an article's passages
    /// from the segment its candidate came from.
    fn add_docs(&self, docs: Vec<tantivy::TantivyDocument>) -> Result<()> {
        self.writer.run(docs.into_iter().map(UserOperation::Add))?;
        Ok(())
    }

    /// Commits everything added, merges the copies found, and returns the counts.
    pub fn commit(mut self) -> Result<WriteStats> {
        self.checkpoint()?;
        self.writer.wait_merging_threads()?;
        self.stats.embedded = self.vectors.stats().embedded;
        Ok(self.stats)
    }

    /// The source key and record fingerprint stored with a committed article.
    fn source_of(&self, searcher: &Searcher, id: &str) -> Result<(Option<String>, u64)> {
        let Some(addr) = self.index.article_doc(searcher, id)? else {
            return Ok((None, 0));
        };
        let facts = committed_facts(searcher, addr, &self.index.fields)?;
        Ok((facts.source_key, facts.fingerprint))
    }
}

/// What the writer reads of a committed article document.
struct CommittedFacts {
    id: String,
    source_key: Option<String>,
    fingerprint: u64,
    signature: Option<StoredSignature>,
}

/// Reads [`CommittedFacts`] from fast fields only. Loading the stored
/// document instead decompressed a store block per copy candidate, and at a
/// million articles kept 2.2 GB of store pages resident.
fn committed_facts(
    searcher: &Searcher,
    addr: tantivy::DocAddress,
    fields: &crate::index::schema::Fields,
) -> Result<CommittedFacts> {
    let schema = searcher.schema();
    let fast = searcher.segment_reader(addr.segment_ord).fast_fields();
    let doc = addr.doc_id;
    let text = |field| -> Result<Option<String>> {
        let Some(column) = fast.str(schema.get_field_name(field))? else {
            return Ok(None);
        };
        let Some(ord) = column.term_ords(doc).next() else {
            return Ok(None);
        };
        let mut out = String::new();
        let found = column
            .ord_to_str(ord, &mut out)
            .map_err(tantivy::TantivyError::from)?;
        Ok(found.then_some(out))
    };
    let signature = match fast.bytes(schema.get_field_name(fields.dup_sig))? {
        Some(column) => match column.term_ords(doc).next() {
            Some(ord) => {
                let mut bytes = Vec::new();
                column
                    .ord_to_bytes(ord, &mut bytes)
                    .map_err(tantivy::TantivyError::from)?;
                StoredSignature::from_bytes(&bytes)
            }
            None => None,
        },
        None => None,
    };
    Ok(CommittedFacts {
        id: text(fields.article_id)?.unwrap_or_default(),
        source_key: text(fields.source_key)?,
        fingerprint: fast
            .u64(schema.get_field_name(fields.fingerprint))?
            .first(doc)
            .unwrap_or(0),
        signature,
    })
}

/// What a session needs to know of the committed articles.
struct Committed {
    /// Fingerprint → id of every committed article read from a record.
    known: HashMap<u64, String>,
    /// The ids of all committed articles (merged copies carry no fingerprint).
    ids: IdSet,
    /// Copy id → original id of every merged copy.
    copies: HashMap<u128, String>,
}

/// Reads [`Committed`] from fast fields of the live documents (no stored
/// documents are loaded): a few MB per 100,000 articles.
fn known_records(searcher: &Searcher) -> Result<Committed> {
    let mut out = Committed {
        known: HashMap::new(),
        ids: IdSet::default(),
        copies: HashMap::new(),
    };
    let mut id = String::new();
    let mut copy = String::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let fingerprints = fast.u64("fingerprint")?;
        let Some(ids) = fast.str("article_id")? else {
            continue;
        };
        let copy_ids = fast.str("copy_id")?;
        // An article's passages sit next to each other: decode each id once.
        let mut last: Option<(u64, bool)> = None;
        for doc in segment.doc_ids_alive() {
            let Some(ord) = ids.term_ords(doc).next() else {
                continue;
            };
            let found = match last {
                Some((o, found)) if o == ord => found,
                _ => {
                    id.clear();
                    let found = ids
                        .ord_to_str(ord, &mut id)
                        .map_err(tantivy::TantivyError::from)?;
                    if found {
                        out.ids.insert(&id);
                    }
                    last = Some((ord, found));
                    found
                }
            };
            if !found {
                continue;
            }
            if let Some(fp) = fingerprints.first(doc) {
                out.known.insert(fp, id.clone());
            }
            let Some(copy_ids) = &copy_ids else {
                continue;
            };
            for copy_ord in copy_ids.term_ords(doc) {
                copy.clear();
                if copy_ids
                    .ord_to_str(copy_ord, &mut copy)
                    .map_err(tantivy::TantivyError::from)?
                {
                    out.copies.insert(IdSet::key(&copy), id.clone());
                }
            }
        }
    }
    Ok(out)
}
