//! `opedex normalize`: print canonical Article JSON Lines, touching no index.

use std::path::PathBuf;

use opedex::ingest::{self, Event};

use super::ingest::FormatArg;
use super::{OK, USAGE};

/// Arguments of `opedex normalize`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories; `-` reads standard input.
    #[arg(value_name = "FILE", required = true)]
    pub paths: Vec<PathBuf>,
    /// Input format; `auto` recognises it per file.
    #[arg(long, value_name = "FORMAT", default_value = "auto")]
    pub format: FormatArg,
    /// Default for a field the source lacks, as FIELD=VALUE.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// Topic taxonomy file replacing the built-in one.
    #[arg(long, value_name = "FILE")]
    pub topics: Option<PathBuf>,
    /// Map record fields onto Article fields, as ARTICLE=RECORD pairs.
    #[arg(long, value_name = "PAIRS")]
    pub map: Option<String>,
}

/// Runs `opedex normalize`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let opts = super::ingest::read_options(
        args.format,
        &args.set,
        args.topics.as_deref(),
        args.map.as_deref(),
    )?;
    let (files, walk_skips, _) = ingest::collect_files(&args.paths);
    for skip in &walk_skips {
        eprintln!("opedex: {skip}");
    }
    let stats = ingest::read_files(
        files,
        &opts,
        |article, _| serde_json::to_string(&article).map_err(opedex::Error::from),
        |event| {
            match event {
                Event::Article(line) => {
                    super::out(&(line? + "\n")).map_err(|e| opedex::Error::io("<stdout>", e))?
                }
                Event::Skipped(s) => eprintln!("opedex: {s}"),
                Event::Warning(w) => eprintln!("opedex: warning: {w}"),
                Event::FileDone { .. } | Event::Unchanged { .. } => {}
            }
            Ok(())
        },
    )?;
    let skipped = stats.skipped_file_count() + stats.skipped_record_count() + walk_skips.len();
    Ok(if stats.articles == 0 && skipped > 0 {
        USAGE
    } else {
        OK
    })
}
