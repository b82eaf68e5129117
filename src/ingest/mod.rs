//! Ingestion: from paths on disk to complete, normalised [`Article`]s.
//!
//! The journey: [`collect_files`] expands the inputs (directories recursively),
//! then [`read_files`] reads each file once, recognises its format
//! ([`format`]), extracts articles ([`textpage`], [`jsonl`]), and completes
//! them ([`complete`]: normalisation, language, topics, id) in parallel with
//! rayon. Results reach the caller's sink in input order through a bounded
//! channel, so indexing overlaps with parsing and memory stays bounded. Bad
//! input becomes a [`Skip`] event; it never stops the run.

pub mod authors;
pub mod dataset;
pub mod format;
pub mod html;
pub mod jsonl;
pub mod limits;
pub mod textpage;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::Value;

use crate::article::{Article, Source};
use crate::error::{Error, Result};
use crate::topics::{self, Taxonomy};
use crate::{clean, date, lang};
use dataset::FieldMap;
use format::{ByName, Format};

/// How many bytes are looked at to recognise a file.
const HEAD_BYTES: usize = 8192;
/// A single page or JSON document larger than this is skipped (JSONL streams and has no limit).
const MAX_DOCUMENT_BYTES: u64 = 256 << 20;
/// Work items per parallel batch.
const BATCH_ITEMS: usize = 256;
/// Bytes of text per parallel batch.
const BATCH_BYTES: usize = 8 << 20;
/// Batches in flight between the parser and the consumer.
const CHANNEL_BATCHES: usize = 4;

/// Field values for articles whose source lacks them (`--set outlet=…`).
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    /// Default outlet.
    pub outlet: Option<String>,
    /// Default site.
    pub site: Option<String>,
    /// Default section.
    pub section: Option<String>,
    /// Default publication date.
    pub published: Option<String>,
    /// Default language (ISO 639-1).
    pub lang: Option<String>,
    /// Default authors.
    pub authors: Vec<String>,
    /// Default topics.
    pub topics: Vec<String>,
}

impl Defaults {
    /// Sets one default from a `key=value` pair.
    pub fn set(&mut self, pair: &str) -> Result<()> {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| Error::Invalid(format!("--set expects FIELD=VALUE, got {pair:?}")))?;
        let value = value.trim().trim_matches('"').to_string();
        let list = || {
            value
                .split([',', ';'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        };
        match key.trim() {
            "outlet" => self.outlet = Some(value),
            "site" => self.site = Some(value),
            "section" => self.section = Some(value),
            "published" => {
                self.published = Some(date::canonical(&value).ok_or_else(|| {
                    Error::Invalid(format!("--set published: {value:?} is not a date"))
                })?)
            }
            "lang" => {
                self.lang = Some(lang::canonical_code(&value).ok_or_else(|| {
                    Error::Invalid(format!("--set lang: {value:?} is not a language code"))
                })?)
            }
            "authors" | "author" => self.authors = list(),
            "topics" | "topic" => self.topics = list(),
            other => {
                return Err(Error::Invalid(format!(
                    "--set: unknown field {other:?} (expected outlet, site, section, published, lang, authors or topics)"
                )))
            }
        }
        Ok(())
    }
}

/// Options for reading input.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force one format instead of recognising it per file.
    pub format: Option<Format>,
    /// Defaults for missing fields.
    pub defaults: Defaults,
    /// Topic taxonomy.
    pub taxonomy: Taxonomy,
    /// How record fields of JSON, JSONL, CSV and TSV map onto Article fields.
    pub map: FieldMap,
    /// Fingerprints of records the index already holds exactly as they would
    /// be read now, with their article ids (see [`Record::fingerprint`]). A
    /// record found here becomes [`Event::Unchanged`] without being parsed,
    /// so re-ingesting an unchanged corpus costs little more than reading it.
    pub known: Option<Arc<HashMap<u64, String>>>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            defaults: Defaults::default(),
            taxonomy: Taxonomy::default_taxonomy(),
            map: FieldMap::default(),
            known: None,
        }
    }
}

