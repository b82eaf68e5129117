//! The ingest pipeline, written once: files → [`Article`](crate::Article)s
//! ([`crate::ingest`]) → index documents ([`crate::index::document`]) → the
//! writer ([`crate::index::writer`]) → one commit.
//!
//! It sits above reading and writing and below the front ends: the
//! [`Index`](crate::Index) type calls it, and so every front end (the
//! command line, programs that embed opedex) ingests the same way. What the
//! caller wants to see along the way (progress, skipped files, warnings) and
//! whether it wants to stop reach it through [`Progress`], not globals.

use std::fmt;
use std::path::PathBuf;
use std::time::Instant;

use crate::embed::Units;
use crate::error::{Error, Result};
use crate::index::document::{self, PreparedArticle};
use crate::index::vectors::session::Embedding;
use crate::index::writer::{IndexSession, WriteStats, WriterOptions};
use crate::index::{explain_write_error, OpedexIndex};
use crate::ingest::{self, Event, ReadOptions, ReadStats, Skip, WalkOptions, Warning};

/// How an ingest reads its sources and writes the index.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// How files are read (format, defaults, field map, topics).
    pub read: ReadOptions,
    /// Writer threads, memory and commit interval.
    pub writer: WriterOptions,
    /// How directories are walked.
    pub walk: WalkOptions,
    /// Give the index vectors (semantic search) if it has none yet; an
    /// index with vectors always embeds what is added.
    pub semantic: bool,
    /// What text is embedded, for an index getting vectors now (default:
    /// [`Units::Opening`]).
    pub units: Option<Units>,
}

/// What an ingest tells its caller while it runs, and how the caller asks it
/// to stop. Every method has a default that does nothing, so a caller
/// implements only what it shows; `()` is the silent observer.
pub trait Progress {
    /// The sources were expanded into this many files to read, of `bytes`
    /// bytes in all (`None` when standard input is among them).
    fn files_found(&mut self, _files: usize, _bytes: Option<u64>) {}
    /// This many more bytes of input were read.
    fn bytes_read(&mut self, _bytes: u64) {}
    /// One more file was read to its end.
    fn file_done(&mut self) {}
    /// A file or record was skipped (bad input); the run goes on.
    fn skipped(&mut self, _skip: &Skip) {}
    /// Something odd about a record that was still read.
    fn warning(&mut self, _warning: &Warning) {}
    /// `texts` texts have been run through the embedding model so far, of
    /// `total` when known.
    fn embedded(&mut self, _texts: usize, _total: Option<usize>) {}
    /// Asked before every article: `true` stops the run after the article
    /// at hand, commits what was written and returns an interrupted report.
    fn stop_requested(&self) -> bool {
        false
    }
}

impl Progress for () {}

/// What one ingest did.
#[derive(Debug, Clone)]
pub struct IngestReport {
    /// Files, articles, skips and warnings from reading.
    pub read: ReadStats,
    /// Articles added, replaced, unchanged, merged; passages written.
    pub written: WriteStats,
    /// Wall time of the run.
    pub seconds: f64,
    /// Set when [`Progress::stop_requested`] stopped the run: what was
    /// written up to then is committed, and `read` counts only what was read.
    pub interrupted: bool,
}

impl IngestReport {
    /// Files and records skipped.
    pub fn skipped(&self) -> usize {
        self.read.skipped_file_count() + self.read.skipped_record_count()
    }
}

/// The one-line summary `opedex ingest` prints.
impl fmt::Display for IngestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (read, w) = (&self.read, &self.written);
        write!(
            f,
            "ingested {}: {} ({} new, {} replaced, {} unchanged",
            n(read.files, "file"),
            n(read.articles, "article"),
            w.added,
            w.replaced,
            w.unchanged
        )?;
        if w.repeated > 0 {
            write!(f, ", {} repeated in input", w.repeated)?;
        }
        if w.merged > 0 {
            let copies = if w.merged == 1 { "copy" } else { "copies" };
            write!(f, ", {} syndicated {copies} merged", w.merged)?;
        }
        if w.removed > 0 {
            write!(f, ", {} removed from changed files", w.removed)?;
        }
        write!(f, "), {} written", n(w.passages, "passage"))?;
        if w.embedded > 0 {
            let texts = if w.embedded == 1 { "text" } else { "texts" };
            write!(f, ", {} {texts} embedded", w.embedded)?;
        }
        let skipped_files = read.skipped_file_count();
        write!(f, "; skipped {}", n(skipped_files, "file"))?;
        if skipped_files > 0 {
            write!(f, " ({})", counts(&read.skipped_files))?;
        }
        let skipped_records = read.skipped_record_count();
        if skipped_records > 0 {
            write!(
                f,
                " and {} ({})",
                n(skipped_records, "record"),
                counts(&read.skipped_records)
            )?;
        }
        if read.ignored > 0 {
            write!(f, "; ignored {} of other types", n(read.ignored, "file"))?;
        }
        write!(f, "; {:.2} s", self.seconds)
    }
}

