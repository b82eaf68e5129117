//! Semantic and hybrid search: the query's vector against the index's
//! vectors ([`super::dense`]), alone or fused with the lexical ranking.
//!
//! Hybrid fusion works at article level over the lexical ranking's and the
//! dense ranking's top [`Fusion::depth`] articles: by default the weighted
//! sum of their min–max normalised scores ([`FusionMethod::Convex`]), or
//! reciprocal-rank fusion ([`FusionMethod::Rrf`]), with the weights in
//! [`Fusion`], and one guard: when the lexical ranking's best
//! article stands clear of the next ([`Fusion::pin_ratio`]), the query's
//! words pick it out and it stays first. An article found lexically keeps
//! its lexical passages (and highlights); one found only by meaning shows
//! the passage its best vector starts at, without highlights.

use std::collections::{HashMap, HashSet};
use std::thread::ScopedJoinHandle;

use tantivy::Searcher;

use super::dense::{self, DenseArticle};
use super::{Hit, SearchRequest, SearchResults, Sort};
use crate::error::Result;
use crate::index::stored::{load_article_metadata_near, passage_text};
use crate::index::vectors::VectorFile;
use crate::index::OpedexIndex;

/// How a search ranks: by the query's words, by its meaning, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Hybrid when the index has vectors (and their model is at hand),
    /// else lexical.
    #[default]
    Auto,
    /// BM25 and the ranking features over passages (`search` before
    /// vectors).
    Lexical,
    /// Nearest article vectors only.
    Semantic,
    /// Lexical and semantic rankings fused.
    Hybrid,
}

impl Mode {
    /// The name `--mode` takes.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Auto => "auto",
            Mode::Lexical => "lexical",
            Mode::Semantic => "semantic",
            Mode::Hybrid => "hybrid",
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = crate::error::Error;
    /// A mode by the name [`Mode::name`] gives it.
    fn from_str(s: &str) -> Result<Mode> {
        [Mode::Auto, Mode::Lexical, Mode::Semantic, Mode::Hybrid]
            .into_iter()
            .find(|m| m.name() == s.trim())
            .ok_or_else(|| {
                crate::error::Error::Invalid(format!(
                    "unknown mode {s:?}; use lexical, semantic, hybrid or auto"
                ))
            })
    }
}

/// How the two rankings are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FusionMethod {
    /// A weighted sum of the two sides' scores, each min–max normalised over
    /// the articles that side ranked (`depth` deep): the best gets 1, the
    /// last 0, and an article the side did not rank 0.
    Convex,
    /// Reciprocal-rank fusion: each side adds `weight / (k + rank)`.
    Rrf,
}

/// The fusion's weights. The defaults (the normalised sum, dense weight
/// 1.5, depth 50, ramp 15, the exact-match guard at 1.5) were chosen on the
/// paraphrase set's tune split, the topical set and the lexical and
/// filtered known-item sets (ARCHITECTURE.md). Tune them with
/// `opedex eval --fusion … --split tune` on `tests/eval/known-paraphrase.jsonl`
/// and the other sets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fusion {
    /// How the rankings are combined.
    pub method: FusionMethod,
    /// RRF's rank constant: 1/(k + rank) (RRF only).
    pub k: f32,
    /// Weight of the lexical ranking.
    pub lexical: f32,
    /// Weight of the dense ranking.
    pub dense: f32,
    /// The lexical best stays first when its score is at least this many
    /// times the lexical second's.
    pub pin_ratio: f32,
    /// Articles of each ranking that are fused.
    pub depth: usize,
    /// Queries of fewer words than this weigh the dense ranking by their
    /// share of it (`words / ramp`): a sentence model reads sentences, and
    /// a query of two keywords carries little meaning beyond its words.
    /// 0 turns the ramp off.
    pub ramp: f32,
}

impl Fusion {
    /// The weights for a query of `words` words: the dense weight scaled
    /// by the ramp.
    pub fn for_words(&self, words: usize) -> Fusion {
        let share = if self.ramp > 0.0 {
            (words as f32 / self.ramp).min(1.0)
        } else {
            1.0
        };
        Fusion {
            dense: self.dense * share,
            ..*self
        }
    }
}

