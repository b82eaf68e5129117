//! Giving vectors to the articles of an index that lack them (`opedex
//! embed`): the articles are read back from the index, embedded in batches,
//! and committed every so often, so an interrupted run keeps what it did.

use tantivy::indexer::IndexWriterOptions;
use tantivy::Searcher;

use super::session::{Embedding, VectorSession};
use crate::error::Result;
use crate::index::columns::first_strings;
use crate::index::schema::SCHEMA_VERSION;
use crate::index::stored::load_article;
use crate::index::{IndexInfo, OpedexIndex};

/// What [`fill`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FillReport {
    /// Articles in the index.
    pub articles: usize,
    /// Articles that already had vectors for their current version.
    pub had_vectors: usize,
    /// Articles given vectors now.
    pub embedded_articles: usize,
    /// Texts run through the model.
    pub embedded_texts: usize,
    /// Set when the caller stopped the run; what was done is committed.
    pub interrupted: bool,
}

/// Every live article of `searcher` with its content hash, in index order.
pub fn live_articles(index: &OpedexIndex, searcher: &Searcher) -> Result<Vec<(String, u64)>> {
    let schema = searcher.schema();
    let f = &index.fields;
    let mut out = Vec::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let passages = fast.u64(schema.get_field_name(f.passage))?;
        let hashes = fast.u64(schema.get_field_name(f.content_hash))?;
        let Some(ids) = fast.str(schema.get_field_name(f.article_id))? else {
            continue;
        };
        let docs: Vec<u32> = segment
            .doc_ids_alive()
            .filter(|&d| passages.first(d).is_none())
            .collect();
        let names = first_strings(&ids, docs.iter().copied())?;
        for (doc, id) in docs.into_iter().zip(names) {
            if let (Some(id), Some(h)) = (id, hashes.first(doc)) {
                out.push((id, h));
            }
        }
    }
    Ok(out)
}

/// Embeds the articles of `index` that have no vectors for their current
/// version (every article with `rebuild`, replacing the vectors of another
/// model or rule), committing every `every` articles. `progress` is told
/// (done, to do) after each batch and returns true to stop.
pub fn fill(
    index: &OpedexIndex,
    embedding: Embedding<'_>,
    rebuild: bool,
    every: usize,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<FillReport> {
    let options = IndexWriterOptions::builder()
        .num_worker_threads(1)
        .memory_budget_per_thread(15_000_000)
        .build();
    let mut writer = index.writer(options)?;
    let metas = index.index.load_metas()?;
    let mut info: IndexInfo = match metas.payload.as_deref() {
        Some(p) => serde_json::from_str(p)?,
        None => index.info.clone(),
    };
    let current = if rebuild { None } else { info.vectors.as_ref() };
    let mut vectors = VectorSession::new(&index.path, SCHEMA_VERSION, current, Some(embedding))?;
    vectors.collect_garbage();
    let searcher = index.separate_reader()?.searcher();
    let articles = live_articles(index, &searcher)?;
    let todo: Vec<&(String, u64)> = articles
        .iter()
        .filter(|(id, hash)| {
            let embedded = vectors
                .base()
                .and_then(|b| b.find(id).map(|a| b.content_hash(a)));
            embedded != Some(*hash)
        })
        .collect();
    let mut report = FillReport {
        articles: articles.len(),
        had_vectors: articles.len() - todo.len(),
        ..FillReport::default()
    };
    let mut commit = |vectors: &mut VectorSession<'_>, info: &mut IndexInfo| -> Result<()> {
        vectors.flush()?;
        let mut prepared = writer.prepare_commit()?;
        info.vectors = vectors.write(prepared.opstamp())?;
        prepared.set_payload(&serde_json::to_string(&info)?);
        prepared.commit()?;
        vectors.committed();
        Ok(())
    };
    let mut since_commit = 0;
    for (i, (id, hash)) in todo.iter().enumerate() {
        if progress(i, todo.len()) {
            report.interrupted = true;
            break;
        }
        let article = load_article(index, &searcher, id)?;
        vectors.add(&article, *hash)?;
        report.embedded_articles += 1;
        since_commit += 1;
        if every > 0 && since_commit >= every {
            commit(&mut vectors, &mut info)?;
            since_commit = 0;
        }
    }
    commit(&mut vectors, &mut info)?;
    progress(report.embedded_articles, todo.len());
    report.embedded_texts = vectors.stats().embedded;
    drop(writer);
    Ok(report)
}