impl ReadOptions {
    /// A hash of everything besides a record's own bytes that shapes the
    /// article read from it: this build's version and every option.
    fn fingerprint_seed(&self) -> u64 {
        let key = format!(
            "{}|{}|{:?}|{:?}|{:x}|{:?}",
            env!("CARGO_PKG_VERSION"),
            crate::index::schema::SCHEMA_VERSION,
            self.format,
            self.defaults,
            self.taxonomy.fingerprint(),
            self.map
        );
        xxhash_rust::xxh3::xxh3_64(key.as_bytes())
    }
}

/// One file to read.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Path to open, or `-` for standard input.
    pub path: PathBuf,
}

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
    NoArticle(String),
    /// One record of a multi-article file is malformed.
    BadRecord(String),
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
                "{n} bytes is too large for one document (limit {MAX_DOCUMENT_BYTES}); split it or use JSON Lines"
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
    /// The line (JSON Lines) or item (JSON array), counting from 1.
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
    /// The line or item, counting from 1.
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
    /// A record whose fingerprint is in [`ReadOptions::known`]: the index
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
}

/// Counts from one reading run.
#[derive(Debug, Clone, Default)]
pub struct ReadStats {
    /// Files looked at (including skipped ones).
    pub files: usize,
    /// Articles read.
    pub articles: usize,
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
    /// Total skipped files.
    pub fn skipped_file_count(&self) -> usize {
        self.skipped_files.values().sum()
    }
    /// Total skipped records.
    pub fn skipped_record_count(&self) -> usize {
        self.skipped_records.values().sum()
    }
}

/// Expands inputs into files with the default [`WalkOptions`].
pub fn collect_files(inputs: &[PathBuf]) -> (Vec<FileEntry>, Vec<Skip>, usize) {
    walk(inputs, &WalkOptions::default())
}

/// How directories are walked.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Follow symbolic links wherever they point (`--follow-symlinks`).
    pub follow_symlinks: bool,
}

/// Expands inputs into files. Directories are walked recursively in name
/// order, skipping hidden entries and files whose type opedex does not read
/// (counted in the returned number).
///
/// Symbolic links met in the walk are not followed unless
/// `follow_symlinks` is set: a link into the given roots adds nothing (its
/// target is walked anyway) and a link out of them is skipped with a
/// message, so ingest never reads outside what it was given. With the
/// option, links are followed and a loop is reported as a per-entry skip.
/// Paths given on the command line are always read, links or not.
pub fn walk(inputs: &[PathBuf], opts: &WalkOptions) -> (Vec<FileEntry>, Vec<Skip>, usize) {
    let mut files = Vec::new();
    let mut skips = Vec::new();
    let mut ignored = 0;
    let roots: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let skip = |path: &Path, reason: SkipReason| Skip {
        path: path.display().to_string(),
        record: None,
        reason,
    };
    for input in inputs {
        if input.as_os_str() == "-" || input.is_file() {
            files.push(FileEntry {
                path: input.clone(),
            });
            continue;
        }
        if !input.exists() {
            let reason = if input.is_symlink() {
                "broken symbolic link"
            } else {
                "no such file or directory"
            };
            skips.push(skip(input, SkipReason::Unreadable(reason.into())));
            continue;
        }
        let walk = walkdir::WalkDir::new(input)
            .follow_links(opts.follow_symlinks)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            match entry {
                Ok(e) if e.file_type().is_file() => match format::by_name(e.path()) {
                    ByName::Other => ignored += 1,
                    ByName::Known { .. } => files.push(FileEntry {
                        path: e.into_path(),
                    }),
                },
                Ok(e) if e.path_is_symlink() && !opts.follow_symlinks => {
                    match std::fs::canonicalize(e.path()) {
                        Err(_) => skips.push(skip(
                            e.path(),
                            SkipReason::Unreadable("broken symbolic link".into()),
                        )),
                        Ok(target) if roots.iter().any(|r| target.starts_with(r)) => {}
                        Ok(target) => skips.push(skip(
                            e.path(),
                            SkipReason::NotFollowed(target.display().to_string()),
                        )),
                    }
                }
                Ok(_) => {}
                Err(err) => skips.push(skip(
                    err.path().unwrap_or(input),
                    SkipReason::Unreadable(
                        err.io_error()
                            .map_or_else(|| err.to_string(), ToString::to_string),
                    ),
                )),
            }
        }
    }
    (files, skips, ignored)
}

