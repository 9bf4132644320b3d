//! `seer up`: store + collectors + query service in one process, until SIGINT/SIGTERM.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use bytesize::ByteSize;
use seer_agent::AgentConfig;
use seer_broker::Token;
use seer_query::QueryEngine;
use seer_store::Store;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tracing_subscriber::EnvFilter;

use crate::config::Config;

/// Flags of `seer up` (they override the config file).
#[derive(Debug, clap::Args)]
pub(crate) struct UpArgs {
    /// TOML configuration file.
    #[arg(long, short)]
    config: Option<PathBuf>,
    /// Query service address, e.g. 127.0.0.1:50300.
    #[arg(long)]
    listen: Option<std::net::SocketAddr>,
    /// Data directory (token file).
    #[arg(long, env = "SEER_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Total memory for all tables, e.g. 1GiB.
    #[arg(long)]
    memory_budget: Option<ByteSize>,
    /// Log filter, e.g. info or seer_broker=debug.
    #[arg(long)]
    log: Option<String>,
    /// Web UI address, e.g. 127.0.0.1:50301.
    #[arg(long)]
    ui_listen: Option<std::net::SocketAddr>,
    /// Do not serve the web UI.
    #[arg(long)]
    no_ui: bool,
}

pub(crate) fn up(args: UpArgs) -> Result<ExitCode> {
    let mut cfg = match &args.config {
        Some(p) => Config::from_file(p)?,
        None => Config::default(),
    };
    if let Some(l) = args.listen {
        cfg.listen = l;
    }
    if let Some(d) = args.data_dir {
        cfg.data_dir = d;
    }
    if let Some(m) = args.memory_budget {
        cfg.store.memory_budget = m;
    }
    if let Some(l) = args.log {
        cfg.log = l;
    }
    if let Some(l) = args.ui_listen {
        cfg.ui.listen = l;
    }
    if args.no_ui {
        cfg.ui.enabled = false;
    }
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&cfg.log).context("invalid --log filter")?)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    if !crate::thp::disable() {
        tracing::info!("transparent huge pages stay on for this process: expect more CPU per traced request");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(serve(cfg))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(cfg: Config) -> Result<()> {
    let token = Token::load_or_create(&cfg.data_dir).context("preparing the access token")?;
    let token_path = cfg.data_dir.join(seer_broker::auth::TOKEN_FILE);
    let store = Arc::new(Store::with_all_tables(&cfg.store_config()));
    let (stop_tx, stop_rx) = watch::channel(false);
    let agent_cfg = AgentConfig {
        collect: cfg.collect_config()?,
        ..Default::default()
    };
    let agent = seer_agent::start(store.clone(), &agent_cfg, stop_rx.clone());
    let listener = TcpListener::bind(cfg.listen)
        .await
        .with_context(|| format!("binding {}", cfg.listen))?;
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "listening beyond loopback without TLS: tokens and results cross the network in plaintext");
    }
    tracing::info!(
        %addr,
        token_file = %token_path.display(),
        memory_budget = %cfg.store.memory_budget,
        "seer is up; run `seer run px/processes`"
    );
    let engine = QueryEngine::new(store, cfg.query_limits());
    let mut rx = stop_rx.clone();
    let shutdown = async move {
        let _ = rx.changed().await;
    };
    let web = if cfg.ui.enabled {
        Some(start_web(&cfg, engine.clone(), token.clone(), stop_rx.clone()).await?)
    } else {
        None
    };
    let server = tokio::spawn(seer_broker::serve(listener, engine, token, shutdown));
    wait_for_signal().await?;
    tracing::info!("shutting down");
    let _ = stop_tx.send(true);
    server.await.context("server task")??;
    if let Some(web) = web {
        web.await.context("web UI task")??;
    }
    agent.join().await;
    tracing::info!("stopped");
    Ok(())
}

/// Binds the web UI's listener, prints its one-time login link and serves it until `stop` flips.
async fn start_web(
    cfg: &Config,
    engine: QueryEngine,
    token: Token,
    mut stop: watch::Receiver<bool>,
) -> Result<tokio::task::JoinHandle<Result<(), seer_web::WebError>>> {
    let listener = TcpListener::bind(cfg.ui.listen).await.with_context(|| {
        format!(
            "binding the web UI on {} (change it with --ui-listen, or --no-ui)",
            cfg.ui.listen
        )
    })?;
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "web UI listening beyond loopback without TLS: tokens, cookies and results cross the network in plaintext");
    }
    if !seer_web::Web::ui_built() {
        tracing::warn!("the web UI assets were not built into this binary; run tools/ui.sh and rebuild");
    }
    let web = seer_web::Web::new(engine, token, seer_web::WebConfig::for_addr(addr));
    let base = format!("http://{addr}");
    let link = web.login_link(&base)?;
    tracing::info!(url = %base, "web UI is up");
    // The single-use link goes to the terminal only, not through the log pipeline.
    eprintln!("seer: web UI at {base}/ — one-time login link (valid 15 minutes): {link}");
    let shutdown = async move {
        let _ = stop.changed().await;
    };
    Ok(tokio::spawn(web.serve(listener, shutdown)))
}

async fn wait_for_signal() -> Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    Ok(())
}
