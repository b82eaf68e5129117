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
//!
//! `first_strings` reads many documents' values of a string column at
//! once, for searches (languages) and the writer (ids) alike.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::postings::SegmentPostings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Searcher, SegmentReader, Term};

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

/// The first value of a string column for each of `docs`, read with one
/// ordered pass over the column's dictionary: looking ordinals up one by one
/// decompresses a dictionary block (and sets up a decompressor) every time,
/// which cost more than the whole search.
pub(crate) fn first_strings(
    column: &StrColumn,
    docs: impl Iterator<Item = DocId>,
) -> Result<Vec<Option<String>>> {
    let ords: Vec<Option<u64>> = docs.map(|d| column.term_ords(d).next()).collect();
    let mut sorted: Vec<u64> = ords.iter().flatten().copied().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut names: HashMap<u64, String> = HashMap::with_capacity(sorted.len());
    let mut next = sorted.iter();
    column
        .dictionary()
        .sorted_ords_to_term_cb(&sorted, |bytes| {
            if let Some(ord) = next.next() {
                names.insert(*ord, String::from_utf8_lossy(bytes).into_owned());
            }
        })
        .map_err(tantivy::TantivyError::from)?;
    Ok(ords
        .into_iter()
        .map(|o| o.and_then(|o| names.get(&o).cloned()))
        .collect())
}

#[cfg(test)]
mod tests {
    use tantivy::{doc, Index, Term};

    use super::*;
    use crate::index::schema;

    /// The id column's ordinals are the `article_id` index's: in segments
    /// as written, after deletions, and after a merge that drops deleted
    /// documents. (Ranking reads ids through the index's term dictionary on
    /// the strength of this; a Tantivy that broke it would fail here.)
    #[test]
    fn id_ordinals_agree_with_the_term_dictionary_before_and_after_merges() {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        crate::analysis::register(&index);
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let id = |n: u64| format!("a{:04}", (n * 37) % 600);
        for n in 0..600u64 {
            // Each article: its document and two passages.
            writer
                .add_document(doc!(fields.article_id => id(n)))
                .unwrap();
            for p in 0..2u64 {
                writer
                    .add_document(doc!(fields.article_id => id(n), fields.passage => p))
                    .unwrap();
            }
            if n % 150 == 149 {
                writer.commit().unwrap();
            }
        }
        for n in (0..600u64).step_by(5) {
            writer.delete_term(Term::from_field_text(fields.article_id, &id(n)));
        }
        writer.commit().unwrap();
        let check = |merged: bool| {
            let reader = index.reader().unwrap();
            let searcher = reader.searcher();
            let cache = ColumnCache::default();
            for ord in 0..searcher.segment_readers().len() as u32 {
                let columns = cache.get(&fields, &searcher, ord).unwrap();
                let segment = searcher.segment_reader(ord);
                assert!(columns.ids_are_terms, "segment {ord}, merged: {merged}");
                let count = columns.ids.num_terms() as u64;
                if merged {
                    assert_eq!(count, 480, "the merge drops the 120 deleted ids");
                }
                for t in 0..count {
                    let mut text = String::new();
                    assert!(columns.ids.ord_to_str(t, &mut text).unwrap());
                    let via_terms = columns.article_id(segment, fields.article_id, t);
                    assert_eq!(via_terms.unwrap(), Some(text));
                }
            }
        };
        check(false);
        let segments = index.searchable_segment_ids().unwrap();
        assert_eq!(segments.len(), 4);
        writer.merge(&segments).wait().unwrap();
        writer.commit().unwrap();
        check(true);
    }
}