/// A unit of parallel work.
enum Work {
    Page {
        origin: Arc<Origin>,
        text: String,
    },
    Html {
        origin: Arc<Origin>,
        bytes: Vec<u8>,
    },
    Record {
        origin: Arc<Origin>,
        n: usize,
        raw: RawRecord,
    },
    Event(Event<()>),
}

enum RawRecord {
    Line(String),
    Value(Value),
}

impl Work {
    fn size(&self) -> usize {
        match self {
            Work::Page { text, .. } => text.len(),
            Work::Html { bytes, .. } => bytes.len(),
            Work::Record {
                raw: RawRecord::Line(l),
                ..
            } => l.len(),
            Work::Record { .. } | Work::Event(_) => 64,
        }
    }
}

/// Reads files into articles, calling `sink` with every event in input order.
///
/// `make` turns each complete article into what the sink wants (an index
/// document, a JSON line); it runs in parallel. If `sink` fails, reading stops
/// and the error is returned.
pub fn read_files<T, M, S>(
    files: Vec<FileEntry>,
    opts: &ReadOptions,
    make: M,
    mut sink: S,
) -> Result<ReadStats>
where
    T: Send,
    M: Fn(Article, &Record) -> T + Sync,
    S: FnMut(Event<T>) -> Result<()>,
{
    let mut stats = ReadStats::default();
    let seed = opts.fingerprint_seed();
    let (tx, rx) = crossbeam_channel::bounded::<Vec<Event<T>>>(CHANNEL_BATCHES);
    std::thread::scope(|scope| {
        let make = &make;
        scope.spawn(move || {
            let mut batch: Vec<Work> = Vec::new();
            let mut bytes = 0;
            let flush = |batch: &mut Vec<Work>, bytes: &mut usize| -> bool {
                let events: Vec<Event<T>> = std::mem::take(batch)
                    .into_par_iter()
                    .flat_map_iter(|w| process(w, opts, seed, make))
                    .collect();
                *bytes = 0;
                tx.send(events).is_ok()
            };
            for file in files {
                let mut alive = true;
                read_file(&file, opts, &mut |work: Work| {
                    bytes += work.size();
                    batch.push(work);
                    if batch.len() >= BATCH_ITEMS || bytes >= BATCH_BYTES {
                        alive = flush(&mut batch, &mut bytes);
                    }
                    alive
                });
                if !alive {
                    return;
                }
            }
            flush(&mut batch, &mut bytes);
        });
        // The receiver is moved in so that it is dropped when the sink fails:
        // the producer's next send then fails and it stops, instead of
        // blocking forever on a full channel while the scope waits for it.
        let rx = rx;
        for events in rx.iter() {
            for event in events {
                match &event {
                    Event::Article(_) | Event::Unchanged { .. } => stats.articles += 1,
                    Event::Skipped(s) if s.record.is_some() => {
                        *stats
                            .skipped_records
                            .entry(s.reason.category())
                            .or_default() += 1
                    }
                    Event::Skipped(s) => {
                        *stats.skipped_files.entry(s.reason.category()).or_default() += 1
                    }
                    Event::Warning(_) => stats.warnings += 1,
                    Event::FileDone { .. } => stats.files += 1,
                }
                if let Err(e) = sink(event) {
                    drop(rx);
                    return Err(e);
                }
            }
        }
        Ok(stats)
    })
}

