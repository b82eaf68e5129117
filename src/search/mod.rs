//! Searching: filters, candidate retrieval, ranking and grouping by article.
//!
//! Retrieval is BM25 over passages (title and passage text, every language
//! present in the index). The best candidates are then re-ranked: passages
//! covering more of the query's words and phrases (in their text or their
//! article's title) come first, BM25 breaks ties, and each article contributes
//! at most `per_article` passages.

pub mod collect;
pub mod evidence;
pub mod expand;
pub mod highlight;
pub mod limits;
pub mod query;
pub mod similar;
pub mod typo;

use std::collections::HashMap;
use std::ops::{Bound, Range};

use jiff::civil::Date;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery};
use tantivy::{DateTime, DocAddress, DocId, Searcher, Term};

use crate::analysis::analyser_key;
use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::columns::first_strings;
use crate::index::stored::{load_article_metadata_near, passage_text};
use crate::index::OpedexIndex;
use query::{keyword_query, name_query};

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
/// Most results one search returns.
pub const MAX_RESULTS: usize = 1000;
/// Weight of the IDF-weighted share of query units a passage (or its title) holds.
const W_COVERAGE: f32 = 0.6;
/// Weight of proximity: units held / tokens in the smallest window holding them.
const W_PROXIMITY: f32 = 0.5;
/// Weight of whole-article BM25 (divided by the best article's). 1.5 beat
/// 1.0, 1.25 and 2.0 on both evaluation sets (ARCHITECTURE.md).
const W_ARTICLE: f32 = 1.5;
/// How many articles (the best by their best passage) are scored whole.
const ARTICLES_RESCORED: usize = 100;

/// Which ranking features are on. [`Ranking::default`] is what `search` uses;
/// [`Ranking::plain`] turns everything off: Tantivy BM25 over passages (title
/// and text fields, unboosted, every query word), grouped per article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    /// Title matches weigh [`query::TITLE_BOOST`] times passage-text matches.
    pub field_weights: bool,
    /// Typographic dashes and apostrophes, possessives, hyphenated words.
    pub normalize: bool,
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
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            field_weights: true,
            normalize: true,
            stop_words: true,
            coverage: true,
            proximity: true,
            article: true,
            typos: true,
            expand: false,
        }
    }
}

impl Ranking {
    /// Every feature off: plain BM25.
    pub fn plain() -> Self {
        Ranking {
            field_weights: false,
            normalize: false,
            stop_words: false,
            coverage: false,
            proximity: false,
            article: false,
            typos: false,
            expand: false,
        }
    }

    /// Names of the features, for `--without`.
    pub const FEATURES: [&'static str; 7] = [
        "field-weights",
        "normalize",
        "stop-words",
        "coverage",
        "proximity",
        "article",
        "typos",
    ];