impl Default for Fusion {
    fn default() -> Self {
        Fusion {
            method: FusionMethod::Convex,
            k: 20.0,
            lexical: 1.0,
            dense: 1.5,
            pin_ratio: 1.5,
            depth: 50,
            ramp: 15.0,
        }
    }
}

impl std::str::FromStr for Fusion {
    type Err = crate::error::Error;
    /// `method=convex,lexical=1,dense=1.5,pin=1.5,depth=50,ramp=15` or
    /// `method=rrf,k=20,…`, any of them, the rest as [`Fusion::default`].
    fn from_str(spec: &str) -> Result<Fusion> {
        let bad = |what: &str| {
            crate::error::Error::Invalid(format!(
                "fusion {what:?}: expected NAME=NUMBER, names k, lexical, dense, pin, depth, \
                 ramp, or method=convex|rrf"
            ))
        };
        let mut f = Fusion::default();
        for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (name, value) = part.split_once('=').ok_or_else(|| bad(part))?;
            if name.trim() == "method" {
                f.method = match value.trim() {
                    "convex" => FusionMethod::Convex,
                    "rrf" => FusionMethod::Rrf,
                    _ => return Err(bad(part)),
                };
                continue;
            }
            let x: f32 = value.trim().parse().map_err(|_| bad(part))?;
            match name.trim() {
                "k" => f.k = x,
                "lexical" => f.lexical = x,
                "dense" => f.dense = x,
                "pin" => f.pin_ratio = x,
                "depth" => f.depth = x.max(1.0) as usize,
                "ramp" => f.ramp = x.max(0.0),
                _ => return Err(bad(part)),
            }
        }
        Ok(f)
    }
}

/// What the dense side of a search works from: the text to embed (the
/// query's words and phrases as typed, without qualifiers and
/// exclusions), and the
/// restrictions the lexical side applies too — the filters with the
/// query's qualifiers moved in, and its exclusions.
pub(crate) struct DenseQuery {
    /// The words to embed; empty when the query is only qualifiers, or has
    /// no letter or digit (punctuation and symbols alone carry no meaning,
    /// and the model would still place them somewhere among the articles).
    pub text: String,
    /// Flags and qualifiers, as the lexical side applies them.
    pub filters: super::Filters,
    /// The query's exclusions, each leaving out whole articles.
    pub excluded: Vec<Box<dyn tantivy::query::Query>>,
}

impl DenseQuery {
    /// Reads `req` the way the lexical search does.
    pub(crate) fn of(index: &OpedexIndex, req: &SearchRequest) -> Result<DenseQuery> {
        let langs: Vec<&str> = index.info.langs.iter().map(String::as_str).collect();
        let parsed = super::parse::parse(req, &langs)?;
        // The words as typed, stop words and all (the model reads
        // sentences), without the qualifiers and exclusions.
        let text = super::query::parse(&req.query)?
            .clauses
            .iter()
            .filter(|c| {
                c.occur != super::query::Occurrence::MustNot
                    && matches!(c.field, None | Some(super::query::NamedField::Title))
            })
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let text = if text.chars().any(char::is_alphanumeric) {
            text
        } else {
            String::new()
        };
        let excluded = super::query::exclusions(&parsed.query, &index.fields, &langs);
        Ok(DenseQuery {
            text,
            filters: parsed.filters,
            excluded,
        })
    }
}

