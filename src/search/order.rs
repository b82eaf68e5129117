//! Results in date order (`--sort newest|oldest`): which matching articles
//! fill the page asked for, newest or oldest first.
//!
//! Every matching article takes part ([`super::matching`]), not only the
//! best by relevance: its date comes from the `published` fast field of its
//! first matching document. Undated articles come last either way; articles
//! of the same date are ordered by id, so a page holds the same articles in
//! any index layout. Each article fills as many hits as it shows passages
//! (at most `per_article`, at most its matching passages), so `offset` and
//! `limit` count hits as they do in relevance order.

use std::cmp::Reverse;

use tantivy::Searcher;

use super::group::{ArticleIds, ArticleKey};
use super::matching::MatchedArticle;
use super::Sort;
use crate::error::Result;
use crate::index::OpedexIndex;

/// The articles of one page, in order, with how many hits each shows.
#[derive(Debug, Clone)]
pub(super) struct Page {
    /// The articles whose hits fall on the page, in date order.
    pub(super) articles: Vec<(ArticleKey, String, usize)>,
    /// Hits of the first article that belong to the previous page.
    pub(super) skip: usize,
}

/// A sort key: dated before undated, then by date in the order asked for.
type Key = (bool, Reverse<i64>);

/// The articles among `matched` that fill hits `offset..offset + limit`
/// in `sort` order (not [`Sort::Relevance`]).
#[allow(clippy::too_many_arguments)]
pub(super) fn page(
    index: &OpedexIndex,
    searcher: &Searcher,
    matched: &[MatchedArticle],
    sort: Sort,
    offset: usize,
    limit: usize,
    per_article: usize,
    ids: &mut ArticleIds,
) -> Result<Page> {
    let field = searcher
        .schema()
        .get_field_name(index.fields.published)
        .to_string();
    let mut keyed: Vec<(Key, usize)> = Vec::with_capacity(matched.len());
    for group in matched.chunk_by(|a, b| a.key.segment == b.key.segment) {
        let reader = searcher.segment_reader(group[0].key.segment);
        let published = reader.fast_fields().date(&field)?;
        for m in group {
            let secs = published.first(m.doc).map(|d| d.into_timestamp_secs());
            let key = match (secs, sort) {
                (None, _) => (true, Reverse(0)),
                (Some(s), Sort::Oldest) => (false, Reverse(-s)),
                (Some(s), _) => (false, Reverse(s)),
            };
            keyed.push((key, keyed.len()));
        }
    }
    // At most `offset + limit` articles are needed (each shows a hit or
    // more); those tying with the last of them are ordered by id too.
    let wanted = (offset + limit).min(keyed.len());
    if wanted == 0 {
        return Ok(Page {
            articles: Vec::new(),
            skip: 0,
        });
    }
    if wanted < keyed.len() {
        keyed.select_nth_unstable(wanted - 1);
        let last = keyed[wanted - 1].0;
        keyed.retain(|(k, _)| *k <= last);
    }
    let mut ordered: Vec<(Key, String, usize)> = Vec::with_capacity(keyed.len());
    for (key, i) in keyed {
        ordered.push((key, ids.id(matched[i].key)?, i));
    }
    ordered.sort();
    let mut articles = Vec::new();
    let mut skip = 0;
    let mut at = 0;
    for (_, id, i) in ordered {
        let m = &matched[i];
        let shows = per_article.min(m.matches as usize).max(1);
        let (from, to) = (at, at + shows);
        at = to;
        if to <= offset {
            continue;
        }
        if from >= offset + limit {
            break;
        }
        if articles.is_empty() {
            skip = offset.saturating_sub(from);
        }
        articles.push((m.key, id, shows));
    }
    Ok(Page { articles, skip })
}
