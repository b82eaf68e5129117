//! `opedex similar`: the articles most like a given one.

use anyhow::Context;
use opedex::{Index, SimilarRequest};

use super::search::FilterArgs;
use super::semantic_args::{self, ModeArg};
use super::{IndexArg, NO_RESULTS, OK};

/// Arguments of `opedex similar`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article id (as printed by `search` and `show`).
    pub id: String,
    #[command(flatten)]
    pub index: IndexArg,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of articles.
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Print JSON Lines, one article (its closest passage) per line.
    #[arg(long)]
    pub json: bool,
    /// By shared terms, by the articles' vectors, or both [default: hybrid
    /// when the index has vectors, else lexical].
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
}

/// Runs `opedex similar`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let index = Index::open(args.index.path())?;
    let mut filters = args.filters.filters()?;
    // An unknown topic is a usage error naming the closest known topics.
    filters.topics = index.resolve_topics(&filters.topics)?;
    let request = SimilarRequest {
        id: args.id,
        filters,
        limit: args.limit,
        mode: semantic_args::mode(args.mode),
    };
    let hits = index.similar(&request).context("similar failed")?;
    if hits.is_empty() {
        if !args.json {
            eprintln!("opedex: no similar articles");
        }
        return Ok(NO_RESULTS);
    }
    super::print_hits(&hits, args.json, None)?;
    Ok(OK)
}
