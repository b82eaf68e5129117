//! Stage "retrieve" of a search: the best passages by BM25 for the built
//! query ([`super::collect::top_passages`]), each named by its article,
//! passage number and language, read from fast fields.

use std::collections::HashMap;

use tantivy::query::Query;
use tantivy::{DocAddress, Searcher};

use super::collect;
use super::group::ArticleKey;
use super::highlight::UnitMatch;
use crate::analysis::{self, analyser_key};
use crate::error::Result;
use crate::index::columns::first_strings;
use crate::index::OpedexIndex;

/// Candidates fetched per result slot before re-ranking.
const CANDIDATES_PER_SLOT: usize = 8;
/// Fewest candidates fetched: enough for the re-ranker to find articles whose
/// best passage BM25 alone puts well down the list. 200 rather than 300:
/// with eval limited to 10 results, nDCG@10 0.8285 → 0.8268 (op-eds) and
/// 0.7146 → 0.7142 (TIME), while the 1M-article p99 fell by 9–29 %
/// (BENCHMARKS.md).
const MIN_CANDIDATES: usize = 200;
/// Most candidates fetched when the first pool holds too few articles.
const MAX_CANDIDATES: usize = 100_000;

/// A retrieved passage, whose scores the later stages fill in.
pub(super) struct Candidate {
    pub(super) addr: DocAddress,
    pub(super) bm25: f32,
    /// Passage-level score before article evidence.
    pub(super) passage_score: f32,
    pub(super) score: f32,
    pub(super) article: ArticleKey,
    pub(super) passage: usize,
    /// Analyser key of the article's language.
    pub(super) key: &'static str,
    /// Where each query unit occurs in the passage (read when coverage or
    /// proximity ranks; empty otherwise).
    pub(super) matches: Vec<UnitMatch>,
}

/// How many passages the first retrieval fetches for `limit` results of at
/// most `per_article` passages each.
pub(crate) fn pool_size(limit: usize, per_article: usize) -> usize {
    (limit * per_article * CANDIDATES_PER_SLOT).max(MIN_CANDIDATES)
}

/// The best passages by BM25, identified: as many as fill `limit` results
/// of at most `per_article` passages each, when the index has them. A pool
/// that a few long articles fill is fetched again, four times larger. The
/// flag is true when the pool holds every passage that matches.
pub(super) fn candidates(
    index: &OpedexIndex,
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    per_article: usize,
) -> Result<(Vec<Candidate>, bool)> {
    let mut wanted = pool_size(limit, per_article);
    loop {
        let top = collect::top_passages(searcher, query, wanted)?;
        let full = top.len() == wanted;
        let found = identify(index, searcher, top)?;
        let mut per: HashMap<ArticleKey, usize> = HashMap::new();
        for c in &found {
            *per.entry(c.article).or_default() += 1;
        }
        let fillable: usize = per.values().map(|&n| n.min(per_article)).sum();
        if !full || fillable >= limit || wanted >= MAX_CANDIDATES {
            return Ok((found, !full));
        }
        wanted = (wanted * 4).min(MAX_CANDIDATES);
    }
}

/// Reads each candidate's article, passage number and language from fast
/// fields: no stored document is loaded, and no id read, to rank.
/// (A document without an id, which the writer never makes, is dropped.)
pub(super) fn identify(
    index: &OpedexIndex,
    searcher: &Searcher,
    top: Vec<(f32, DocAddress)>,
) -> Result<Vec<Candidate>> {
    let mut by_segment: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, (_, addr)) in top.iter().enumerate() {
        by_segment.entry(addr.segment_ord).or_default().push(i);
    }
    let mut ords = vec![None; top.len()];
    let mut passages = vec![0usize; top.len()];
    let mut keys = vec![analysis::FALLBACK; top.len()];
    for (segment, slots) in by_segment {
        let columns = index.columns(searcher, segment)?;
        let doc = |i: usize| top[i].1.doc_id;
        for &i in &slots {
            ords[i] = columns.ids.term_ords(doc(i)).next();
            passages[i] = columns.passages.first(doc(i)).unwrap_or(0) as usize;
        }
        if let Some(lang_column) = &columns.langs {
            let langs = first_strings(lang_column, slots.iter().map(|&i| doc(i)))?;
            for (&i, lang) in slots.iter().zip(langs) {
                keys[i] = analyser_key(lang.as_deref());
            }
        }
    }
    Ok(top
        .into_iter()
        .zip(ords.into_iter().zip(passages.into_iter().zip(keys)))
        .filter_map(|((bm25, addr), (ord, (passage, key)))| {
            Some(Candidate {
                addr,
                bm25,
                passage_score: bm25,
                score: bm25,
                article: ArticleKey {
                    segment: addr.segment_ord,
                    ord: ord?,
                },
                passage,
                key,
                matches: Vec::new(),
            })
        })
        .collect())
}
