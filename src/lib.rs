//! opedex: turn a pile of op-eds into a passage search index you can trust.
//!
//! Embedding it takes an [`Index`]: open or create one, [`Index::ingest`]
//! files and folders of op-eds (text pages, HTML, JSON, JSON Lines, CSV,
//! TSV), then [`Index::search`] it, read an [`Index::article`], find
//! [`Index::similar`] ones or count what it holds ([`Index::stats`]).
//! [`normalize`] reads the same inputs into [`Article`]s without an index.
//!
//! ```no_run
//! use opedex::{Index, IngestOptions, SearchRequest};
//!
//! let mut index = Index::open_or_create("index")?;
//! index.ingest(&["corpus".into()], &IngestOptions::default(), &mut ())?;
//! let results = index.search(&SearchRequest::new("peace treaty islands"))?;
//! for hit in &results.hits {
//!     println!("{}. {} ({})", hit.rank, hit.article.title, hit.text);
//! }
//! # Ok::<(), opedex::Error>(())
//! ```
//!
//! Inside, the modules follow the data's journey:
//! [`ingest`] (read files, recognise formats, extract [`Article`]s, [`clean`]
//! them, detect language and topics) → [`passage`] (split into passages) →
//! [`index`] (schema, documents, writer, stored reads) → [`search`] (query
//! language, ranking, highlights) → [`output`] (text and JSON for people and
//! programs). [`pipeline`] joins reading to writing once; [`api`] is the
//! door every front end uses.
#![warn(missing_docs)]

pub mod analysis;
pub mod api;
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
pub mod pipeline;
pub mod search;
pub mod stats;
pub mod topics;

pub use api::{normalize, Articles, Index, Normalized, SearchResults};
pub use article::{Appearance, Article, AuthorCard, Contacts, Source};
pub use error::{Error, Result};
pub use index::merge::Optimized;
pub use index::writer::{WriteStats, WriterOptions};
pub use index::Rebuild;
pub use ingest::dataset::FieldMap;
pub use ingest::format::Format;
pub use ingest::{Defaults, ReadOptions, ReadStats, Skip, SkipReason, WalkOptions, Warning};
pub use pipeline::{IngestOptions, IngestReport, Progress};
pub use search::similar::SimilarRequest;
pub use search::{Filters, Hit, Ranking, SearchRequest};
pub use stats::Stats;
pub use topics::Taxonomy;
