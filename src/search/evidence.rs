//! Ranking evidence read from the index itself, not from stored text.
//!
//! Where each query unit occurs in a candidate passage comes from the term
//! positions in the postings of its language's title and body fields; how
//! often a unit occurs in a whole article is summed over the article's
//! passages, found through the `article_id` postings of its segment. Nothing here loads a
//! stored document or re-analyses text, so the cost grows with the number of
//! candidates and query terms, not with the length of the texts. Positions
//! are Tantivy's token positions, from the same analysers as
//! [`super::highlight`] uses, so both agree on what matched.

use std::collections::HashMap;

use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Searcher, SegmentReader, Term, TERMINATED};

use super::highlight::Units;
use crate::error::Result;
use crate::index::OpedexIndex;

/// Start positions of `unit` (analysed terms; a phrase when there are
/// several, its words adjacent and in order) in each of `docs` (ascending,
/// distinct) of one segment's `field`. A doc without the unit gets no positions.
pub fn unit_starts(
    seg: &SegmentReader,
    field: Field,
    unit: &[String],
    docs: &[DocId],
) -> Result<Vec<Vec<u32>>> {
    let mut out = vec![Vec::new(); docs.len()];
    if unit.is_empty() || docs.is_empty() {
        return Ok(out);
    }
    let inverted = seg.inverted_index(field)?;
    let mut postings = Vec::with_capacity(unit.len());
    for t in unit {
        let term = Term::from_field_text(field, t);
        match inverted
            .read_postings(&term, IndexRecordOption::WithFreqsAndPositions)
            .map_err(tantivy::TantivyError::from)?
        {
            Some(p) => postings.push(p),
            // A word of the unit is nowhere in this segment.
            None => return Ok(out),
        }
    }
    let mut next = Vec::new();
    'docs: for (slot, &doc) in out.iter_mut().zip(docs) {
        for p in postings.iter_mut() {
            if p.doc() < doc {
                p.seek(doc);
            }
            if p.doc() == TERMINATED {
                break 'docs;
            }
            if p.doc() != doc {
                continue 'docs;
            }
        }
        let mut starts = Vec::new();
        postings[0].positions(&mut starts);
        for (offset, p) in postings.iter_mut().enumerate().skip(1) {
            p.positions(&mut next);
            starts.retain(|s| next.binary_search(&(s + offset as u32)).is_ok());
        }
        *slot = starts;
    }
    Ok(out)
}

/// How often each query unit occurs in one whole article, and its length.
#[derive(Debug, Clone, Default)]
pub struct ArticleCounts {
    /// Occurrences per unit in the title plus every passage.
    pub tf: Vec<f32>,
    /// Tokens in the title plus every passage (Tantivy's field norms).
    pub len: f32,
}

/// An article to count: the segment that holds it (the writer adds an
/// article's documents as one batch, which Tantivy keeps in one segment,
/// and merges keep segments whole), the ordinal of its id in that segment's
/// id column, and its analyser key.
#[derive(Debug, Clone, Copy)]
pub struct ArticleRef {
    /// The segment ordinal of the searcher that holds its documents.
    pub segment: u32,
    /// The ordinal of its id in the segment's id column.
    pub ord: u64,
    /// Its analyser key.
    pub key: &'static str,
}

/// Counts `units` in each of `articles`: the title once, plus every live
/// passage of the article, read from the article's own segment.
pub fn article_counts(
    index: &OpedexIndex,
    searcher: &Searcher,
    articles: &[ArticleRef],
    units: &HashMap<&'static str, &Units>,
) -> Result<Vec<ArticleCounts>> {
    let mut counts: Vec<ArticleCounts> = articles
        .iter()
        .map(|ArticleRef { key, .. }| ArticleCounts {
            tf: vec![0.0; units.get(key).map_or(0, |u| u.len())],
            len: 0.0,
        })
        .collect();
    // Title figures are the same on every passage: keep the largest seen.
    let mut title_tf: Vec<Vec<f32>> = counts.iter().map(|c| c.tf.clone()).collect();
    let mut title_len = vec![0f32; articles.len()];
    let mut by_segment: HashMap<u32, Vec<usize>> = HashMap::new();
    for (slot, a) in articles.iter().enumerate() {
        by_segment.entry(a.segment).or_default().push(slot);
    }
    let fields = &index.fields;
    for (segment, slots) in by_segment {
        let seg = searcher.segment_reader(segment);
        let columns = index.columns(searcher, segment)?;
        // (doc, article slot) per analyser key.
        let mut docs: HashMap<&'static str, Vec<(DocId, usize)>> = HashMap::new();
        for slot in slots {
            let ArticleRef { ord, key, .. } = articles[slot];
            if !units.contains_key(key) {
                continue;
            }
            let Some(mut p) = columns.article_postings(seg, fields.article_id, ord)? else {
                continue;
            };
            let mut d = p.doc();
            while d != TERMINATED {
                if !seg.is_deleted(d) {
                    docs.entry(key).or_default().push((d, slot));
                }
                d = p.advance();
            }
        }
        for (key, mut list) in docs {
            let Some((title, body)) = fields.text_fields(key) else {
                continue;
            };
            list.sort_unstable();
            let ids: Vec<DocId> = list.iter().map(|(d, _)| *d).collect();
            let body_norms = seg.get_fieldnorms_reader(body)?;
            let title_norms = seg.get_fieldnorms_reader(title)?;
            for &(d, slot) in &list {
                counts[slot].len += body_norms.fieldnorm(d) as f32;
                title_len[slot] = title_len[slot].max(title_norms.fieldnorm(d) as f32);
            }
            for (u, unit) in units[key].iter().enumerate() {
                let in_body = unit_starts(seg, body, unit, &ids)?;
                let in_title = unit_starts(seg, title, unit, &ids)?;
                for ((_, slot), (b, t)) in list.iter().zip(in_body.iter().zip(&in_title)) {
                    counts[*slot].tf[u] += b.len() as f32;
                    title_tf[*slot][u] = title_tf[*slot][u].max(t.len() as f32);
                }
            }
        }
    }
    for (c, (t, l)) in counts.iter_mut().zip(title_tf.iter().zip(&title_len)) {
        for (tf, t) in c.tf.iter_mut().zip(t) {
            *tf += t;
        }
        c.len += l;
    }
    Ok(counts)
}
