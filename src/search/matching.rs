//! Every article a query matches, not only the best: for the total, the
//! facets and date order.
//!
//! One pass over all matching documents of each segment, without scoring
//! (no block is skipped, so it costs more than the top-k search). Each
//! document is named by its article's id ordinal in the segment's id column
//! (an article's documents share one segment, [`super::group::ArticleKey`]),
//! so an article counts once however many of its passages match.

use tantivy::query::{EnableScoring, Query};
use tantivy::{BitSet, DocId, Searcher, COLLECT_BLOCK_BUFFER_LEN};

use super::group::ArticleKey;
use crate::error::Result;
use crate::index::OpedexIndex;

/// An article with a matching document.
#[derive(Debug, Clone, Copy)]
pub(super) struct MatchedArticle {
    /// The article.
    pub(super) key: ArticleKey,
    /// Its first matching document, whose fast fields stand for the
    /// article's metadata (every document of an article carries it).
    pub(super) doc: DocId,
    /// How many of its documents match.
    pub(super) matches: u32,
}

/// The live documents matching `query`, as articles: per segment in
/// segment order, by id ordinal within it.
pub(super) fn articles(
    index: &OpedexIndex,
    searcher: &Searcher,
    query: &dyn Query,
) -> Result<Vec<MatchedArticle>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut out: Vec<MatchedArticle> = Vec::new();
    let mut ords = [None; COLLECT_BLOCK_BUFFER_LEN];
    for (segment, reader) in searcher.segment_readers().iter().enumerate() {
        let segment = segment as u32;
        let columns = index.columns(searcher, segment)?;
        let alive = reader.alive_bitset();
        let start = out.len();
        // Which articles have an entry, to notice one whose documents are
        // not adjacent (the writer adds an article's documents as one
        // batch, so this does not happen in an index it wrote).
        let mut seen = BitSet::with_max_value(columns.ids.num_terms().max(1) as u32);
        let mut repeats = false;
        weight.for_each_no_score(reader, &mut |docs| {
            let ords = &mut ords[..docs.len()];
            columns.ids.ords().first_vals(docs, ords);
            for (&doc, ord) in docs.iter().zip(ords.iter()) {
                let Some(ord) = *ord else { continue };
                if !alive.is_none_or(|a| a.is_alive(doc)) {
                    continue;
                }
                match out.last_mut() {
                    Some(last) if last.key == (ArticleKey { segment, ord }) => {
                        last.matches += 1;
                    }
                    _ => {
                        repeats |= seen.contains(ord as u32);
                        seen.insert(ord as u32);
                        out.push(MatchedArticle {
                            key: ArticleKey { segment, ord },
                            doc,
                            matches: 1,
                        });
                    }
                }
            }
        })?;
        if repeats {
            merge_repeats(&mut out, start);
        }
    }
    Ok(out)
}

/// Folds entries of one segment (from `start` on) that name the same
/// article into its first, in case an article's documents were not
/// adjacent.
fn merge_repeats(out: &mut Vec<MatchedArticle>, start: usize) {
    let segment = &mut out[start..];
    segment.sort_by_key(|m| (m.key.ord, m.doc));
    let mut merged: Vec<MatchedArticle> = Vec::with_capacity(segment.len());
    for m in segment.iter() {
        match merged.last_mut() {
            Some(last) if last.key.ord == m.key.ord => last.matches += m.matches,
            _ => merged.push(*m),
        }
    }
    out.truncate(start);
    out.extend(merged);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(ord: u64, doc: DocId) -> MatchedArticle {
        MatchedArticle {
            key: ArticleKey { segment: 0, ord },
            doc,
            matches: 1,
        }
    }

    #[test]
    fn repeated_articles_fold_into_their_first_document() {
        let mut out = vec![m(9, 0), m(3, 1), m(1, 4), m(3, 6)];
        merge_repeats(&mut out, 1);
        let got: Vec<(u64, DocId, u32)> =
            out.iter().map(|m| (m.key.ord, m.doc, m.matches)).collect();
        assert_eq!(got, [(9, 0, 1), (1, 4, 1), (3, 1, 2)]);
    }
}
