//! `opedex show`: one whole article.

use opedex::index::stored;
use opedex::index::OpedexIndex;
use opedex::{output, Error};

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
    let index = OpedexIndex::open(&args.index.path())?;
    let searcher = index.reader()?.searcher();
    let article = match stored::load_article(&index, &searcher, &args.id) {
        Ok(a) => a,
        Err(Error::NoSuchArticle(_)) => {
            let found: Vec<_> = stored::ids_with_prefix(&index, &searcher, &args.id)?
                .into_iter()
                .filter_map(|id| stored::load_article(&index, &searcher, &id).ok())
                .collect();
            match found.len() {
                1 => found.into_iter().next().expect("one article"),
                0 => return Err(Error::NoSuchArticle(args.id).into()),
                n => {
                    return Err(Error::Invalid(format!(
                        "{n} articles have ids starting with {:?}; give more of the id",
                        args.id
                    ))
                    .into())
                }
            }
        }
        Err(e) => return Err(e.into()),
    };
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
