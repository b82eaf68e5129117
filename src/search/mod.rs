//! Searching: filters, candidate retrieval, ranking and grouping by article.
//!
//! Retrieval is BM25 over passages (title and passage text, every language
//! present in the index). The best candidates are then re-ranked: passages
//! covering more of the query's words and phrases (in their text or their
//! article's title) come first, BM25 breaks ties, and each article contributes
//! at most `per_article` passages.

pub mod highlight;
pub mod limits;
pub mod query;

use std::collections::{HashMap, HashSet};
use std::ops::{Bound, Range};

use jiff::civil::Date;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery};
use tantivy::schema::Value;
use tantivy::{DateTime, Searcher, TantivyDocument, Term};

use crate::analysis::analyser_key;
use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::OpedexIndex;
use query::{keyword_query, name_query};

/// Candidates fetched per result slot before re-ranking.
const CANDIDATES_PER_SLOT: usize = 8;
/// Fewest candidates fetched.
const MIN_CANDIDATES: usize = 100;
/// Most results one search returns.
pub const MAX_RESULTS: usize = 1000;

/// Filters on article metadata. Values of one kind are OR-ed; kinds are AND-ed.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Author names or parts of them (`lukyanov`).
    pub authors: Vec<String>,
    /// Outlet or site names or parts of them (`nikkei`).
    pub outlets: Vec<String>,
    /// Topic labels.
    pub topics: Vec<String>,
    /// Languages (ISO 639-1).
    pub langs: Vec<String>,
    /// Published on or after this day.
    pub since: Option<Date>,
    /// Published on or before this day.
    pub until: Option<Date>,
}

/// A search to run.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query text.
    pub query: String,
    /// Metadata filters.
    pub filters: Filters,
    /// Number of results.
    pub limit: usize,
    /// Most passages per article.
    pub per_article: usize,
}

/// One ranked passage with its article.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// Retrieval score (BM25).
    pub score: f32,
    /// Position of the passage in its article.
    pub passage: usize,
    /// The passage text.
    pub text: String,
    /// Byte ranges of matched words in `text`.
    pub highlights: Vec<Range<usize>>,
    /// The article, without body and without contact details.
    pub article: Article,
}

struct Candidate {
    score: f32,
    covered: usize,
    article_id: String,
    passage: usize,
    text: String,
    highlights: Vec<Range<usize>>,
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

fn date_term(index: &OpedexIndex, d: Date, end: bool) -> Result<Term> {
    let midnight = d
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|e| Error::Invalid(format!("date {d}: {e}")))?
        .timestamp()
        .as_second();
    let secs = if end { midnight + 86_399 } else { midnight };
    Ok(Term::from_field_date_for_search(
        index.fields.published,
        DateTime::from_timestamp_secs(secs),
    ))
}

impl Filters {
    /// True when no filter is set.
    pub fn is_empty(&self) -> bool {
        self.authors.is_empty()
            && self.outlets.is_empty()
            && self.topics.is_empty()
            && self.langs.is_empty()
            && self.since.is_none()
            && self.until.is_none()
    }

