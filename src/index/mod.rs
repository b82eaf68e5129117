//! The on-disk index: creating, opening (with version checks) and writing.
//!
//! Each commit carries a small JSON payload ([`IndexInfo`]) with the schema
//! version and the languages present, written atomically with the commit, so
//! a reader always sees metadata that matches the documents.

pub mod document;
pub mod schema;
pub mod writer;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, Term};

use crate::analysis;
use crate::error::{Error, Result};
use schema::{Fields, SCHEMA_VERSION};

/// Metadata stored in every commit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndexInfo {
    /// Schema version of the writer.
    pub opedex_schema: u32,
    /// Analyser keys with documents, so queries only touch those fields.
    pub langs: BTreeSet<String>,
}

/// An opened opedex index.
pub struct OpedexIndex {
    /// Where it lives.
    pub path: PathBuf,
    /// The Tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// Metadata of the last commit.
    pub info: IndexInfo,
}

/// True when `path` holds an index (of any version).
pub fn exists(path: &Path) -> bool {
    path.join("meta.json").is_file()
}

impl OpedexIndex {
    /// Opens an existing index, refusing foreign or other-version indexes.
    pub fn open(path: &Path) -> Result<OpedexIndex> {
        let not_index = |reason: String| Error::NotAnIndex {
            path: path.to_path_buf(),
            reason,
        };
        if !path.is_dir() {
            return Err(not_index("no such directory".into()));
        }
        if !exists(path) {
            return Err(not_index("it has no meta.json".into()));
        }
        let index = Index::open_in_dir(path).map_err(|e| not_index(e.to_string()))?;
        let metas = index.load_metas().map_err(|e| not_index(e.to_string()))?;
        let info: IndexInfo = metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .ok_or_else(|| not_index("it has no opedex metadata".into()))?;
        let (expected_schema, fields) = schema::build();
        if info.opedex_schema != SCHEMA_VERSION {
            return Err(Error::SchemaVersion {
                path: path.to_path_buf(),
                found: info.opedex_schema,
                expected: SCHEMA_VERSION,
            });
        }
        if index.schema() != expected_schema {
            return Err(not_index(format!(
                "its fields differ from schema version {SCHEMA_VERSION}"
            )));
        }
        analysis::register(&index);
        Ok(OpedexIndex {
            path: path.to_path_buf(),
            index,
            fields,
            info,
        })
    }

    /// Opens the index at `path`, creating it (and the directory) when absent.
    pub fn open_or_create(path: &Path) -> Result<OpedexIndex> {
        if exists(path) {
            return Self::open(path);
        }
        std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(path, schema)?;
        analysis::register(&index);
        let info = IndexInfo {
            opedex_schema: SCHEMA_VERSION,
            langs: BTreeSet::new(),
        };
        // An empty first commit records the metadata, so the index is never payload-less.
        let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&info)?);
        prepared.commit()?;
        writer.wait_merging_threads()?;
        Ok(OpedexIndex {
            path: path.to_path_buf(),
            index,
            fields,
            info,
        })
    }

    /// The address of the article document with this id, in `searcher`'s view.
    pub fn article_doc(&self, searcher: &Searcher, id: &str) -> Result<Option<DocAddress>> {
        let term = |field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        let q = BooleanQuery::intersection(vec![
            term(self.fields.kind, schema::KIND_ARTICLE),
            term(self.fields.article_id, id),
        ]);
        let hits = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        Ok(hits.first().map(|(_, addr)| *addr))
    }

    /// A reader over the last commit.
    pub fn reader(&self) -> Result<IndexReader> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?)
    }
}
