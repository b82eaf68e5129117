//! `opedex ingest`: read op-eds into the index.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use opedex::{Error, WriterOptions};
use opedex::{Index, IngestOptions, IngestReport, Progress, Rebuild, Skip, WalkOptions, Warning};

use super::read_args::ReadArgs;
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
        .map_or(index_path.clone(), |r| r.staging().to_path_buf());
    let report = ingest(&paths, &target, &options, args.quiet)?;
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
) -> anyhow::Result<IngestReport> {
    let mut index = Index::open_or_create(index_path)
        .with_context(|| format!("cannot open the index at {}", index_path.display()))?;
    let mut bar = Bar::new(quiet);
    let report = index.ingest(paths, options, &mut bar);
    bar.bar.finish_and_clear();
    Ok(report?)
}

/// Ingests `paths` into the index at `index_path` with default options, as
/// `search` does to build the default index; an interruption is an error.
pub fn ingest_defaults(paths: &[PathBuf], index_path: &std::path::Path) -> anyhow::Result<String> {
    let report = ingest(paths, index_path, &IngestOptions::default(), false)?;
    if report.interrupted {
        return Err(Error::Interrupted.into());
    }
    Ok(report.to_string())
}

/// The terminal's view of an ingest: a bar of files read, skip and warning
/// lines above it, and Ctrl-C as the stop request.
struct Bar {
    bar: ProgressBar,
    quiet: bool,
}

impl Bar {
    fn new(quiet: bool) -> Bar {
        Bar {
            bar: ProgressBar::hidden(),
            quiet,
        }
    }
}

impl Progress for Bar {
    fn files_found(&mut self, files: usize) {
        if !self.quiet {
            self.bar = ProgressBar::new(files as u64);
            self.bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} files  {per_sec}  {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
        }
    }

    fn file_done(&mut self) {
        self.bar.inc(1);
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
