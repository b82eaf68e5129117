//! Searching: a query and filters in, ranked passages with their articles out.
//!
//! [`search`] runs one stage after another, each in its own module:
//! parse (`parse`: the query language, typographic folding, stop words) →
//! correct ([`typo`]) → expand ([`expand`], off by default) → retrieve
//! (`retrieve`: BM25 over passages, title and text, every language present)
//! → rerank (`rerank`: coverage, proximity, whole-article evidence) → group
//! (`group`: best first, at most `per_article` passages per article) → load
//! (`load`: the shown passages and their articles) → highlight
//! ([`highlight`]). [`similar`] reuses retrieval and grouping.
//! [`hybrid`] runs semantic and hybrid searches: [`dense`] retrieval over
//! the index's vectors, fused with this lexical ranking.
//!
//! Search sits on top of the index: it may use `index`, `analysis`,
//! `article`, `normalize` (to clean the query line) and `error`. Nothing
//! below it (`index`, `ingest`) uses search.

pub mod collect;
pub mod dense;
pub mod evidence;
pub mod expand;
mod filters;
mod group;
pub mod highlight;
pub mod hybrid;
pub mod limits;
mod load;
mod parse;
pub mod query;
mod rerank;
mod retrieve;
pub mod similar;
pub mod typo;

use std::ops::Range;

use jiff::civil::Date;
use tantivy::Searcher;

use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::OpedexIndex;
use group::ArticleIds;
pub use hybrid::Mode;

/// Most results one search returns.
pub const MAX_RESULTS: usize = 1000;

/// Which ranking features are on. [`Ranking::default`] is what `search` uses;
/// [`Ranking::plain`] turns everything off: Tantivy BM25 over passages (title
/// and text fields, unboosted, every query word), grouped per article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    /// Title matches weigh [`query::TITLE_BOOST`] times passage-text matches.
    pub field_weights: bool,
    /// Typographic dashes and apostrophes, possessives and hyphenated words
    /// are folded ([`query::fold_typography`]).
    pub typography: bool,
    /// Optional stop words are dropped from the query.
    pub stop_words: bool,
    /// Passages holding more (IDF-weighted) query units rank higher; short
    /// queries order by the number of units held first.
    pub coverage: bool,
    /// Passages whose units occur close together rank higher.
    pub proximity: bool,
    /// An article's other matching passages add to its best passage.
    pub article: bool,
    /// A plain word that matches nothing is replaced by the most frequent
    /// indexed word one or two edits away ([`typo`]).
    pub typos: bool,
    /// Pseudo-relevance feedback ([`expand`]): the best articles' distinctive
    /// words are added to the query with a low weight. Off by default.
    pub expand: bool,
    /// Lexical, semantic or hybrid ([`Mode`]); [`Mode::Auto`] by default.
    pub mode: Mode,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            field_weights: true,
            typography: true,
            stop_words: true,
            coverage: true,
            proximity: true,
            article: true,
            typos: true,
            expand: false,
            mode: Mode::Auto,
        }
    }
}

impl Ranking {
    /// Every feature off: plain BM25.
    pub fn plain() -> Self {
        Ranking {
            field_weights: false,
            typography: false,
            stop_words: false,
            coverage: false,
            proximity: false,
            article: false,
            typos: false,
            expand: false,
            mode: Mode::Lexical,
        }
    }

    /// Names of the features, for `--without`.
    pub const FEATURES: [&'static str; 7] = [
        "field-weights",
        "typography",
        "stop-words",
        "coverage",
        "proximity",
        "article",
        "typos",
    ];

