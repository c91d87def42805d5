//! The subcommands. Each one loads the configuration, opens the store and calls the same
//! `assure_core` use-cases as the web pages, as the operator (administrator of every
//! partnership), so the CLI passes the same checks and writes the same audit trail.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use assure_core::accounts::{GrantInput, NewUserInput};
use assure_core::{Core, CoreError, Ctx};
use assure_domain::structure::ArmKind;
use assure_store::Store;
use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigArgs, LogFormat};

mod accounts;
mod audit_log;
mod audits;
mod bulletins;
mod calendar;
mod challenges;
mod finance;
mod inspections;
mod intelligence;
mod learning;
mod meetings;
mod operations;
mod reminders;
mod report;
mod risks;
mod strategy;
mod structure;
mod training;
mod voice;

pub use accounts::{TokenCommand, UserCommand};
pub use audit_log::AuditCommand;
pub use audits::FrameworkCommand;
pub use bulletins::BulletinsCommand;
pub use calendar::CalendarCommand;
pub use challenges::ChallengesCommand;
pub use finance::FinanceCommand;
pub use inspections::InspectionsCommand;
pub use intelligence::{ExtractCommand, IndicatorsCommand, ReturnsCommand};
pub use learning::PlanCommand;
pub use meetings::AttendanceCommand;
pub use operations::ConfigCommand;
pub use reminders::RemindersCommand;
pub use report::{GAPS_EXIT, GapsRemain, ReportCommand};
pub use risks::RisksCommand;
pub use strategy::StrategyCommand;
pub use structure::PartnershipCommand;
pub use training::TrainingCommand;
pub use voice::FeedbackCommand;

#[derive(Parser)]
#[command(name = "assure", version, about = "Assure: assurance for safeguarding partnerships")]
pub struct Cli {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web server (migrating the database first).
    Serve,
    /// Create a fresh demo database (the Southend Safeguarding Partnership) and serve it.
    Demo {
        /// Load the demo and exit instead of serving.
        #[arg(long)]
        no_serve: bool,
        /// Add this many more case reviews to Southend, each with a recommendation and ten
        /// actions on the plan (deterministic; for measuring how pages cope as data grows).
        #[arg(long, default_value_t = 0)]
        scale: usize,
        /// Add the national-scale data set the page benchmark measures: every local authority's
        /// published figures, 1,000 more reviews with 10,000 actions, six yearly Section 11
        /// rounds to every organisation (about 500 returns) and a million audit-log entries.
        #[arg(long, conflicts_with = "scale")]
        national: bool,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Partnerships (tenants) on this instance.
    #[command(subcommand)]
    Partnership(PartnershipCommand),
    /// Accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write a backup of the whole database to FILE (a new file).
    Backup { file: PathBuf },
    /// Replace the whole database with the backup in FILE (asks for --yes if it holds data).
    Restore {
        file: PathBuf,
        /// Confirm that everything now in the database may be replaced.
        #[arg(long)]
        yes: bool,
    },
    /// The configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// The working-day calendar that every statutory clock counts in.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Reminders of deadlines (the server also sends them every hour).
    #[command(subcommand)]
    Reminders(RemindersCommand),
    /// The Consolidated Action Plan.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Attendance at the meetings of the partnership's bodies.
    #[command(subcommand)]
    Attendance(AttendanceCommand),
    /// The partnership's risk registers: list them, show a risk, review its rating.
    #[command(subcommand)]
    Risks(RisksCommand),
    /// The partnership's strategies: list them, print a quarter's or a year's report, record progress.
    #[command(subcommand)]
    Strategy(StrategyCommand),
    /// The partnership's budgets: list the years, show one, record a line's quarter.
    #[command(subcommand)]
    Finance(FinanceCommand),
    /// The challenge and escalation log: list it, show an entry, record progress.
    #[command(subcommand)]
    Challenges(ChallengesCommand),
    /// Inspections of the partnership's agencies: list them, show one, an agency's grades over time.
    #[command(subcommand)]
    Inspections(InspectionsCommand),
    /// Feedback from the partnership's public page: list it, show one piece, list "You said, we
    /// did", list the surveys and a survey's results.
    #[command(subcommand)]
    Feedback(FeedbackCommand),
    /// The partnership's bulletins: list them with their counts, show one, publish, send.
    #[command(subcommand)]
    Bulletins(BulletinsCommand),
    /// The statutory yearly reports: build one as the records stand, as HTML, PDF or Word.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Training and events: list the sessions, a period's report, read an attendance report,
    /// run the follow-ups and retention.
    #[command(subcommand)]
    Training(TrainingCommand),
    /// Partners' record-level extracts.
    #[command(subcommand)]
    Extract(ExtractCommand),
    /// Assurance frameworks (Section 11, Section 175/157, adults' self-assessment, and yours).
    #[command(subcommand)]
    Framework(FrameworkCommand),
    /// Partners' data returns and their templates (the adults' figures, the LADO's, the annual
    /// report contribution, and yours).
    #[command(subcommand)]
    Returns(ReturnsCommand),
    /// Load published statistics (DfE explore-education-statistics CSVs, ONS 0-17 population
    /// estimates, DfE statistical neighbours) for every area, all files or none.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// The indicator catalogue and its computed values.
    #[command(subcommand)]
    Indicators(IndicatorsCommand),
}

pub(super) fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ASSURE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    // Colour only for a person at a terminal: a log written to a file or a pipe (a service
    // manager's journal, a log shipper) carries no escape codes; NO_COLOR turns it off anywhere.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr()) && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(colour);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

pub(super) async fn open(config: &Config) -> Result<Core> {
    let store = Store::connect(&config.database_url.0)
        .await
        .with_context(|| format!("opening the database {:?}", config.database_url))?;
    store.migrate().await.context("migrating the database")?;
    let core = Core::new(store, config.core_settings()?);
    // The frameworks shipped with this version of Assure, if the database lacks them.
    core.load_shipped_frameworks().await.map_err(explain)?;
    // And the data return templates.
    core.load_shipped_return_templates().await.map_err(explain)?;
    Ok(core)
}

/// Turns a use-case's refusal into a message for the console.
pub(super) fn explain(e: CoreError) -> anyhow::Error {
    match e {
        CoreError::Invalid(errors) => {
            let lines: Vec<String> =
                errors.iter().flat_map(|(f, ms)| ms.iter().map(move |m| format!("{f}: {m}"))).collect();
            anyhow!(lines.join("\n"))
        }
        CoreError::NotFound => anyhow!("not found"),
        other => anyhow!(other.to_string()),
    }
}

pub(super) fn read_password() -> Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).context("reading the password from standard input")?;
    Ok(s.trim_end_matches(['\r', '\n']).to_owned())
}

