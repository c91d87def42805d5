//! `assure serve`, `demo`, `migrate`, `backup`, `restore` and `config`: running the service
//! and its database.

use anyhow::{Context, Result, bail};

use super::*;
use crate::config::Config;

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

pub(super) async fn serve(config: &Config, core: Core) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "Assure is listening");
    println!("Assure is running at http://{address}/ (stop it with Ctrl-C)");
    let state = assure_web::AppState::new(core.clone(), config.web_config());
    assure_web::serve(listener, state, shutdown_signal()).await?;
    core.store.close().await;
    Ok(())
}

/// `assure serve`.
pub(super) async fn serve_command(config: &Config) -> Result<()> {
    let core = open(config).await?;
    serve(config, core).await
}

/// `assure demo`: a fresh demo database, loaded and (unless `no_serve`) served.
pub(super) async fn demo(
    args: &ConfigArgs,
    mut config: Config,
    no_serve: bool,
    scale: usize,
    national: bool,
) -> Result<()> {
    if args.database_url.is_none() {
        // The demo gets a database of its own, made afresh each time.
        let path = "assure-demo.sqlite3";
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
        config.database_url.0 = format!("sqlite://{path}");
    }
    if args.secure_cookies.is_none() && config.listen.ip().is_loopback() {
        // Plain HTTP on this machine only.
        config.secure_cookies = false;
    }
    let core = open(&config).await?;
    let (password, chosen) = match std::env::var("ASSURE_DEMO_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, true),
        _ => (format!("demo-{}", assure_core::accounts::auth::random_token(12)), false),
    };
    core.load_demo(&password).await.map_err(explain)?;
    if scale > 0 {
        core.scale_demo(scale).await.map_err(explain)?;
        println!(
            "Added {scale} case reviews, each with a recommendation and {} actions.",
            assure_core::demo::ACTIONS_PER_REVIEW
        );
    }
    if national {
        let size = assure_core::demo::NATIONAL;
        core.national_demo(&size).await.map_err(explain)?;
        println!(
            "Added the national-scale data set: every local authority's published figures, {} case reviews \
             with {} actions, {} Section 11 rounds and {} audit-log entries.",
            size.reviews,
            size.reviews * assure_core::demo::ACTIONS_PER_REVIEW,
            size.campaigns,
            size.audit_entries
        );
    }
    println!("The demo partnership is loaded into {:?}.", config.database_url);
    println!("Sign in with any of these accounts:");
    for account in assure_core::demo::ACCOUNTS {
        println!("  {:<32} {}", account.email, account.what);
    }
    if chosen {
        println!("Password: the value of ASSURE_DEMO_PASSWORD");
    } else {
        println!("Password for every demo account: {password}");
    }
    if no_serve { Ok(()) } else { serve(&config, core).await }
}

/// `assure migrate`.
pub(super) async fn migrate(config: &Config) -> Result<()> {
    open(config).await?;
    println!("The database schema is up to date.");
    Ok(())
}

/// `assure backup FILE`.
pub(super) async fn backup(config: &Config, file: std::path::PathBuf) -> Result<()> {
    let core = open(config).await?;
    let ctx = core.operator().await.map_err(explain)?;
    core.backup(&ctx, &file).await.map_err(explain)?;
    println!("Backed up to {}", file.display());
    Ok(())
}

/// `assure restore FILE`.
pub(super) async fn restore(config: &Config, file: std::path::PathBuf, yes: bool) -> Result<()> {
    let core = open(config).await?;
    let ctx = core.operator().await.map_err(explain)?;
    // Restoring into an empty database replaces nothing; over existing data it needs --yes.
    if !yes && !ctx.actor.partnerships().is_empty() {
        bail!("restore replaces everything in {:?}; run it again with --yes to confirm", config.database_url);
    }
    let check = core.restore(&ctx, &file).await.map_err(explain)?;
    println!(
        "Restored from {}; audit log: {} entries{}",
        file.display(),
        check.entries,
        if check.problem.is_some() { " (chain broken!)" } else { ", intact" }
    );
    Ok(())
}
#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration, secrets redacted.
    Print,
}
impl ConfigCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let ConfigCommand::Print = self;

        print!("{}", config.print());
        Ok(())
    }
}
