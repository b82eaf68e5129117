//! What reading produces: events in input order, where they came from, why
//! something was skipped, and the counts of a run.

use std::collections::BTreeMap;
use std::fmt;

use super::error::ReadError;
use super::format::Format;
use super::limits;

/// Where a piece of work came from.
#[derive(Debug)]
pub struct Origin {
    /// The path as shown to the user.
    pub display: String,
    /// Absolute path identifying the file across runs (none for stdin).
    pub key: Option<String>,
    /// The recognised format.
    pub format: Format,
}

/// Where one article came from, as `make` sees it.
#[derive(Debug)]
pub struct Record<'a> {
    /// Its file.
    pub origin: &'a Origin,
    /// A hash of the record's raw bytes, its file and the reading options
    /// (never 0): the same fingerprint means the same article would be read.
    pub fingerprint: u64,
}

/// Why a file or record was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// The file could not be opened or read.
    Unreadable(String),
    /// The file is empty or only whitespace.
    Empty,
    /// The file looks binary.
    Binary,
    /// The file is not valid UTF-8.
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// The file's format is not supported.
    Unsupported(String),
    /// The file is larger than a single document may be.
    TooLarge(u64),
    /// No article could be found in the file.
    NoArticle(ReadError),
    /// One record of a multi-article file is malformed.
    BadRecord(ReadError),
    /// A symbolic link leading out of the given paths (its target).
    NotFollowed(String),
    /// Elements nest deeper than this limit.
    TooDeep(usize),
    /// A single page (text or HTML) of this many bytes, over the page limit.
    PageTooLarge(usize),
}

impl SkipReason {
    /// Short category for summaries.
    pub fn category(&self) -> &'static str {
        match self {
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::Empty => "empty",
            SkipReason::Binary => "binary",
            SkipReason::InvalidUtf8 { .. } => "invalid UTF-8",
            SkipReason::Unsupported(_) => "unsupported format",
            SkipReason::TooLarge(_) => "too large",
            SkipReason::NoArticle(_) => "no article found",
            SkipReason::BadRecord(_) => "bad record",
            SkipReason::NotFollowed(_) => "link out of the given paths",
            SkipReason::TooDeep(_) => "nested too deeply",
            SkipReason::PageTooLarge(_) => "too large",
        }
    }
}

impl SkipReason {
    /// True for a reason that concerns every record of the run, not one
    /// file: a `--map` column the header lacks. The run stops with it.
    pub fn stops_run(&self) -> bool {
        matches!(
            self,
            SkipReason::NoArticle(ReadError::MappedColumnMissing { .. })
        )
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Unreadable(e) => write!(f, "cannot read: {e}"),
            SkipReason::Empty => f.write_str("empty file"),
            SkipReason::Binary => f.write_str("binary file, not text"),
            SkipReason::InvalidUtf8 { offset } => {
                write!(f, "not valid UTF-8 (first bad byte at offset {offset})")
            }
            SkipReason::Unsupported(what) => f.write_str(what),
            SkipReason::TooLarge(n) => write!(
                f,
                "{n} bytes is too large for one document (limit {}); split it or use JSON Lines",
                limits::MAX_DOCUMENT_BYTES
            ),
            SkipReason::NoArticle(why) => write!(f, "no article found: {why}"),
            SkipReason::BadRecord(why) => write!(f, "bad record: {why}"),
            SkipReason::PageTooLarge(n) => write!(
                f,
                "{n} bytes is too large for one page (limit {}); an op-ed page is rarely over 1 MB",
                limits::MAX_PAGE_BYTES
            ),
            SkipReason::TooDeep(limit) => {
                write!(f, "elements nest more than {limit} deep; not a page opedex can read")
            }
            SkipReason::NotFollowed(target) => write!(
                f,
                "symbolic link to {target}, outside the given paths; not followed (use --follow-symlinks)"
            ),
        }
    }
}

/// A skipped file or record.
#[derive(Debug, Clone)]
pub struct Skip {
    /// The file, as shown to the user.
    pub path: String,
    /// The line (JSON Lines; CSV and TSV: the line where the row starts)
    /// or item (JSON array), counting from 1.
    pub record: Option<usize>,
    /// Why.
    pub reason: SkipReason,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.record {
            Some(n) => write!(f, "{}:{n}: skipped: {}", self.path, self.reason),
            None => write!(f, "{}: skipped: {}", self.path, self.reason),
        }
    }
}

/// A warning about a record that was still read.
#[derive(Debug, Clone)]
pub struct Warning {
    /// The file, as shown to the user.
    pub path: String,
    /// The line or item, counting from 1, as for [`Skip::record`].
    pub record: Option<usize>,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.record {
            Some(n) => write!(f, "{}:{n}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// What reading produces, in input order.
#[derive(Debug)]
pub enum Event<T> {
    /// A complete article, mapped by the caller's function.
    Article(T),
    /// A record whose fingerprint is in [`ReadOptions::known`](super::ReadOptions::known): the index
    /// already holds its article, with this id, exactly as it would be read.
    Unchanged {
        /// The article's id.
        id: String,
    },
    /// A file or record that was skipped.
    Skipped(Skip),
    /// Something odd about a record that was kept.
    Warning(Warning),
    /// A file is finished. `key` is set when the file was read and yielded at
    /// least one article, so stale articles from an earlier version of it may go.
    FileDone {
        /// The file's identity across runs.
        key: Option<String>,
    },
    /// Progress: this many more bytes of input were read from disk (or
    /// standard input) for the events that follow.
    Read {
        /// Bytes read since the last `Read` event.
        bytes: u64,
    },
}

/// Counts from one reading run.
#[derive(Debug, Clone, Default)]
pub struct ReadStats {
    /// Files looked at (including skipped ones).
    pub files: usize,
    /// Articles read.
    pub articles: usize,
    /// Of those, records recognised before parsing as already indexed
    /// exactly as they would be read now ([`Event::Unchanged`]).
    pub recognised: usize,
    /// Skipped files by reason category.
    pub skipped_files: BTreeMap<&'static str, usize>,
    /// Skipped records (lines or items) by reason category.
    pub skipped_records: BTreeMap<&'static str, usize>,
    /// Files in walked directories ignored for their type (e.g. `.md`, `.csv`).
    pub ignored: usize,
    /// Warnings emitted.
    pub warnings: usize,
}

impl ReadStats {
    /// Counts one event.
    pub(super) fn count<T>(&mut self, event: &Event<T>) {
        match event {
            Event::Article(_) => self.articles += 1,
            Event::Unchanged { .. } => {
                self.articles += 1;
                self.recognised += 1;
            }
            Event::Skipped(s) if s.record.is_some() => {
                *self.skipped_records.entry(s.reason.category()).or_default() += 1
            }
            Event::Skipped(s) => *self.skipped_files.entry(s.reason.category()).or_default() += 1,
            Event::Warning(_) => self.warnings += 1,
            Event::FileDone { .. } => self.files += 1,
            Event::Read { .. } => {}
        }
    }

    /// Total skipped files.
    pub fn skipped_file_count(&self) -> usize {
        self.skipped_files.values().sum()
    }
    /// Total skipped records.
    pub fn skipped_record_count(&self) -> usize {
        self.skipped_records.values().sum()
    }
}