/// Runs `req` with `mode` ([`Mode::Semantic`] or [`Mode::Hybrid`]), given
/// the index's vectors and a way to embed the query's words.
///
/// A search in date order, or one of qualifiers only or without a letter
/// or digit, has no meaning to rank by and runs lexically (its results say
/// so in `mode`). The total is the number of articles the search ranks: for
/// a semantic search every article with vectors that the filters allow, for
/// a hybrid one the articles that match the words, or the fused list when
/// that is longer.
/// Facets count the articles that match the words (a hybrid search), and
/// are not given for a semantic one.
///
/// A hybrid search embeds the query and scans the vectors on a thread of
/// its own while this one ranks the query's words: the two sides meet at
/// the fusion.
pub fn search(
    index: &OpedexIndex,
    searcher: &Searcher,
    req: &SearchRequest,
    embed: &(dyn Fn(&str) -> Result<Vec<f32>> + Sync),
    vectors: &VectorFile,
    mode: Mode,
    fusion: &Fusion,
) -> Result<SearchResults> {
    let req = &super::limits::bound(req)?;
    let dq = DenseQuery::of(index, req)?;
    if req.sort != Sort::Relevance || dq.text.trim().is_empty() {
        return super::search(index, searcher, req);
    }
    let window = req.offset + req.limit;
    let nearest = |k: usize| {
        let query_vector = embed(&dq.text)?;
        dense::nearest(
            index,
            searcher,
            vectors,
            &query_vector,
            &dq.filters,
            &dq.excluded,
            k,
        )
    };
    if mode == Mode::Semantic {
        let found = nearest(window)?;
        let total = dense::allowed_count(index, searcher, vectors, &dq.filters, &dq.excluded)?;
        let page = found.get(req.offset..).unwrap_or_default();
        let mut hits = dense_hits(index, searcher, page)?;
        renumber(&mut hits, req.offset);
        return Ok(SearchResults {
            hits,
            total,
            mode,
            ..SearchResults::default()
        });
    }
    let depth = window.max(fusion.depth);
    let fusion = fusion.for_words(dq.text.split_whitespace().count());
    let (lexical, dense, page) = std::thread::scope(|scope| {
        // The dense side: on its own thread when one can be started.
        let mut dense_side = DenseSide {
            thread: Some(
                std::thread::Builder::new()
                    .name("opedex-dense".into())
                    .spawn_scoped(scope, || nearest(depth)),
            ),
            found: Vec::new(),
        };
        // The lexical side is ranked `depth` deep, fused with the dense
        // side, and only the articles of the fused page are read.
        let mut page = None;
        let lexical = super::search_choosing(
            index,
            searcher,
            &SearchRequest {
                offset: 0,
                limit: depth,
                ..req.clone()
            },
            Some(&mut |ranked| {
                let fused =
                    fused_ranking(ranked, dense_side.result(&nearest, depth)?, window, &fusion);
                let ids = fused.iter().map(|(id, _)| id.clone()).collect();
                page = Some(fused);
                Ok(ids)
            }),
        );
        let dense = dense_side.result(&nearest, depth).map(std::mem::take);
        (lexical, dense, page)
    });
    let (lexical, dense) = (lexical?, dense?);
    // A query with nothing for the lexical side to rank never reached the fusion.
    let page = page.unwrap_or_else(|| fused_ranking(&[], &dense, window, &fusion));
    let hits = assemble(index, searcher, lexical.hits, &dense, &page)?;
    let articles = distinct_articles(&hits);
    let mut hits = skip_articles(hits, req.offset);
    renumber(&mut hits, req.offset);
    Ok(SearchResults {
        hits,
        total: lexical.total.max(articles),
        mode,
        ..lexical
    })
}

/// The dense side of a hybrid search: the thread it runs on until it is
/// waited for, then what it found.
struct DenseSide<'scope> {
    thread: Option<std::io::Result<ScopedJoinHandle<'scope, Result<Vec<DenseArticle>>>>>,
    found: Vec<DenseArticle>,
}

impl DenseSide<'_> {
    /// The nearest articles, waited for on first use (or found here with
    /// `nearest` when no thread could be started).
    fn result(
        &mut self,
        nearest: &dyn Fn(usize) -> Result<Vec<DenseArticle>>,
        depth: usize,
    ) -> Result<&mut Vec<DenseArticle>> {
        if let Some(started) = self.thread.take() {
            self.found = match started {
                Ok(thread) => match thread.join() {
                    Ok(found) => found?,
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err(_) => nearest(depth)?,
            };
        }
        Ok(&mut self.found)
    }
}

/// How many articles `hits` show.
fn distinct_articles(hits: &[Hit]) -> usize {
    let mut seen = HashSet::new();
    hits.iter().filter(|h| seen.insert(&h.article.id)).count()
}

/// `hits` without those of their first `n` articles.
fn skip_articles(hits: Vec<Hit>, n: usize) -> Vec<Hit> {
    let mut seen = HashSet::new();
    hits.into_iter()
        .filter(|h| {
            seen.insert(h.article.id.clone());
            seen.len() > n
        })
        .collect()
}

