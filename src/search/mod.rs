//! Searching: a query and filters in, ranked passages with their articles out.
//!
//! [`search`] runs one stage after another, each in its own module:
//! parse (`parse`: the query language, qualifiers as filters, typographic
//! folding, stop words) → correct ([`typo`]) → expand ([`expand`], off by
//! default) → retrieve (`retrieve`: BM25 over passages, title and text,
//! every language present) → rerank (`rerank`: coverage, proximity,
//! whole-article evidence) → group (`group`: best first, at most
//! `per_article` passages per article) → load (`load`: the shown passages
//! and their articles) → highlight ([`highlight`]). Beside them, `matching`
//! finds every matching article when the total, the facets ([`facets`]) or
//! date order (`order`) need them, and `exclude` makes `-word` leave out
//! whole articles. [`similar`] reuses retrieval and grouping. [`hybrid`]
//! runs semantic and hybrid searches: [`dense`] retrieval over the index's
//! vectors, fused with this lexical ranking.
//!
//! Search sits on top of the index: it may use `index`, `analysis`,
//! `article`, `normalize` (to clean the query line) and `error`. Nothing
//! below it (`index`, `ingest`) uses search.

pub mod collect;
pub mod dense;
pub mod evidence;
mod exclude;
pub mod expand;
pub mod facets;
mod filters;
mod group;
pub mod highlight;
pub mod hybrid;
pub mod limits;
mod load;
mod matching;
mod order;
mod parse;
pub mod query;
mod rerank;
mod retrieve;
pub mod similar;
pub mod typo;

use std::collections::HashSet;
use std::ops::Range;
use std::str::FromStr;

use jiff::civil::Date;
use serde::Serialize;
use tantivy::query::{BooleanQuery, Occur, Query, TermSetQuery};
use tantivy::{Searcher, Term};

use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::OpedexIndex;
pub use facets::{FacetCounts, FacetValue, Facets};
use group::{ArticleIds, Shown};
pub use hybrid::Mode;
use parse::Parsed;
use query::ParsedQuery;

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

/// Filters on article metadata. Values of one kind are OR-ed; kinds are
/// AND-ed. The query's qualifiers (`outlet:slate`, `year:2019`) add to them.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Author names or parts of them (`lukyanov`).
    pub authors: Vec<String>,
    /// Outlet or site names or parts of them (`nikkei`).
    pub outlets: Vec<String>,
    /// Sections (rubrics) or parts of their names (`opinion`).
    pub sections: Vec<String>,
    /// Topic labels.
    pub topics: Vec<String>,
    /// Languages (ISO 639-1).
    pub langs: Vec<String>,
    /// Published on or after this day.
    pub since: Option<Date>,
    /// Published on or before this day.
    pub until: Option<Date>,
    /// Whole article ids: only these articles' passages (the web page's
    /// "more passages of this article").
    pub articles: Vec<String>,
}

impl Filters {
    /// True when no filter is set.
    pub fn is_empty(&self) -> bool {
        self.authors.is_empty()
            && self.outlets.is_empty()
            && self.sections.is_empty()
            && self.topics.is_empty()
            && self.langs.is_empty()
            && self.since.is_none()
            && self.until.is_none()
            && self.articles.is_empty()
    }
}

/// The order of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (the ranking of [`Ranking`]).
    #[default]
    Relevance,
    /// Latest publication date first; undated articles last.
    Newest,
    /// Earliest publication date first; undated articles last.
    Oldest,
}

impl FromStr for Sort {
    type Err = Error;
    fn from_str(s: &str) -> Result<Sort> {
        match s {
            "relevance" => Ok(Sort::Relevance),
            "newest" => Ok(Sort::Newest),
            "oldest" => Ok(Sort::Oldest),
            other => Err(Error::Invalid(format!(
                "unknown sort order {other:?}; use relevance, newest or oldest"
            ))),
        }
    }
}

/// A search to run.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query text.
    pub query: String,
    /// Metadata filters.
    pub filters: Filters,
    /// Number of results (hits); 0 asks only for the total and facets.
    pub limit: usize,
    /// Results to skip before the first one returned, for paging: the hits
    /// are those at ranks `offset + 1 ..= offset + limit`.
    pub offset: usize,
    /// Most passages per article.
    pub per_article: usize,
    /// The order of results.
    pub sort: Sort,
    /// Count the matching articles by outlet, author, topic, language and year.
    pub facets: bool,
    /// Ranking features.
    pub ranking: Ranking,
}

impl SearchRequest {
    /// A search for `query` with what `opedex search` uses by default: no
    /// filters, 10 results from the first, one passage per article, by
    /// relevance with every ranking feature, no facets.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            per_article: 1,
            sort: Sort::Relevance,
            facets: false,
            ranking: Ranking::default(),
        }
    }
}

