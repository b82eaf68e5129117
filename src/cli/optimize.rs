//! `opedex optimize`: merge a finished index into fewer segments.

use std::time::Instant;

use opedex::Index;

use super::{IndexArg, OK};

/// Arguments of `opedex optimize`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArg,
    /// Segments to end with [default: one per core, as searches run one
    /// segment per core]. Each merge reads its share of the index through
    /// memory maps while it runs.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub segments: Option<u32>,
}

/// Runs `opedex optimize`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let path = args.index.path();
    let mut index = Index::open(&path)?;
    let started = Instant::now();
    let segments = args.segments.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |n| n as usize,
    );
    let done = index.optimize(segments)?;
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    super::out(&format!(
        "optimized {}: {} segment{} into {}, {} deleted document{} dropped; {:.2} s\n",
        path.display(),
        done.segments_before,
        plural(done.segments_before as u64),
        done.segments_after,
        done.deleted_dropped,
        plural(done.deleted_dropped),
        started.elapsed().as_secs_f64()
    ))?;
    Ok(OK)
}