/// Ranks `offset + 1`, `offset + 2`, … in order.
fn renumber(hits: &mut [Hit], offset: usize) {
    for (i, h) in hits.iter_mut().enumerate() {
        h.rank = offset + i + 1;
    }
}

/// One hit per article found by its vector, scored by its cosine.
pub(crate) fn dense_hits(
    index: &OpedexIndex,
    searcher: &Searcher,
    found: &[DenseArticle],
) -> Result<Vec<Hit>> {
    let mut hits = Vec::with_capacity(found.len());
    for d in found {
        hits.push(dense_hit(index, searcher, d, d.score)?);
    }
    Ok(numbered(hits))
}

/// The fused ranking's first `limit` articles as hits.
pub(crate) fn fuse(
    index: &OpedexIndex,
    searcher: &Searcher,
    lexical: Vec<Hit>,
    dense: &[DenseArticle],
    limit: usize,
    fusion: &Fusion,
) -> Result<Vec<Hit>> {
    let ranked: Vec<(&str, f32)> = lexical
        .iter()
        .map(|h| (h.article.id.as_str(), h.score))
        .collect();
    let page = fused_ranking(&ranked, dense, limit, fusion);
    assemble(index, searcher, lexical, dense, &page)
}

/// The first `limit` articles of the lexical ranking (passages as (article
/// id, score), best first) and the dense one fused, each with its fused
/// score, best first.
fn fused_ranking(
    lexical: &[(&str, f32)],
    dense: &[DenseArticle],
    limit: usize,
    fusion: &Fusion,
) -> Vec<(String, f32)> {
    // Lexical articles in rank order, each with its best passage's score.
    let mut order: Vec<&str> = Vec::new();
    let mut best_score: Vec<f32> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for &(id, score) in lexical {
        if seen.insert(id) {
            order.push(id);
            best_score.push(score);
        }
    }
    let mut fused: HashMap<&str, f32> = HashMap::new();
    match fusion.method {
        FusionMethod::Convex => {
            let lexical_share = min_max(&best_score, fusion.depth);
            let dense_scores: Vec<f32> = dense.iter().map(|d| d.score).collect();
            let dense_share = min_max(&dense_scores, fusion.depth);
            for (id, share) in order.iter().zip(lexical_share) {
                *fused.entry(id).or_default() += fusion.lexical * share;
            }
            for (d, share) in dense.iter().zip(dense_share) {
                *fused.entry(&d.id).or_default() += fusion.dense * share;
            }
        }
        FusionMethod::Rrf => {
            for (r, id) in order.iter().enumerate() {
                *fused.entry(id).or_default() += fusion.lexical / (fusion.k + r as f32 + 1.0);
            }
            for (r, d) in dense.iter().enumerate() {
                *fused.entry(&d.id).or_default() += fusion.dense / (fusion.k + r as f32 + 1.0);
            }
        }
    }
    let lexical_rank: HashMap<&str, usize> =
        order.iter().enumerate().map(|(r, id)| (*id, r)).collect();
    let mut ranked: Vec<(&str, f32)> = fused.into_iter().collect();
    ranked.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| rank_or_max(&lexical_rank, a.0).cmp(&rank_or_max(&lexical_rank, b.0)))
            .then_with(|| a.0.cmp(b.0))
    });
    // The guard: a lexical best that stands clear of the rest stays first.
    let clear = match best_score.as_slice() {
        [first, second, ..] => *second <= 0.0 || *first >= fusion.pin_ratio * *second,
        [_] => true,
        [] => false,
    };
    if clear {
        let top = order[0];
        if let Some(at) = ranked.iter().position(|(id, _)| *id == top) {
            let (id, _) = ranked.remove(at);
            let score = ranked.first().map_or(1.0, |(_, s)| *s) * 1.0001 + 1e-6;
            ranked.insert(0, (id, score));
        }
    }
    ranked
        .into_iter()
        .take(limit)
        .map(|(id, score)| (id.to_string(), score))
        .collect()
}

