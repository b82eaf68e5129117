//! `opedex ingest`: read op-eds into the index.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{HumanBytes, HumanDuration, ProgressBar, ProgressStyle};
use opedex::{Error, Units, WriterOptions};
use opedex::{Index, IngestOptions, IngestReport, Progress, Rebuild, Skip, WalkOptions, Warning};

use super::read_args::ReadArgs;
use super::semantic_args::ModelArg;
use super::{IndexArg, INTERRUPTED, OK, USAGE};

/// Arguments of `opedex ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories (recursive); `-` reads standard input. Default: `corpus`.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexArg,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Indexing threads (default: one per core, at most 8).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Commit after every N articles written (0 = only at the end).
    #[arg(long, value_name = "N", default_value_t = WriterOptions::default().commit_every)]
    pub commit_every: usize,
    /// Indexing memory budget in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 128)]
    pub memory_mb: usize,
    /// Print only errors (skipped files and records) and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print a progress line every few seconds also when standard error is
    /// not a terminal (a terminal shows a progress bar anyway).
    #[arg(long, conflicts_with = "quiet")]
    pub progress: bool,
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
    /// Give the index vectors for semantic and hybrid search (needs the
    /// model: see --model); an index with vectors always embeds what it adds.
    #[arg(long)]
    pub semantic: bool,
    /// What text is embedded: opening, passages:N, passages or
    /// opening+passages:N (see `opedex embed --help`) [default: opening].
    #[arg(long, value_name = "RULE", requires = "semantic")]
    pub units: Option<Units>,
    #[command(flatten)]
    pub model: ModelArg,
}

