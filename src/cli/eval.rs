//! `opedex eval`: run judged queries through `search` and print ranking metrics.

use std::path::PathBuf;

use anyhow::Context;
use opedex::eval::{self, Evaluation, Level, RunLine, Scores};
use opedex::{Fusion, Index, Mode, Ranking};

use super::semantic_args::{self, ModeArg, ModelArg};
use super::{IndexArg, OK};

/// Arguments of `opedex eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Queries: TSV `qid<TAB>text` or JSON Lines `{"qid","query","filters"}`.
    #[arg(long, value_name = "FILE")]
    pub queries: PathBuf,
    /// TREC qrels: `qid 0 docid grade`.
    #[arg(long, value_name = "FILE")]
    pub qrels: PathBuf,
    #[command(flatten)]
    pub index: IndexArg,
    /// What the qrels' document ids name: article ids, or `article_id#passage`.
    #[arg(long, value_enum, default_value = "article")]
    pub level: LevelArg,
    /// Write the ranking as a TREC run file.
    #[arg(long, value_name = "FILE")]
    pub run_out: Option<PathBuf>,
    /// Print every query's scores too.
    #[arg(long)]
    pub per_query: bool,
    /// Plain BM25: every ranking feature off.
    #[arg(long)]
    pub plain: bool,
    /// Turn one ranking feature off (repeatable): field-weights, typography
    /// (also accepted as normalize), stop-words, coverage, proximity, article, typos.
    #[arg(long, value_name = "FEATURE")]
    pub without: Vec<String>,
    /// Pseudo-relevance feedback, as `search --expand`.
    #[arg(long)]
    pub expand: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Rank by the queries' words, their meaning, or both [default: hybrid
    /// when the index has vectors, else lexical].
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    #[command(flatten)]
    pub model: ModelArg,
    /// Only the queries of this split (`"split"` in a JSON Lines query
    /// file, such as tune or check).
    #[arg(long, value_name = "NAME")]
    pub split: Option<String>,
    /// Hybrid fusion weights, for tuning on your own judged set:
    /// `lexical=1,dense=1.5,pin=1.5,depth=50,ramp=15` (any of them), and
    /// `method=rrf,k=20` for reciprocal-rank fusion instead of the
    /// normalised sum.
    #[arg(long, value_name = "SPEC")]
    pub fusion: Option<Fusion>,
}

/// `--level`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LevelArg {
    /// Document ids are article ids.
    Article,
    /// Document ids are `article_id#passage`.
    Passage,
}

fn row(name: &str, s: &Scores) -> String {
    format!(
        "{name:<10} {:>8.4} {:>8.4} {:>8.4} {:>8.4} {:>8.4}\n",
        s.ndcg10, s.map100, s.mrr10, s.p10, s.recall100
    )
}

fn table(e: &Evaluation, per_query: bool) -> String {
    let mut out = format!(
        "{:<10} {:>8} {:>8} {:>8} {:>8} {:>8}\n",
        "query", "nDCG@10", "MAP@100", "MRR@10", "P@10", "R@100"
    );
    if per_query {
        for q in &e.queries {
            out += &row(&q.qid, &q.scores);
        }
    }
    out += &row("all", &e.mean);
    out += &format!("{} queries scored", e.queries.len());
    if !e.no_relevant.is_empty() {
        out += &format!(
            "; {} skipped with no relevant judgment ({})",
            e.no_relevant.len(),
            e.no_relevant.join(" ")
        );
    }
    if !e.missing.is_empty() {
        out += &format!(
            "; {} judged queries not in the query file ({})",
            e.missing.len(),
            e.missing.join(" ")
        );
    }
    let (median, p99) = e.latency();
    out += &format!(
        "\nsearch time per query: median {:.2} ms, p99 {:.2} ms\n",
        median.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
    out
}

fn json(e: &Evaluation, per_query: bool, ranking: &Ranking, mode: Mode) -> anyhow::Result<String> {
    let mut v = serde_json::json!({
        "queries": e.queries.len(),
        "mode": mode.name(),
        "skipped_no_relevant": e.no_relevant,
        "missing_queries": e.missing,
        "ranking": if *ranking == Ranking::plain() { "plain" } else if *ranking == Ranking::default() { "default" } else { "custom" },
        "mean": e.mean,
        "latency_ms": {
            "median": e.latency().0.as_secs_f64() * 1e3,
            "p99": e.latency().1.as_secs_f64() * 1e3,
        },
    });
    if per_query {
        v["per_query"] = e
            .queries
            .iter()
            .map(|q| serde_json::json!({"qid": q.qid, "scores": q.scores}))
            .collect();
    }
    Ok(serde_json::to_string(&v)? + "\n")
}

/// Runs `opedex eval`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let mut ranking = if args.plain {
        Ranking::plain()
    } else {
        Ranking::default()
    };
    for f in &args.without {
        ranking.set(f, false)?;
    }
    ranking.expand = args.expand;
    if args.mode.is_some() || !args.plain {
        ranking.mode = semantic_args::mode(args.mode);
    }
    let mut queries = eval::read_queries(&args.queries)?;
    if let Some(split) = &args.split {
        queries.retain(|q| q.split.as_deref() == Some(split.as_str()));
    }
    let qrels = eval::read_qrels(&args.qrels)?;
    let mut index = Index::open(args.index.path())?;
    index.set_model(args.model.model);
    if let Some(fusion) = args.fusion {
        index.set_fusion(fusion);
    }
    let mode = index.resolve_mode(ranking.mode)?;
    let level = match args.level {
        LevelArg::Article => Level::Article,
        LevelArg::Passage => Level::Passage,
    };
    let e = index
        .evaluate(&queries, &qrels, level, &ranking)
        .context("evaluation failed")?;
    if let Some(path) = &args.run_out {
        let tag = if args.plain { "opedex-plain" } else { "opedex" };
        let lines = e.queries.iter().flat_map(|q| {
            q.ranked
                .iter()
                .enumerate()
                .map(|(i, (docid, score))| RunLine {
                    qid: &q.qid,
                    docid,
                    rank: i + 1,
                    score: *score,
                })
        });
        std::fs::write(path, eval::run_text(lines, tag))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let text = if args.json {
        json(&e, args.per_query, &ranking, mode)?
    } else if index.has_vectors() {
        // Where the mode was a choice, say which one ran.
        table(&e, args.per_query) + &format!("mode: {}\n", mode.name())
    } else {
        table(&e, args.per_query)
    };
    super::out(&text)?;
    Ok(OK)
}