/// Scores of one ranking (best first) as shares of the range of its first
/// `depth`: the best 1, the `depth`-th 0, those below it 0 too (as if that
/// side had not ranked them). A search asked for more than `depth` articles
/// (`eval` takes 100) so orders the top exactly as one asked for fewer.
/// Equal scores all count 1: nothing tells them apart, and each was ranked.
fn min_max(scores: &[f32], depth: usize) -> Vec<f32> {
    let top = &scores[..scores.len().min(depth.max(1))];
    let (lo, hi) = top
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &s| {
            (lo.min(s), hi.max(s))
        });
    scores
        .iter()
        .map(|&s| {
            if hi > lo {
                ((s - lo) / (hi - lo)).clamp(0.0, 1.0)
            } else if s >= lo {
                1.0
            } else {
                0.0
            }
        })
        .collect()
}

/// The hits of the fused `page`: an article's lexical hits (its passages
/// that matched) when it has them, else the hit of its vector, each with
/// the article's fused score.
fn assemble(
    index: &OpedexIndex,
    searcher: &Searcher,
    lexical: Vec<Hit>,
    dense: &[DenseArticle],
    page: &[(String, f32)],
) -> Result<Vec<Hit>> {
    let mut passages: HashMap<String, Vec<Hit>> = HashMap::new();
    for hit in lexical {
        passages
            .entry(hit.article.id.clone())
            .or_default()
            .push(hit);
    }
    let by_id: HashMap<&str, &DenseArticle> = dense.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut hits = Vec::new();
    for (id, score) in page {
        let score = *score;
        match passages.remove(id) {
            Some(lexical_hits) => hits.extend(lexical_hits.into_iter().map(|h| Hit { score, ..h })),
            None => {
                if let Some(d) = by_id.get(id.as_str()) {
                    hits.push(dense_hit(index, searcher, d, score)?);
                }
            }
        }
    }
    Ok(numbered(hits))
}

fn rank_or_max(ranks: &HashMap<&str, usize>, id: &str) -> usize {
    ranks.get(id).copied().unwrap_or(usize::MAX)
}

/// Ranks 1, 2, … in order.
fn numbered(mut hits: Vec<Hit>) -> Vec<Hit> {
    for (i, h) in hits.iter_mut().enumerate() {
        h.rank = i + 1;
    }
    hits
}

/// The hit of an article found by its vector: its best vector's passage.
fn dense_hit(
    index: &OpedexIndex,
    searcher: &Searcher,
    d: &DenseArticle,
    score: f32,
) -> Result<Hit> {
    let article = load_article_metadata_near(index, searcher, &d.id, d.addr.segment_ord)?;
    let passage = passage_doc(index, searcher, d.addr, d.passage)?;
    let text = match passage {
        Some(addr) => passage_text(index, searcher, addr)?,
        None => String::new(),
    };
    Ok(Hit {
        rank: 0,
        score,
        passage: d.passage as usize,
        text,
        highlights: Vec::new(),
        article: article.without_contacts(),
    })
}

