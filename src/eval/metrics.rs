//! Ranking metrics over one query's ranked list and its judgments.
//!
//! Definitions follow trec_eval: nDCG uses linear gains (gain = grade) and
//! the log2(rank + 1) discount, with the ideal ranking built from every
//! judged document; MAP, MRR, precision and recall count grade ≥ 1 as
//! relevant. A document ranked twice counts once (its first rank).

use std::collections::{HashMap, HashSet};

/// Judgments of one query: document id → grade (0 = judged not relevant).
pub type Judgments = HashMap<String, i32>;

/// The five scores reported for one query (or averaged over queries).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Scores {
    /// nDCG@10, linear gains.
    pub ndcg10: f64,
    /// Average precision over the top 100.
    pub map100: f64,
    /// Reciprocal rank of the first relevant document in the top 10.
    pub mrr10: f64,
    /// Precision at 10.
    pub p10: f64,
    /// Recall at 100.
    pub recall100: f64,
}

/// The ranked list with repeated ids removed, cut to `k`.
fn dedup_top(ranked: &[String], k: usize) -> Vec<&str> {
    let mut seen = HashSet::new();
    ranked
        .iter()
        .map(String::as_str)
        .filter(|d| seen.insert(*d))
        .take(k)
        .collect()
}

fn grade(j: &Judgments, doc: &str) -> i32 {
    j.get(doc).copied().unwrap_or(0).max(0)
}

/// Number of relevant (grade ≥ 1) documents in the judgments.
pub fn relevant_count(j: &Judgments) -> usize {
    j.values().filter(|g| **g >= 1).count()
}

