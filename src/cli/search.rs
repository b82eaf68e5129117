//! `opedex search`: ranked passages with citations.

use anyhow::Context;
use opedex::{parse_bound, Error, Filters, Index, Ranking, SearchRequest, Sort};

use super::semantic_args::{self, ModeArg, ModelArg};
use super::{ColorChoice, IndexArg, NO_RESULTS, OK};

/// The query language, shown by `search --help`.
const QUERY_HELP: &str = "\
The query: words, \"phrases\", +required and -excluded words, and field:value.
The words may be given as several arguments; `--` before a query that
starts with `-`.
  plain words      ranked: passages with more of them, close together, first
  \"a phrase\"       must occur, words adjacent and in order
  +word  -word     required; -word leaves out every article holding the
                   word anywhere (title or any passage)
  title:word       the word scoped to titles (ranked like a word)
Qualifiers filter exactly like the flags (values of one field OR-ed,
fields AND-ed; -field:value excludes):
  author:NAME  outlet:NAME  section:NAME  topic:T  lang:CODE
  (field:\"two words\" for names with spaces)
  year:2019   year:2016..2019
  published:2019-03   published:>=2019-03   published:<2020
  published:2019-01..2019-06   published:2019-01..   published:..2019-06
  since:DATE  until:DATE   (DATE is YYYY, YYYY-MM or YYYY-MM-DD)";

/// Arguments of `opedex search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words, "phrases", +must, -not and field:value (see --help).
    #[arg(required = true, value_name = "QUERY", long_help = QUERY_HELP)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub index: IndexArg,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of results; 0 prints only the total (and the facets).
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Results to skip, for paging: `--offset 10 -n 10` shows results 11–20.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// Most passages shown per article.
    #[arg(long, value_name = "K", default_value_t = 1)]
    pub per_article: usize,
    /// Order of results: best match, or by publication date (undated last).
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Count the matching articles (not passages) by outlet, author, topic,
    /// language and year.
    #[arg(long)]
    pub facets: bool,
    /// Print JSON Lines: one hit per line, then a summary line
    /// {"summary": {"total", "offset", "hits", "corrected_query",
    /// "did_you_mean", "stop_word_phrase", "facets"}}.
    #[arg(long)]
    pub json: bool,
    /// Mark matched words in colour: auto (on a terminal, unless NO_COLOR
    /// is set), always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
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
    /// Print, instead of searching, the request that runs this search's
    /// first stage on an export (`opedex export`): OpenSearch's `_search`
    /// body, or Quickwit's search request (query string, aggregations).
    #[arg(
        long = "as",
        value_enum,
        value_name = "ENGINE",
        conflicts_with = "expand"
    )]
    pub engine: Option<super::export::EngineArg>,
}

/// `--sort`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Latest publication date first.
    Newest,
    /// Earliest publication date first.
    Oldest,
}

impl From<SortArg> for Sort {
    fn from(s: SortArg) -> Sort {
        match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        }
    }
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
    /// Only articles in this section (any part of its name; repeatable).
    #[arg(long, value_name = "NAME")]
    pub section: Vec<String>,
    /// Only articles with this topic: a name or alias that `opedex topics` lists (repeatable).
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
            sections: self.section,
            topics: self.topic,
            langs: self.lang.iter().map(|l| l.trim().to_lowercase()).collect(),
            since: bound(&self.since, false, "--since")?,
            until: bound(&self.until, true, "--until")?,
            articles: Vec::new(),
        })
    }
}

/// Parses a `--since`/`--until` value.
fn bound(raw: &Option<String>, end: bool, flag: &str) -> anyhow::Result<Option<jiff::civil::Date>> {
    raw.as_deref()
        .map(|r| {
            parse_bound(r, end).map_err(|e| Error::Invalid(format!("{flag} {r:?}: {e}")).into())
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
    let mut filters = args.filters.filters()?;
    // An unknown topic is a usage error naming the closest known topics.
    filters.topics = index.resolve_topics(&filters.topics)?;
    let request = SearchRequest {
        query: args.query.join(" "),
        filters,
        limit: args.limit,
        offset: args.offset,
        per_article: args.per_article,
        sort: args.sort.into(),
        facets: args.facets,
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
    if let Some(engine) = args.engine {
        let query = index.engine_query(engine.into(), &request)?;
        super::out(&(serde_json::to_string_pretty(&query)? + "\n"))?;
        return Ok(OK);
    }
    let results = index.search(&request).context("search failed")?;
    semantic_args::lexical_only_note(&index, results.mode, mode);
    if results.total == 0 && !args.json {
        match &results.stop_word_phrase {
            Some(p) => eprintln!(
                "opedex: no results: every word is a stop word, so the query was searched \
                 as the phrase \"{p}\", which no article holds"
            ),
            None => eprintln!("opedex: no results"),
        }
        return Ok(NO_RESULTS);
    }
    super::print_search(&results, args.json, args.color, args.offset)?;
    Ok(if results.total == 0 { NO_RESULTS } else { OK })
}
