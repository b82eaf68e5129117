//! How segments are merged while an ingest writes: Tantivy's log merge
//! policy, with no merge reading or producing more than a bounded number of
//! documents.
//!
//! A merge reads its input segments through memory maps, so every page it
//! reads counts in the process's resident memory until the merge ends. An
//! unbounded merge at the end of a large ingest reads the whole index (1.2 GB
//! at 100,000 articles); capping merges bounds that part of peak memory at
//! any corpus size, at the cost of more segments to search in a very large
//! index (about one per [`MAX_MERGED_DOCS`] documents).
//!
//! [`optimize`] is the explicit step after an ingest (`opedex optimize`): it
//! merges the segments into a few, for searches, which pay for every segment
//! (Tantivy scores each one separately), at the cost of reading each group it
//! merges through memory maps while it does.

use std::collections::HashMap;

use tantivy::index::SegmentId;
use tantivy::indexer::{IndexWriterOptions, NoMergePolicy};
use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::SegmentMeta;

use super::OpedexIndex;
use crate::error::Result;

/// Most documents (passages and articles) a merge reads, and so the largest
/// segment merging makes: about 1.1 KB a document on disk for op-eds, so
/// about 330 MB of segment files read per merge.
pub const MAX_MERGED_DOCS: u32 = 300_000;

/// Log merging (segments of similar size, eight at a time) within a cap.
#[derive(Debug)]
pub struct CappedMergePolicy {
    log: LogMergePolicy,
    max_docs: u32,
}

impl CappedMergePolicy {
    /// A policy whose merges hold at most `max_docs` documents. Segments
    /// above half of that are left as they are.
    pub fn new(max_docs: u32) -> CappedMergePolicy {
        let mut log = LogMergePolicy::default();
        log.set_max_docs_before_merge((max_docs / 2) as usize);
        CappedMergePolicy { log, max_docs }
    }
}

impl Default for CappedMergePolicy {
    fn default() -> Self {
        CappedMergePolicy::new(MAX_MERGED_DOCS)
    }
}

impl MergePolicy for CappedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs: HashMap<SegmentId, u32> =
            segments.iter().map(|s| (s.id(), s.num_docs())).collect();
        let size = |id: &SegmentId| docs.get(id).copied().unwrap_or(0);
        let mut out = Vec::new();
        for MergeCandidate(mut ids) in self.log.compute_merge_candidates(segments) {
            if ids.len() < 2 {
                // Rewriting one segment to drop its deleted documents never grows it.
                out.push(MergeCandidate(ids));
                continue;
            }
            // Smallest first, packed greedily into groups within the cap.
            ids.sort_by_key(|id| (size(id), id.uuid_string()));
            let mut group: Vec<SegmentId> = Vec::new();
            let mut total = 0u32;
            for id in ids {
                let n = size(&id);
                if !group.is_empty() && total.saturating_add(n) > self.max_docs {
                    if group.len() >= 2 {
                        out.push(MergeCandidate(std::mem::take(&mut group)));
                    }
                    group.clear();
                    total = 0;
                }
                total = total.saturating_add(n);
                group.push(id);
            }
            if group.len() >= 2 {
                out.push(MergeCandidate(group));
            }
        }
        out
    }
}

/// What [`optimize`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Optimized {
    /// Segments before.
    pub segments_before: usize,
    /// Segments after.
    pub segments_after: usize,
    /// Deleted documents (replaced or removed articles) the merges dropped.
    pub deleted_dropped: u64,
}

/// Merges the index's segments into at most `segments` (at least one), of
/// about equal size, one merge at a time. Each merge is atomic: until it
/// ends, the index holds the old segments, so an interrupted optimize loses
/// nothing. An article never spans segments before (the writer adds its
/// documents as one batch) and merges keep segments whole, so it never does
/// after. The commit payload (schema version, languages) is kept.
pub fn optimize(index: &OpedexIndex, segments: usize) -> Result<Optimized> {
    // The plan holds segment ids only: Tantivy keeps the files of every live
    // `SegmentMeta` from garbage collection, so the metas go before merging.
    let (segments_before, deleted_before, plan) = {
        let metas = index.index.searchable_segment_metas()?;
        let plan: Vec<Vec<SegmentId>> = groups(&metas, segments)
            .into_iter()
            .filter(|g| g.len() > 1 || g.iter().any(|m| m.has_deletes()))
            .map(|g| g.iter().map(|m| m.id()).collect())
            .collect();
        (metas.len(), deleted(&metas), plan)
    };
    let options = IndexWriterOptions::builder()
        .num_worker_threads(1)
        .num_merge_threads(1)
        .build();
    let mut writer = index.writer(options)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for ids in plan {
        writer.merge(&ids).wait()?;
    }
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()?;
    let after = index.index.searchable_segment_metas()?;
    Ok(Optimized {
        segments_before,
        segments_after: after.len(),
        deleted_dropped: deleted_before.saturating_sub(deleted(&after)),
    })
}