/// nDCG at `k` with linear gains; 0 when nothing is relevant.
pub fn ndcg_at(ranked: &[String], j: &Judgments, k: usize) -> f64 {
    let dcg = |grades: &mut dyn Iterator<Item = i32>| -> f64 {
        grades
            .take(k)
            .enumerate()
            .map(|(i, g)| f64::from(g) / ((i + 2) as f64).log2())
            .sum()
    };
    let got = dcg(&mut dedup_top(ranked, k).into_iter().map(|d| grade(j, d)));
    let mut ideal: Vec<i32> = j.values().copied().filter(|g| *g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(&mut ideal.into_iter());
    // (An empty float sum is -0.0; report a plain 0.)
    if best <= 0.0 || got <= 0.0 {
        0.0
    } else {
        got / best
    }
}

/// Average precision over the top `k`, divided by all relevant documents.
pub fn ap_at(ranked: &[String], j: &Judgments, k: usize) -> f64 {
    let total = relevant_count(j);
    if total == 0 {
        return 0.0;
    }
    let mut found = 0;
    let mut sum = 0.0;
    for (i, d) in dedup_top(ranked, k).into_iter().enumerate() {
        if grade(j, d) >= 1 {
            found += 1;
            sum += found as f64 / (i + 1) as f64;
        }
    }
    sum / total as f64
}

/// 1 / rank of the first relevant document within the top `k`, else 0.
pub fn rr_at(ranked: &[String], j: &Judgments, k: usize) -> f64 {
    dedup_top(ranked, k)
        .into_iter()
        .position(|d| grade(j, d) >= 1)
        .map_or(0.0, |i| 1.0 / (i + 1) as f64)
}

/// Relevant documents in the top `k`, divided by `k`.
pub fn precision_at(ranked: &[String], j: &Judgments, k: usize) -> f64 {
    let hits = dedup_top(ranked, k)
        .into_iter()
        .filter(|d| grade(j, d) >= 1)
        .count();
    hits as f64 / k as f64
}

/// Relevant documents in the top `k`, divided by all relevant documents.
pub fn recall_at(ranked: &[String], j: &Judgments, k: usize) -> f64 {
    let total = relevant_count(j);
    if total == 0 {
        return 0.0;
    }
    let hits = dedup_top(ranked, k)
        .into_iter()
        .filter(|d| grade(j, d) >= 1)
        .count();
    hits as f64 / total as f64
}

impl Scores {
    /// All five scores of one ranked list.
    pub fn of(ranked: &[String], j: &Judgments) -> Scores {
        Scores {
            ndcg10: ndcg_at(ranked, j, 10),
            map100: ap_at(ranked, j, 100),
            mrr10: rr_at(ranked, j, 10),
            p10: precision_at(ranked, j, 10),
            recall100: recall_at(ranked, j, 100),
        }
    }

    /// The arithmetic mean of each score (all zero for no queries).
    pub fn mean(all: &[Scores]) -> Scores {
        if all.is_empty() {
            return Scores::default();
        }
        let n = all.len() as f64;
        let sum = |f: fn(&Scores) -> f64| all.iter().map(f).sum::<f64>() / n;
        Scores {
            ndcg10: sum(|s| s.ndcg10),
            map100: sum(|s| s.map100),
            mrr10: sum(|s| s.mrr10),
            p10: sum(|s| s.p10),
            recall100: sum(|s| s.recall100),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    fn judged(pairs: &[(&str, i32)]) -> Judgments {
        pairs.iter().map(|(d, g)| (d.to_string(), *g)).collect()
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-4, "{a} != {b}");
    }

    #[test]
    fn graded_example() {
        // Ranking: a(2) x(0, judged) b(1) y(unjudged) c(1); d(2) is never retrieved.
        let r = ranked(&["a", "x", "b", "y", "c"]);
        let j = judged(&[("a", 2), ("x", 0), ("b", 1), ("c", 1), ("d", 2)]);
        // DCG  = 2/log2(2) + 1/log2(4) + 1/log2(6) = 2 + 0.5 + 0.386853 = 2.886853
        // IDCG = 2/1 + 2/log2(3) + 1/log2(4) + 1/log2(5)
        //      = 2 + 1.261860 + 0.5 + 0.430677 = 4.192537
        // nDCG = 2.886853 / 4.192537 = 0.688569
        close(ndcg_at(&r, &j, 10), 0.688569);
        // Relevant at ranks 1, 3, 5: AP = (1/1 + 2/3 + 3/5) / 4 relevant = 2.266667 / 4
        close(ap_at(&r, &j, 100), 0.566667);
        close(rr_at(&r, &j, 10), 1.0);
        // 3 relevant in the top 10 → 0.3; recall 3 of 4.
        close(precision_at(&r, &j, 10), 0.3);
        close(recall_at(&r, &j, 100), 0.75);
    }

    #[test]
    fn cut_offs_and_first_relevant() {
        let r = ranked(&["x", "y", "a", "b"]);
        let j = judged(&[("a", 1), ("b", 1)]);
        // First relevant at rank 3: RR = 1/3; at cut-off 2 nothing is found.
        close(rr_at(&r, &j, 10), 1.0 / 3.0);
        close(rr_at(&r, &j, 2), 0.0);
        // AP@100 = (1/3 + 2/4) / 2 = 0.416667; AP@3 = (1/3) / 2 = 0.166667
        close(ap_at(&r, &j, 100), 0.416667);
        close(ap_at(&r, &j, 3), 0.166667);
        // nDCG@10: DCG = 1/log2(4) + 1/log2(5) = 0.5 + 0.430677 = 0.930677;
        // IDCG = 1 + 1/log2(3) = 1.630930; nDCG = 0.570643
        close(ndcg_at(&r, &j, 10), 0.570643);
        close(precision_at(&r, &j, 2), 0.0);
    }

    #[test]
    fn duplicates_count_once_and_empty_cases() {
        // "a" twice: the second is ignored, so "b" is at rank 2.
        let r = ranked(&["a", "a", "b"]);
        let j = judged(&[("a", 1), ("b", 1)]);
        close(ndcg_at(&r, &j, 10), 1.0);
        close(ap_at(&r, &j, 100), 1.0);
        close(precision_at(&r, &j, 10), 0.2);
        let none = judged(&[("a", 0)]);
        close(ndcg_at(&r, &none, 10), 0.0);
        close(ap_at(&r, &none, 100), 0.0);
        close(recall_at(&[], &j, 100), 0.0);
        let m = Scores::mean(&[
            Scores {
                ndcg10: 1.0,
                ..Default::default()
            },
            Scores::default(),
        ]);
        close(m.ndcg10, 0.5);
    }
}