pub(super) async fn partnership_id(core: &Core, ctx: &Ctx, slug: &str) -> Result<assure_domain::PartnershipId> {
    core.my_partnerships(ctx)
        .await
        .map_err(explain)?
        .into_iter()
        .find(|p| p.slug == slug)
        .map(|p| p.id)
        .ok_or_else(|| anyhow!("no partnership with the short name \"{slug}\" (see `assure partnership list`)"))
}

pub async fn run(cli: Cli) -> Result<()> {
    let config = Config::load(&cli.config)?;
    init_logging(&config);
    // One line per capability's commands: each capability's module holds its subcommands.
    match cli.command {
        Command::Serve => operations::serve_command(&config).await,
        Command::Demo { no_serve, scale, national } => {
            operations::demo(&cli.config, config, no_serve, scale, national).await
        }
        Command::Migrate => operations::migrate(&config).await,
        Command::Backup { file } => operations::backup(&config, file).await,
        Command::Restore { file, yes } => operations::restore(&config, file, yes).await,
        Command::Config(cmd) => cmd.run(&config).await,
        Command::Partnership(cmd) => cmd.run(&config).await,
        Command::User(cmd) => cmd.run(&config).await,
        Command::Token(cmd) => cmd.run(&config).await,
        Command::Audit(cmd) => cmd.run(&config).await,
        Command::Calendar(cmd) => cmd.run(&config).await,
        Command::Reminders(cmd) => cmd.run(&config).await,
        Command::Plan(cmd) => cmd.run(&config).await,
        Command::Risks(cmd) => cmd.run(&config).await,
        Command::Strategy(cmd) => cmd.run(&config).await,
        Command::Finance(cmd) => cmd.run(&config).await,
        Command::Training(cmd) => cmd.run(&config).await,
        Command::Challenges(cmd) => cmd.run(&config).await,
        Command::Inspections(cmd) => cmd.run(&config).await,
        Command::Feedback(cmd) => cmd.run(&config).await,
        Command::Bulletins(cmd) => cmd.run(&config).await,
        Command::Report(cmd) => cmd.run(&config).await,
        Command::Attendance(cmd) => cmd.run(&config).await,
        Command::Import { files } => intelligence::import(&config, files).await,
        Command::Indicators(cmd) => cmd.run(&config).await,
        Command::Extract(cmd) => cmd.run(&config).await,
        Command::Framework(cmd) => cmd.run(&config).await,
        Command::Returns(cmd) => cmd.run(&config).await,
    }
}

/// Reads a file given on the command line, refusing (before reading it) one larger than `max`
/// bytes; what is read is capped too, in case the file grows meanwhile.
pub(super) fn read_within(path: &std::path::Path, max: usize) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let size = file.metadata().with_context(|| format!("reading {}", path.display()))?.len();
    let too_large = || {
        anyhow!("{}: the file is larger than {} MB, the most this command reads", path.display(), max / (1024 * 1024))
    };
    if size > max as u64 {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max as u64 + 1).read_to_end(&mut bytes).with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() > max {
        return Err(too_large());
    }
    Ok(bytes)
}
