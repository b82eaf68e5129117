//! `opedex ingest`: read op-eds into the index.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use opedex::index::document::{self, PreparedArticle};
use opedex::index::writer::{IndexSession, WriteStats, WriterOptions};
use opedex::index::{self, OpedexIndex, Rebuild};
use opedex::ingest::dataset::FieldMap;
use opedex::ingest::{self, format::Format, Event, ReadOptions, ReadStats, WalkOptions};
use opedex::topics::Taxonomy;

use super::{IndexArg, INTERRUPTED, OK, USAGE};

/// Arguments of `opedex ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories (recursive); `-` reads standard input. Default: `corpus`.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexArg,
    /// Input format; `auto` recognises it per file.
    #[arg(long, value_name = "FORMAT", default_value = "auto")]
    pub format: FormatArg,
    /// Default for a field the source lacks, as FIELD=VALUE (outlet, site, section, published, lang, authors, topics).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// Topic taxonomy file replacing the built-in one (same JSON shape).
    #[arg(long, value_name = "FILE")]
    pub topics: Option<PathBuf>,
    /// Map record fields onto Article fields, as ARTICLE=RECORD pairs
    /// (e.g. `body=content_original,outlet=source,published=date`).
    #[arg(long, value_name = "PAIRS")]
    pub map: Option<String>,
    /// Indexing threads (default: one per core, at most 8).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Commit after every N articles written (0 = only at the end).
    #[arg(long, value_name = "N", default_value_t = opedex::index::writer::COMMIT_EVERY)]
    pub commit_every: usize,
    /// Indexing memory budget in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 128)]
    pub memory_mb: usize,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Exit with code 2 when any file or record was skipped.
    #[arg(long)]
    pub strict: bool,
    /// Follow symbolic links, also out of the given paths.
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Build the index from scratch beside the old one, then replace it
    /// (for a damaged index or one of another schema version).
    #[arg(long)]
    pub rebuild: bool,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Recognise per file.
    Auto,
    /// Plain-text op-ed pages.
    Text,
    /// Canonical JSON Lines.
    Jsonl,
    /// JSON object or array.
    Json,
    /// Saved web pages.
    Html,
    /// CSV with a header row.
    Csv,
    /// TSV with a header row.
    Tsv,
}

impl FormatArg {
    /// The forced format, if any.
    pub fn forced(self) -> Option<Format> {
        match self {
            FormatArg::Auto => None,
            FormatArg::Text => Some(Format::Text),
            FormatArg::Jsonl => Some(Format::Jsonl),
            FormatArg::Json => Some(Format::Json),
            FormatArg::Html => Some(Format::Html),
            FormatArg::Csv => Some(Format::Csv),
            FormatArg::Tsv => Some(Format::Tsv),
        }
    }
}

/// Builds reading options from `--format`, `--set`, `--topics` and `--map`.
pub fn read_options(
    format: FormatArg,
    set: &[String],
    topics: Option<&Path>,
    map: Option<&str>,
) -> anyhow::Result<ReadOptions> {
    let mut opts = ReadOptions {
        format: format.forced(),
        ..ReadOptions::default()
    };
    if let Some(spec) = map {
        opts.map =
            FieldMap::parse(spec).map_err(|e| opedex::Error::Invalid(format!("--map: {e}")))?;
    }
    for pair in set {
        opts.defaults.set(pair)?;
    }
    if let Some(path) = topics {
        opts.taxonomy = Taxonomy::load(path)?;
    }
    Ok(opts)
}

/// Runs `opedex ingest`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(super::DEFAULT_CORPUS)]
    } else {
        args.paths.clone()
    };
    let opts = read_options(
        args.format,
        &args.set,
        args.topics.as_deref(),
        args.map.as_deref(),
    )?;
    let writer = WriterOptions {
        threads: args.threads,
        memory_budget: args.memory_mb.max(16) << 20,
        commit_every: args.commit_every,
    };
    super::stop_on_interrupt();
    let index_path = args.index.path();
    let rebuild = if args.rebuild {
        Some(
            Rebuild::begin(&index_path)
                .with_context(|| format!("cannot rebuild the index at {}", index_path.display()))?,
        )
    } else {
        None
    };
    let target = rebuild
        .as_ref()
        .map_or(index_path.as_path(), |r| r.staging());
    let walk = WalkOptions {
        follow_symlinks: args.follow_symlinks,
    };
    let outcome = ingest_into(&paths, target, &opts, writer, walk, args.quiet)?;
    if let Some(written) = outcome.interrupted {
        // A rebuild that did not finish is dropped; the old index stays.
        let what = if rebuild.is_some() {
            "the rebuild was abandoned and the index is unchanged".to_string()
        } else {
            format!(
                "committed what was read so far ({} new, {} replaced, {} passages); \
                 run the same command again to finish",
                written.added, written.replaced, written.passages
            )
        };
        eprintln!("opedex: interrupted: {what}");
        return Ok(super::INTERRUPTED_EXIT);
    }
    if let Some(rebuild) = rebuild {
        rebuild
            .finish()
            .with_context(|| format!("cannot put the rebuilt index at {}", index_path.display()))?;
    }
    if !args.quiet {
        println!("{}", outcome.summary);
    }
    if args.strict && outcome.skipped > 0 {
        eprintln!(
            "opedex: --strict: {} files or records were skipped (see the messages above)",
            outcome.skipped
        );
        return Ok(USAGE);
    }
    Ok(OK)
}

