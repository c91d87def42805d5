//! `assure`: the safeguarding partnership's assurance service. See `assure --help`.

mod commands;
mod config;

use clap::Parser;

fn main() -> std::process::ExitCode {
    // One TLS crypto provider for the whole process (SMTP over TLS), chosen here rather than left
    // to whichever rustls features the build happens to unify.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = commands::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // A command, like a request, holds at most one pooled connection at a time.
    match runtime.block_on(assure_store::one_connection_per_task(commands::run(cli))) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            if e.downcast_ref::<commands::GapsRemain>().is_some() {
                return std::process::ExitCode::from(commands::GAPS_EXIT);
            }
            std::process::ExitCode::FAILURE
        }
    }
}
