//! Semantic and hybrid search: the query's vector against the index's
//! vectors ([`super::dense`]), alone or fused with the lexical ranking.
//!
//! Hybrid fusion is reciprocal-rank fusion at article level over the
//! lexical ranking's and the dense ranking's top [`Fusion::depth`]
//! articles, with the weights in [`Fusion`], and one guard: when the lexical ranking's best
//! article stands clear of the next ([`Fusion::pin_ratio`]), the query's
//! words pick it out and it stays first. An article found lexically keeps
//! its lexical passages (and highlights); one found only by meaning shows
//! the passage its best vector starts at, without highlights.

use std::collections::HashMap;

use tantivy::Searcher;

use super::dense::{self, DenseArticle};
use super::{Hit, SearchRequest};
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

/// The fusion's weights. The defaults are plain RRF (k 60, equal weights)
/// with the exact-match guard; they are not tuned yet. Tune them with
/// `opedex eval --fusion … --split tune` on `tests/eval/known-paraphrase.jsonl`
/// and the lexical and filtered known-item sets (ARCHITECTURE.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fusion {
    /// RRF's rank constant: 1/(k + rank).
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
}

impl Default for Fusion {
    fn default() -> Self {
        Fusion {
            k: 60.0,
            lexical: 1.0,
            dense: 1.0,
            pin_ratio: 1.5,
            depth: 50,
        }
    }
}

impl std::str::FromStr for Fusion {
    type Err = crate::error::Error;
    /// `k=60,lexical=1,dense=1,pin=1.5,depth=50`, any of them, the rest
    /// as [`Fusion::default`].
    fn from_str(spec: &str) -> Result<Fusion> {
        let bad = |what: &str| {
            crate::error::Error::Invalid(format!(
                "fusion {what:?}: expected NAME=NUMBER, names k, lexical, dense, pin, depth"
            ))
        };
        let mut f = Fusion::default();
        for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (name, value) = part.split_once('=').ok_or_else(|| bad(part))?;
            let x: f32 = value.trim().parse().map_err(|_| bad(part))?;
            match name.trim() {
                "k" => f.k = x,
                "lexical" => f.lexical = x,
                "dense" => f.dense = x,
                "pin" => f.pin_ratio = x,
                "depth" => f.depth = x.max(1.0) as usize,
                _ => return Err(bad(part)),
            }
        }
        Ok(f)
    }
}

/// Ranks for `req` with `mode` ([`Mode::Semantic`] or [`Mode::Hybrid`]),
/// given the query's vector and the index's vectors.
pub fn search(
    index: &OpedexIndex,
    searcher: &Searcher,
    req: &SearchRequest,
    query_vector: &[f32],
    vectors: &VectorFile,
    mode: Mode,
    fusion: &Fusion,
) -> Result<Vec<Hit>> {
    let req = &super::limits::bound(req)?;
    let limit = req.limit.clamp(1, super::MAX_RESULTS);
    if mode == Mode::Semantic {
        let found = dense::nearest(index, searcher, vectors, query_vector, &req.filters, limit)?;
        return dense_hits(index, searcher, &found);
    }
    let depth = limit.max(fusion.depth);
    let lexical = super::search(
        index,
        searcher,
        &SearchRequest {
            limit: depth,
            ..req.clone()
        },
    )?;
    let dense = dense::nearest(index, searcher, vectors, query_vector, &req.filters, depth)?;
    fuse(index, searcher, lexical, &dense, limit, fusion)
}

/// One hit per article found by its vector, scored by its cosine.
pub(crate) fn dense_hits(
    index: &OpedexIndex,
    searcher: &Searcher,
    found: &[DenseArticle],
) -> Result<Vec<Hit>> {
    let mut hits = Vec::with_capacity(found.len());
    for d in found {
        hits.push(dense_hit(index, searcher, d, d.score, None)?);
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
    let corrected = lexical.first().and_then(|h| h.corrected_query.clone());
    // Lexical articles in rank order, each with its passages.
    let mut order: Vec<String> = Vec::new();
    let mut passages: HashMap<String, Vec<Hit>> = HashMap::new();
    let mut best_score: Vec<f32> = Vec::new();
    for hit in lexical {
        let id = hit.article.id.clone();
        if !passages.contains_key(&id) {
            order.push(id.clone());
            best_score.push(hit.score);
        }
        passages.entry(id).or_default().push(hit);
    }
    let mut fused: HashMap<&str, f32> = HashMap::new();
    for (r, id) in order.iter().enumerate() {
        *fused.entry(id).or_default() += fusion.lexical / (fusion.k + r as f32 + 1.0);
    }
    for (r, d) in dense.iter().enumerate() {
        *fused.entry(&d.id).or_default() += fusion.dense / (fusion.k + r as f32 + 1.0);
    }
    let lexical_rank: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(r, id)| (id.as_str(), r))
        .collect();
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
        let top = order[0].as_str();
        if let Some(at) = ranked.iter().position(|(id, _)| *id == top) {
            let (id, _) = ranked.remove(at);
            let score = ranked.first().map_or(1.0, |(_, s)| *s) * 1.0001 + 1e-6;
            ranked.insert(0, (id, score));
        }
    }
    let by_id: HashMap<&str, &DenseArticle> = dense.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut hits = Vec::new();
    for (id, score) in ranked.into_iter().take(limit) {
        match passages.remove(id) {
            Some(lexical_hits) => hits.extend(lexical_hits.into_iter().map(|h| Hit { score, ..h })),
            None => {
                if let Some(d) = by_id.get(id) {
                    hits.push(dense_hit(index, searcher, d, score, corrected.clone())?);
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
    corrected_query: Option<String>,
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
        corrected_query,
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
