//! opedex: turn a pile of op-eds into a passage search index you can trust.
//!
//! The modules follow the data's journey:
//! [`ingest`] (read files, recognise formats, extract [`Article`]s) →
//! [`clean`] (clean text) → [`lang`] and [`topics`] (language, topics) →
//! [`passage`] (split into passages) → [`index`] (schema, documents, writer) →
//! [`search`] (query language, ranking, highlights) → [`output`] (text and
//! JSON for people and programs). [`stats`] counts what an index holds;
//! [`eval`] scores rankings against judged queries.
#![warn(missing_docs)]

pub mod analysis;
pub mod article;
pub mod clean;
pub mod date;
pub mod dedup;
pub mod error;
pub mod eval;
pub mod index;
pub mod ingest;
pub mod lang;
pub mod output;
pub mod passage;
pub mod search;
pub mod stats;
pub mod topics;

pub use article::{Article, AuthorCard, Contacts, Source};
pub use error::{Error, Result};
