//! Reading back what the writer stored: an article (its metadata from the
//! article document, its body rebuilt from the passages, where it is stored
//! once), the text of one passage, and the ids that start with a prefix.
//!
//! Search, `show`, `similar`, evaluation and the writer itself (replacing an
//! article, merging copies) all read stored documents through here.

use std::collections::BTreeSet;

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::document::{body_from_passages, shown_text};
use super::schema::KIND_PASSAGE;
use super::OpedexIndex;
use crate::article::Article;
use crate::error::{Error, Result};

/// Loads the whole stored article with this id; its body is rebuilt from
/// the passages, where it is stored (once).
pub fn load_article(index: &OpedexIndex, searcher: &Searcher, id: &str) -> Result<Article> {
    let mut article = load_article_metadata(index, searcher, id)?;
    article.body = stored_body(index, searcher, id)?;
    Ok(article)
}

/// The shown text of the stored passage at `addr`.
pub(crate) fn passage_text(
    index: &OpedexIndex,
    searcher: &Searcher,
    addr: DocAddress,
) -> Result<String> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    Ok(doc
        .get_first(index.fields.text)
        .and_then(|v| v.as_str())
        .map(shown_text)
        .unwrap_or_default()
        .to_string())
}

/// Loads the stored article with this id without its body: everything a
/// citation needs, at the cost of one stored document.
pub fn load_article_metadata(
    index: &OpedexIndex,
    searcher: &Searcher,
    id: &str,
) -> Result<Article> {
    let addr = index
        .article_doc(searcher, id)?
        .ok_or_else(|| Error::NoSuchArticle(id.to_string()))?;
    stored_article(index, searcher, addr, id)
}

/// [`load_article_metadata`] for an article found by a search: its document
/// is looked for first in `segment`, where its passages are.
pub(crate) fn load_article_metadata_near(
    index: &OpedexIndex,
    searcher: &Searcher,
    id: &str,
    segment: u32,
) -> Result<Article> {
    let addr = index
        .article_doc_near(searcher, id, segment)?
        .ok_or_else(|| Error::NoSuchArticle(id.to_string()))?;
    stored_article(index, searcher, addr, id)
}

/// The stored article document at `addr` (of article `id`), without its body.
fn stored_article(
    index: &OpedexIndex,
    searcher: &Searcher,
    addr: DocAddress,
    id: &str,
) -> Result<Article> {
    let doc: TantivyDocument = searcher.doc(addr)?;
    let json = doc
        .get_first(index.fields.article_json)
        .and_then(|v| v.as_str())
        .ok_or_else(|| Error::NoSuchArticle(id.to_string()))?;
    Ok(serde_json::from_str(json)?)
}

/// The body of an article, from the stored texts of its passages.
fn stored_body(index: &OpedexIndex, searcher: &Searcher, id: &str) -> Result<String> {
    let f = &index.fields;
    let term = |field, v: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, v),
            IndexRecordOption::Basic,
        ))
    };
    let passages =
        BooleanQuery::intersection(vec![term(f.kind, KIND_PASSAGE), term(f.article_id, id)]);
    let mut parts = Vec::new();
    for addr in searcher.search(&passages, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let n = doc
            .get_first(f.passage)
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        let text = doc.get_first(f.text).and_then(|v| v.as_str()).unwrap_or("");
        parts.push((n, text.to_string()));
    }
    Ok(body_from_passages(parts))
}

/// At most this many ids are listed for a prefix.
pub const MAX_PREFIX_IDS: usize = 10;

/// Ids of live articles whose id starts with `prefix` (for `show` and
/// `similar` with a short id), sorted; at most [`MAX_PREFIX_IDS`] + 1, so a
/// caller can tell "more than that" apart. The term dictionaries still hold
/// the ids of deleted articles until a merge drops them, so each is checked.
pub fn ids_with_prefix(
    index: &OpedexIndex,
    searcher: &Searcher,
    prefix: &str,
) -> Result<Vec<String>> {
    let mut out = BTreeSet::new();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(index.fields.article_id)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while out.len() <= MAX_PREFIX_IDS && stream.advance() {
            let Ok(key) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if !key.starts_with(prefix) {
                break;
            }
            if !out.contains(key) && index.article_doc(searcher, key)?.is_some() {
                out.insert(key.to_string());
            }
        }
    }
    Ok(out.into_iter().take(MAX_PREFIX_IDS + 1).collect())
}