/// Reads one file, pushing work items; stops early when `push` returns false.
fn read_file(file: &FileEntry, opts: &ReadOptions, push: &mut dyn FnMut(Work) -> bool) {
    let display = file.path.display().to_string();
    let skip = |reason: SkipReason| {
        Work::Event(Event::Skipped(Skip {
            path: display.clone(),
            record: None,
            reason,
        }))
    };
    let done = |key: Option<String>| Work::Event(Event::FileDone { key });

    let stdin = file.path.as_os_str() == "-";
    let named = if stdin {
        ByName::Other
    } else {
        format::by_name(&file.path)
    };
    let mut reader: Box<dyn BufRead> = if stdin {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        match File::open(&file.path) {
            Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
            Err(e) => {
                let _ = push(skip(SkipReason::Unreadable(e.to_string()))) && push(done(None));
                return;
            }
        }
    };
    let mut head = match peek(&mut reader) {
        Ok(h) => h,
        Err(e) => {
            let _ = push(skip(SkipReason::Unreadable(e.to_string()))) && push(done(None));
            return;
        }
    };
    let named_gzip = matches!(named, ByName::Known { gzip: true, .. });
    if format::is_gzip(&head) {
        reader = Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(reader)));
        head = match peek(&mut reader) {
            Ok(h) => h,
            Err(e) => {
                let why = format!("gzip data is damaged: {e}");
                let _ = push(skip(SkipReason::Unreadable(why))) && push(done(None));
                return;
            }
        };
    } else if named_gzip && !head.is_empty() {
        let why = "the name ends in .gz but the content is not gzip".to_string();
        let _ = push(skip(SkipReason::Unreadable(why))) && push(done(None));
        return;
    }
    if head.iter().all(u8::is_ascii_whitespace) {
        let _ = push(skip(SkipReason::Empty)) && push(done(None));
        return;
    }
    if format::looks_binary(&head) {
        let _ = push(skip(SkipReason::Binary)) && push(done(None));
        return;
    }
    let fmt = opts.format.unwrap_or_else(|| match named {
        ByName::Known { format, .. } => format,
        ByName::Other => format::sniff(&String::from_utf8_lossy(&head)),
    });
    let key = (!stdin).then(|| {
        std::fs::canonicalize(&file.path)
            .unwrap_or_else(|_| file.path.clone())
            .display()
            .to_string()
    });
    let origin = Arc::new(Origin {
        display: display.clone(),
        key: key.clone(),
        format: fmt,
    });
    let produced = match fmt {
        Format::Jsonl => read_lines(reader, &origin, push),
        Format::Csv | Format::Tsv => {
            let delimiter = if fmt == Format::Csv { b',' } else { b'\t' };
            read_table(reader, delimiter, &origin, push)
        }
        Format::Html => match read_bytes(reader, &file.path) {
            Err(reason) => {
                push(skip(reason));
                None
            }
            Ok(bytes) if bytes.len() > limits::MAX_PAGE_BYTES => {
                push(skip(SkipReason::PageTooLarge(bytes.len())));
                None
            }
            Ok(bytes) if limits::html_depth(&bytes) > limits::MAX_HTML_DEPTH => {
                push(skip(SkipReason::TooDeep(limits::MAX_HTML_DEPTH)));
                None
            }
            Ok(bytes) => push(Work::Html {
                origin: origin.clone(),
                bytes,
            })
            .then_some(1),
        },
        Format::Text | Format::Json => match read_document(reader, &file.path) {
            Err(reason) => {
                push(skip(reason));
                None
            }
            Ok(text) if fmt == Format::Text && text.len() > limits::MAX_PAGE_BYTES => {
                push(skip(SkipReason::PageTooLarge(text.len())));
                None
            }
            Ok(text) if fmt == Format::Text => push(Work::Page {
                origin: origin.clone(),
                text,
            })
            .then_some(1),
            Ok(text) => match jsonl::values_from_document(&text) {
                Err(why) => {
                    push(skip(SkipReason::NoArticle(why)));
                    None
                }
                Ok(values) => {
                    let n = values.len();
                    let mut ok = true;
                    for (i, value) in values.into_iter().enumerate() {
                        ok = ok
                            && push(Work::Record {
                                origin: origin.clone(),
                                n: i + 1,
                                raw: RawRecord::Value(value),
                            });
                    }
                    ok.then_some(n)
                }
            },
        },
    };
    let _ = push(done(produced.filter(|&n| n > 0).and(key)));
}

/// Streams CSV/TSV rows; returns how many rows were handed on.
fn read_table(
    reader: Box<dyn BufRead>,
    delimiter: u8,
    origin: &Arc<Origin>,
    push: &mut dyn FnMut(Work) -> bool,
) -> Option<usize> {
    let mut records = 0;
    for (row, record) in dataset::csv_records(reader, delimiter) {
        let work = match record {
            Ok(map) => {
                records += 1;
                Work::Record {
                    origin: origin.clone(),
                    n: row,
                    raw: RawRecord::Value(Value::Object(map)),
                }
            }
            Err(why) => Work::Event(Event::Skipped(Skip {
                path: origin.display.clone(),
                record: (row > 0).then_some(row),
                reason: if row > 0 {
                    SkipReason::BadRecord(why)
                } else {
                    SkipReason::NoArticle(why)
                },
            })),
        };
        if !push(work) {
            return None;
        }
    }
    Some(records)
}