    /// Turns one feature (named as in [`Ranking::FEATURES`]) on or off.
    /// `normalize`, the old name of `typography`, is still accepted, so
    /// existing `eval --without normalize` command lines keep working.
    pub fn set(&mut self, feature: &str, on: bool) -> Result<()> {
        let f = match feature {
            "field-weights" => &mut self.field_weights,
            "typography" | "normalize" => &mut self.typography,
            "stop-words" => &mut self.stop_words,
            "coverage" => &mut self.coverage,
            "proximity" => &mut self.proximity,
            "article" => &mut self.article,
            "typos" => &mut self.typos,
            other => {
                return Err(Error::Invalid(format!(
                    "unknown ranking feature {other:?}; known: {}",
                    Ranking::FEATURES.join(", ")
                )))
            }
        };
        *f = on;
        Ok(())
    }

    /// Whether any feature changes the BM25 order of the candidates.
    fn reranks(&self) -> bool {
        self.coverage || self.proximity || self.article
    }

    /// How much a title match weighs against a passage-text match.
    fn title_boost(&self) -> f32 {
        if self.field_weights {
            query::TITLE_BOOST
        } else {
            1.0
        }
    }
}

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
    /// Ranking features.
    pub ranking: Ranking,
}

/// One ranked passage with its article.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// Ranking score: BM25 for plain ranking, else the re-ranked score.
    pub score: f32,
    /// Position of the passage in its article.
    pub passage: usize,
    /// The passage text.
    pub text: String,
    /// Byte ranges of matched words in `text`.
    pub highlights: Vec<Range<usize>>,
    /// The article, without body and without contact details.
    pub article: Article,
    /// The query actually run when a word was corrected (typo tolerance).
    pub corrected_query: Option<String>,
}

/// Runs a search against the committed state seen by `searcher`.
pub fn search(index: &OpedexIndex, searcher: &Searcher, req: &SearchRequest) -> Result<Vec<Hit>> {
    let req = &limits::bound(req)?;
    let ranking = &req.ranking;
    let langs: Vec<&str> = index.info.langs.iter().map(String::as_str).collect();
    let limit = req.limit.clamp(1, MAX_RESULTS);
    let per_article = req.per_article.max(1);

    // parse, then correct: the words that will be ranked.
    let parsed = parse::parse(req, &langs)?;
    let (parsed, corrected_query) = typo::apply(searcher, &index.fields, &langs, req, parsed)?;
    let filters = req.filters.queries(index)?;
    let boost = ranking.title_boost();
    // expand: a first search's best articles lend the query their words.
    let expansion = if ranking.expand && parsed.text_clauses().next().is_some() {
        expand::expansion(index, searcher, req, &parsed, &langs, boost)?
    } else {
        Vec::new()
    };
    // retrieve: the Tantivy query's best passages by BM25, each named by its article.
    let Some(query) = query::build(&parsed, filters, &index.fields, &langs, boost, expansion)
    else {
        return Ok(Vec::new());
    };
    let mut candidates = retrieve::candidates(index, searcher, query.as_ref(), limit, per_article)?;
    // rerank: passage and article evidence for the query's units.
    let by_lang = rerank::lang_units(index, searcher, &parsed, &candidates)?;
    let mut ids = ArticleIds::new(index, searcher);
    rerank::rerank(
        index,
        searcher,
        ranking,
        &by_lang,
        &mut candidates,
        &mut ids,
    )?;
    // group: best first, at most `per_article` passages per article.
    let shown = group::shown(candidates, &mut ids, limit, per_article)?;
    // load: only the passages shown, and their articles, are read from the store.
    let mut hits = load::hits(index, searcher, &shown, corrected_query)?;
    // highlight: the matched words of each passage shown.
    for (hit, s) in hits.iter_mut().zip(&shown) {
        let c = &s.candidate;
        hit.highlights = highlight::shown(c.key, &by_lang[c.key].units, &hit.text, &c.matches);
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::Ranking;

    #[test]
    fn normalize_still_names_the_typography_feature() {
        let mut r = Ranking::default();
        r.set("normalize", false).unwrap();
        assert!(!r.typography);
        r.set("typography", true).unwrap();
        assert!(r.typography);
        assert!(r.set("normalise", false).is_err());
    }
}
