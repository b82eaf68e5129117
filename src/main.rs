use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    opedex::settle_thread_count();
    let args = cli::Cli::parse();
    cli::finish(cli::run(args))
}