/// One ranked passage with its article.
#[derive(Debug, Clone)]
pub struct Hit {
    /// 1-based rank, counting the hits skipped by `offset`.
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
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// The ranked passages of the page asked for, best (or newest, oldest) first.
    pub hits: Vec<Hit>,
    /// How many articles match: those with at least one passage that
    /// matches the query run, its filters and exclusions (articles, not
    /// passages; exact).
    pub total: usize,
    /// Counts of the matching articles by outlet, author, topic, language
    /// and year, when asked for.
    pub facets: Option<Facets>,
    /// The query actually run, when the query as typed found nothing and a
    /// corrected one did ("showing results for …").
    pub corrected_query: Option<String>,
    /// A corrected query offered while the query as typed was run, because
    /// it found something but has a word that no article holds ("did you
    /// mean …").
    pub did_you_mean: Option<String>,
    /// The phrase searched when every word of the query is a stop word.
    pub stop_word_phrase: Option<String>,
    /// The mode the search ran in: [`Mode::Auto`] resolved, so a caller can
    /// tell the user that an index with vectors was searched lexically
    /// because no model was found. Lexical for a lexical search.
    pub mode: Mode,
}

/// What another engine's first stage needs of `req` over the analyser
/// languages `langs`: the query's clauses and the filters after the parse
/// stage (qualifiers as filters, typography folded and stop words dropped
/// when the ranking says so), and how many passages to fetch.
pub(crate) fn first_stage(
    req: &SearchRequest,
    langs: &[&str],
) -> Result<(ParsedQuery, Filters, usize)> {
    let req = limits::bound(req)?;
    let Parsed { query, filters, .. } = parse::parse(&req, langs)?;
    let pool = retrieve::pool_size(req.offset + req.limit, req.per_article);
    Ok((query, filters, pool))
}

/// Runs a search against the committed state seen by `searcher`.
pub fn search(
    index: &OpedexIndex,
    searcher: &Searcher,
    req: &SearchRequest,
) -> Result<SearchResults> {
    search_choosing(index, searcher, req, None)
}

/// Sees a search's page as ranked passages, (article id, score) best first,
/// before anything of them is read from the store, and names the articles
/// whose hits are loaded.
pub(crate) type Choose<'c> = dyn FnMut(&[(&str, f32)]) -> Result<HashSet<String>> + 'c;

/// [`search`], loading the hits of only the articles `choose` names (all of
/// them without one): a
/// hybrid search ranks the lexical side deeper than its page and fuses
/// first, so that it reads only the articles it shows. The hits keep their
/// order; their ranks count the hits kept.
pub(crate) fn search_choosing(
    index: &OpedexIndex,
    searcher: &Searcher,
    req: &SearchRequest,
    mut choose: Option<&mut Choose>,
) -> Result<SearchResults> {
    let req = &limits::bound(req)?;
    let langs: Vec<&str> = index.info.langs.iter().map(String::as_str).collect();
    // parse: the words to rank, the filters, a query of stop words as a phrase.
    let Parsed {
        query: parsed,
        filters,
        stop_word_phrase,
    } = parse::parse(req, &langs)?;
    // correct: words that no article holds, offered or run corrected.
    let typos = req.ranking.typos;
    let fixes = if typos {
        typo::corrections(searcher, &index.fields, &langs, &parsed, false)?
    } else {
        typo::Corrections::default()
    };
    let mut results = run(
        index,
        searcher,
        req,
        &parsed,
        &filters,
        &langs,
        choose.as_deref_mut(),
    )?;
    if results.total == 0 && typos {
        // Nothing found: words much rarer than a near word may be wrong too.
        let fixes = typo::corrections(searcher, &index.fields, &langs, &parsed, true)?;
        if !fixes.is_empty() {
            let fixed = typo::apply(&parsed, fixes.all());
            let corrected = run(index, searcher, req, &fixed, &filters, &langs, choose)?;
            if corrected.total > 0 {
                results = SearchResults {
                    corrected_query: Some(typo::corrected_query(&req.query, fixes.all())),
                    ..corrected
                };
            }
        }
    } else if !fixes.absent.is_empty() {
        results.did_you_mean = Some(typo::corrected_query(&req.query, &fixes.absent));
    }
    results.stop_word_phrase = stop_word_phrase;
    results.mode = Mode::Lexical;
    Ok(results)
}

