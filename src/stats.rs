//! Collection statistics: articles, passages and counts by facet, and the
//! topics an index holds.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::error::Result;
use crate::index::schema::{KIND_ARTICLE, KIND_PASSAGE};
use crate::index::OpedexIndex;
use crate::topics::Vocabulary;

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
    /// The vectors of semantic search, when the index has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vectors: Option<VectorSummary>,
}

/// What an index's vectors are: how many, from which model, of what text.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct VectorSummary {
    /// Articles with vectors.
    pub articles: usize,
    /// Vectors (more than articles when passages are embedded).
    pub vectors: usize,
    /// The model's folder name.
    pub model: String,
    /// Numbers per vector.
    pub dims: usize,
    /// The model's window in word pieces, when recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<usize>,
    /// What was embedded (`opening`, `passages:N`, …).
    pub units: String,
}

fn kind_query(index: &OpedexIndex, kind: &str) -> TermQuery {
    TermQuery::new(
        Term::from_field_text(index.fields.kind, kind),
        IndexRecordOption::Basic,
    )
}

/// The article documents' addresses, by segment.
fn article_docs(index: &OpedexIndex, searcher: &Searcher) -> Result<BTreeMap<u32, Vec<u32>>> {
    let docs = searcher.search(&kind_query(index, KIND_ARTICLE), &DocSetCollector)?;
    let mut by_segment: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for addr in docs {
        by_segment
            .entry(addr.segment_ord)
            .or_default()
            .push(addr.doc_id);
    }
    Ok(by_segment)
}

/// Adds one to `counts[value]` for every value of `column` in each of `docs`.
fn count_values(
    column: &tantivy::columnar::StrColumn,
    docs: &[u32],
    counts: &mut BTreeMap<String, usize>,
) -> Result<()> {
    let mut buf = String::new();
    for &doc in docs {
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
    Ok(())
}

/// Computes statistics from the fast fields of the article documents.
pub fn compute(index: &OpedexIndex, searcher: &Searcher) -> Result<Stats> {
    let mut stats = Stats {
        passages: searcher.search(&kind_query(index, KIND_PASSAGE), &Count)?,
        vectors: index.info.vectors.as_ref().map(|v| VectorSummary {
            articles: v.articles,
            vectors: v.vectors,
            model: v.model_name.clone(),
            dims: v.dims,
            window: v.window,
            units: v.units.clone(),
        }),
        ..Stats::default()
    };
    for (segment, doc_ids) in article_docs(index, searcher)? {
        let ff = searcher.segment_reader(segment).fast_fields();
        let columns = [
            (ff.str("outlet_exact")?, &mut stats.outlets),
            (ff.str("author_exact")?, &mut stats.authors),
            (ff.str("topic")?, &mut stats.topics),
            (ff.str("lang")?, &mut stats.langs),
        ];
        let published = ff.date("published")?;
        for (column, counts) in columns {
            if let Some(column) = column {
                count_values(&column, &doc_ids, counts)?;
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

/// One topic and the number of articles that have it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TopicCount {
    /// The topic's name.
    pub topic: String,
    /// Articles with this topic.
    pub articles: usize,
    /// Its IPTC Media Topics concept (`medtop:…`), when one fits.
    pub iptc: Option<String>,
    /// Other names `--topic` accepts for it.
    pub aliases: Vec<String>,
    /// False for a topic the index holds but the vocabulary lacks (an index
    /// built with `--topics FILE`).
    pub in_vocabulary: bool,
}

/// Articles per topic: every topic of `vocabulary` (0 when no article has
/// it) and every other topic the index holds; most articles first, ties by
/// name. Reads only the topic column.
pub fn topic_counts(
    index: &OpedexIndex,
    searcher: &Searcher,
    vocabulary: &Vocabulary,
) -> Result<Vec<TopicCount>> {
    let mut counts = BTreeMap::new();
    for (segment, doc_ids) in article_docs(index, searcher)? {
        if let Some(column) = searcher
            .segment_reader(segment)
            .fast_fields()
            .str("topic")?
        {
            count_values(&column, &doc_ids, &mut counts)?;
        }
    }
    let mut out: Vec<TopicCount> = vocabulary
        .topics()
        .iter()
        .map(|t| TopicCount {
            topic: t.name.clone(),
            articles: counts.remove(&t.name).unwrap_or(0),
            iptc: t.iptc.clone(),
            aliases: t.aliases.clone(),
            in_vocabulary: true,
        })
        .collect();
    out.extend(counts.into_iter().map(|(topic, articles)| TopicCount {
        topic,
        articles,
        iptc: None,
        aliases: Vec::new(),
        in_vocabulary: false,
    }));
    out.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.topic.cmp(&b.topic)));
    Ok(out)
}

/// Every topic value in the index's term dictionary (a deleted article's
/// topics may linger until segments merge).
pub fn topic_names(index: &OpedexIndex, searcher: &Searcher) -> Result<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(index.fields.topic)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            names.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    Ok(names)
}
