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

/// How often `unit` occurs in each of `docs` (ascending, distinct) of one
/// segment's `field`: a word's term frequency, read without its positions;
/// a phrase's count of starts ([`unit_starts`]).
pub fn unit_counts(
    seg: &SegmentReader,
    field: Field,
    unit: &[String],
    docs: &[DocId],
) -> Result<Vec<u32>> {
    let [word] = unit else {
        let starts = unit_starts(seg, field, unit, docs)?;
        return Ok(starts.iter().map(|s| s.len() as u32).collect());
    };
    let mut out = vec![0; docs.len()];
    let inverted = seg.inverted_index(field)?;
    let term = Term::from_field_text(field, word);
    let Some(mut p) = inverted
        .read_postings(&term, IndexRecordOption::WithFreqs)
        .map_err(tantivy::TantivyError::from)?
    else {
        return Ok(out);
    };
    for (slot, &doc) in out.iter_mut().zip(docs) {
        if p.doc() < doc {
            p.seek(doc);
        }
        if p.doc() == TERMINATED {
            break;
        }
        if p.doc() == doc {
            *slot = p.term_freq();
        }
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
    let mut by_segment: HashMap<u32, Vec<usize>> = HashMap::new();
    for (slot, a) in articles.iter().enumerate() {
        by_segment.entry(a.segment).or_default().push(slot);
    }
    for (segment, slots) in by_segment {
        let seg = searcher.segment_reader(segment);
        let docs = live_docs(index, searcher, segment, articles, &slots, units)?;
        for (key, mut list) in docs {
            let Some((title, body)) = index.fields.text_fields(key) else {
                continue;
            };
            list.sort_unstable();
            count_in(seg, (title, body), &list, units[key], &mut counts)?;
        }
    }
    Ok(counts)
}

/// The live documents of the articles in `slots` (indexes into
/// `articles`, all in segment `segment`), as (doc, article slot), per
/// analyser key. Articles whose key has no units are left out.
fn live_docs(
    index: &OpedexIndex,
    searcher: &Searcher,
    segment: u32,
    articles: &[ArticleRef],
    slots: &[usize],
    units: &HashMap<&'static str, &Units>,
) -> Result<HashMap<&'static str, Vec<(DocId, usize)>>> {
    let seg = searcher.segment_reader(segment);
    let columns = index.columns(searcher, segment)?;
    let mut docs: HashMap<&'static str, Vec<(DocId, usize)>> = HashMap::new();
    for &slot in slots {
        let ArticleRef { ord, key, .. } = articles[slot];
        if !units.contains_key(key) {
            continue;
        }
        let Some(mut p) = columns.article_postings(seg, index.fields.article_id, ord)? else {
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
    Ok(docs)
}

/// Adds to `counts` the lengths and unit occurrences of the documents in
/// `list` ((doc, article slot), sorted), whose language has the fields
/// `(title, body)`.
fn count_in(
    seg: &SegmentReader,
    (title, body): (Field, Field),
    list: &[(DocId, usize)],
    units: &Units,
    counts: &mut [ArticleCounts],
) -> Result<()> {
    let ids: Vec<DocId> = list.iter().map(|(d, _)| *d).collect();
    let body_norms = seg.get_fieldnorms_reader(body)?;
    let title_norms = seg.get_fieldnorms_reader(title)?;
    for &(d, slot) in list {
        counts[slot].len += body_norms.fieldnorm(d) as f32;
    }
    // Every passage holds the same title (`index::document`), and the
    // article document none: the title counts once, from the
    // article's first document with a title. (An empty title counts
    // nothing either way.)
    let mut seen = vec![false; counts.len()];
    let firsts: Vec<(DocId, usize)> = list
        .iter()
        .filter(|&&(d, slot)| {
            title_norms.fieldnorm(d) > 0 && !std::mem::replace(&mut seen[slot], true)
        })
        .copied()
        .collect();
    let first_ids: Vec<DocId> = firsts.iter().map(|(d, _)| *d).collect();
    for &(d, slot) in &firsts {
        counts[slot].len += title_norms.fieldnorm(d) as f32;
    }
    for (u, unit) in units.iter().enumerate() {
        let in_body = unit_counts(seg, body, unit, &ids)?;
        for ((_, slot), n) in list.iter().zip(in_body) {
            counts[*slot].tf[u] += n as f32;
        }
        let in_title = unit_counts(seg, title, unit, &first_ids)?;
        for ((_, slot), n) in firsts.iter().zip(in_title) {
            counts[*slot].tf[u] += n as f32;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyser, terms};
    use crate::article::Article;
    use crate::index::document;
    use crate::index::writer::{IndexSession, WriterOptions};
    use tantivy::fieldnorm::FieldNormReader;

    fn term(word: &str) -> String {
        terms(&mut analyser("en"), word).pop().unwrap()
    }

    /// An article of several passages whose title holds the query word: the
    /// word counts once per occurrence in the body and once for the title,
    /// although every passage indexes the title and the article document
    /// indexes none; the length is the body's words plus the title's.
    #[test]
    fn whole_article_counts_take_the_title_once() {
        let dir = tempfile::tempdir().unwrap();
        let index = OpedexIndex::open_or_create(dir.path()).unwrap();
        let filler = "The delegates met again in the old harbour town to talk about fishing \
                      rights, ferry timetables, the weather and the price of fuel for the winter";
        // Four paragraphs of 31 words, three with "treaty" once, and one with
        // the phrase "peace treaty": each long enough to be its own passage.
        let paragraphs = [
            format!("{filler} and the treaty that was signed. Nobody agreed with anyone."),
            format!("{filler} while the treaty was read aloud. Nobody agreed with anyone."),
            format!("{filler} before a peace treaty was drafted. Nobody agreed with anyone."),
            format!("{filler} and then the harbour closed. Nobody agreed with anyone at all."),
        ];
        let article = Article {
            id: "a1".into(),
            title: "Treaty talks stall".into(),
            body: paragraphs.join("\n\n"),
            lang: Some("en".into()),
            ..Article::default()
        };
        let passages = crate::passage::split(&article.body).len();
        assert!(
            passages > 1,
            "the test needs several passages, got {passages}"
        );
        let mut session = IndexSession::begin(&index, WriterOptions::default()).unwrap();
        session
            .add(document::prepare(&article, None, 1, &index.fields))
            .unwrap();
        session.commit().unwrap();

        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let columns = index.columns(&searcher, 0).unwrap();
        let ord = columns.ids.term_ords(0).next().unwrap();
        let units: Vec<Vec<String>> = vec![
            vec![term("treaty")],
            vec![term("peace"), term("treaty")],
            vec![term("stall")],
            vec![term("absent")],
        ];
        let by_key: HashMap<&'static str, &Vec<Vec<String>>> = HashMap::from([("en", &units)]);
        let refs = [ArticleRef {
            segment: 0,
            ord,
            key: "en",
        }];
        let counts = article_counts(&index, &searcher, &refs, &by_key).unwrap();
        // treaty: 3 in the body + 1 in the title; the phrase once; stall: title only.
        assert_eq!(counts[0].tf, vec![4.0, 1.0, 1.0, 0.0]);
        // Field norms store each document's length in one byte, rounded.
        let norm = |text: &str| {
            let n = terms(&mut analyser("en"), text).len() as u32;
            FieldNormReader::id_to_fieldnorm(FieldNormReader::fieldnorm_to_id(n)) as f32
        };
        let body: f32 = crate::passage::split(&article.body)
            .iter()
            .map(|p| norm(p.text(&article.body)))
            .sum();
        assert_eq!(counts[0].len, body + norm(&article.title));
    }
}