    fn queries(&self, index: &OpedexIndex) -> Result<Vec<Box<dyn Query>>> {
        let f = &index.fields;
        let mut out = Vec::new();
        let names = |field, values: &[String], what: &str| -> Result<Option<Box<dyn Query>>> {
            if values.is_empty() {
                return Ok(None);
            }
            let qs = values
                .iter()
                .map(|v| {
                    name_query(field, v).ok_or_else(|| {
                        Error::Invalid(format!("--{what} {v:?} has no words to match"))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Some(any_of(qs)))
        };
        out.extend(names(f.author, &self.authors, "author")?);
        out.extend(names(f.outlet, &self.outlets, "outlet")?);
        if !self.topics.is_empty() {
            out.push(any_of(
                self.topics
                    .iter()
                    .map(|t| keyword_query(f.topic, t))
                    .collect(),
            ));
        }
        if !self.langs.is_empty() {
            out.push(any_of(
                self.langs
                    .iter()
                    .map(|l| keyword_query(f.lang, l))
                    .collect(),
            ));
        }
        if self.since.is_some() || self.until.is_some() {
            if let (Some(s), Some(u)) = (self.since, self.until) {
                if s > u {
                    return Err(Error::Invalid(format!("--since {s} is after --until {u}")));
                }
            }
            let lower = match self.since {
                Some(d) => Bound::Included(date_term(index, d, false)?),
                None => Bound::Unbounded,
            };
            let upper = match self.until {
                Some(d) => Bound::Included(date_term(index, d, true)?),
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(lower, upper)));
        }
        Ok(out)
    }
}

/// Runs a search against the committed state seen by `searcher`.
pub fn search(index: &OpedexIndex, searcher: &Searcher, req: &SearchRequest) -> Result<Vec<Hit>> {
    let req = &limits::bound(req)?;
    let parsed = query::parse(&req.query)?;
    if parsed.clauses.is_empty() && req.filters.is_empty() {
        return Err(Error::Query(
            "the query is empty; give words to search for".into(),
        ));
    }
    let limit = req.limit.clamp(1, MAX_RESULTS);
    let per_article = req.per_article.max(1);
    let langs: Vec<&str> = index.info.langs.iter().map(String::as_str).collect();
    let filters = req.filters.queries(index)?;
    let Some(query) = query::build(&parsed, filters, &index.fields, &langs) else {
        return Ok(Vec::new());
    };
    let wanted = (limit * per_article * CANDIDATES_PER_SLOT).max(MIN_CANDIDATES);
    let top = searcher.search(&query, &TopDocs::with_limit(wanted).order_by_score())?;

    let mut units_by_lang: HashMap<&'static str, highlight::Units> = HashMap::new();
    let mut candidates = Vec::with_capacity(top.len());
    let f = &index.fields;
    for (score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let get = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let key = analyser_key(doc.get_first(f.lang).and_then(|v| v.as_str()));
        let units = units_by_lang.entry(key).or_insert_with(|| {
            highlight::analyse_units(key, parsed.text_clauses().map(|c| c.text.as_str()))
        });
        let text = get(f.text);
        let m = highlight::find(key, units, &text, &get(f.title));
        candidates.push(Candidate {
            score,
            covered: m.covered,
            article_id: get(f.article_id),
            passage: doc
                .get_first(f.passage)
                .and_then(|v| v.as_u64())
                .unwrap_or(0) as usize,
            text,
            highlights: m.ranges,
        });
    }
    candidates.sort_by(|a, b| {
        b.covered
            .cmp(&a.covered)
            .then(b.score.total_cmp(&a.score))
            .then(a.article_id.cmp(&b.article_id))
            .then(a.passage.cmp(&b.passage))
    });

    let mut per: HashMap<String, usize> = HashMap::new();
    let mut hits = Vec::new();
    let mut articles: HashMap<String, Article> = HashMap::new();
    for c in candidates {
        let n = per.entry(c.article_id.clone()).or_default();
        if *n >= per_article {
            continue;
        }
        *n += 1;
        if !articles.contains_key(&c.article_id) {
            let mut a = load_article(index, searcher, &c.article_id)?;
            a.body.clear();
            articles.insert(c.article_id.clone(), a.without_contacts());
        }
        hits.push(Hit {
            rank: hits.len() + 1,
            score: c.score,
            passage: c.passage,
            text: c.text,
            highlights: c.highlights,
            article: articles[&c.article_id].clone(),
        });
        if hits.len() == limit {
            break;
        }
    }
    Ok(hits)
}

/// Loads the whole stored article with this id.
pub fn load_article(index: &OpedexIndex, searcher: &Searcher, id: &str) -> Result<Article> {
    let f = &index.fields;
    let addr = index
        .article_doc(searcher, id)?
        .ok_or_else(|| Error::NoSuchArticle(id.to_string()))?;
    let doc: TantivyDocument = searcher.doc(addr)?;
    let json = doc
        .get_first(f.article_json)
        .and_then(|v| v.as_str())
        .ok_or_else(|| Error::NoSuchArticle(id.to_string()))?;
    Ok(serde_json::from_str(json)?)
}

/// Ids of articles whose id starts with `prefix` (for `show` with a short id).
pub fn ids_with_prefix(
    searcher: &Searcher,
    index: &OpedexIndex,
    prefix: &str,
) -> Result<Vec<String>> {
    let mut out = HashSet::new();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(index.fields.article_id)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()
            .map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            let Ok(key) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if !key.starts_with(prefix) || out.len() > 10 {
                break;
            }
            out.insert(key.to_string());
        }
    }
    let mut v: Vec<String> = out.into_iter().collect();
    v.sort();
    Ok(v)
}