/// Runs `opedex ingest`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(super::DEFAULT_CORPUS)]
    } else {
        args.paths.clone()
    };
    let options = IngestOptions {
        read: args.read.options()?,
        writer: WriterOptions {
            threads: args.threads,
            memory_budget: args.memory_mb.max(16) << 20,
            commit_every: args.commit_every,
        },
        walk: WalkOptions {
            follow_symlinks: args.follow_symlinks,
        },
        // A rebuilt index keeps the vectors the old one had.
        semantic: args.semantic || (args.rebuild && had_vectors(&args.index.path())),
        units: args.units,
    };
    // A path that does not exist, or a `--map` column a CSV/TSV header
    // lacks, is a usage error, found before anything is created.
    opedex::check_inputs(&paths, &options)?;
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
        .map_or(index_path.clone(), |r| r.staging().to_path_buf());
    let report = ingest(
        &paths,
        &target,
        &options,
        args.quiet,
        args.progress,
        args.model.model,
    )?;
    if report.interrupted {
        // A rebuild that did not finish is dropped; the old index stays.
        let what = if rebuild.is_some() {
            "the rebuild was abandoned and the index is unchanged".to_string()
        } else {
            let w = &report.written;
            format!(
                "committed what was read so far ({} new, {} replaced, {} passages); \
                 run the same command again to finish",
                w.added, w.replaced, w.passages
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
        println!("{report}");
    }
    if args.strict && report.skipped() > 0 {
        eprintln!(
            "opedex: --strict: {} files or records were skipped (see the messages above)",
            report.skipped()
        );
        return Ok(USAGE);
    }
    Ok(OK)
}

/// Ingests `paths` into the index at `index_path` (created if need be),
/// with a progress bar on the terminal unless `quiet`, stopping at the next
/// article after Ctrl-C.
pub fn ingest(
    paths: &[PathBuf],
    index_path: &std::path::Path,
    options: &IngestOptions,
    quiet: bool,
    progress_lines: bool,
    model: Option<PathBuf>,
) -> anyhow::Result<IngestReport> {
    let mut index = Index::open_or_create(index_path)
        .with_context(|| format!("cannot open the index at {}", index_path.display()))?;
    index.set_model(model);
    let mut bar = Bar::new(quiet, progress_lines);
    let report = index.ingest(paths, options, &mut bar);
    bar.bar.finish_and_clear();
    // Off a terminal, the last progress line gives the totals.
    bar.print_line();
    Ok(report?)
}

/// Builds the default index from the default corpus when the user gave no
/// index and the default one does not exist yet (`search`'s first run on a
/// fresh clone). Without a corpus folder either, nothing is created and the
/// user is told what to do; an interruption is an error.
pub fn build_default_index(index: &IndexArg) -> anyhow::Result<()> {
    let path = index.path();
    if index.index.is_some() || Index::exists(&path) {
        return Ok(());
    }
    let corpus = PathBuf::from(super::DEFAULT_CORPUS);
    if !corpus.is_dir() {
        return Err(Error::Invalid(format!(
            "no index at {}/ and no {}/ folder to build one from; ingest some op-eds first \
             (`opedex ingest PATH…`) or give an index with --index DIR or OPEDEX_INDEX",
            path.display(),
            corpus.display()
        ))
        .into());
    }
    eprintln!(
        "opedex: no index at {}/ yet; building it from {}/ first",
        path.display(),
        corpus.display()
    );
    let report = ingest(
        &[corpus],
        &path,
        &IngestOptions::default(),
        false,
        false,
        None,
    )?;
    if report.interrupted {
        return Err(Error::Interrupted.into());
    }
    eprintln!("opedex: {report}");
    Ok(())
}

/// True when an index opens at `path` and has vectors.
fn had_vectors(path: &std::path::Path) -> bool {
    Index::open(path).is_ok_and(|i| i.has_vectors())
}

/// The terminal's view of an ingest: a bar of bytes read (with rate and time
/// left) and files done, skip and warning lines above it, and Ctrl-C as the
/// stop request. Off a terminal, `--progress` prints a line every few seconds.
struct Bar {
    bar: ProgressBar,
    quiet: bool,
    lines: Option<Lines>,
    files: usize,
    done: usize,
    embedded: usize,
}

/// Progress as plain lines, for logs.
struct Lines {
    started: Instant,
    last: Instant,
    total: Option<u64>,
    read: u64,
}

/// Seconds between progress lines off a terminal.
const LINE_EVERY: Duration = Duration::from_secs(5);

impl Bar {
    fn new(quiet: bool, lines: bool) -> Bar {
        let now = Instant::now();
        Bar {
            bar: ProgressBar::hidden(),
            quiet,
            lines: (lines && !quiet).then_some(Lines {
                started: now,
                last: now,
                total: None,
                read: 0,
            }),
            files: 0,
            done: 0,
            embedded: 0,
        }
    }

    fn files_message(&self) -> String {
        let s = if self.files == 1 { "" } else { "s" };
        let mut m = format!("{}/{} file{s}", self.done, self.files);
        if self.embedded > 0 {
            m += &format!(", {} texts embedded", self.embedded);
        }
        m
    }

    fn print_line(&mut self) {
        let message = self.files_message();
        let Some(lines) = &mut self.lines else { return };
        lines.last = Instant::now();
        let secs = lines.started.elapsed().as_secs_f64().max(1e-3);
        let rate = lines.read as f64 / secs;
        let mut line = format!("opedex: read {}", HumanBytes(lines.read));
        if let Some(total) = lines.total.filter(|&t| t > 0) {
            let share = 100.0 * lines.read as f64 / total as f64;
            line += &format!(" of {} ({share:.0} %)", HumanBytes(total));
            if rate > 0.0 && lines.read < total {
                let left = Duration::from_secs_f64((total - lines.read) as f64 / rate);
                line += &format!(", about {} left", HumanDuration(left));
            }
        }
        line += &format!(", {message}, {}/s", HumanBytes(rate as u64));
        eprintln!("{line}");
    }
}

impl Progress for Bar {
    fn files_found(&mut self, files: usize, bytes: Option<u64>) {
        self.files = files;
        if let Some(lines) = &mut self.lines {
            lines.total = bytes;
        }
        if self.quiet {
            return;
        }
        let (bar, template) = match bytes {
            Some(total) => (
                ProgressBar::new(total),
                "{bar:40} {bytes}/{total_bytes}  {binary_bytes_per_sec}  {eta} left  {msg}",
            ),
            None => (
                ProgressBar::new_spinner(),
                "{spinner} {bytes} read  {binary_bytes_per_sec}  {msg}",
            ),
        };
        bar.set_style(
            ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(self.files_message());
        self.bar = bar;
    }

    fn bytes_read(&mut self, bytes: u64) {
        self.bar.inc(bytes);
        if let Some(lines) = &mut self.lines {
            lines.read += bytes;
            if lines.last.elapsed() >= LINE_EVERY {
                self.print_line();
            }
        }
    }

    fn embedded(&mut self, texts: usize, total: Option<usize>) {
        self.embedded = texts;
        let message = match total {
            // After the ingest: articles written before the index had vectors.
            Some(total) => format!("{texts}/{total} earlier articles embedded"),
            None => self.files_message(),
        };
        self.bar.set_message(message);
    }

    fn file_done(&mut self) {
        self.done += 1;
        self.bar.set_message(self.files_message());
    }

    fn skipped(&mut self, skip: &Skip) {
        self.bar.suspend(|| eprintln!("opedex: {skip}"));
    }

    fn warning(&mut self, warning: &Warning) {
        if !self.quiet {
            self.bar.suspend(|| eprintln!("opedex: warning: {warning}"));
        }
    }

    fn stop_requested(&self) -> bool {
        INTERRUPTED.load(Ordering::SeqCst)
    }
}
