//! `opedex normalize`: print canonical Article JSON Lines, touching no index.

use std::path::PathBuf;

use opedex::Normalized;

use super::read_args::ReadArgs;
use super::{OK, USAGE};

/// Arguments of `opedex normalize`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories; `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Keep the e-mail addresses, phone numbers and postal addresses of
    /// author cards and bio lines (dropped by default; ingest always drops them).
    #[arg(long)]
    pub with_contacts: bool,
}

/// Runs `opedex normalize`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let mut options = args.read.options()?;
    options.keep_contacts = args.with_contacts;
    let (mut articles, mut skipped) = (0, 0);
    for item in opedex::normalize(&args.paths, &options) {
        match item {
            Normalized::Article(article) => {
                articles += 1;
                super::out(&(serde_json::to_string(&article)? + "\n"))?;
            }
            Normalized::Skipped(s) => {
                skipped += 1;
                eprintln!("opedex: {s}");
            }
            Normalized::Warning(w) => eprintln!("opedex: warning: {w}"),
            Normalized::Stopped(e) => return Err(e.into()),
        }
    }
    Ok(if articles == 0 && skipped > 0 {
        USAGE
    } else {
        OK
    })
}
