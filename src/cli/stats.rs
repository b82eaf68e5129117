//! `opedex stats`: what the index holds.

use opedex::{output, Index};

use super::{IndexArg, OK};

/// Arguments of `opedex stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArg,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Entries shown per facet in text output.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

/// Runs `opedex stats`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let s = Index::open(args.index.path())?.stats()?;
    let text = if args.json {
        serde_json::to_string_pretty(&s)? + "\n"
    } else {
        output::stats_text(&s, args.top)
    };
    super::out(&text)?;
    Ok(OK)
}
