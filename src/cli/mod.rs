//! The command line: argument definitions and dispatch. Each subcommand lives
//! in its own file and only parses, calls the library and prints.

pub mod embed;
pub mod eval;
pub mod export;
pub mod ingest;
pub mod normalize;
pub mod optimize;
pub mod read_args;
pub mod search;
pub mod semantic_args;
#[cfg(feature = "server")]
pub mod serve;
pub mod show;
pub mod similar;
pub mod stats;
pub mod topics;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{CommandFactory, Parser, Subcommand};
use opedex::output::{self, Marks};
use opedex::{Hit, SearchResults};

/// Exit code for success.
pub const OK: u8 = 0;
/// Exit code for a search with no hits.
pub const NO_RESULTS: u8 = 1;
/// Exit code for usage and data errors.
pub const USAGE: u8 = 2;

/// Exit code after Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
pub const INTERRUPTED_EXIT: u8 = 130;

/// Set when the user asked to stop; long commands check it between units of work.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Makes Ctrl-C (and SIGTERM) ask the running command to stop cleanly at
/// its next check of [`INTERRUPTED`]; a second Ctrl-C stops at once, which
/// is still safe because an index commit is atomic.
pub fn stop_on_interrupt() {
    let installed = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(INTERRUPTED_EXIT));
        }
        eprintln!("opedex: stopping after the current article (a second interrupt stops at once)");
    });
    if let Err(e) = installed {
        eprintln!("opedex: warning: an interrupt will stop at once: {e}");
    }
}

/// Default index location.
pub const DEFAULT_INDEX: &str = "index";
/// Default corpus location.
pub const DEFAULT_CORPUS: &str = "corpus";

/// Turn a pile of op-eds into a passage search index you can trust.
#[derive(Debug, Parser)]
#[command(name = "opedex", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read op-eds (text pages, HTML, JSON, JSON Lines, CSV, TSV; also gzipped) into the index.
    Ingest(ingest::Args),
    /// Rank passages for a query, with filters.
    Search(search::Args),
    /// Print articles as canonical JSON Lines without touching any index.
    Normalize(normalize::Args),
    /// Score rankings against judged queries (nDCG@10, MAP@100, MRR@10, P@10, R@100).
    Eval(eval::Args),
    /// Give the index's articles vectors for semantic and hybrid search.
    Embed(embed::Args),
    /// Print one whole article.
    Show(show::Args),
    /// The articles most like a given one (more-like-this), with search's filters.
    Similar(similar::Args),
    /// Count articles and passages by outlet, author, topic, language and year.
    Stats(stats::Args),
    /// Write the index as files OpenSearch, Elasticsearch or Quickwit load,
    /// with LOAD.md holding the commands.
    Export(export::Args),
    /// List the topics `--topic` accepts, with the number of articles that have each.
    Topics(topics::Args),
    /// Merge the index into fewer segments, for faster searches.
    Optimize(optimize::Args),
    /// Serve the JSON API and the web page (default http://127.0.0.1:7700/).
    #[cfg(feature = "server")]
    Serve(serve::Args),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// Index location flag shared by commands.
#[derive(Debug, clap::Args)]
pub struct IndexArg {
    /// Index directory [default: index].
    #[arg(long, value_name = "DIR", env = "OPEDEX_INDEX")]
    pub index: Option<PathBuf>,
}

impl IndexArg {
    /// The index path, defaulting to `index`.
    pub fn path(&self) -> PathBuf {
        self.index
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX))
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Ingest(a) => ingest::run(a),
        Command::Search(a) => search::run(a),
        Command::Normalize(a) => normalize::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Embed(a) => embed::run(a),
        Command::Show(a) => show::run(a),
        Command::Similar(a) => similar::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Export(a) => export::run(a),
        Command::Topics(a) => topics::run(a),
        Command::Optimize(a) => optimize::run(a),
        #[cfg(feature = "server")]
        Command::Serve(a) => serve::run(a),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "opedex", &mut io::stdout());
            Ok(OK)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut io::stdout())?;
            Ok(OK)
        }
    }
}

/// When matched words are marked in colour (`--color`, as ripgrep has it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set to something.
    #[default]
    Auto,
    /// Always, even into a pipe or with `NO_COLOR`.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// How matched words are marked on standard output.
    pub fn marks(self) -> Marks {
        let color = match self {
            ColorChoice::Auto => color_stdout(),
            ColorChoice::Always => true,
            ColorChoice::Never => false,
        };
        if color {
            Marks::Color
        } else {
            Marks::Plain
        }
    }
}

/// True when colour may be used on standard output.
pub fn color_stdout() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Text values shown per facet.
pub const FACET_VALUES_SHOWN: usize = 10;

/// Prints hits as text (after `heading`, if any) or as JSON Lines.
pub fn print_hits(hits: &[Hit], json: bool, heading: Option<&str>) -> io::Result<()> {
    let marks = ColorChoice::Auto.marks();
    let mut text = String::new();
    if let (false, Some(h)) = (json, heading) {
        text += h;
        text += "\n\n";
    }
    hits_into(&mut text, hits, json, marks);
    out(&text)
}

fn hits_into(text: &mut String, hits: &[Hit], json: bool, marks: Marks) {
    for hit in hits {
        if json {
            *text += &output::hit_json(hit);
        } else {
            *text += &output::hit_text(hit, marks);
        }
        text.push('\n');
    }
}

/// Prints a search's results: as text, the summary lines, the hits and
/// the facets; as JSON Lines, one hit per line and then the summary line
/// (which holds the facets). `offset` is the request's.
pub fn print_search(
    results: &SearchResults,
    json: bool,
    color: ColorChoice,
    offset: usize,
) -> io::Result<()> {
    let mut text = String::new();
    if json {
        hits_into(&mut text, &results.hits, true, Marks::Plain);
        text += &output::summary_json(results, offset);
        text.push('\n');
        return out(&text);
    }
    text += &output::summary_text(results, offset);
    if !results.hits.is_empty() {
        text.push('\n');
    }
    hits_into(&mut text, &results.hits, false, color.marks());
    if let Some(f) = &results.facets {
        if results.hits.is_empty() {
            text.push('\n');
        }
        text += &output::facets_text(f, FACET_VALUES_SHOWN);
    }
    out(&text)
}

/// Writes a string to standard output.
pub fn out(s: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(s.as_bytes())
}

/// Maps a run result to an exit code, printing errors with their causes.
pub fn finish(result: anyhow::Result<u8>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::from(OK);
            }
            eprintln!("opedex: error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(USAGE)
        }
    }
}