fn deleted(metas: &[SegmentMeta]) -> u64 {
    metas.iter().map(|m| u64::from(m.num_deleted_docs())).sum()
}

/// `metas` cut, in order, into at most `n` runs of about equal document
/// count: a run ends before a segment that would take it past its share of
/// the index, so segments already about that size stay alone (and are not
/// merged at all).
fn groups(metas: &[SegmentMeta], n: usize) -> Vec<Vec<&SegmentMeta>> {
    let total: u64 = metas.iter().map(|m| u64::from(m.max_doc())).sum();
    let share = total.div_ceil(n.max(1) as u64).max(1);
    let mut out: Vec<Vec<&SegmentMeta>> = vec![Vec::new()];
    let mut size = 0u64;
    for m in metas {
        let docs = u64::from(m.max_doc());
        let starts_run = size > 0 && size + docs > share && out.len() < n;
        if starts_run {
            out.push(Vec::new());
            size = 0;
        }
        if let Some(run) = out.last_mut() {
            run.push(m);
        }
        size += docs;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::Schema;
    use tantivy::Index;

    fn metas(index: &Index, sizes: &[u32]) -> Vec<SegmentMeta> {
        sizes
            .iter()
            .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
            .collect()
    }

    fn group_sizes(sizes: &[u32], n: usize) -> Vec<Vec<u32>> {
        let index = Index::create_in_ram(Schema::builder().build());
        let segments = metas(&index, sizes);
        groups(&segments, n)
            .iter()
            .map(|g| g.iter().map(|m| m.max_doc()).collect())
            .collect()
    }

    #[test]
    fn optimize_groups_are_ordered_runs_of_about_a_share_each() {
        assert_eq!(group_sizes(&[100; 4], 2), [[100, 100], [100, 100]]);
        // Segments already about a share each are left alone.
        assert_eq!(group_sizes(&[10, 100], 2), [[10], [100]]);
        assert_eq!(
            group_sizes(&[1000, 1, 1, 1], 2),
            [vec![1000], vec![1, 1, 1]]
        );
        assert_eq!(group_sizes(&[10, 10, 100], 2), [vec![10, 10], vec![100]]);
        assert_eq!(group_sizes(&[5, 7, 9], 1), [[5, 7, 9]]);
        // Never more than n runs, every segment once, in order.
        let sizes: Vec<u32> = (0..47).map(|i| 200_000 + (i * 7919) % 90_000).collect();
        for n in 1..6 {
            let got = group_sizes(&sizes, n);
            assert!(got.len() <= n, "{n}: {}", got.len());
            assert_eq!(got.concat(), sizes);
        }
    }

    fn merged_sizes(policy: &CappedMergePolicy, segments: &[SegmentMeta]) -> Vec<Vec<u32>> {
        let docs: HashMap<SegmentId, u32> =
            segments.iter().map(|s| (s.id(), s.num_docs())).collect();
        let mut out: Vec<Vec<u32>> = policy
            .compute_merge_candidates(segments)
            .into_iter()
            .map(|c| c.0.iter().map(|id| docs[id]).collect())
            .collect();
        out.sort();
        out
    }

    #[test]
    fn small_segments_merge_as_the_log_policy_would() {
        let index = Index::create_in_ram(Schema::builder().build());
        let segments = metas(&index, &[1000; 8]);
        assert_eq!(
            merged_sizes(&CappedMergePolicy::new(300_000), &segments),
            vec![vec![1000; 8]]
        );
        // Seven are not enough for a merge.
        let segments = metas(&index, &[1000; 7]);
        assert!(merged_sizes(&CappedMergePolicy::new(300_000), &segments).is_empty());
    }

    #[test]
    fn no_merge_goes_over_the_cap() {
        let index = Index::create_in_ram(Schema::builder().build());
        let segments = metas(&index, &[40_000; 8]);
        let merges = merged_sizes(&CappedMergePolicy::new(100_000), &segments);
        assert_eq!(merges, vec![vec![40_000, 40_000]; 4]);
        for m in &merges {
            assert!(m.iter().sum::<u32>() <= 100_000);
        }
    }

    #[test]
    fn segments_above_half_the_cap_stay_as_they_are() {
        let index = Index::create_in_ram(Schema::builder().build());
        let segments = metas(&index, &[60_000; 8]);
        assert!(merged_sizes(&CappedMergePolicy::new(100_000), &segments).is_empty());
    }
}