/// Reads a whole document as bytes (any charset), within the size limit.
fn read_bytes(reader: Box<dyn BufRead>, path: &Path) -> std::result::Result<Vec<u8>, SkipReason> {
    let mut bytes = Vec::new();
    let n = reader
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if n as u64 > MAX_DOCUMENT_BYTES {
        let size = std::fs::metadata(path).map_or(n as u64, |m| m.len());
        return Err(SkipReason::TooLarge(size));
    }
    Ok(bytes)
}

/// Returns the first bytes of the reader without consuming them: they are
/// read (however the source delivers them, a pipe in small pieces included)
/// and put back in front of the rest.
fn peek(reader: &mut Box<dyn BufRead>) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    reader
        .by_ref()
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)?;
    let rest = std::mem::replace(reader, Box::new(std::io::empty()));
    *reader = Box::new(BufReader::new(
        std::io::Cursor::new(head.clone()).chain(rest),
    ));
    Ok(head)
}

/// Reads a whole document as UTF-8 text.
fn read_document(reader: Box<dyn BufRead>, path: &Path) -> std::result::Result<String, SkipReason> {
    let bytes = read_bytes(reader, path)?;
    let text = String::from_utf8(bytes).map_err(|e| SkipReason::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(text)
}

/// Streams JSON Lines; returns how many non-blank lines were handed on.
fn read_lines(
    mut reader: Box<dyn BufRead>,
    origin: &Arc<Origin>,
    push: &mut dyn FnMut(Work) -> bool,
) -> Option<usize> {
    let mut buf = Vec::new();
    let mut n = 0;
    let mut records = 0;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                push(Work::Event(Event::Skipped(Skip {
                    path: origin.display.clone(),
                    record: Some(n + 1),
                    reason: SkipReason::Unreadable(e.to_string()),
                })));
                break;
            }
        }
        n += 1;
        let work = match std::str::from_utf8(&buf) {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => Work::Record {
                origin: origin.clone(),
                n,
                raw: RawRecord::Line(line.trim_start_matches('\u{feff}').trim_end().to_string()),
            },
            Err(e) => Work::Event(Event::Skipped(Skip {
                path: origin.display.clone(),
                record: Some(n),
                reason: SkipReason::InvalidUtf8 {
                    offset: e.valid_up_to(),
                },
            })),
        };
        if matches!(work, Work::Record { .. }) {
            records += 1;
        }
        if !push(work) {
            return None;
        }
    }
    Some(records)
}

/// The fingerprint of one record: its raw bytes, its file (display path and
/// identity, both stored with the article) and the options `seed`.
fn fingerprint(seed: u64, origin: &Origin, raw: &[u8]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::with_seed(seed);
    h.update(origin.display.as_bytes());
    h.update(&[0]);
    h.update(origin.key.as_deref().unwrap_or("").as_bytes());
    h.update(&[0]);
    h.update(raw);
    h.digest().max(1)
}

