//! Evaluation: run judged queries through `search` and score the rankings.
//!
//! Every query goes through [`crate::search::search`], the code path of
//! `opedex search`, with its filters and ranking options, so a score measures
//! what users get. At article level the document id is the article id (each
//! article once, at its best passage's rank); at passage level it is
//! `article_id#passage`. Queries with no relevant judgment are skipped and
//! counted, as are judged queries missing from the query file.

pub mod files;
pub mod metrics;

use std::time::{Duration, Instant};

use crate::error::Result;
use crate::search::{Hit, Ranking, SearchRequest};
pub use files::{read_qrels, read_queries, run_text, EvalQuery, Qrels, RunLine};
pub use metrics::{Judgments, Scores};

/// Depth of every ranking that is scored (the largest metric cut-off).
pub const DEPTH: usize = 100;

/// What a document id in the qrels names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// Article ids.
    #[default]
    Article,
    /// `article_id#passage`.
    Passage,
}

/// One evaluated query.
#[derive(Debug, Clone)]
pub struct QueryResult {
    /// The query id.
    pub qid: String,
    /// Document ids in rank order with their scores.
    pub ranked: Vec<(String, f64)>,
    /// Its scores.
    pub scores: Scores,
    /// Time spent in `search` for this query.
    pub elapsed: Duration,
}

/// The outcome of a whole evaluation.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Scored queries, in query-file order.
    pub queries: Vec<QueryResult>,
    /// Query ids skipped because no judged document is relevant.
    pub no_relevant: Vec<String>,
    /// Judged query ids absent from the query file.
    pub missing: Vec<String>,
    /// Mean scores over `queries`.
    pub mean: Scores,
}

/// How a query is run: [`crate::Index::search`]'s hits for a request.
pub type SearchFn<'a> = dyn FnMut(&SearchRequest) -> Result<Vec<Hit>> + 'a;

/// The document ids a search returns at `level`, at most [`DEPTH`].
pub fn ranked_ids(
    q: &EvalQuery,
    level: Level,
    ranking: &Ranking,
    search: &mut SearchFn<'_>,
) -> Result<Vec<(String, f64)>> {
    let per_article = match level {
        Level::Article => 1,
        Level::Passage => DEPTH,
    };
    let req = SearchRequest {
        filters: q.filters.clone(),
        limit: DEPTH,
        per_article,
        ranking: ranking.clone(),
        ..SearchRequest::new(q.query.clone())
    };
    let hits = search(&req)?;
    Ok(hits
        .into_iter()
        .map(|h| {
            let id = match level {
                Level::Article => h.article.id,
                Level::Passage => format!("{}#{}", h.article.id, h.passage),
            };
            (id, f64::from(h.score))
        })
        .collect())
}

impl Evaluation {
    /// Median and 99th-percentile search time per query (nearest rank).
    pub fn latency(&self) -> (Duration, Duration) {
        let mut t: Vec<Duration> = self.queries.iter().map(|q| q.elapsed).collect();
        t.sort_unstable();
        let at = |p| nearest_rank(&t, p).unwrap_or_default();
        (at(0.5), at(0.99))
    }
}

/// The nearest-rank percentile `p` (0–1) of `sorted`, `None` when it is empty.
pub fn nearest_rank<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len().max(1)) - 1).copied()
}

/// Runs (through `search`) and scores every judged query.
pub fn evaluate(
    queries: &[EvalQuery],
    qrels: &Qrels,
    level: Level,
    ranking: &Ranking,
    search: &mut SearchFn<'_>,
) -> Result<Evaluation> {
    let mut out = Vec::new();
    let mut no_relevant = Vec::new();
    for q in queries {
        let judged = qrels.get(&q.qid);
        let Some(j) = judged.filter(|j| metrics::relevant_count(j) > 0) else {
            no_relevant.push(q.qid.clone());
            continue;
        };
        let start = Instant::now();
        let ranked = ranked_ids(q, level, ranking, search)?;
        let elapsed = start.elapsed();
        let ids: Vec<String> = ranked.iter().map(|(d, _)| d.clone()).collect();
        out.push(QueryResult {
            qid: q.qid.clone(),
            scores: Scores::of(&ids, j),
            ranked,
            elapsed,
        });
    }
    let missing = qrels
        .keys()
        .filter(|k| !queries.iter().any(|q| &q.qid == *k))
        .cloned()
        .collect();
    let mean = Scores::mean(&out.iter().map(|r| r.scores).collect::<Vec<_>>());
    Ok(Evaluation {
        queries: out,
        no_relevant,
        missing,
        mean,
    })
}
