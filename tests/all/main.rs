//! opedex's integration tests, one binary so the suite links once: each
//! module is a theme, and most run the real `opedex` binary on fixtures
//! (`tests/fixtures/`) or, when `../shared/corpus` is present, on the real
//! corpora. `common` runs the binary and makes temporary folders;
//! `reliability_common` makes generated corpora and kills processes.

mod browser;
mod cli;
mod common;
mod corpus;
mod eval;
mod export;
mod formats;
mod html;
mod incremental;
mod index;
mod ingest;
mod ingest_bounds;
mod metadata;
mod optimize;
mod readme;
mod readonly;
mod reliability_common;
mod reliability_index;
mod reliability_input;
mod reliability_interrupt;
mod reliability_properties;
mod reliability_queries;
#[cfg(feature = "semantic")]
mod reliability_semantic;
mod search;
mod search_navigation;
mod search_queries;
#[cfg(feature = "semantic")]
mod semantic;
mod serve;
mod similar;
#[cfg(feature = "semantic")]
mod tiny_bert;
mod topics;
