//! Writing prepared articles: add, replace by id, skip unchanged, drop stale.

use std::collections::HashSet;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::directory::error::LockError;
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, Searcher, TantivyError, Term};

use crate::error::{Error, Result};
use crate::index::document::PreparedArticle;
use crate::index::schema::KIND_ARTICLE;
use crate::index::{IndexInfo, OpedexIndex};

/// Writer tuning.
#[derive(Debug, Clone, Copy)]
pub struct WriterOptions {
    /// Indexing threads (0 = Tantivy's default for this machine).
    pub threads: usize,
    /// Total memory budget of the indexing threads, in bytes.
    pub memory_budget: usize,
}

impl Default for WriterOptions {
    fn default() -> Self {
        WriterOptions {
            threads: 0,
            memory_budget: 256 << 20,
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
    /// Passages written.
    pub passages: usize,
}

/// An open writing session; nothing is visible to searches until [`commit`](Self::commit).
pub struct IndexSession<'a> {
    index: &'a OpedexIndex,
    writer: IndexWriter,
    committed: Searcher,
    seen: HashSet<String>,
    file_ids: HashSet<String>,
    info: IndexInfo,
    stats: WriteStats,
}

impl<'a> IndexSession<'a> {
    /// Starts a session; fails with [`Error::IndexBusy`] if another process writes.
    pub fn begin(index: &'a OpedexIndex, opts: WriterOptions) -> Result<Self> {
        let threads = if opts.threads == 0 {
            std::thread::available_parallelism().map_or(2, |n| n.get().min(8))
        } else {
            opts.threads
        };
        let per_thread = (opts.memory_budget / threads).max(15_000_000);
        let writer = match index
            .index
            .writer_with_num_threads(threads, per_thread * threads)
        {
            Ok(w) => w,
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                return Err(Error::IndexBusy {
                    path: index.path.clone(),
                })
            }
            Err(e) => return Err(e.into()),
        };
        let committed = index.reader()?.searcher();
        Ok(IndexSession {
            index,
            writer,
            committed,
            seen: HashSet::new(),
            file_ids: HashSet::new(),
            info: index.info.clone(),
            stats: WriteStats::default(),
        })
    }

    fn article_query(&self, id: &str) -> BooleanQuery {
        let f = &self.index.fields;
        let term = |field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        BooleanQuery::intersection(vec![term(f.kind, KIND_ARTICLE), term(f.article_id, id)])
    }

    /// The content hash of the committed version of an article, if any.
    fn committed_hash(&self, id: &str) -> Result<Option<u64>> {
        let hits = self.committed.search(
            &self.article_query(id),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let Some((_, addr)) = hits.first() else {
            return Ok(None);
        };
        let column = self
            .committed
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .u64("content_hash")?;
        Ok(column.first(addr.doc_id))
    }

    /// Adds an article, replacing any committed version with the same id.
    pub fn add(&mut self, prepared: PreparedArticle) -> Result<()> {
        let id_term = Term::from_field_text(self.index.fields.article_id, &prepared.id);
        self.file_ids.insert(prepared.id.clone());
        if !self.seen.insert(prepared.id.clone()) {
            self.stats.repeated += 1;
            self.writer.delete_term(id_term);
        } else {
            match self.committed_hash(&prepared.id)? {
                Some(h) if h == prepared.hash => {
                    self.stats.unchanged += 1;
                    return Ok(());
                }
                Some(_) => {
                    self.stats.replaced += 1;
                    self.writer.delete_term(id_term);
                }
                None => self.stats.added += 1,
            }
        }
        self.info.langs.insert(prepared.lang_key.to_string());
        self.stats.passages += prepared.passages();
        for doc in prepared.docs {
            self.writer.add_document(doc)?;
        }
        Ok(())
    }

    /// Marks the end of a file: committed articles that came from it and are
    /// no longer in it are deleted. `key` is `None` for files that could not
    /// be read, so a damaged file never costs what was indexed from it.
    pub fn file_done(&mut self, key: Option<&str>) -> Result<()> {
        let produced = std::mem::take(&mut self.file_ids);
        let Some(key) = key else {
            return Ok(());
        };
        let f = &self.index.fields;
        let query = TermQuery::new(
            Term::from_field_text(f.source_key, key),
            IndexRecordOption::Basic,
        );
        let hits = self.committed.search(&query, &DocSetCollector)?;
        for addr in hits {
            let doc: tantivy::TantivyDocument = self.committed.doc(addr)?;
            let id = doc
                .get_first(f.article_id)
                .and_then(|v| tantivy::schema::Value::as_str(&v))
                .unwrap_or_default()
                .to_string();
            if !id.is_empty() && !produced.contains(&id) && !self.seen.contains(&id) {
                self.writer
                    .delete_term(Term::from_field_text(f.article_id, &id));
                self.stats.removed += 1;
            }
        }
        Ok(())
    }

    /// Commits everything added, with the index metadata, and returns the counts.
    pub fn commit(mut self) -> Result<WriteStats> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&self.info)?);
        prepared.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(self.stats)
    }
}
