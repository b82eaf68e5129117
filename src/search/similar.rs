//! More-like-this: the articles most like a given one.
//!
//! The article's title and body are analysed in its language; its most
//! distinctive terms (term frequency × passage-level IDF) become a weighted OR
//! query over that language's title and body fields. Passages are retrieved
//! with the same filters as `search`, the article itself (which also stands
//! for its merged copies, folded into it at ingest) is excluded, and each
//! article is scored by the sum of its best passages' scores.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, StopWordFilter, TextAnalyzer};

use super::group::{sort_ranked, ArticleIds, ArticleKey};
use super::query::{keyword_query, ENGLISH_FUNCTION_WORDS};
use super::{Filters, Hit};
use crate::analysis::{self, analyser_key};
use crate::error::Result;
use crate::index::schema::KIND_PASSAGE;
use crate::index::stored::{load_article, load_article_metadata_near, passage_text};
use crate::index::OpedexIndex;

/// Distinctive terms kept from the source article.
pub const MAX_TERMS: usize = 25;
/// Passages of one article summed into its score: an article that shares the
/// source's subject throughout beats one with a single close passage.
const PASSAGES_SUMMED: usize = 3;
/// Passages fetched before grouping by article.
const MIN_CANDIDATES: usize = 500;

/// A more-like-this request.
#[derive(Debug, Clone)]
pub struct SimilarRequest {
    /// The source article's id.
    pub id: String,
    /// Metadata filters, as for `search`.
    pub filters: Filters,
    /// Number of articles.
    pub limit: usize,
    /// By shared terms ([`super::Mode::Lexical`]), by the articles' vectors
    /// (`Semantic`), or both (`Hybrid`; `Auto`: hybrid when the index has
    /// vectors).
    pub mode: super::Mode,
}

/// The source article's distinctive terms with their weights (tf × idf),
/// best first.
pub fn distinctive_terms(
    index: &OpedexIndex,
    searcher: &Searcher,
    id: &str,
) -> Result<(&'static str, Vec<(String, f32)>)> {
    let a = load_article(index, searcher, id)?;
    distinctive_terms_of(index, searcher, &a, MAX_TERMS)
}

