//! Stage "rerank" of a search: BM25 (divided by the best candidate's) plus
//! passage evidence (how much of the query a passage holds, how close
//! together) and whole-article evidence, each a feature of
//! [`super::Ranking`]:
//!
//! `BM25/best BM25 + W_COVERAGE × coverage + W_PROXIMITY × proximity + W_ARTICLE × article`.
//!
//! Every count comes from the index ([`super::evidence`]): nothing is loaded
//! from the document store to rank.

use std::collections::HashMap;

use tantivy::{DocId, Searcher, Term};

use super::evidence;
use super::group::{sort_ranked, ArticleIds, ArticleKey};
use super::highlight::{self, UnitMatch, Units};
use super::query::ParsedQuery;
use super::retrieve::Candidate;
use super::Ranking;
use crate::error::Result;
use crate::index::schema::{Fields, KIND_ARTICLE, KIND_PASSAGE};
use crate::index::OpedexIndex;

/// Weight of the IDF-weighted share of query units a passage (or its title) holds.
const W_COVERAGE: f32 = 0.6;
/// Weight of proximity: units held / tokens in the smallest window holding them.
const W_PROXIMITY: f32 = 0.5;
/// Weight of whole-article BM25 (divided by the best article's). 1.5 beat
/// 1.0, 1.25 and 2.0 on both evaluation sets (ARCHITECTURE.md).
const W_ARTICLE: f32 = 1.5;
/// How many articles (the best by their best passage) are scored whole.
const ARTICLES_RESCORED: usize = 100;
/// Smallest IDF: a word in more than half the documents still counts a little.
const IDF_FLOOR: f32 = 0.01;
/// BM25 parameters for whole-article scoring (Tantivy's defaults).
const BM25_K1: f32 = 1.2;
const BM25_B: f32 = 0.75;

/// The query units of one analyser language, with their weights.
pub(super) struct LangUnits {
    pub(super) units: Units,
    /// Passage-level IDF per unit.
    weights: Vec<f32>,
    /// Estimated article-level IDF per unit.
    article_weights: Vec<f32>,
}

/// The query units of each analyser language among the candidates.
pub(super) type ByLang = HashMap<&'static str, LangUnits>;

/// The ranked units (words and phrases) of `parsed`, analysed in each
/// language of the candidates, with their IDF weights. Highlighting uses
/// them too, so they are made whatever the ranking.
pub(super) fn lang_units(
    index: &OpedexIndex,
    searcher: &Searcher,
    parsed: &ParsedQuery,
    candidates: &[Candidate],
) -> Result<ByLang> {
    let kind_count = |kind| {
        searcher
            .doc_freq(&Term::from_field_text(index.fields.kind, kind))
            .map(|n| n as f32)
    };
    let counts = (kind_count(KIND_PASSAGE)?, kind_count(KIND_ARTICLE)?);
    let mut by_lang: HashMap<&'static str, LangUnits> = HashMap::new();
    for c in candidates {
        by_lang.entry(c.key).or_insert_with(|| {
            let units =
                highlight::analyse_units(c.key, parsed.text_clauses().map(|c| c.text.as_str()));
            let body = index.fields.text_fields(c.key).map(|(_, body)| body);
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
    Ok(by_lang)
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

/// Scores `candidates` by the features of `ranking` that are on; with none
/// of coverage, proximity and article on, scores stay BM25.
pub(super) fn rerank(
    index: &OpedexIndex,
    searcher: &Searcher,
    ranking: &Ranking,
    by_lang: &HashMap<&'static str, LangUnits>,
    candidates: &mut [Candidate],
    ids: &mut ArticleIds,
) -> Result<()> {
    if ranking.reranks() {
        let max_bm25 = candidates
            .first()
            .map_or(1.0, |c| c.bm25.max(f32::MIN_POSITIVE));
        for c in candidates.iter_mut() {
            c.passage_score = c.bm25 / max_bm25;
            c.score = c.passage_score;
        }
    }
    if ranking.coverage || ranking.proximity {
        let matches = unit_matches(&index.fields, searcher, candidates, by_lang)?;
        for (c, m) in candidates.iter_mut().zip(matches) {
            let weights = &by_lang[c.key].weights;
            let total: f32 = weights.iter().sum::<f32>().max(f32::MIN_POSITIVE);
            if ranking.coverage {
                c.passage_score += coverage(&m, weights, total);
            }
            if ranking.proximity {
                if let Some(bonus) = proximity(&m, weights, total) {
                    c.passage_score += bonus;
                }
            }
            c.score = c.passage_score;
            c.matches = m;
        }
    }
    if ranking.article {
        article_evidence(index, searcher, candidates, by_lang, ids)?;
    }
    Ok(())
}

/// The coverage bonus: the IDF-weighted share of the units (`weights`,
/// summing to `total`) that a passage holds.
fn coverage(m: &[UnitMatch], weights: &[f32], total: f32) -> f32 {
    // A unit held only by the title counts half: the passage shown
    // should itself say what was asked.
    let held: f32 = m
        .iter()
        .zip(weights)
        .map(|(u, w)| match (!u.positions.is_empty(), u.in_title) {
            (true, _) => *w,
            (false, true) => 0.5 * w,
            (false, false) => 0.0,
        })
        .sum();
    W_COVERAGE * held / total
}

/// The proximity bonus: how tightly the smallest window of the passage
/// holds its units, times their IDF share; `None` with fewer than two units.
fn proximity(m: &[UnitMatch], weights: &[f32], total: f32) -> Option<f32> {
    let (held, span) = highlight::smallest_window(m)?;
    let in_text: f32 = m
        .iter()
        .zip(weights)
        .filter(|(u, _)| !u.positions.is_empty())
        .map(|(_, w)| w)
        .sum();
    // Tight windows of much of the query count; a tight pair out
    // of a long query counts little.
    let share = in_text / total;
    Some(W_PROXIMITY * (held as f32 / span as f32).sqrt() * share)
}

/// Where each query unit occurs in each candidate passage and its title,
/// from the postings ([`evidence::unit_starts`]), in candidate order.
fn unit_matches(
    fields: &Fields,
    searcher: &Searcher,
    candidates: &[Candidate],
    by_lang: &HashMap<&'static str, LangUnits>,
) -> Result<Vec<Vec<UnitMatch>>> {
    let mut out: Vec<Vec<UnitMatch>> = candidates
        .iter()
        .map(|c| vec![UnitMatch::default(); by_lang[c.key].units.len()])
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
                out[*i][u] = UnitMatch {
                    positions: b.into_iter().map(|p| p as usize).collect(),
                    in_title: !t.is_empty(),
                };
            }
        }
    }
    Ok(out)
}

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
    let units: HashMap<&'static str, &Units> =
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
