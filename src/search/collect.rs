//! Top-k collection by score with one threshold across segments.
//!
//! Tantivy's `TopDocs` starts every segment from nothing: each segment must
//! fill its own top k before block-max pruning can skip anything, so a
//! million-article index of ~50 segments scored ~50 × k passages per query
//! before pruning began. Scores are comparable across segments (BM25 uses the
//! searcher's statistics), so the k-th best score found so far is a floor for
//! every later segment: a passage that does not beat it cannot enter the top
//! k. [`TopScores`] passes that floor on, and returns the same passages as
//! `TopDocs::with_limit(k).order_by_score()`, whether segments are searched
//! one after another or in parallel ([`top_passages`] searches them on every
//! core). Segments searched at the same time share their floors as they
//! rise, not only when a segment is done.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};
use std::sync::OnceLock;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{DocAddress, DocId, Executor, Score, Searcher, SegmentOrdinal, SegmentReader};

/// The `k` best-scoring documents for `query`, best first. An index of
/// several segments is searched on every core, the segments sharing one
/// floor; the thread pool is made on the first such search, so commands
/// that never search (and one-segment indexes) never start it.
pub fn top_passages(
    searcher: &Searcher,
    query: &dyn Query,
    k: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let collector = TopScores::new(k);
    match parallel_executor() {
        Some(executor) if searcher.segment_readers().len() > 1 => searcher.search_with_executor(
            query,
            &collector,
            executor,
            EnableScoring::enabled_from_searcher(searcher),
        ),
        _ => searcher.search(query, &collector),
    }
}

/// One search thread per core, made once per process; `None` on one core
/// or when the pool cannot be made (the search then runs on the caller's
/// thread).
fn parallel_executor() -> Option<&'static Executor> {
    static POOL: OnceLock<Option<Executor>> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        (cores > 1)
            .then(|| Executor::multi_thread(cores, "opedex-search-").ok())
            .flatten()
    })
    .as_ref()
}

/// A scored passage; orders by score, then the lower address first.
#[derive(Debug, Clone, Copy)]
struct Scored {
    score: Score,
    addr: DocAddress,
}

impl PartialEq for Scored {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Scored {}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scored {
    /// Greater is better: a higher score, or the same score at a lower address.
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.addr.cmp(&self.addr))
    }
}

/// The best `k` entries seen, worst on top.
#[derive(Debug)]
struct Best {
    k: usize,
    heap: BinaryHeap<Reverse<Scored>>,
}

impl Best {
    fn new(k: usize) -> Best {
        Best {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
        }
    }

    fn push(&mut self, entry: Scored) {
        if self.k == 0 {
            return;
        }
        if self.heap.len() < self.k {
            self.heap.push(Reverse(entry));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if entry > worst.0 {
                // Replaces the worst in place: one sift instead of a pop and a push.
                *worst = Reverse(entry);
            }
        }
    }

    /// The score an entry must beat to get in, once `k` are held.
    fn floor(&self) -> Option<Score> {
        (self.heap.len() == self.k)
            .then(|| self.heap.peek().map(|worst| worst.0.score))
            .flatten()
    }

    fn into_sorted(self) -> Vec<(Score, DocAddress)> {
        // Ascending `Reverse` order is descending entry order: best first.
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|Reverse(e)| (e.score, e.addr))
            .collect()
    }
}

/// The `k` best-scoring documents, best first, ties to the lower address.
#[derive(Debug)]
pub struct TopScores {
    k: usize,
    /// The best k-th best score any segment has held so far (the bits of
    /// an `f32`; negative infinity until a segment holds k).
    floor: AtomicU32,
}

impl TopScores {
    /// Collects the `k` best documents.
    pub fn new(k: usize) -> TopScores {
        TopScores {
            k,
            floor: AtomicU32::new(f32::NEG_INFINITY.to_bits()),
        }
    }

    fn floor(&self) -> Score {
        f32::from_bits(self.floor.load(AtomicOrdering::Relaxed))
    }

    fn raise_floor(&self, to: Score) {
        // Relaxed is enough: a floor read late only prunes less.
        let _ = self
            .floor
            .fetch_update(AtomicOrdering::Relaxed, AtomicOrdering::Relaxed, |bits| {
                (to > f32::from_bits(bits)).then_some(to.to_bits())
            });
    }

    /// The threshold a segment passes to Tantivy: documents must beat it.
    /// A document that equals the k-th best of other segments may still win
    /// the tie on its address, so the threshold sits one step below that
    /// score; the result is the same whatever order segments are collected
    /// in, one after another or in parallel.
    fn threshold(&self) -> Score {
        let floor = self.floor();
        if floor == f32::NEG_INFINITY {
            Score::MIN
        } else {
            floor.next_down()
        }
    }
}

