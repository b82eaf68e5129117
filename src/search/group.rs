//! Stage "group" of a search: candidates best first, ties in an order that
//! holds in any index layout, and at most `per_article` passages of each
//! article. Also how a search names articles ([`ArticleKey`]) and reads
//! their ids only when it must ([`ArticleIds`]).

use std::collections::HashMap;

use tantivy::Searcher;

use super::retrieve::Candidate;
use crate::error::Result;
use crate::index::OpedexIndex;

/// An article within one search: the segment that holds its documents and
/// the ordinal of its id in that segment's id column. The writer adds an
/// article's documents as one batch, which Tantivy keeps in one segment, so
/// this names a live article without reading its id; ids are read
/// ([`ArticleIds`]) only for the articles shown and to order ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct ArticleKey {
    pub(super) segment: u32,
    pub(super) ord: u64,
}

/// Article ids, read from the index once per article when asked for.
pub(super) struct ArticleIds<'a> {
    index: &'a OpedexIndex,
    searcher: &'a Searcher,
    known: HashMap<ArticleKey, String>,
}

impl<'a> ArticleIds<'a> {
    pub(super) fn new(index: &'a OpedexIndex, searcher: &'a Searcher) -> Self {
        ArticleIds {
            index,
            searcher,
            known: HashMap::new(),
        }
    }

    /// Reads the ids of `keys` not read yet.
    fn read(&mut self, keys: impl IntoIterator<Item = ArticleKey>) -> Result<()> {
        for key in keys {
            if self.known.contains_key(&key) {
                continue;
            }
            let id = self
                .index
                .columns(self.searcher, key.segment)?
                .article_id(
                    self.searcher.segment_reader(key.segment),
                    self.index.fields.article_id,
                    key.ord,
                )?
                .unwrap_or_default();
            self.known.insert(key, id);
        }
        Ok(())
    }

    /// The id of an article [`ArticleIds::read`] has read ("" otherwise).
    fn get(&self, key: ArticleKey) -> &str {
        self.known.get(&key).map_or("", String::as_str)
    }

    /// The id of `key`, read if need be.
    pub(super) fn id(&mut self, key: ArticleKey) -> Result<String> {
        self.read([key])?;
        Ok(self.get(key).to_string())
    }
}

/// Sorts `items` best first by `rank`; items that tie are ordered by article
/// id, then passage number (`at`), so equal scores come out the same way in
/// any index layout. Ids are read for ties only.
pub(super) fn sort_ranked<T>(
    items: &mut [T],
    ids: &mut ArticleIds,
    rank: impl Fn(&T) -> (f32, f32),
    at: impl Fn(&T) -> (ArticleKey, usize),
) -> Result<()> {
    let by_rank = |a: &T, b: &T| {
        let ((a1, a2), (b1, b2)) = (rank(a), rank(b));
        b1.total_cmp(&a1).then(b2.total_cmp(&a2))
    };
    items.sort_by(by_rank);
    let mut start = 0;
    while start < items.len() {
        let mut end = start + 1;
        while end < items.len() && by_rank(&items[start], &items[end]).is_eq() {
            end += 1;
        }
        if end - start > 1 {
            let run = &mut items[start..end];
            ids.read(run.iter().map(|t| at(t).0))?;
            run.sort_by(|a, b| {
                let ((ka, pa), (kb, pb)) = (at(a), at(b));
                ids.get(ka).cmp(ids.get(kb)).then(pa.cmp(&pb))
            });
        }
        start = end;
    }
    Ok(())
}

/// A passage to show, with its article's id.
pub(super) struct Shown {
    pub(super) id: String,
    pub(super) candidate: Candidate,
}

/// The first `limit` of `candidates` by score (then BM25, id and passage
/// number), with at most `per_article` passages of any one article.
pub(super) fn shown(
    mut candidates: Vec<Candidate>,
    ids: &mut ArticleIds,
    limit: usize,
    per_article: usize,
) -> Result<Vec<Shown>> {
    sort_ranked(
        &mut candidates,
        ids,
        |c| (c.score, c.bm25),
        |c| (c.article, c.passage),
    )?;
    // Passages per article shown, counted by id.
    let mut per: HashMap<String, usize> = HashMap::new();
    let mut shown = Vec::new();
    for c in candidates {
        let id = ids.id(c.article)?;
        let n = per.entry(id.clone()).or_default();
        if *n >= per_article {
            continue;
        }
        *n += 1;
        shown.push(Shown { id, candidate: c });
        if shown.len() == limit {
            break;
        }
    }
    Ok(shown)
}
