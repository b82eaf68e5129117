//! `opedex serve`: the HTTP API and the web page over an index.

use std::net::SocketAddr;

use anyhow::Context;
use opedex::server::{self, State};

use super::semantic_args::ModelArg;
use super::{IndexArg, OK};

/// Arguments of `opedex serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub index: IndexArg,
    /// Address to listen on. Anything but loopback is reachable by others,
    /// and the server has no authentication.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:7700")]
    pub addr: SocketAddr,
    /// Searches run at once [default: two per core].
    #[arg(long, value_name = "N")]
    pub slots: Option<usize>,
    #[command(flatten)]
    pub model: ModelArg,
}

/// Runs `opedex serve` until Ctrl-C or SIGTERM.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let path = args.index.path();
    if !args.addr.ip().is_loopback() {
        eprintln!(
            "opedex: warning: listening on {}, which other machines can reach; \
             opedex serve has no authentication",
            args.addr
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let addr = listener.local_addr()?;
        let state = State::new(
            path.clone(),
            args.slots.unwrap_or_else(server::default_slots),
            args.model.model,
        );
        if let Err(e) = state.index.get() {
            eprintln!("opedex: warning: {}: {}", path.display(), e.message);
        }
        eprintln!(
            "opedex: serving {} at http://{addr}/ (Ctrl-C stops)",
            path.display()
        );
        let shutdown = async {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            let sigterm = async {
                match term.as_mut() {
                    Some(t) => {
                        t.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                () = sigterm => {}
            }
        };
        server::serve(listener, server::router(state), shutdown).await?;
        anyhow::Ok(())
    })?;
    Ok(OK)
}