/// One segment's best `k`.
pub struct SegmentTopScores {
    ord: SegmentOrdinal,
    best: Best,
}

impl SegmentCollector for SegmentTopScores {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.best.push(Scored {
            score,
            addr: DocAddress::new(self.ord, doc),
        });
    }

    fn harvest(self) -> Self::Fruit {
        self.best.into_sorted()
    }
}

impl Collector for TopScores {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentTopScores;

    fn for_segment(&self, ord: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(SegmentTopScores {
            ord,
            best: Best::new(self.k),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let mut best = Best::new(self.k);
        for (score, addr) in fruits.into_iter().flatten() {
            best.push(Scored { score, addr });
        }
        Ok(best.into_sorted())
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let mut segment = self.for_segment(ord, reader)?;
        let alive = reader.alive_bitset();
        // This segment's floor as last shared: shared again only when it rises.
        let mut shared = f32::NEG_INFINITY;
        // Tantivy passes on only documents that beat the threshold returned.
        weight.for_each_pruning(self.threshold(), reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                segment.collect(doc, score);
                if let Some(f) = segment.best.floor().filter(|&f| f > shared) {
                    self.raise_floor(f);
                    shared = f;
                }
            }
            // This segment's own floor is in the shared one.
            self.threshold()
        })?;
        Ok(segment.harvest())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(score: Score, seg: u32, doc: u32) -> Scored {
        Scored {
            score,
            addr: DocAddress::new(seg, doc),
        }
    }

    #[test]
    fn keeps_the_best_k_with_ties_to_the_lower_address() {
        let mut best = Best::new(3);
        for e in [
            scored(1.0, 0, 5),
            scored(3.0, 1, 0),
            scored(2.0, 0, 9),
            scored(2.0, 0, 1),
            scored(0.5, 0, 0),
            scored(3.0, 0, 7),
        ] {
            best.push(e);
        }
        assert_eq!(best.floor(), Some(2.0));
        let got: Vec<(Score, DocAddress)> = best.into_sorted();
        assert_eq!(
            got,
            vec![
                (3.0, DocAddress::new(0, 7)),
                (3.0, DocAddress::new(1, 0)),
                (2.0, DocAddress::new(0, 1)),
            ]
        );
    }

    #[test]
    fn no_floor_until_k_are_held() {
        let mut best = Best::new(2);
        best.push(scored(1.0, 0, 0));
        assert_eq!(best.floor(), None);
        best.push(scored(0.5, 0, 1));
        assert_eq!(best.floor(), Some(0.5));
        assert!(Best::new(0).into_sorted().is_empty());
    }

    /// The same passages as Tantivy's own top-k, on an index of several
    /// segments with deleted documents, for unions, required words and
    /// phrases.
    #[test]
    fn same_hits_as_top_docs_across_segments() {
        use tantivy::collector::TopDocs;
        use tantivy::query::QueryParser;
        use tantivy::schema::{Schema, STRING, TEXT};
        use tantivy::{doc, Index, Term};

        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", TEXT);
        let id = builder.add_text_field("id", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let words = [
            "peace", "treaty", "islands", "war", "talks", "fish", "coast",
        ];
        // A small deterministic generator: varied lengths and term counts.
        let mut x: u64 = 7;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as usize
        };
        for n in 0..3000 {
            let len = 3 + next() % 40;
            let text: Vec<&str> = (0..len).map(|_| words[next() % words.len()]).collect();
            writer
                .add_document(doc!(body => text.join(" "), id => n.to_string()))
                .unwrap();
            if n % 400 == 399 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        for n in (0..3000).step_by(7) {
            writer.delete_term(Term::from_field_text(id, &n.to_string()));
        }
        writer.commit().unwrap();
        let parser = QueryParser::for_index(&index, vec![body]);
        let queries = [
            "peace treaty islands",
            "+war talks",
            "\"peace treaty\" fish",
            "coast",
        ];
        let mut parallel = index.clone();
        parallel.set_multithread_executor(3).unwrap();
        for index in [index, parallel] {
            let searcher = index.reader().unwrap().searcher();
            assert!(searcher.segment_readers().len() > 3);
            for text in queries {
                let query = parser.parse_query(text).unwrap();
                for k in [1, 10, 300] {
                    let ours = searcher.search(&query, &TopScores::new(k)).unwrap();
                    let theirs = searcher
                        .search(&query, &TopDocs::with_limit(k).order_by_score())
                        .unwrap();
                    assert_eq!(ours, theirs, "{text} top {k}");
                }
            }
        }
    }
}
