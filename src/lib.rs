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
//! [`output`] renders hits, articles and counts as text or JSON for people
//! and programs, and [`eval`] scores rankings against judged queries.
//! [`stages`] reaches the pipeline's steps one at a time, for benchmarks,
//! fuzzing and measurement programs.
//!
//! Inside, the modules follow the data's journey (ARCHITECTURE.md): `ingest`
//! (read files, recognise formats, extract articles, `clean` them, detect
//! `lang`uage and `topics`) → `passage` (split into passages) → `index`
//! (schema, documents, writer, stored reads) → `search` (query language,
//! ranking, highlights) → `output`. `pipeline` joins reading to writing once;
//! `api` is the door every front end uses. Each imports only the modules
//! before it.
#![warn(missing_docs)]

mod analysis;
mod api;
mod article;
mod clean;
mod date;
mod dedup;
mod embed;
mod error;
pub mod eval;
mod export;
mod index;
mod ingest;
mod lang;
pub mod output;
mod passage;
mod pipeline;
mod search;
mod semantic;
#[cfg(feature = "server")]
pub mod server;
mod stats;
mod topics;

pub use api::{normalize, Articles, EmbedOptions, Index, Normalized};
pub use article::{Appearance, Article, AuthorCard, Contacts, Source};
pub use date::{parse_bound, BoundError};
pub use embed::{default_model_dir, ModelError, Units, DEFAULT_MODEL};
pub use error::{Error, Result};
pub use export::rerank::rerank;
pub use export::{Engine, ExportOptions, ExportReport, ExportedFile, MAX_FILE_BYTES};
pub use index::merge::Optimized;
pub use index::schema::SCHEMA_VERSION;
pub use index::vectors::fill::FillReport;
pub use index::vectors::VectorError;
pub use index::writer::{WriteStats, WriterOptions};
pub use index::Rebuild;
pub use ingest::dataset::FieldMap;
pub use ingest::format::Format;
pub use ingest::{
    CorpusEvidence, Defaults, ReadError, ReadOptions, ReadStats, Skip, SkipReason, WalkOptions,
    Warning,
};
pub use pipeline::{check_inputs, check_sources, IngestOptions, IngestReport, Progress};
pub use search::hybrid::{Fusion, FusionMethod};
pub use search::limits::MAX_PER_ARTICLE;
pub use search::similar::SimilarRequest;
pub use search::{
    FacetCounts, FacetValue, Facets, Filters, Hit, Mode, Ranking, SearchRequest, SearchResults,
    Sort, MAX_RESULTS,
};
pub use stats::{Stats, TopicCount, VectorSummary};
pub use topics::{Taxonomy, Topic, Vocabulary};

/// The pipeline's steps one at a time: reading one page or record, cleaning,
/// splitting into passages, copy signatures, index documents, the query
/// language. For benchmarks, fuzz targets and measurement programs; an
/// embedding program needs only [`Index`] and [`normalize`]. These follow the
/// code, with no promise of stability.
pub mod stages {
    pub use crate::ingest::{complete, Origin};

    /// Saved web pages.
    pub mod html {
        pub use crate::ingest::html::{decode, parse};
    }
    /// Plain-text op-ed pages.
    pub mod textpage {
        pub use crate::ingest::textpage::parse;
    }
    /// JSON and JSON Lines records.
    pub mod jsonl {
        pub use crate::ingest::jsonl::{
            article_from_line, article_from_value, values_from_document,
        };
    }
    /// Dataset records and CSV/TSV tables.
    pub mod dataset {
        pub use crate::ingest::dataset::{article_from_record, csv_records};
    }
    /// Text cleaning.
    pub mod clean {
        pub use crate::clean::{body, clean_line};
    }
    /// Language codes and detection.
    pub mod lang {
        pub use crate::lang::{canonical_code, detect};
    }
    /// Dates in the forms sources write them.
    pub mod date {
        pub use crate::date::canonical;
    }
    /// Splitting a body into passages.
    pub mod passage {
        pub use crate::passage::{split, Passage, MAX_WORDS, MIN_WORDS};
    }
    /// Syndicated copies: MinHash signatures and LSH bands.
    pub mod dedup {
        pub use crate::dedup::{
            shingle_hashes, signature, signature_with_shingle_words, DedupIndex, Signature, BANDS,
            MIN_WORDS, NUM_HASHES, ROWS, SHINGLE_WORDS, THRESHOLD,
        };
    }
    /// The index schema and an article's index documents.
    pub mod document {
        pub use crate::index::document::{body_from_passages, prepare, PreparedArticle};
        pub use crate::index::schema::{build as schema, Fields};
    }
    /// Sentence embeddings: the model and which text of an article is embedded.
    pub mod embed {
        #[cfg(feature = "semantic")]
        pub use crate::embed::Model;
        pub use crate::embed::{Embedder, ModelInfo, Unit, Units};
    }
    /// The vector file beside an index and the dense scan over it.
    pub mod vectors {
        pub use crate::index::vectors::file::{sign_bits, Header};
        pub use crate::index::vectors::{quantise, Quantised, VectorFile};
        pub use crate::search::dense::dot_i8;
    }
    /// The query language and how it becomes a Tantivy query.
    pub mod query {
        pub use crate::analysis::{FALLBACK, STEMMED_LANGUAGES};
        pub use crate::search::query::{
            build, drop_stop_words, fold_typography, parse, TITLE_BOOST,
        };
    }
}
