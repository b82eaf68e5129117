//! Pseudo-relevance feedback (`--expand`), in the manner of RM3.
//!
//! The query is first run as typed. Its best [`FEEDBACK_ARTICLES`] articles
//! are taken as relevant, and each one's most distinctive words (those
//! `similar` uses: sub-linear tf × IDF, stop words and numbers left out) are
//! weighted by the article's share of the feedback articles' scores and
//! summed. The [`EXPANSION_TERMS`] best words that the query does not already
//! hold join the query as optional title and body clauses; the strongest
//! weighs [`EXPANSION_WEIGHT`] times a typed word. They change which passages
//! are retrieved and their BM25, never what a hit must contain; coverage,
//! proximity and article evidence still count only the typed words.

use std::collections::{HashMap, HashSet};

use tantivy::query::{BoostQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::highlight::analyse_units;
use super::query::ParsedQuery;
use super::similar::distinctive_terms_of;
use super::SearchRequest;
use crate::error::Result;
use crate::index::stored::load_article;
use crate::index::OpedexIndex;

/// Articles of the first run taken as relevant.
pub const FEEDBACK_ARTICLES: usize = 10;
/// Words added to the query.
pub const EXPANSION_TERMS: usize = 10;
/// Weight of the strongest added word, relative to a typed word.
pub const EXPANSION_WEIGHT: f32 = 0.3;
/// Distinctive words read from each feedback article.
const TERMS_PER_ARTICLE: usize = 25;

/// The expansion clauses for `req` (whose ranked words are `parsed`), over
/// the title and body fields of the feedback articles' languages; empty when
/// the first run finds nothing.
pub fn expansion(
    index: &OpedexIndex,
    searcher: &Searcher,
    req: &SearchRequest,
    parsed: &ParsedQuery,
    langs: &[&str],
    title_boost: f32,
) -> Result<Vec<Box<dyn Query>>> {
    let mut first = req.clone();
    first.ranking.expand = false;
    first.limit = FEEDBACK_ARTICLES;
    first.per_article = 1;
    first.offset = 0;
    first.sort = super::Sort::Relevance;
    first.facets = false;
    let hits = super::search(index, searcher, &first)?.hits;
    let total: f32 = hits
        .iter()
        .map(|h| h.score.max(0.0))
        .sum::<f32>()
        .max(f32::MIN_POSITIVE);
    let mut weights: HashMap<(&'static str, String), f32> = HashMap::new();
    for h in &hits {
        let a = load_article(index, searcher, &h.article.id)?;
        let (key, terms) = distinctive_terms_of(index, searcher, &a, TERMS_PER_ARTICLE)?;
        let Some(strongest) = terms.first().map(|t| t.1).filter(|w| *w > 0.0) else {
            continue;
        };
        let share = h.score.max(0.0) / total;
        for (t, w) in terms {
            *weights.entry((key, t)).or_default() += share * w / strongest;
        }
    }
    let typed: HashSet<(&str, String)> = langs
        .iter()
        .flat_map(|&key| {
            analyse_units(key, parsed.text_clauses().map(|c| c.text.as_str()))
                .into_iter()
                .flatten()
                .map(move |t| (key, t))
        })
        .collect();
    let mut list: Vec<((&'static str, String), f32)> = weights
        .into_iter()
        .filter(|((key, t), _)| !typed.contains(&(*key, t.clone())))
        .collect();
    list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    list.truncate(EXPANSION_TERMS);
    let Some(strongest) = list.first().map(|x| x.1).filter(|w| *w > 0.0) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    for ((key, t), w) in list {
        let Some((title, body)) = index.fields.text_fields(key) else {
            continue;
        };
        let boost = EXPANSION_WEIGHT * w / strongest;
        for (field, b) in [(body, boost), (title, boost * title_boost)] {
            let q = TermQuery::new(
                Term::from_field_text(field, &t),
                IndexRecordOption::WithFreqs,
            );
            out.push(Box::new(BoostQuery::new(Box::new(q), b)));
        }
    }
    Ok(out)
}
