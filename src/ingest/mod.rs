//! Ingestion: from paths on disk to complete, cleaned [`Article`](crate::Article)s.
//!
//! The journey: [`collect_files`] (or [`walk`]) expands the inputs,
//! directories recursively; [`read_files`] reads each file once, recognises
//! its format ([`format`](mod@format)), extracts articles ([`textpage`], [`html`],
//! [`jsonl`], [`dataset`]) and completes them ([`complete`]: cleaning,
//! authors, language, topics, id) in parallel with rayon. Results reach the
//! caller's sink in input order as [`Event`]s through a bounded channel, so
//! indexing overlaps with parsing and memory stays bounded. Bad input becomes
//! a [`Skip`] event; it never stops the run.
//!
//! Files by job: `files` (the file walk), `options` (what the caller sets),
//! `read` (one file into work items), `parallel` (the parallel run and its
//! ordered events), `events` (what the caller receives), `complete`;
//! metadata rules: `evidence` (the first pass over dataset records: hosts'
//! publications, sidebar regulars), `credits` (who wrote the piece),
//! `outlet` (publications, dated outlet lines, the host table), `closing`
//! (bio lines, calls to action and prompts at a body's end), `contacts`
//! (e-mail, phone and handle shapes), `labels` (card label words in every
//! language, from `data/card_labels.tsv`).
//!
//! May import: `article`, `clean`, `date`, `lang`, `topics`, `analysis`,
//! `error`. Never `index`, `search` or `output`: ingest hands articles to
//! the caller's sink and knows nothing of where they go.

pub mod authors;
mod closing;
mod complete;
mod contacts;
mod credits;
pub mod dataset;
mod error;
mod events;
mod evidence;
pub mod exported;
mod files;
pub mod format;
pub mod html;
pub mod jsonl;
mod labels;
pub mod limits;
mod options;
mod outlet;
mod parallel;
mod read;
pub mod textpage;

pub use complete::complete;
pub use error::ReadError;
pub use events::{Event, Origin, ReadStats, Skip, SkipReason, Warning};
pub use evidence::CorpusEvidence;
pub use files::{collect_files, walk, FileEntry, WalkOptions};
pub use options::{Defaults, ReadOptions};
pub use parallel::{check_map, read_files};
