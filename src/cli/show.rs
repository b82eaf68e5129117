//! `opedex show`: one whole article.

use opedex::{output, Index};

use super::{IndexArg, OK};

/// Arguments of `opedex show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Article id (or a unique beginning of one).
    pub id: String,
    #[command(flatten)]
    pub index: IndexArg,
    /// Print the article as JSON.
    #[arg(long)]
    pub json: bool,
    /// Include authors' e-mail, phone and address.
    #[arg(long)]
    pub with_contacts: bool,
}

/// Runs `opedex show`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let index = Index::open(args.index.path())?;
    let article = index.article(&args.id)?;
    let article = if args.with_contacts {
        article
    } else {
        article.without_contacts()
    };
    let text = if args.json {
        serde_json::to_string_pretty(&article)? + "\n"
    } else {
        output::article_text(&article, args.with_contacts)
    };
    super::out(&text)?;
    Ok(OK)
}