    /// Turns one feature (named as in [`Ranking::FEATURES`]) on or off.
    pub fn set(&mut self, feature: &str, on: bool) -> Result<()> {
        let f = match feature {
            "field-weights" => &mut self.field_weights,
            "normalize" => &mut self.normalize,
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

    fn reranks(&self) -> bool {
        self.coverage || self.proximity || self.article
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

struct Candidate {
    addr: DocAddress,
    bm25: f32,
    /// Passage-level score before article evidence.
    passage_score: f32,
    score: f32,
    article: ArticleKey,
    passage: usize,
    /// Analyser key of the article's language.
    key: &'static str,
    /// Where each query unit occurs in the passage (read when coverage or
    /// proximity ranks; empty otherwise).
    matches: Vec<highlight::UnitMatch>,
}

/// An article within one search: the segment that holds its documents and
/// the ordinal of its id in that segment's id column. The writer adds an
/// article's documents as one batch, which Tantivy keeps in one segment, so
/// this names a live article without reading its id; ids are read
/// ([`ArticleIds`]) only for the articles shown and to order ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ArticleKey {
    segment: u32,
    ord: u64,
}

/// Article ids, read from the index once per article when asked for.
struct ArticleIds<'a> {
    index: &'a OpedexIndex,
    searcher: &'a Searcher,
    known: HashMap<ArticleKey, String>,
}

impl<'a> ArticleIds<'a> {
    fn new(index: &'a OpedexIndex, searcher: &'a Searcher) -> Self {
        ArticleIds {
            index,
            searcher,
            known: HashMap::new(),
        }
    }

    /// Reads the ids of `keys` not read yet.
    fn read(&mut self, keys: impl IntoIterator<Item = ArticleKey>) -> Result<()> {
        for key in keys {
            if self.known.contains_key(&key) {
                continue;
            }
            let id = self
                .index
                .columns(self.searcher, key.segment)?
                .article_id(
                    self.searcher.segment_reader(key.segment),
                    self.index.fields.article_id,
                    key.ord,
                )?
                .unwrap_or_default();
            self.known.insert(key, id);
        }
        Ok(())
    }

    /// The id of an article [`ArticleIds::read`] has read ("" otherwise).
    fn get(&self, key: ArticleKey) -> &str {
        self.known.get(&key).map_or("", String::as_str)
    }

    /// The id of `key`, read if need be.
    fn id(&mut self, key: ArticleKey) -> Result<String> {
        self.read([key])?;
        Ok(self.get(key).to_string())
    }
}

/// Sorts `items` best first by `rank`; items that tie are ordered by article
/// id, then passage number (`at`), so equal scores come out the same way in
/// any index layout. Ids are read for ties only.
fn sort_ranked<T>(
    items: &mut [T],
    ids: &mut ArticleIds,
    rank: impl Fn(&T) -> (f32, f32),
    at: impl Fn(&T) -> (ArticleKey, usize),
) -> Result<()> {
    let by_rank = |a: &T, b: &T| {
        let ((a1, a2), (b1, b2)) = (rank(a), rank(b));
        b1.total_cmp(&a1).then(b2.total_cmp(&a2))
    };
    items.sort_by(by_rank);
    let mut start = 0;
    while start < items.len() {
        let mut end = start + 1;
        while end < items.len() && by_rank(&items[start], &items[end]).is_eq() {
            end += 1;
        }
        if end - start > 1 {
            let run = &mut items[start..end];
            ids.read(run.iter().map(|t| at(t).0))?;
            run.sort_by(|a, b| {
                let ((ka, pa), (kb, pb)) = (at(a), at(b));
                ids.get(ka).cmp(ids.get(kb)).then(pa.cmp(&pb))
            });
        }
        start = end;
    }
    Ok(())
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

/// IDF weights of one analysed unit (a phrase sums its words), for passages
/// and for whole articles: (passage IDF, article IDF).
///
/// The index counts passages; how many *articles* hold a word is estimated
/// from that, assuming its passages fall independently into articles of the
/// average passage count: P(article has it) = 1 − (1 − df/N)^(passages per article).
/// Passage counts make common words look rarer than they are at article level.
fn unit_weights(
    searcher: &Searcher,
    counts: (f32, f32),
    field: Option<tantivy::schema::Field>,
    unit: &[String],
) -> (f32, f32) {
    let Some(field) = field else {
        return (1.0, 1.0);
    };
    let (passages, articles) = counts;
    let per_article = (passages / articles.max(1.0)).max(1.0);
    let idf = |n: f32, df: f32| ((n - df + 0.5) / (df + 0.5)).ln().max(IDF_FLOOR);
    unit.iter()
        .map(|t| {
            let df = searcher
                .doc_freq(&Term::from_field_text(field, t))
                .unwrap_or(0) as f32;
            let p = (df / passages.max(1.0)).min(1.0);
            let article_df = articles * (1.0 - (1.0 - p).powf(per_article));
            (idf(passages, df), idf(articles, article_df))
        })
        .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1))
}

/// The query units of one analyser language, with their weights.
struct LangUnits {
    units: highlight::Units,
    /// Passage-level IDF per unit.
    weights: Vec<f32>,
    /// Estimated article-level IDF per unit.
    article_weights: Vec<f32>,
}

/// Smallest IDF: a word in more than half the documents still counts a little.
const IDF_FLOOR: f32 = 0.01;
/// BM25 parameters for whole-article scoring (Tantivy's defaults).
const BM25_K1: f32 = 1.2;
const BM25_B: f32 = 0.75;

/// Whole-article evidence: the best articles (by their best passage) are
/// scored by BM25 over their whole title and body, and that score, divided by
/// the best one, is added (times [`W_ARTICLE`]) to every passage of the article.
/// Judgments and readers judge articles, and an article that treats the
/// subject throughout beats one that mentions every word once in one passage.
/// The counts come from the index ([`evidence::article_counts`]): no article
/// is loaded or re-analysed.
fn article_evidence(
    index: &OpedexIndex,
    searcher: &Searcher,
    candidates: &mut [Candidate],
    by_lang: &HashMap<&'static str, LangUnits>,
    ids: &mut ArticleIds,
) -> Result<()> {
    // Best passage score and language of each article.
    let mut best: HashMap<ArticleKey, (f32, &'static str)> = HashMap::new();
    for c in candidates.iter() {
        let e = best.entry(c.article).or_insert((f32::MIN, c.key));
        e.0 = e.0.max(c.passage_score);
    }
    let mut order: Vec<(ArticleKey, (f32, &'static str))> = best.into_iter().collect();
    sort_ranked(&mut order, ids, |(_, (s, _))| (*s, 0.0), |(k, _)| (*k, 0))?;
    order.truncate(ARTICLES_RESCORED);
    let list: Vec<evidence::ArticleRef> = order
        .iter()
        .map(|(article, (_, key))| evidence::ArticleRef {
            segment: article.segment,
            ord: article.ord,
            key,
        })
        .collect();
    let units: HashMap<&'static str, &highlight::Units> =
        by_lang.iter().map(|(k, lu)| (*k, &lu.units)).collect();
    let counted = evidence::article_counts(index, searcher, &list, &units)?;
    let lengths: Vec<f32> = counted.iter().map(|c| c.len).filter(|l| *l > 0.0).collect();
    if lengths.is_empty() {
        return Ok(());
    }
    // The average length of the rescored articles stands in for the
    // collection's, which the index does not record per article.
    let avgdl = lengths.iter().sum::<f32>() / lengths.len() as f32;
    let scores: Vec<(ArticleKey, f32)> = order
        .iter()
        .zip(&counted)
        .filter_map(|((article, (_, key)), c)| {
            let weights = &by_lang.get(key)?.article_weights;
            let norm = BM25_K1 * (1.0 - BM25_B + BM25_B * c.len / avgdl.max(1.0));
            let s =
                c.tf.iter()
                    .zip(weights)
                    .map(|(tf, w)| w * tf * (BM25_K1 + 1.0) / (tf + norm))
                    .sum::<f32>();
            Some((*article, s))
        })
        .collect();
    let top = scores
        .iter()
        .map(|(_, s)| *s)
        .fold(f32::MIN_POSITIVE, f32::max);
    let bonus: HashMap<ArticleKey, f32> = scores
        .into_iter()
        .map(|(id, s)| (id, W_ARTICLE * s / top))
        .collect();
    for c in candidates.iter_mut() {
        c.score = c.passage_score + bonus.get(&c.article).copied().unwrap_or(0.0);
    }
    Ok(())
}

/// The best passages by BM25, identified: as many as fill `limit` results
/// of at most `per_article` passages each, when the index has them. A pool
/// that a few long articles fill is fetched again, four times larger.
fn candidates(
    index: &OpedexIndex,
    searcher: &Searcher,
    query: &dyn Query,
    limit: usize,
    per_article: usize,
) -> Result<Vec<Candidate>> {
    let mut wanted = (limit * per_article * CANDIDATES_PER_SLOT).max(MIN_CANDIDATES);
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
            return Ok(found);
        }
        wanted = (wanted * 4).min(MAX_CANDIDATES);
    }
}

/// Reads each candidate's article, passage number and language from fast
/// fields: no stored document is loaded, and no id read, to rank.
/// (A document without an id, which the writer never makes, is dropped.)
fn identify(
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
    let mut keys = vec![crate::analysis::FALLBACK; top.len()];
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

/// Where each query unit occurs in each candidate passage and its title,
/// from the postings ([`evidence::unit_starts`]), in candidate order.
fn unit_matches(
    fields: &crate::index::schema::Fields,
    searcher: &Searcher,
    candidates: &[Candidate],
    by_lang: &HashMap<&'static str, LangUnits>,
) -> Result<Vec<Vec<highlight::UnitMatch>>> {
    let mut out: Vec<Vec<highlight::UnitMatch>> = candidates
        .iter()
        .map(|c| vec![highlight::UnitMatch::default(); by_lang[c.key].units.len()])
        .collect();
    let mut groups: HashMap<(u32, &'static str), Vec<(DocId, usize)>> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        groups
            .entry((c.addr.segment_ord, c.key))
            .or_default()
            .push((c.addr.doc_id, i));
    }
    for ((seg_ord, key), mut list) in groups {
        let Some((title, body)) = fields.text_fields(key) else {
            continue;
        };
        list.sort_unstable();
        let docs: Vec<DocId> = list.iter().map(|(d, _)| *d).collect();
        let seg = searcher.segment_reader(seg_ord);
        for (u, unit) in by_lang[key].units.iter().enumerate() {
            let in_body = evidence::unit_starts(seg, body, unit, &docs)?;
            let in_title = evidence::unit_starts(seg, title, unit, &docs)?;
            for ((_, i), (b, t)) in list.iter().zip(in_body.into_iter().zip(in_title)) {
                out[*i][u] = highlight::UnitMatch {
                    positions: b.into_iter().map(|p| p as usize).collect(),
                    in_title: !t.is_empty(),
                };
            }
        }
    }
    Ok(out)
}

/// Runs a search against the committed state seen by `searcher`.
pub fn search(index: &OpedexIndex, searcher: &Searcher, req: &SearchRequest) -> Result<Vec<Hit>> {
    let req = &limits::bound(req)?;
    let ranking = &req.ranking;
    let mut parsed = query::parse(&req.query)?;
    if parsed.clauses.is_empty() && req.filters.is_empty() {
        return Err(Error::Query(
            "the query is empty; give words to search for".into(),
        ));
    }
    let limit = req.limit.clamp(1, MAX_RESULTS);
    let per_article = req.per_article.max(1);
    let langs: Vec<&str> = index.info.langs.iter().map(String::as_str).collect();
    if ranking.normalize {
        parsed = query::normalize_words(&parsed);
    }
    if ranking.stop_words {
        parsed = query::drop_stop_words(&parsed, &langs);
    }
    let mut corrected_query = None;
    if ranking.typos {
        let (fixed, corrections) = typo::correct(searcher, &index.fields, &langs, &parsed)?;
        if !corrections.is_empty() {
            corrected_query = Some(typo::corrected_query(&req.query, &corrections));
            parsed = fixed;
        }
    }
    let filters = req.filters.queries(index)?;
    let boost = if ranking.field_weights {
        query::TITLE_BOOST
    } else {
        1.0
    };
    let expansion = if ranking.expand && parsed.text_clauses().next().is_some() {
        expand::expansion(index, searcher, req, &parsed, &langs, boost)?
    } else {
        Vec::new()
    };
    let Some(query) = query::build(&parsed, filters, &index.fields, &langs, boost, expansion)
    else {
        return Ok(Vec::new());
    };
    let mut ids = ArticleIds::new(index, searcher);
    let mut candidates = candidates(index, searcher, query.as_ref(), limit, per_article)?;
    let max_bm25 = candidates
        .first()
        .map_or(1.0, |c| c.bm25.max(f32::MIN_POSITIVE));

    let kind_count = |kind| {
        searcher
            .doc_freq(&Term::from_field_text(index.fields.kind, kind))
            .map(|n| n as f32)
    };
    let counts = (
        kind_count(crate::index::schema::KIND_PASSAGE)?,
        kind_count(crate::index::schema::KIND_ARTICLE)?,
    );
    let f = &index.fields;
    let mut by_lang: HashMap<&'static str, LangUnits> = HashMap::new();
    for c in &candidates {
        by_lang.entry(c.key).or_insert_with(|| {
            let units =
                highlight::analyse_units(c.key, parsed.text_clauses().map(|c| c.text.as_str()));
            let body = f.text_fields(c.key).map(|(_, body)| body);
            let (weights, article_weights) = units
                .iter()
                .map(|u| unit_weights(searcher, counts, body, u))
                .unzip();
            LangUnits {
                units,
                weights,
                article_weights,
            }
        });
    }
    if ranking.reranks() {
        for c in candidates.iter_mut() {
            c.passage_score = c.bm25 / max_bm25;
            c.score = c.passage_score;
        }
    }
    if ranking.coverage || ranking.proximity {
        let matches = unit_matches(f, searcher, &candidates, &by_lang)?;
        for (c, m) in candidates.iter_mut().zip(matches) {
            let lu = &by_lang[c.key];
            let total: f32 = lu.weights.iter().sum::<f32>().max(f32::MIN_POSITIVE);
            if ranking.coverage {
                // A unit held only by the title counts half: the passage shown
                // should itself say what was asked.
                let held: f32 = m
                    .iter()
                    .zip(&lu.weights)
                    .map(|(u, w)| match (!u.positions.is_empty(), u.in_title) {
                        (true, _) => *w,
                        (false, true) => 0.5 * w,
                        (false, false) => 0.0,
                    })
                    .sum();
                c.passage_score += W_COVERAGE * held / total;
            }
            if ranking.proximity {
                if let Some((held, span)) = highlight::smallest_window(&m) {
                    let in_text: f32 = m
                        .iter()
                        .zip(&lu.weights)
                        .filter(|(u, _)| !u.positions.is_empty())
                        .map(|(_, w)| w)
                        .sum();
                    // Tight windows of much of the query count; a tight pair out
                    // of a long query counts little.
                    let share = in_text / total;
                    c.passage_score += W_PROXIMITY * (held as f32 / span as f32).sqrt() * share;
                }
            }
            c.score = c.passage_score;
            c.matches = m;
        }
    }
    if ranking.article {
        article_evidence(index, searcher, &mut candidates, &by_lang, &mut ids)?;
    }
    sort_ranked(
        &mut candidates,
        &mut ids,
        |c| (c.score, c.bm25),
        |c| (c.article, c.passage),
    )?;
    // Passages per article shown, counted by id.
    let mut per: HashMap<String, usize> = HashMap::new();
    let mut hits = Vec::new();
    let mut articles: HashMap<String, Article> = HashMap::new();
    for c in candidates {
        let id = ids.id(c.article)?;
        let n = per.entry(id.clone()).or_default();
        if *n >= per_article {
            continue;
        }
        *n += 1;
        if !articles.contains_key(&id) {
            let a = load_article_metadata_near(index, searcher, &id, c.addr.segment_ord)?;
            articles.insert(id.clone(), a.without_contacts());
        }
        // Only shown passages are loaded and highlighted.
        let text = passage_text(index, searcher, c.addr)?;
        // The positions read for ranking say where the words are; the text
        // is analysed whole only when they cannot be used.
        let units = &by_lang[c.key].units;
        let highlights = highlight::at_positions(c.key, units, &text, &c.matches)
            .unwrap_or_else(|| highlight::find(c.key, units, &text, "").ranges);
        hits.push(Hit {
            rank: hits.len() + 1,
            // Hits are sorted by this score, so it falls with rank (TREC
            // tools sort runs by score).
            score: c.score,
            passage: c.passage,
            text,
            highlights,
            article: articles[&id].clone(),
            corrected_query: corrected_query.clone(),
        });
        if hits.len() == limit {
            break;
        }
    }
    Ok(hits)
}
