//! Excluding whole articles: `-word` leaves out every article that holds
//! the word anywhere (its title or any passage), not only the passages
//! that hold it.
//!
//! [`WholeArticles`] wraps a query that matches passages and matches every
//! document of the articles those passages belong to. An article's
//! documents share one segment (the writer adds them as one batch), so each
//! segment is answered on its own: the matching passages' article ids are
//! read from the id column, and each id's documents from its `article_id`
//! postings, into a bit set. As a `MustNot` clause it excludes those
//! articles.

use std::fmt;

use tantivy::query::{
    BitSetDocSet, ConstScorer, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, Term, COLLECT_BLOCK_BUFFER_LEN};

/// Every document of each article that has a document matching `inner`.
pub(super) struct WholeArticles {
    inner: Box<dyn Query>,
    article_id: Field,
}

impl Clone for WholeArticles {
    fn clone(&self) -> Self {
        WholeArticles {
            inner: self.inner.box_clone(),
            article_id: self.article_id,
        }
    }
}

impl fmt::Debug for WholeArticles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WholeArticles")
            .field("inner", &self.inner)
            .finish()
    }
}

impl WholeArticles {
    /// The articles of the documents `inner` matches.
    pub(super) fn new(inner: Box<dyn Query>, article_id: Field) -> WholeArticles {
        WholeArticles { inner, article_id }
    }
}

impl Query for WholeArticles {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // Which documents match is all that counts.
        let inner = self
            .inner
            .weight(EnableScoring::disabled_from_schema(scoring.schema()))?;
        Ok(Box::new(WholeArticlesWeight {
            inner,
            article_id: self.article_id,
        }))
    }
}

struct WholeArticlesWeight {
    inner: Box<dyn Weight>,
    article_id: Field,
}

impl WholeArticlesWeight {
    /// The documents of `reader` that belong to an article with a live
    /// document matching the inner query.
    fn documents(&self, reader: &SegmentReader) -> tantivy::Result<Option<BitSet>> {
        let name = reader.schema().get_field_name(self.article_id);
        let Some(ids) = reader.fast_fields().str(name)? else {
            return Ok(None);
        };
        let alive = reader.alive_bitset();
        let mut ords: Vec<u64> = Vec::new();
        let mut buffer = [None; COLLECT_BLOCK_BUFFER_LEN];
        self.inner.for_each_no_score(reader, &mut |docs| {
            let found = &mut buffer[..docs.len()];
            ids.ords().first_vals(docs, found);
            for (doc, ord) in docs.iter().zip(found.iter()) {
                if alive.is_none_or(|a| a.is_alive(*doc)) {
                    ords.extend(*ord);
                }
            }
        })?;
        if ords.is_empty() {
            return Ok(None);
        }
        ords.sort_unstable();
        ords.dedup();
        let inverted = reader.inverted_index(self.article_id)?;
        let terms = inverted.terms();
        // The id column's ordinals are the term dictionary's when both hold
        // the same number of ids (`index::columns`); otherwise look ids up
        // by text.
        let same_ords = ids.num_terms() == terms.num_terms();
        let mut docs = BitSet::with_max_value(reader.max_doc());
        let mut bytes = Vec::new();
        let mut text = String::new();
        for ord in ords {
            let id = if same_ords {
                bytes.clear();
                terms.ord_to_term(ord, &mut bytes)?;
                String::from_utf8_lossy(&bytes)
            } else {
                text.clear();
                if !ids.ord_to_str(ord, &mut text)? {
                    continue;
                }
                text.as_str().into()
            };
            let term = Term::from_field_text(self.article_id, &id);
            let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)?
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                docs.insert(doc);
                doc = postings.advance();
            }
        }
        Ok(Some(docs))
    }
}

impl Weight for WholeArticlesWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.documents(reader)? {
            Some(docs) => Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} belongs to no matching article"
            )));
        }
        Ok(Explanation::new("WholeArticles", 1.0))
    }
}
