//! Stage "load" of a search: the passages shown and their articles, the
//! only stored documents a search reads ([`crate::index::stored`]).

use std::collections::HashMap;

use tantivy::Searcher;

use super::group::Shown;
use super::Hit;
use crate::article::Article;
use crate::error::Result;
use crate::index::stored::{load_article_metadata_near, passage_text};
use crate::index::OpedexIndex;

/// One hit per passage of `shown`, in order, with its text and its article
/// (without contacts; each article read once), not yet highlighted; ranks
/// start after `offset`.
pub(super) fn hits(
    index: &OpedexIndex,
    searcher: &Searcher,
    shown: &[Shown],
    offset: usize,
) -> Result<Vec<Hit>> {
    let mut articles: HashMap<String, Article> = HashMap::new();
    let mut hits = Vec::with_capacity(shown.len());
    for Shown { id, candidate: c } in shown {
        if !articles.contains_key(id) {
            let a = load_article_metadata_near(index, searcher, id, c.addr.segment_ord)?;
            articles.insert(id.clone(), a.without_contacts());
        }
        let text = passage_text(index, searcher, c.addr)?;
        hits.push(Hit {
            rank: offset + hits.len() + 1,
            // Hits are sorted by this score, so it falls with rank (TREC
            // tools sort runs by score).
            score: c.score,
            passage: c.passage,
            text,
            highlights: Vec::new(),
            article: articles[id].clone(),
        });
    }
    Ok(hits)
}
