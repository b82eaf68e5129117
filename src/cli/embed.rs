//! `opedex embed`: give an index's articles vectors, so it can be searched
//! by meaning (`search --mode semantic|hybrid`) without re-reading sources.

use std::sync::atomic::Ordering;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use opedex::{EmbedOptions, Index, Progress, Units};

use super::semantic_args::ModelArg;
use super::{IndexArg, INTERRUPTED, OK};

/// Arguments of `opedex embed`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArg,
    #[command(flatten)]
    pub model: ModelArg,
    /// Embed every article again, replacing the vectors (for another model
    /// or another --units rule); otherwise only articles without vectors.
    #[arg(long)]
    pub rebuild: bool,
    /// What text is embedded: `opening` (title and the body's opening, up to
    /// the model's window), `passages:N` (title and each of the first N
    /// passages), `passages` (every passage), or `opening+passages:N` (both
    /// the opening and the first N passages: better recall, about 2.5 times
    /// the embedding) [default: what the index embeds, else opening].
    #[arg(long, value_name = "RULE")]
    pub units: Option<Units>,
    /// Commit after every N articles embedded, so an interrupted run keeps
    /// its work.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub commit_every: usize,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs `opedex embed`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let path = args.index.path();
    let mut index = Index::open(&path)?;
    index.set_model(args.model.model);
    super::stop_on_interrupt();
    let options = EmbedOptions {
        rebuild: args.rebuild,
        units: args.units,
        commit_every: args.commit_every,
    };
    let mut bar = EmbedBar::new(args.quiet);
    let report = index.embed(&options, &mut bar);
    bar.bar.finish_and_clear();
    let report = report.with_context(|| format!("cannot embed the index at {}", path.display()))?;
    if report.interrupted {
        eprintln!(
            "opedex: interrupted: {} articles embedded and committed; run the same command \
             again to finish",
            report.embedded_articles
        );
        return Ok(super::INTERRUPTED_EXIT);
    }
    if !args.quiet {
        println!(
            "embedded {} of {} articles ({} texts; {} had vectors already)",
            report.embedded_articles, report.articles, report.embedded_texts, report.had_vectors
        );
    }
    Ok(OK)
}

/// A bar of articles embedded, and Ctrl-C as the stop request.
struct EmbedBar {
    bar: ProgressBar,
    quiet: bool,
}

impl EmbedBar {
    fn new(quiet: bool) -> EmbedBar {
        EmbedBar {
            bar: ProgressBar::hidden(),
            quiet,
        }
    }
}

impl Progress for EmbedBar {
    fn embedded(&mut self, done: usize, total: Option<usize>) {
        if self.quiet {
            return;
        }
        let Some(total) = total else { return };
        if self.bar.is_hidden() && total > 0 {
            self.bar = ProgressBar::new(total as u64);
            self.bar.set_style(
                ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} articles embedded  {per_sec}  {eta} left",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
        }
        self.bar.set_position(done as u64);
    }

    fn stop_requested(&self) -> bool {
        INTERRUPTED.load(Ordering::SeqCst)
    }
}
