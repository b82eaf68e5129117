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
    /// Entries shown per facet in text output (0 shows all).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

/// Runs `opedex stats`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let s = Index::open(args.index.path())?.stats()?;
    let text = if args.json {
        serde_json::to_string_pretty(&s)? + "\n"
    } else {
        let top = if args.top == 0 { usize::MAX } else { args.top };
        output::stats_text(&s, top)
    };
    super::out(&text)?;
    Ok(OK)
}
