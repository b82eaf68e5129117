//! The fast columns every search reads, opened once per segment.
//!
//! Opening a column reads its header, and a numeric column deserialises the
//! metadata of every block: a few hundred microseconds per segment that a
//! search paid again for every query. Segments never change once written
//! (deletes are kept apart, in the alive bitset), so a segment's open columns
//! stay valid for as long as the segment exists, and the cache is keyed by
//! segment id. Columns hold their segment's file open, so segments the
//! searcher no longer has are dropped from the cache when another is added.
//! Only searches use it: a writer's lookups see segments that its merges
//! replace, and their files should close with them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::Searcher;

use super::schema::Fields;
use crate::error::{Error, Result};

/// The columns of one segment that ranking reads per candidate.
pub struct SegmentColumns {
    /// Article id of every document.
    pub ids: StrColumn,
    /// Passage number (passages only; articles have none).
    pub passages: Column<u64>,
    /// Language (absent when no document of the segment has one).
    pub langs: Option<StrColumn>,
}

/// Open columns by segment.
#[derive(Default)]
pub struct ColumnCache {
    by_segment: Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>,
}

impl ColumnCache {
    /// The columns of `searcher`'s segment `ord`, opened on first use.
    pub fn get(
        &self,
        fields: &Fields,
        searcher: &Searcher,
        ord: u32,
    ) -> Result<Arc<SegmentColumns>> {
        let segment = searcher.segment_reader(ord);
        let id = segment.segment_id();
        if let Some(c) = self.lock().get(&id) {
            return Ok(Arc::clone(c));
        }
        let schema = segment.schema();
        let ff = segment.fast_fields();
        let columns = Arc::new(SegmentColumns {
            ids: ff
                .str(schema.get_field_name(fields.article_id))?
                .ok_or_else(|| Error::Invalid("the index has no article id column".into()))?,
            passages: ff.u64(schema.get_field_name(fields.passage))?,
            langs: ff.str(schema.get_field_name(fields.lang))?,
        });
        let mut cache = self.lock();
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        cache.retain(|id, _| live.contains(id));
        cache.insert(id, Arc::clone(&columns));
        Ok(columns)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentColumns>>> {
        // The map holds no invariant a panicking holder could break.
        self.by_segment
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