/// `count` and the noun, plural unless the count is one (`1 file`, `3 files`).
fn n(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn counts(map: &std::collections::BTreeMap<&'static str, usize>) -> String {
    map.iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks that every source exists (`-`, standard input, always does), so a
/// mistyped path fails before anything is created or written.
pub fn check_sources(sources: &[PathBuf]) -> Result<()> {
    let missing: Vec<String> = sources
        .iter()
        .filter(|p| p.as_os_str() != "-" && std::fs::symlink_metadata(p).is_err())
        .map(|p| p.display().to_string())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::Invalid(format!(
        "no such file or directory: {}; nothing was ingested (give files or folders of \
         op-eds, or - for standard input)",
        missing.join(", ")
    )))
}

/// Checks that every source exists and that every CSV/TSV file among them
/// has the columns `--map` names, so that a mistyped path or column fails
/// before anything is created or written.
pub fn check_inputs(sources: &[PathBuf], opts: &IngestOptions) -> Result<()> {
    check_sources(sources)?;
    let (files, _, _) = ingest::walk(sources, &opts.walk);
    ingest::check_map(&files, &opts.read)
}

/// Adds what the walk skipped or ignored to the reading counts.
fn count_walk(read: &mut ReadStats, skips: &[Skip], ignored: usize) {
    for skip in skips {
        *read
            .skipped_files
            .entry(skip.reason.category())
            .or_default() += 1;
        read.files += 1;
    }
    read.ignored += ignored;
}

/// The bytes of `files` on disk; `None` when standard input is among them.
fn total_bytes(files: &[ingest::FileEntry]) -> Option<u64> {
    files
        .iter()
        .map(|f| {
            (f.path.as_os_str() != "-").then(|| std::fs::metadata(&f.path).map_or(0, |m| m.len()))
        })
        .sum()
}

/// Reads `sources` into `index` and commits: the whole pipeline.
///
/// Records the index already holds exactly as they would be read now are
/// recognised before parsing ([`ReadOptions::known`]); articles whose file no
/// longer holds them are dropped; syndicated copies are merged. Failures a
/// user can fix (read-only storage, a full disk) come back as
/// [`Error::NotWritable`].
pub(crate) fn ingest(
    index: &OpedexIndex,
    sources: &[PathBuf],
    opts: &IngestOptions,
    progress: &mut dyn Progress,
    embedding: Option<Embedding<'_>>,
) -> Result<IngestReport> {
    check_sources(sources)?;
    let started = Instant::now();
    let writable = |e: Error| explain_write_error(&index.path, e);
    let mut session = IndexSession::begin_with(index, opts.writer, embedding).map_err(writable)?;
    let mut embedded = 0;
    let (files, walk_skips, ignored) = ingest::walk(sources, &opts.walk);
    progress.files_found(files.len(), total_bytes(&files));
    for skip in &walk_skips {
        progress.skipped(skip);
    }
    let fields = index.fields.clone();
    let read_opts = ReadOptions {
        known: Some(session.known()),
        ..opts.read.clone()
    };
    let read = ingest::read_files(
        files,
        &read_opts,
        |article, record| {
            let key = record.origin.key.as_deref();
            document::prepare(&article, key, record.fingerprint, &fields)
        },
        |event: Event<PreparedArticle>| {
            if progress.stop_requested() {
                return Err(Error::Interrupted);
            }
            match event {
                Event::Article(prepared) => {
                    session.add(prepared)?;
                    if session.vector_stats().embedded != embedded {
                        embedded = session.vector_stats().embedded;
                        progress.embedded(embedded, None);
                    }
                }
                Event::Unchanged { id } => session.unchanged(id)?,
                Event::Skipped(skip) => progress.skipped(&skip),
                Event::Warning(w) => progress.warning(&w),
                Event::FileDone { key } => {
                    progress.file_done();
                    session.file_done(key.as_deref())?;
                }
                Event::Read { bytes } => progress.bytes_read(bytes),
            }
            Ok(())
        },
    );
    let commit = |session: IndexSession| {
        session.commit().map_err(|e| Error::Commit {
            source: Box::new(writable(e)),
        })
    };
    let mut read = match read {
        // Only whole articles were added, and files not read to the end
        // never drop their older articles, so committing now is safe.
        Err(Error::Interrupted) => {
            return Ok(IngestReport {
                read: ReadStats::default(),
                written: commit(session)?,
                seconds: started.elapsed().as_secs_f64(),
                interrupted: true,
            });
        }
        other => other.map_err(writable)?,
    };
    count_walk(&mut read, &walk_skips, ignored);
    Ok(IngestReport {
        read,
        written: commit(session)?,
        seconds: started.elapsed().as_secs_f64(),
        interrupted: false,
    })
}
