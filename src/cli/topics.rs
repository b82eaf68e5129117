//! `opedex topics`: the topic vocabulary with the number of articles that
//! have each topic, as `--topic` accepts them.

use std::fmt::Write;

use opedex::{Index, TopicCount};

use super::{IndexArg, OK};

/// Arguments of `opedex topics`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArg,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `opedex topics`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let topics = Index::open(args.index.path())?.topics()?;
    let text = if args.json {
        serde_json::to_string_pretty(&topics)? + "\n"
    } else {
        topics_text(&topics)
    };
    super::out(&text)?;
    Ok(OK)
}

/// One line a topic: articles, name, and the other names `--topic` accepts;
/// topics outside the vocabulary are marked.
fn topics_text(topics: &[TopicCount]) -> String {
    let mut out = String::new();
    for t in topics {
        let _ = write!(out, "{:>7}  {}", t.articles, t.topic);
        if !t.in_vocabulary {
            out.push_str("  (not in the vocabulary)");
        }
        if !t.aliases.is_empty() {
            let _ = write!(out, "  (also: {})", t.aliases.join(", "));
        }
        out.push('\n');
    }
    out
}
