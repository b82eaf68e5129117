//! `opedex export`: the index as files a distributed engine loads.

use std::path::PathBuf;

use opedex::{Engine, ExportOptions, Index};

use super::{IndexArg, OK};

/// Arguments of `opedex export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The engine: opensearch (also Elasticsearch) or quickwit.
    #[arg(long = "to", value_enum, value_name = "ENGINE")]
    pub to: EngineArg,
    #[command(flatten)]
    pub index: IndexArg,
    /// The index name on the engine.
    #[arg(long, value_name = "NAME", default_value = "opedex")]
    pub name: String,
    /// Largest data file, in bytes (files rotate before it).
    #[arg(long, value_name = "BYTES", default_value_t = opedex::MAX_FILE_BYTES, hide = true)]
    pub max_file_bytes: u64,
    /// Print the summary as JSON (files, sizes, document counts).
    #[arg(long)]
    pub json: bool,
    /// Where to write: a new or empty directory, or one holding a previous
    /// export (its files are replaced; any other file is refused).
    #[arg(value_name = "OUT_DIR")]
    pub out: PathBuf,
}

/// `--to`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EngineArg {
    /// OpenSearch or Elasticsearch: an index template and `_bulk` files.
    Opensearch,
    /// Quickwit: an index config and NDJSON files.
    Quickwit,
}

impl From<EngineArg> for Engine {
    fn from(e: EngineArg) -> Engine {
        match e {
            EngineArg::Opensearch => Engine::OpenSearch,
            EngineArg::Quickwit => Engine::Quickwit,
        }
    }
}

/// Runs `opedex export`.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let index = Index::open(args.index.path())?;
    let options = ExportOptions {
        name: args.name,
        max_file_bytes: args.max_file_bytes,
        ..ExportOptions::new(args.to.into())
    };
    let report = index.export(&args.out, &options)?;
    if args.json {
        super::out(&(serde_json::to_string_pretty(&report)? + "\n"))?;
    } else {
        super::out(&format!("{report}\n"))?;
    }
    Ok(OK)
}