/// The document of passage `n` of the article whose article document is
/// `article` (an article's documents share its segment).
fn passage_doc(
    index: &OpedexIndex,
    searcher: &Searcher,
    article: tantivy::DocAddress,
    n: u32,
) -> Result<Option<tantivy::DocAddress>> {
    let seg = article.segment_ord;
    let columns = index.columns(searcher, seg)?;
    let segment = searcher.segment_reader(seg);
    let Some(ord) = columns.ids.term_ords(article.doc_id).next() else {
        return Ok(None);
    };
    let Some(mut postings) = columns.article_postings(segment, index.fields.article_id, ord)?
    else {
        return Ok(None);
    };
    use tantivy::DocSet;
    let mut doc = postings.doc();
    while doc != tantivy::TERMINATED {
        if !segment.is_deleted(doc) && columns.passages.first(doc) == Some(u64::from(n)) {
            return Ok(Some(tantivy::DocAddress::new(seg, doc)));
        }
        doc = postings.advance();
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::{fused_ranking, min_max, Fusion, FusionMethod, Mode};
    use crate::search::dense::DenseArticle;
    use tantivy::DocAddress;

    fn dense(scored: &[(&str, f32)]) -> Vec<DenseArticle> {
        scored
            .iter()
            .map(|&(id, score)| DenseArticle {
                id: id.into(),
                score,
                passage: 0,
                addr: DocAddress::new(0, 0),
            })
            .collect()
    }

    fn ids(ranked: &[(String, f32)]) -> Vec<&str> {
        ranked.iter().map(|(id, _)| id.as_str()).collect()
    }

    #[test]
    fn a_fusion_spec_sets_what_it_names_and_refuses_the_rest() {
        let f: Fusion = "k=30, dense=1.5,ramp=8".parse().unwrap();
        assert_eq!((f.k, f.dense, f.ramp), (30.0, 1.5, 8.0));
        assert_eq!(f.lexical, Fusion::default().lexical);
        assert_eq!(f.depth, Fusion::default().depth);
        assert_eq!(f.method, FusionMethod::Convex);
        let rrf: Fusion = "method=rrf,k=60".parse().unwrap();
        assert_eq!((rrf.method, rrf.k), (FusionMethod::Rrf, 60.0));
        for bad in ["k", "k=x", "weight=2", "ramp=,", "method=sum"] {
            assert!(bad.parse::<Fusion>().is_err(), "{bad}");
        }
    }

    #[test]
    fn short_queries_weigh_the_dense_ranking_by_their_share_of_the_ramp() {
        let f = Fusion::default();
        assert_eq!(f.for_words(2).dense, f.dense * (2.0 / f.ramp));
        assert_eq!(f.for_words(f.ramp as usize).dense, f.dense);
        assert_eq!(f.for_words(40).dense, f.dense);
        assert_eq!(f.for_words(2).lexical, f.lexical);
        let off = Fusion { ramp: 0.0, ..f };
        assert_eq!(off.for_words(1).dense, f.dense);
    }

    #[test]
    fn modes_read_back_by_name() {
        for m in [Mode::Auto, Mode::Lexical, Mode::Semantic, Mode::Hybrid] {
            assert_eq!(m.name().parse::<Mode>().unwrap(), m);
        }
        assert!("fuzzy".parse::<Mode>().is_err());
    }

    #[test]
    fn min_max_spans_zero_to_one_and_ties_count_fully() {
        assert_eq!(min_max(&[4.0, 3.0, 2.0], 50), vec![1.0, 0.5, 0.0]);
        assert_eq!(min_max(&[0.7, 0.7], 50), vec![1.0, 1.0]);
        assert!(min_max(&[], 50).is_empty());
        // Below the depth-th score a side counts nothing, so a deeper list
        // orders its top as a shallower one does.
        assert_eq!(min_max(&[4.0, 3.0, 2.0, 1.0], 3), vec![1.0, 0.5, 0.0, 0.0]);
        assert_eq!(
            min_max(&[4.0, 3.0, 2.0, 1.0], 3)[..3],
            min_max(&[4.0, 3.0, 2.0], 3)[..]
        );
        assert_eq!(min_max(&[0.7, 0.7, 0.5], 2), vec![1.0, 1.0, 0.0]);
    }

    #[test]
    fn the_normalised_sum_weighs_how_far_apart_the_scores_are() {
        // Lexically a stands far ahead of b, c and d; the dense side puts
        // b, c and a within a hair of each other and d far behind. RRF sees
        // ranks only and puts the dense best first; the sum sees that the
        // dense side barely separates a from b while the lexical side does.
        let lexical = [("a", 10.0), ("b", 1.0), ("c", 0.9), ("d", 0.5)];
        let near = dense(&[("b", 0.90), ("c", 0.89), ("a", 0.88), ("d", 0.10)]);
        let f = Fusion {
            pin_ratio: f32::INFINITY,
            ramp: 0.0,
            lexical: 1.0,
            dense: 1.0,
            ..Fusion::default()
        };
        let convex = fused_ranking(&lexical, &near, 4, &f);
        assert_eq!(ids(&convex), ["a", "b", "c", "d"]);
        // a: 1 + (0.88 − 0.1) / 0.8.
        assert!((convex[0].1 - (1.0 + 0.78 / 0.8)).abs() < 1e-5);
        let rrf = Fusion {
            method: FusionMethod::Rrf,
            ..f
        };
        // b: 1/22 + 1/21 > a: 1/21 + 1/23.
        assert_eq!(
            ids(&fused_ranking(&lexical, &near, 4, &rrf)),
            ["b", "a", "c", "d"]
        );
    }
}
