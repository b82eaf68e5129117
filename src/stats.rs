//! Collection statistics: articles, passages and counts by facet.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::error::Result;
use crate::index::schema::{KIND_ARTICLE, KIND_PASSAGE};
use crate::index::OpedexIndex;

/// Counts over the whole index.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Stats {
    /// Articles.
    pub articles: usize,
    /// Passages.
    pub passages: usize,
    /// Articles per outlet.
    pub outlets: BTreeMap<String, usize>,
    /// Articles per author.
    pub authors: BTreeMap<String, usize>,
    /// Articles per topic.
    pub topics: BTreeMap<String, usize>,
    /// Articles per language.
    pub langs: BTreeMap<String, usize>,
    /// Articles per publication year (`unknown` when undated).
    pub years: BTreeMap<String, usize>,
}

fn kind_query(index: &OpedexIndex, kind: &str) -> TermQuery {
    TermQuery::new(
        Term::from_field_text(index.fields.kind, kind),
        IndexRecordOption::Basic,
    )
}

/// Computes statistics from the fast fields of the article documents.
pub fn compute(index: &OpedexIndex, searcher: &Searcher) -> Result<Stats> {
    let mut stats = Stats {
        passages: searcher.search(&kind_query(index, KIND_PASSAGE), &Count)?,
        ..Stats::default()
    };
    let docs = searcher.search(&kind_query(index, KIND_ARTICLE), &DocSetCollector)?;
    let mut by_segment: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for addr in docs {
        by_segment
            .entry(addr.segment_ord)
            .or_default()
            .push(addr.doc_id);
    }
    let mut buf = String::new();
    for (segment, doc_ids) in by_segment {
        let ff = searcher.segment_reader(segment).fast_fields();
        let columns = [
            (ff.str("outlet_exact")?, &mut stats.outlets),
            (ff.str("author_exact")?, &mut stats.authors),
            (ff.str("topic")?, &mut stats.topics),
            (ff.str("lang")?, &mut stats.langs),
        ];
        let published = ff.date("published")?;
        for (column, counts) in columns {
            let Some(column) = column else { continue };
            for &doc in &doc_ids {
                for ord in column.term_ords(doc) {
                    buf.clear();
                    if column
                        .ord_to_str(ord, &mut buf)
                        .map_err(tantivy::TantivyError::from)?
                    {
                        *counts.entry(buf.clone()).or_default() += 1;
                    }
                }
            }
        }
        for &doc in &doc_ids {
            stats.articles += 1;
            let year = published
                .first(doc)
                .and_then(|d| jiff::Timestamp::from_second(d.into_timestamp_secs()).ok())
                .map_or_else(|| "unknown".to_string(), |t| t.strftime("%Y").to_string());
            *stats.years.entry(year).or_default() += 1;
        }
    }
    Ok(stats)
}