/// The `max` most distinctive terms of article `a` with their weights
/// (sub-linear tf × Lucene IDF over passages), best first, and its analyser key.
pub fn distinctive_terms_of(
    index: &OpedexIndex,
    searcher: &Searcher,
    a: &crate::article::Article,
    max: usize,
) -> Result<(&'static str, Vec<(String, f32)>)> {
    let key = analyser_key(a.lang.as_deref());
    let Some((_, body)) = index.fields.text_fields(key) else {
        return Ok((key, Vec::new()));
    };
    let mut an = analysis::analyser(key);
    let text = format!("{}\n{}", a.title, a.body);
    // Stop words go before stemming (the lists hold words, not stems).
    let stop = analysis::STEMMED_LANGUAGES
        .iter()
        .find(|(code, _)| *code == key)
        .and_then(|(_, lang)| StopWordFilter::new(*lang));
    let terms: Vec<String> = match stop {
        Some(filter) => {
            let mut words = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(filter)
                .build();
            analysis::terms(&mut words, &text)
                .into_iter()
                .filter(|w| key != "en" || !ENGLISH_FUNCTION_WORDS.contains(&w.as_str()))
                .flat_map(|w| analysis::terms(&mut an, &w))
                .collect()
        }
        None => analysis::terms(&mut an, &text),
    };
    let mut tf: HashMap<String, f32> = HashMap::new();
    for t in terms {
        // Numbers and one-letter tokens say little about a subject.
        if t.chars().count() > 1 && !t.chars().all(|c| c.is_ascii_digit()) {
            *tf.entry(t).or_default() += 1.0;
        }
    }
    let n = searcher
        .doc_freq(&Term::from_field_text(index.fields.kind, KIND_PASSAGE))?
        .max(1) as f32;
    let mut weighted = Vec::with_capacity(tf.len());
    for (t, f) in tf {
        let df = searcher.doc_freq(&Term::from_field_text(body, &t))? as f32;
        if df == 0.0 {
            continue;
        }
        // Lucene's BM25 IDF: always positive, so small collections still
        // have terms; words in most passages get a weight near zero.
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        // Sub-linear tf: a long article's most repeated word should not drown the rest.
        weighted.push((t, (1.0 + f.ln()) * idf));
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    weighted.truncate(max);
    Ok((key, weighted))
}

/// The articles most like article `req.id`, one hit (its best passage) each.
///
/// Fails with [`crate::Error::NoSuchArticle`] for an unknown id; returns no
/// hits when nothing else shares its distinctive terms.
pub fn similar(index: &OpedexIndex, searcher: &Searcher, req: &SimilarRequest) -> Result<Vec<Hit>> {
    let (key, terms) = distinctive_terms(index, searcher, &req.id)?;
    let Some(query) = like_query(index, req, key, &terms)? else {
        return Ok(Vec::new());
    };
    let limit = req.limit.clamp(1, super::MAX_RESULTS);
    let wanted = (limit * 20).max(MIN_CANDIDATES);
    let top = super::collect::top_passages(searcher, &query, wanted)?;
    let mut ids = ArticleIds::new(index, searcher);
    let order = best_articles(index, searcher, top, &mut ids, limit)?;
    let mut hits = Vec::with_capacity(order.len());
    for (article, score, addr, passage) in order {
        let text = passage_text(index, searcher, addr)?;
        let a = load_article_metadata_near(index, searcher, &ids.id(article)?, addr.segment_ord)?;
        hits.push(Hit {
            rank: hits.len() + 1,
            score,
            passage,
            text,
            highlights: Vec::new(),
            article: a.without_contacts(),
        });
    }
    Ok(hits)
}

/// Passages of other articles that hold `terms` (weighted, in the title
/// and body fields of language `key`) and pass `req`'s filters; `None`
/// when there is nothing to look for.
fn like_query(
    index: &OpedexIndex,
    req: &SimilarRequest,
    key: &str,
    terms: &[(String, f32)],
) -> Result<Option<BooleanQuery>> {
    let f = &index.fields;
    let Some((title, body)) = f.text_fields(key) else {
        return Ok(None);
    };
    if terms.is_empty() {
        return Ok(None);
    }
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (t, w) in terms {
        for field in [body, title] {
            let q = TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            );
            should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), *w))));
        }
    }
    let mut all: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, Box::new(BooleanQuery::new(should))),
        (Occur::Must, keyword_query(f.kind, KIND_PASSAGE)),
        (
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(f.article_id, &req.id),
                IndexRecordOption::Basic,
            )),
        ),
    ];
    all.extend(
        req.filters
            .queries(index)?
            .into_iter()
            .map(|q| (Occur::Must, q)),
    );
    Ok(Some(BooleanQuery::new(all)))
}

/// The `limit` best articles of the passages `top`, each scored by the sum
/// of its [`PASSAGES_SUMMED`] best passages, as (article, score, best
/// passage's address, its number), best first.
fn best_articles(
    index: &OpedexIndex,
    searcher: &Searcher,
    top: Vec<(f32, DocAddress)>,
    ids: &mut ArticleIds,
    limit: usize,
) -> Result<Vec<(ArticleKey, f32, DocAddress, usize)>> {
    // Per article: (summed score, passages summed, best passage address).
    let mut by_article: HashMap<ArticleKey, (f32, usize, DocAddress, usize)> = HashMap::new();
    // Ids and passage numbers from fast fields, as `search` reads them.
    for c in super::retrieve::identify(index, searcher, top)? {
        let (score, addr, passage) = (c.bm25, c.addr, c.passage);
        let e = by_article
            .entry(c.article)
            .or_insert((0.0, 0, addr, passage));
        if e.1 < PASSAGES_SUMMED {
            e.0 += score;
            e.1 += 1;
        }
    }
    let mut order: Vec<(ArticleKey, f32, DocAddress, usize)> = by_article
        .into_iter()
        .map(|(article, (s, _, addr, p))| (article, s, addr, p))
        .collect();
    sort_ranked(&mut order, ids, |o| (o.1, 0.0), |o| (o.0, 0))?;
    order.truncate(limit);
    Ok(order)
}