/// Runs `parsed` with `filters`: the total, the facets when asked for, and
/// the page of hits in the order asked for, of the articles `choose` keeps
/// (all without one).
fn run(
    index: &OpedexIndex,
    searcher: &Searcher,
    req: &SearchRequest,
    parsed: &ParsedQuery,
    filters: &Filters,
    langs: &[&str],
    choose: Option<&mut Choose>,
) -> Result<SearchResults> {
    let ranking = &req.ranking;
    let filter_queries = filters.queries(index)?;
    let boost = ranking.title_boost();
    // expand: a first search's best articles lend the query their words.
    let expansion = if ranking.expand && parsed.text_clauses().next().is_some() {
        expand::expansion(index, searcher, req, parsed, langs, boost)?
    } else {
        Vec::new()
    };
    let Some(query) = query::build(
        parsed,
        filter_queries,
        &index.fields,
        langs,
        boost,
        expansion,
    ) else {
        return Ok(SearchResults::default());
    };
    let window = req.offset + req.limit;
    let sorted_by_date = req.sort != Sort::Relevance;
    // Every matching article, when the facets or date order need them.
    let matched = if req.facets || (sorted_by_date && window > 0) {
        Some(matching::articles(index, searcher, query.as_ref())?)
    } else {
        None
    };
    let facets = match (&matched, req.facets) {
        (Some(m), true) => Some(facets::count(index, searcher, m)?),
        _ => None,
    };
    let mut ids = ArticleIds::new(index, searcher);
    let (mut shown, by_lang, pool_total) = if window == 0 {
        (Vec::new(), Default::default(), None)
    } else if let (true, Some(m)) = (sorted_by_date, &matched) {
        let page = order::page(
            index,
            searcher,
            m,
            req.sort,
            req.offset,
            req.limit,
            req.per_article,
            &mut ids,
        )?;
        let (shown, by_lang) = dated_page(index, searcher, req, parsed, &query, &page, &mut ids)?;
        (shown, by_lang, None)
    } else {
        // retrieve: the query's best passages by BM25, each named by its article.
        let (mut candidates, complete) =
            retrieve::candidates(index, searcher, query.as_ref(), window, req.per_article)?;
        // A pool that holds every matching passage gives the total at once.
        let pool_total = complete.then(|| {
            let articles: HashSet<group::ArticleKey> =
                candidates.iter().map(|c| c.article).collect();
            articles.len()
        });
        // rerank: passage and article evidence for the query's units.
        let by_lang = rerank::lang_units(index, searcher, parsed, &candidates)?;
        rerank::rerank(
            index,
            searcher,
            ranking,
            &by_lang,
            &mut candidates,
            &mut ids,
        )?;
        // group: best first, at most `per_article` passages per article.
        let mut shown = group::shown(candidates, &mut ids, window, req.per_article)?;
        shown.drain(..req.offset.min(shown.len()));
        (shown, by_lang, pool_total)
    };
    let total = match (&matched, pool_total) {
        (Some(m), _) => m.len(),
        (None, Some(n)) => n,
        (None, None) => matching::articles(index, searcher, query.as_ref())?.len(),
    };
    if let Some(choose) = choose {
        let ranked: Vec<(&str, f32)> = shown
            .iter()
            .map(|s| (s.id.as_str(), s.candidate.score))
            .collect();
        let keep = choose(&ranked)?;
        shown.retain(|s| keep.contains(&s.id));
    }
    // load: only the passages shown, and their articles, are read from the store.
    let mut hits = load::hits(index, searcher, &shown, req.offset)?;
    // highlight: the matched words of each passage shown.
    for (hit, s) in hits.iter_mut().zip(&shown) {
        let c = &s.candidate;
        hit.highlights = highlight::shown(c.key, &by_lang[c.key].units, &hit.text, &c.matches);
    }
    Ok(SearchResults {
        hits,
        total,
        facets,
        ..SearchResults::default()
    })
}

/// The passages shown for a page in date order: the best of each article
/// of `page` (ranked among that article's own passages as in relevance
/// order), articles in page order.
fn dated_page(
    index: &OpedexIndex,
    searcher: &Searcher,
    req: &SearchRequest,
    parsed: &ParsedQuery,
    query: &dyn Query,
    page: &order::Page,
    ids: &mut ArticleIds,
) -> Result<(Vec<Shown>, rerank::ByLang)> {
    if page.articles.is_empty() {
        return Ok((Vec::new(), Default::default()));
    }
    let terms: Vec<Term> = page
        .articles
        .iter()
        .map(|(_, id, _)| Term::from_field_text(index.fields.article_id, id))
        .collect();
    let these: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (Occur::Must, Box::new(TermSetQuery::new(terms))),
    ]));
    let articles = page.articles.len();
    let (mut candidates, _) =
        retrieve::candidates(index, searcher, these.as_ref(), articles, req.per_article)?;
    let by_lang = rerank::lang_units(index, searcher, parsed, &candidates)?;
    rerank::rerank(
        index,
        searcher,
        &req.ranking,
        &by_lang,
        &mut candidates,
        ids,
    )?;
    let mut shown = group::shown(candidates, ids, articles * req.per_article, req.per_article)?;
    let place = |id: &str| page.articles.iter().position(|(_, a, _)| a == id);
    shown.sort_by_key(|s| place(&s.id).unwrap_or(usize::MAX));
    shown.drain(..page.skip.min(shown.len()));
    shown.truncate(req.limit);
    Ok((shown, by_lang))
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
