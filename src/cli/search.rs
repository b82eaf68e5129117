//! `opedex search`: ranked passages with citations.

use anyhow::Context;
use opedex::{parse_bound, Error, Filters, Index, Ranking, SearchRequest};

use super::semantic_args::{self, ModeArg, ModelArg};
use super::{IndexArg, NO_RESULTS, OK};

/// Arguments of `opedex search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words, "phrases", +must, -not and field:value (title, author, outlet, section, topic, lang).
    pub query: String,
    #[command(flatten)]
    pub index: IndexArg,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of results.
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Most passages shown per article.
    #[arg(long, value_name = "K", default_value_t = 1)]
    pub per_article: usize,
    /// Print JSON Lines, one hit per line.
    #[arg(long)]
    pub json: bool,
    /// Plain BM25: every ranking feature off (for comparison).
    #[arg(long)]
    pub plain: bool,
    /// Pseudo-relevance feedback: add the best articles' distinctive words
    /// to the query with a low weight.
    #[arg(long)]
    pub expand: bool,
    /// Rank by the query's words, its meaning, or both [default: hybrid
    /// when the index has vectors, else lexical].
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    #[command(flatten)]
    pub model: ModelArg,
}

/// The filters `search` and `similar` share.
#[derive(Debug, clap::Args)]
pub struct FilterArgs {
    /// Only articles by this author (any part of the name; repeatable).
    #[arg(long, value_name = "NAME")]
    pub author: Vec<String>,
    /// Only articles from this outlet or site (any part of the name; repeatable).
    #[arg(long, value_name = "NAME")]
    pub outlet: Vec<String>,
    /// Only articles with this topic (repeatable).
    #[arg(long, value_name = "TOPIC")]
    pub topic: Vec<String>,
    /// Only articles in this language, ISO 639-1 (repeatable).
    #[arg(long, value_name = "CODE")]
    pub lang: Vec<String>,
    /// Only articles published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

impl FilterArgs {
    /// The library's filters, with dates checked.
    pub fn filters(self) -> anyhow::Result<Filters> {
        Ok(Filters {
            authors: self.author,
            outlets: self.outlet,
            topics: self.topic,
            langs: self.lang.iter().map(|l| l.trim().to_lowercase()).collect(),
            since: bound(&self.since, false, "--since")?,
            until: bound(&self.until, true, "--until")?,
        })
    }
}

/// Parses a `--since`/`--until` value.
fn bound(raw: &Option<String>, end: bool, flag: &str) -> anyhow::Result<Option<jiff::civil::Date>> {
    raw.as_deref()
        .map(|r| {
            parse_bound(r, end).ok_or_else(|| {
                Error::Invalid(format!(
                    "{flag} {r:?}: expected YYYY, YYYY-MM or YYYY-MM-DD"
                ))
                .into()
            })
        })
        .transpose()
}

/// Runs `opedex search`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let path = args.index.path();
    super::ingest::build_default_index(&args.index)?;
    let mut index = Index::open(&path)?;
    index.set_model(args.model.model);
    let mode = semantic_args::mode(args.mode);
    let filters = args.filters.filters()?;
    let request = SearchRequest {
        query: args.query,
        filters,
        limit: args.limit,
        per_article: args.per_article,
        ranking: Ranking {
            expand: args.expand,
            mode,
            ..if args.plain {
                Ranking::plain()
            } else {
                Ranking::default()
            }
        },
    };
    let results = index.search(&request).context("search failed")?;
    semantic_args::lexical_only_note(&index, results.mode, mode);
    if results.hits.is_empty() {
        if !args.json {
            eprintln!("opedex: no results");
        }
        return Ok(NO_RESULTS);
    }
    let heading = results
        .corrected_query
        .as_ref()
        .map(|q| format!("showing results for \"{q}\""));
    super::print_hits(&results.hits, args.json, heading.as_deref())?;
    Ok(OK)
}
