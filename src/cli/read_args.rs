//! The reading flags `ingest` and `normalize` share: one definition, one help text.

use std::path::PathBuf;

use opedex::{FieldMap, Format, ReadOptions, Taxonomy};

/// How input files are read.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// Input format; `auto` recognises it per file.
    #[arg(long, value_name = "FORMAT", default_value = "auto")]
    pub format: FormatArg,
    /// Default for a field the source lacks, as FIELD=VALUE (outlet, site, section, published, lang, authors, topics).
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
    /// Topic taxonomy file replacing the built-in one (same JSON shape).
    #[arg(long, value_name = "FILE")]
    pub topics: Option<PathBuf>,
    /// Map record fields onto Article fields, as ARTICLE=RECORD pairs
    /// (e.g. `body=content_original,outlet=source,published=date`).
    #[arg(long, value_name = "PAIRS")]
    pub map: Option<String>,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FormatArg {
    /// Recognise per file.
    #[default]
    Auto,
    /// Plain-text op-ed pages.
    Text,
    /// Canonical JSON Lines.
    Jsonl,
    /// JSON object or array.
    Json,
    /// Saved web pages.
    Html,
    /// CSV with a header row.
    Csv,
    /// TSV with a header row.
    Tsv,
}

impl FormatArg {
    /// The forced format, if any.
    fn forced(self) -> Option<Format> {
        match self {
            FormatArg::Auto => None,
            FormatArg::Text => Some(Format::Text),
            FormatArg::Jsonl => Some(Format::Jsonl),
            FormatArg::Json => Some(Format::Json),
            FormatArg::Html => Some(Format::Html),
            FormatArg::Csv => Some(Format::Csv),
            FormatArg::Tsv => Some(Format::Tsv),
        }
    }
}

impl ReadArgs {
    /// The library's reading options, with `--set`, `--topics` and `--map` checked.
    pub fn options(&self) -> anyhow::Result<ReadOptions> {
        let mut opts = ReadOptions {
            format: self.format.forced(),
            ..ReadOptions::default()
        };
        if let Some(spec) = &self.map {
            opts.map =
                FieldMap::parse(spec).map_err(|e| opedex::Error::Invalid(format!("--map: {e}")))?;
        }
        for pair in &self.set {
            opts.defaults.set(pair)?;
        }
        if let Some(path) = &self.topics {
            opts.taxonomy = Taxonomy::load(path)?;
        }
        Ok(opts)
    }
}
