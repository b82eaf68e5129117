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
use tantivy::postings::SegmentPostings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, SegmentReader, Term};

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
    /// The id column's dictionary holds the same terms as the segment's
    /// `article_id` index, so an ordinal of one is an ordinal of the other:
    /// both hold the ids of the segment's documents, in byte order, and a
    /// merge drops the ids of deleted documents from both. Checked (by
    /// count) when the segment is opened; when it fails, ids are read from
    /// the column and looked up by text.
    ids_are_terms: bool,
}

impl SegmentColumns {
    /// The article id at ordinal `ord` of the id column.
    pub fn article_id(
        &self,
        segment: &SegmentReader,
        field: Field,
        ord: u64,
    ) -> Result<Option<String>> {
        let found = if self.ids_are_terms {
            let mut bytes = Vec::new();
            let terms = segment.inverted_index(field)?;
            terms
                .terms()
                .ord_to_term(ord, &mut bytes)
                .map_err(tantivy::TantivyError::from)?
                .then(|| String::from_utf8_lossy(&bytes).into_owned())
        } else {
            let mut text = String::new();
            self.ids
                .ord_to_str(ord, &mut text)
                .map_err(tantivy::TantivyError::from)?
                .then_some(text)
        };
        Ok(found)
    }

    /// The documents (live and deleted) of the article at ordinal `ord` of
    /// the id column.
    pub fn article_postings(
        &self,
        segment: &SegmentReader,
        field: Field,
        ord: u64,
    ) -> Result<Option<SegmentPostings>> {
        let Some(id) = self.article_id(segment, field, ord)? else {
            return Ok(None);
        };
        Ok(segment
            .inverted_index(field)?
            .read_postings(&Term::from_field_text(field, &id), IndexRecordOption::Basic)
            .map_err(tantivy::TantivyError::from)?)
    }
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
        let ids = ff
            .str(schema.get_field_name(fields.article_id))?
            .ok_or_else(|| Error::Invalid("the index has no article id column".into()))?;
        let terms = segment
            .inverted_index(fields.article_id)?
            .terms()
            .num_terms();
        let columns = Arc::new(SegmentColumns {
            ids_are_terms: ids.num_terms() == terms,
            ids,
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
