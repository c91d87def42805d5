//! The subcommands. Each one loads the configuration, opens the store and calls the same
//! `assure_core` use-cases as the web pages, as the operator (administrator of every
//! partnership), so the CLI passes the same checks and writes the same audit trail.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use assure_core::accounts::{GrantInput, NewUserInput};
use assure_core::{Core, CoreError, Ctx};
use assure_domain::structure::ArmKind;
use assure_store::Store;
use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigArgs, LogFormat};

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
    /// Partners' record-level extracts.
    #[command(subcommand)]
    Extract(ExtractCommand),
    /// Assurance frameworks (Section 11, Section 175/157, adults' self-assessment, and yours).
    #[command(subcommand)]
    Framework(FrameworkCommand),
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

#[derive(Subcommand)]
pub enum IndicatorsCommand {
    /// Print the catalogue, one indicator a line: code, unit, title.
    List,
    /// Print an indicator's values: area code, period and value.
    Values {
        /// The indicator's code, such as children.referral_rate.
        code: String,
        /// One area, by its ONS code (E06000033) or DfE number (882); default every area.
        #[arg(long)]
        area: Option<String>,
        /// csv (default) or json.
        #[arg(long, default_value = "csv")]
        format: String,
    },
}

#[derive(Subcommand)]
pub enum FrameworkCommand {
    /// Print every framework version, one a line: id, code, version, title.
    List,
    /// Import a framework file (YAML, or an XLSX workbook laid out as `export --xlsx` writes
    /// one) as a new version; every problem is reported with its line, or sheet, row and column.
    Import { file: PathBuf },
    /// Print a framework version's file (YAML), or write it as a workbook, to edit and import
    /// as a new version.
    Export {
        id: i64,
        /// Write the framework as an XLSX workbook to this file instead (it must not exist).
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum ExtractCommand {
    /// Aggregate a pseudonymised contacts extract (CSV) into monthly.csv, imd.csv and
    /// rereferrals.csv in DIR. Needs no database; person ids are never written out.
    Aggregate {
        file: PathBuf,
        /// The folder to write the three files into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum PlanCommand {
    /// Write the plan's actions to an XLSX spreadsheet (a new file), filtered like the page.
    Export {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// Only overdue actions.
        #[arg(long)]
        overdue: bool,
        /// not_started, in_progress, completed or cancelled (default: every open action).
        #[arg(long, default_value = "")]
        status: String,
        /// children or adults.
        #[arg(long, default_value = "")]
        arm: String,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum RemindersCommand {
    /// Send every reminder that is due and not yet sent, in the application and by e-mail.
    Send,
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Print the Nth working day after DATE (ISO dates; DATE itself is not counted).
    AddWorkingDays {
        date: String,
        #[arg(allow_hyphen_values = true)]
        n: String,
    },
    /// Print how many working days fall after A up to and including B (negative if B is before A).
    WorkingDaysBetween { a: String, b: String },
    /// List a year's closed days: the built-in bank holidays and any added ones.
    Holidays { year: i32 },
    /// Close an extra day for every clock, such as a newly proclaimed bank holiday.
    CloseDay {
        date: String,
        #[arg(long)]
        name: String,
    },
    /// Reopen a day that was closed with close-day.
    ReopenDay { date: String },
}

#[derive(Subcommand)]
pub enum PartnershipCommand {
    /// Add a partnership with its children's and adults' arms.
    Add {
        /// Short name used in the API, e.g. southend.
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
    },
    /// List partnerships, one a line: slug, name.
    List,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account with its first role. The password is read from standard input when
    /// --password-stdin is given; otherwise a temporary one is printed.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// administrator, business_unit, scrutineer, body_member, agency_lead or viewer.
        #[arg(long)]
        role: String,
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// Organisation id, for agency leads.
        #[arg(long)]
        organisation: Option<i64>,
        /// Body id, for body members.
        #[arg(long)]
        body: Option<i64>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts, one a line: email, name, status.
    List {
        #[arg(long)]
        partnership: Option<String>,
    },
    /// Disable an account, ending its sessions and API tokens.
    Disable { email: String },
    /// Enable a disabled account.
    Enable { email: String },
    /// Set a new password (from standard input with --password-stdin, otherwise generated and printed).
    ResetPassword {
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give an account another role.
    Grant {
        email: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        partnership: String,
        #[arg(long)]
        organisation: Option<i64>,
        #[arg(long)]
        body: Option<i64>,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; the token is printed once, alone on the last line.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "created with the assure CLI")]
        label: String,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the whole hash chain; exits non-zero when any entry was changed or removed.
    Verify,
}

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration, secrets redacted.
    Print,
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ASSURE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

async fn open(config: &Config) -> Result<Core> {
    let store = Store::connect(&config.database_url.0)
        .await
        .with_context(|| format!("opening the database {:?}", config.database_url))?;
    store.migrate().await.context("migrating the database")?;
    let core = Core::new(store, config.core_settings()?);
    // The frameworks shipped with this version of Assure, if the database lacks them.
    core.load_shipped_frameworks().await.map_err(explain)?;
    Ok(core)
}

/// Turns a use-case's refusal into a message for the console.
fn explain(e: CoreError) -> anyhow::Error {
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

fn read_password() -> Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).context("reading the password from standard input")?;
    Ok(s.trim_end_matches(['\r', '\n']).to_owned())
}

async fn partnership_id(core: &Core, ctx: &Ctx, slug: &str) -> Result<assure_domain::PartnershipId> {
    core.my_partnerships(ctx)
        .await
        .map_err(explain)?
        .into_iter()
        .find(|p| p.slug == slug)
        .map(|p| p.id)
        .ok_or_else(|| anyhow!("no partnership with the short name \"{slug}\" (see `assure partnership list`)"))
}

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

async fn serve(config: &Config, core: Core) -> Result<()> {
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

pub async fn run(cli: Cli) -> Result<()> {
    let mut config = Config::load(&cli.config)?;
    init_logging(&config);
    match cli.command {
        Command::Serve => {
            let core = open(&config).await?;
            serve(&config, core).await
        }
        Command::Demo { no_serve } => {
            if cli.config.database_url.is_none() {
                // The demo gets a database of its own, made afresh each time.
                let path = "assure-demo.sqlite3";
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{path}{suffix}"));
                }
                config.database_url.0 = format!("sqlite://{path}");
            }
            if cli.config.secure_cookies.is_none() && config.listen.ip().is_loopback() {
                // Plain HTTP on this machine only.
                config.secure_cookies = false;
            }
            let core = open(&config).await?;
            let (password, chosen) = match std::env::var("ASSURE_DEMO_PASSWORD") {
                Ok(p) if !p.is_empty() => (p, true),
                _ => (format!("demo-{}", assure_core::auth::random_token(12)), false),
            };
            core.load_demo(&password).await.map_err(explain)?;
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
        Command::Migrate => {
            open(&config).await?;
            println!("The database schema is up to date.");
            Ok(())
        }
        Command::Partnership(cmd) => {
            let core = open(&config).await?;
            match cmd {
                PartnershipCommand::Add { slug, name } => {
                    let slug = slug.trim().to_lowercase();
                    if slug.is_empty()
                        || !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    {
                        bail!("--slug: use lower-case letters, digits and hyphens, like southend");
                    }
                    let name = assure_domain::validation::required_text("a name", &name, 200)
                        .map_err(|m| anyhow!("--name: {m}"))?;
                    core.add_partnership(&slug, &name, &[(ArmKind::Children, "Children"), (ArmKind::Adults, "Adults")])
                        .await
                        .map_err(explain)?;
                    println!("Added {slug}: {name}");
                }
                PartnershipCommand::List => {
                    let ctx = core.operator().await.map_err(explain)?;
                    for p in core.my_partnerships(&ctx).await.map_err(explain)? {
                        println!("{}\t{}", p.slug, p.name);
                    }
                }
            }
            Ok(())
        }
        Command::User(cmd) => {
            let core = open(&config).await?;
            let ctx = core.operator().await.map_err(explain)?;
            match cmd {
                UserCommand::Add { email, name, role, partnership, organisation, body, password_stdin } => {
                    let p = partnership_id(&core, &ctx, &partnership).await?;
                    let password = if password_stdin { read_password()? } else { String::new() };
                    let input = NewUserInput {
                        email: email.clone(),
                        display_name: name,
                        role,
                        organisation_id: organisation.map(|o| o.to_string()).unwrap_or_default(),
                        body_id: body.map(|b| b.to_string()).unwrap_or_default(),
                        password,
                    };
                    let (_, generated) = core.create_user(&ctx, p, &input).await.map_err(explain)?;
                    println!("Created {}", email.trim().to_lowercase());
                    if let Some(password) = generated {
                        println!("Temporary password: {password}");
                    }
                }
                UserCommand::List { partnership } => {
                    let partnerships = match partnership {
                        Some(slug) => vec![partnership_id(&core, &ctx, &slug).await?],
                        None => ctx.actor.partnerships(),
                    };
                    let mut seen = std::collections::BTreeSet::new();
                    for p in partnerships {
                        for u in core.users(&ctx, p).await.map_err(explain)? {
                            if seen.insert(u.id) {
                                let status = if u.disabled { "disabled" } else { "active" };
                                println!("{}\t{}\t{status}", u.email, u.display_name);
                            }
                        }
                    }
                }
                UserCommand::Disable { email } => {
                    let user = core
                        .user_by_email(&email)
                        .await
                        .map_err(|_| anyhow!("no account with the email address {email}"))?;
                    core.set_user_disabled(&ctx, user.id, true).await.map_err(explain)?;
                    println!("Disabled {email}");
                }
                UserCommand::Enable { email } => {
                    let user = core
                        .user_by_email(&email)
                        .await
                        .map_err(|_| anyhow!("no account with the email address {email}"))?;
                    core.set_user_disabled(&ctx, user.id, false).await.map_err(explain)?;
                    println!("Enabled {email}");
                }
                UserCommand::ResetPassword { email, password_stdin } => {
                    let user = core
                        .user_by_email(&email)
                        .await
                        .map_err(|_| anyhow!("no account with the email address {email}"))?;
                    let password = if password_stdin { read_password()? } else { String::new() };
                    let generated = core.reset_password(&ctx, user.id, &password).await.map_err(explain)?;
                    println!("Password reset for {email}; their sessions have ended");
                    if let Some(p) = generated {
                        println!("Temporary password: {p}");
                    }
                }
                UserCommand::Grant { email, role, partnership, organisation, body } => {
                    let user = core
                        .user_by_email(&email)
                        .await
                        .map_err(|_| anyhow!("no account with the email address {email}"))?;
                    let p = partnership_id(&core, &ctx, &partnership).await?;
                    let input = GrantInput {
                        role,
                        organisation_id: organisation.map(|o| o.to_string()).unwrap_or_default(),
                        body_id: body.map(|b| b.to_string()).unwrap_or_default(),
                    };
                    core.grant_role(&ctx, p, user.id, &input).await.map_err(explain)?;
                    println!("Granted");
                }
            }
            Ok(())
        }
        Command::Token(TokenCommand::Create { user, label }) => {
            let core = open(&config).await?;
            let ctx = core.operator().await.map_err(explain)?;
            let found =
                core.user_by_email(&user).await.map_err(|_| anyhow!("no account with the email address {user}"))?;
            let token = core.create_token(&ctx, found.id, &label).await.map_err(explain)?;
            println!("API token for {} (shown once; store it safely):", found.email);
            println!("{token}");
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => {
            let core = open(&config).await?;
            let ctx = core.operator().await.map_err(explain)?;
            let result = core.verify_audit(&ctx).await.map_err(explain)?;
            match result.problem {
                None => {
                    println!("The audit log is intact: {} entries, head {}", result.entries, result.head_hash);
                    Ok(())
                }
                Some(problem) => bail!(
                    "the audit log has been tampered with: {problem} ({} entries verified before it)",
                    result.entries
                ),
            }
        }
        Command::Backup { file } => {
            let core = open(&config).await?;
            let ctx = core.operator().await.map_err(explain)?;
            core.backup(&ctx, &file).await.map_err(explain)?;
            println!("Backed up to {}", file.display());
            Ok(())
        }
        Command::Restore { file, yes } => {
            let core = open(&config).await?;
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
        Command::Calendar(cmd) => {
            let core = open(&config).await?;
            let date = |label: &str, raw: &str| {
                assure_domain::validation::required_date("the date", raw).map_err(|m| anyhow!("{label}: {m}"))
            };
            match cmd {
                CalendarCommand::AddWorkingDays { date: raw, n } => {
                    let from = date("DATE", &raw)?;
                    let n: u32 = n
                        .trim()
                        .parse()
                        .ok()
                        .filter(|n| *n <= 10_000)
                        .ok_or_else(|| anyhow!("N: \"{n}\" is not a whole number from 0 to 10000"))?;
                    println!("{}", core.working_calendar().await.map_err(explain)?.add_working_days(from, n));
                }
                CalendarCommand::WorkingDaysBetween { a, b } => {
                    let (a, b) = (date("A", &a)?, date("B", &b)?);
                    println!("{}", core.working_calendar().await.map_err(explain)?.working_days_between(a, b));
                }
                CalendarCommand::Holidays { year } => {
                    for h in core.holidays(year).await.map_err(explain)? {
                        println!("{}\t{}{}", h.day, h.name, if h.added { " (added)" } else { "" });
                    }
                }
                CalendarCommand::CloseDay { date: raw, name } => {
                    let ctx = core.operator().await.map_err(explain)?;
                    let day = core.close_day(&ctx, &raw, &name).await.map_err(explain)?;
                    println!("Closed {day}: every clock now skips it");
                }
                CalendarCommand::ReopenDay { date: raw } => {
                    let ctx = core.operator().await.map_err(explain)?;
                    core.reopen_day(&ctx, &raw).await.map_err(explain)?;
                    println!("Reopened {raw}");
                }
            }
            Ok(())
        }
        Command::Reminders(RemindersCommand::Send) => {
            let core = open(&config).await?;
            let report = core.send_reminders().await.map_err(explain)?;
            println!(
                "Reminders: {} in the application, {} by e-mail, {} e-mail failures",
                report.notifications, report.emails, report.email_failures
            );
            Ok(())
        }
        Command::Plan(PlanCommand::Export { partnership, overdue, status, arm, file }) => {
            if file.exists() {
                bail!("{} already exists; choose a new file name", file.display());
            }
            let core = open(&config).await?;
            let ctx = core.operator().await.map_err(explain)?;
            let p = partnership_id(&core, &ctx, &partnership).await?;
            let filter = assure_domain::learning::PlanFilterInput {
                status,
                arm,
                overdue: if overdue { "yes".into() } else { String::new() },
                ..Default::default()
            }
            .validate()
            .map_err(|e| explain(e.into()))?;
            let bytes = core.plan_xlsx(&ctx, p, &filter).await.map_err(explain)?;
            std::fs::write(&file, bytes)?;
            println!("Wrote the action plan to {}", file.display());
            Ok(())
        }
        Command::Import { files } => {
            let core = open(&config).await?;
            let ctx = core.operator().await.map_err(explain)?;
            let mut loaded = Vec::new();
            for f in &files {
                let bytes = read_within(f, assure_core::tables::Limits::PUBLISHED.max_bytes)?;
                loaded.push((f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), bytes));
            }
            let reports = core.import_published(&ctx, &loaded).await.map_err(|e| match e {
                CoreError::Invalid(errors) => {
                    anyhow!(
                        "Nothing was imported:\n{}",
                        errors.iter().flat_map(|(_, ms)| ms.to_vec()).collect::<Vec<_>>().join("\n")
                    )
                }
                other => explain(other),
            })?;
            for r in reports {
                println!("{}: {} ({} rows, {} areas, {} figures)", r.file, r.kind, r.rows, r.areas, r.figures);
            }
            Ok(())
        }
        Command::Indicators(IndicatorsCommand::List) => {
            for i in assure_domain::indicators::CATALOGUE {
                println!("{}\t{}\t{}", i.code, i.unit, i.title);
            }
            Ok(())
        }
        Command::Indicators(IndicatorsCommand::Values { code, area, format }) => {
            if format != "csv" && format != "json" {
                bail!("--format is csv or json, not '{format}'");
            }
            let core = open(&config).await?;
            let (_, values) = core.indicator_values(&code, area.as_deref()).await.map_err(|e| match e {
                CoreError::Invalid(errors) => {
                    anyhow!(errors.iter().flat_map(|(_, ms)| ms.to_vec()).collect::<Vec<_>>().join("\n"))
                }
                other => explain(other),
            })?;
            if format == "json" {
                let rows: Vec<serde_json::Value> = values
                    .iter()
                    .map(|v| serde_json::json!({"area_code": v.area_code, "area": v.area_name, "period": v.period, "value": v.number(), "note": v.note}))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                print!("{}", assure_domain::cells::csv_line(["area_code", "period", "value"]));
                for v in values {
                    print!("{}", assure_domain::cells::csv_line([v.area_code, v.period, v.value.unwrap_or_default()]));
                }
            }
            Ok(())
        }
        Command::Extract(ExtractCommand::Aggregate { file, out }) => {
            let aggregates = assure_extract::aggregate_file(&file).map_err(|e| anyhow!("{}: {e}", file.display()))?;
            std::fs::create_dir_all(&out)?;
            aggregates.write_to(&out)?;
            println!(
                "Aggregated {} rows into {} (monthly.csv, imd.csv, rereferrals.csv)",
                aggregates.rows,
                out.display()
            );
            Ok(())
        }
        Command::Framework(cmd) => {
            let core = open(&config).await?;
            match cmd {
                FrameworkCommand::List => {
                    for f in core.frameworks().await.map_err(explain)? {
                        println!("{}\t{}\t{}\t{}", f.id, f.code, f.version, f.title);
                    }
                }
                FrameworkCommand::Import { file } => {
                    let bytes = read_within(&file, assure_core::tables::Limits::FRAMEWORK.max_bytes)?;
                    let ctx = core.operator().await.map_err(explain)?;
                    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    let id = core.import_framework(&ctx, &name, bytes).await.map_err(|e| match e {
                        CoreError::Invalid(errors) => {
                            anyhow!(errors.iter().flat_map(|(_, ms)| ms.to_vec()).collect::<Vec<_>>().join("\n"))
                        }
                        other => explain(other),
                    })?;
                    let (stored, _) = core.framework(id).await.map_err(explain)?;
                    println!("Imported framework {id}: {} version {}", stored.code, stored.version);
                }
                FrameworkCommand::Export { id, xlsx: None } => {
                    let (stored, _) = core.framework(id).await.map_err(explain)?;
                    print!("{}", stored.source);
                }
                FrameworkCommand::Export { id, xlsx: Some(path) } => {
                    let (stored, bytes) = core.framework_xlsx(id).await.map_err(explain)?;
                    let mut file = std::fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(&path)
                        .with_context(|| format!("creating {}", path.display()))?;
                    std::io::Write::write_all(&mut file, &bytes)
                        .with_context(|| format!("writing {}", path.display()))?;
                    println!("Wrote framework {id} ({} version {}) to {}", stored.code, stored.version, path.display());
                }
            }
            Ok(())
        }
        Command::Config(ConfigCommand::Print) => {
            print!("{}", config.print());
            Ok(())
        }
    }
}

/// Reads a file given on the command line, refusing (before reading it) one larger than `max`
/// bytes; what is read is capped too, in case the file grows meanwhile.
fn read_within(path: &std::path::Path, max: usize) -> Result<Vec<u8>> {
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