/// Ingests `paths` into the index at `index_path`; returns the summary line.
pub fn ingest_paths(
    paths: &[PathBuf],
    index_path: &Path,
    opts: &ReadOptions,
    writer: WriterOptions,
    quiet: bool,
) -> anyhow::Result<String> {
    let outcome = ingest_into(
        paths,
        index_path,
        opts,
        writer,
        WalkOptions::default(),
        quiet,
    )?;
    if outcome.interrupted.is_some() {
        return Err(opedex::Error::Interrupted.into());
    }
    Ok(outcome.summary)
}

/// What one ingest run did.
pub struct Outcome {
    /// The summary line.
    pub summary: String,
    /// Files and records skipped.
    pub skipped: usize,
    /// Set when the user interrupted the run: what was committed before stopping.
    pub interrupted: Option<WriteStats>,
}

/// Ingests `paths` into the index at `index_path`, stopping at the next
/// article when [`INTERRUPTED`] is set and committing what was written.
pub fn ingest_into(
    paths: &[PathBuf],
    index_path: &Path,
    opts: &ReadOptions,
    writer: WriterOptions,
    walk: WalkOptions,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let writable = |e: opedex::Error| index::explain_write_error(index_path, e);
    let index = OpedexIndex::open_or_create(index_path)
        .map_err(writable)
        .with_context(|| format!("cannot open the index at {}", index_path.display()))?;
    let mut session = IndexSession::begin(&index, writer).map_err(writable)?;
    let (files, walk_skips, ignored) = ingest::walk(paths, &walk);
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(files.len() as u64)
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files  {per_sec}  {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    for skip in &walk_skips {
        bar.suspend(|| eprintln!("opedex: {skip}"));
    }
    let fields = index.fields.clone();
    let opts = ReadOptions {
        known: Some(session.known()),
        ..opts.clone()
    };
    let read = ingest::read_files(
        files,
        &opts,
        |article, record| {
            let key = record.origin.key.as_deref();
            document::prepare(&article, key, record.fingerprint, &fields)
        },
        |event: Event<PreparedArticle>| {
            if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(opedex::Error::Interrupted);
            }
            match event {
                Event::Article(prepared) => session.add(prepared)?,
                Event::Unchanged { id } => session.unchanged(id)?,
                Event::Skipped(skip) => bar.suspend(|| eprintln!("opedex: {skip}")),
                Event::Warning(w) => {
                    if !quiet {
                        bar.suspend(|| eprintln!("opedex: warning: {w}"))
                    }
                }
                Event::FileDone { key } => {
                    bar.inc(1);
                    session.file_done(key.as_deref())?;
                }
            }
            Ok(())
        },
    );
    bar.finish_and_clear();
    let mut read: ReadStats = match read {
        Err(opedex::Error::Interrupted) => {
            // Only whole articles were added, and files not read to the end
            // never drop their older articles, so committing now is safe.
            let written = session
                .commit()
                .map_err(writable)
                .context("commit failed; the index keeps its previous state")?;
            return Ok(Outcome {
                summary: String::new(),
                skipped: 0,
                interrupted: Some(written),
            });
        }
        other => other.map_err(writable)?,
    };
    for skip in &walk_skips {
        *read
            .skipped_files
            .entry(skip.reason.category())
            .or_default() += 1;
        read.files += 1;
    }
    read.ignored += ignored;
    let written = session
        .commit()
        .map_err(writable)
        .context("commit failed; the index keeps its previous state")?;
    Ok(Outcome {
        summary: summary(&read, &written, started.elapsed().as_secs_f64()),
        skipped: read.skipped_file_count() + read.skipped_record_count(),
        interrupted: None,
    })
}

fn counts(map: &std::collections::BTreeMap<&'static str, usize>) -> String {
    map.iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The one-line ingest summary.
pub fn summary(read: &ReadStats, w: &WriteStats, seconds: f64) -> String {
    let mut s = format!(
        "ingested {} files: {} articles ({} new, {} replaced, {} unchanged",
        read.files, read.articles, w.added, w.replaced, w.unchanged
    );
    if w.repeated > 0 {
        s += &format!(", {} repeated in input", w.repeated);
    }
    if w.merged > 0 {
        s += &format!(", {} syndicated copies merged", w.merged);
    }
    if w.removed > 0 {
        s += &format!(", {} removed from changed files", w.removed);
    }
    s += &format!("), {} passages written", w.passages);
    let skipped_files = read.skipped_file_count();
    s += &format!("; skipped {skipped_files} files");
    if skipped_files > 0 {
        s += &format!(" ({})", counts(&read.skipped_files));
    }
    let skipped_records = read.skipped_record_count();
    if skipped_records > 0 {
        s += &format!(
            " and {skipped_records} records ({})",
            counts(&read.skipped_records)
        );
    }
    if read.ignored > 0 {
        s += &format!("; ignored {} files of other types", read.ignored);
    }
    s += &format!("; {seconds:.2} s");
    s
}