/// Turns one work item into events (runs in parallel).
fn process<T, M>(work: Work, opts: &ReadOptions, seed: u64, make: &M) -> Vec<Event<T>>
where
    M: Fn(Article, &Record) -> T,
{
    let print;
    let raw: &[u8] = match &work {
        Work::Page { text, .. } => text.as_bytes(),
        Work::Html { bytes, .. } => bytes,
        Work::Record {
            raw: RawRecord::Line(l),
            ..
        } => l.as_bytes(),
        Work::Record {
            raw: RawRecord::Value(v),
            ..
        } => {
            print = serde_json::to_vec(v).unwrap_or_default();
            &print
        }
        Work::Event(_) => &[],
    };
    let fp = match &work {
        Work::Page { origin, .. } | Work::Html { origin, .. } | Work::Record { origin, .. } => {
            fingerprint(seed, origin, raw)
        }
        Work::Event(_) => 0,
    };
    if let Some(id) = opts.known.as_ref().and_then(|k| k.get(&fp)) {
        return vec![Event::Unchanged { id: id.clone() }];
    }
    let (origin, record, parsed) = match work {
        Work::Event(Event::Skipped(s)) => return vec![Event::Skipped(s)],
        Work::Event(Event::Warning(w)) => return vec![Event::Warning(w)],
        Work::Event(Event::FileDone { key }) => return vec![Event::FileDone { key }],
        Work::Event(Event::Article(())) | Work::Event(Event::Unchanged { .. }) => return vec![],
        Work::Page { origin, text } => {
            let parsed = textpage::parse(&text)
                .ok_or_else(|| SkipReason::NoArticle("no body paragraphs after the header".into()));
            (origin, None, parsed)
        }
        Work::Html { origin, bytes } => {
            let parsed = html::parse(&bytes, None).map_err(SkipReason::NoArticle);
            (origin, None, parsed)
        }
        Work::Record { origin, n, raw } => {
            let parsed = match raw {
                RawRecord::Line(l) => jsonl::article_from_line(&l, &opts.map),
                RawRecord::Value(v) => jsonl::article_from_value(v, &opts.map),
            }
            .map_err(SkipReason::BadRecord);
            (origin, Some(n), parsed)
        }
    };
    let skip = |reason| {
        vec![Event::Skipped(Skip {
            path: origin.display.clone(),
            record,
            reason,
        })]
    };
    let article = match parsed {
        Ok(a) => a,
        Err(reason) => return skip(reason),
    };
    let mut warnings = Vec::new();
    match complete(article, &origin, opts, &mut warnings) {
        Ok(article) => warnings
            .into_iter()
            .map(|message| {
                Event::Warning(Warning {
                    path: origin.display.clone(),
                    record,
                    message,
                })
            })
            .chain(std::iter::once(Event::Article(make(
                article,
                &Record {
                    origin: &origin,
                    fingerprint: fp,
                },
            ))))
            .collect(),
        Err(why) => {
            let reason = if record.is_some() {
                SkipReason::BadRecord(why)
            } else {
                SkipReason::NoArticle(why)
            };
            skip(reason)
        }
    }
}

fn clean_opt(v: Option<String>) -> Option<String> {
    v.map(|s| clean::clean_line(&s)).filter(|s| !s.is_empty())
}

/// Completes an extracted article: normalises every field, fills defaults,
/// detects the language, assigns topics and derives the id.
pub fn complete(
    mut a: Article,
    origin: &Origin,
    opts: &ReadOptions,
    warnings: &mut Vec<String>,
) -> std::result::Result<Article, String> {
    let d = &opts.defaults;
    a.title = clean::clean_line(&a.title);
    a.body = clean::body(&a.body);
    if a.body.is_empty() {
        return Err("the body is empty".into());
    }
    if a.title.is_empty() {
        return Err("the title is empty".into());
    }
    a.outlet = clean_opt(a.outlet).or_else(|| d.outlet.clone());
    let raw_authors: Vec<String> = a.authors.iter().map(|n| clean::clean_line(n)).collect();
    let authors = authors::clean(&raw_authors, a.outlet.as_deref());
    a.authors = if authors.is_empty() {
        d.authors.clone()
    } else {
        authors
    };
    a.site = clean_opt(a.site).or_else(|| d.site.clone());
    a.section = clean_opt(a.section).or_else(|| d.section.clone());
    a.url = clean_opt(a.url);
    a.published = match clean_opt(a.published) {
        Some(raw) => {
            let parsed = date::canonical(&raw);
            if parsed.is_none() {
                warnings.push(format!("unrecognised date {raw:?} left empty"));
            }
            parsed
        }
        None => d.published.clone(),
    };
    a.lang = match clean_opt(a.lang) {
        Some(given) => match lang::canonical_code(&given) {
            Some(code) => Some(code),
            None => {
                warnings.push(format!("unknown language {given:?}; detecting instead"));
                lang::detect(&a.body)
            }
        },
        None => d.lang.clone().or_else(|| lang::detect(&a.body)),
    };
    let given_topics = if a.topics.is_empty() {
        &d.topics
    } else {
        &a.topics
    };
    let assigned = opts.taxonomy.assign(a.lang.as_deref(), &a.title, &a.body);
    a.topics = topics::merge(given_topics, assigned);
    a.id = clean::clean_line(&a.id);
    if a.id.is_empty() {
        a.id = a.derive_id();
    }
    if a.source.is_none() {
        a.source = Some(Source {
            path: origin.display.clone(),
            format: origin.format.name().to_string(),
        });
    }
    Ok(a)
}
