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
    /// Accepted for old scripts: an index holds no contact details (since
    /// schema 6), so there is nothing to show; says so on standard error.
    #[arg(long, hide = true)]
    pub with_contacts: bool,
}

/// Runs `opedex show`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let index = Index::open(args.index.path())?;
    if args.with_contacts {
        eprintln!(
            "opedex: --with-contacts: an index holds no e-mail addresses, phone numbers or postal \
             addresses (ingest drops them); `opedex normalize --with-contacts` keeps them from the source files"
        );
    }
    let article = index.article(&args.id)?.without_contacts();
    let text = if args.json {
        serde_json::to_string_pretty(&article)? + "\n"
    } else {
        output::article_text(&article, false)
    };
    super::out(&text)?;
    Ok(OK)
}
