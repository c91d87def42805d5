//! `assure attendance`: a body's attendance review from the console.

use anyhow::{Result, anyhow, bail};

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum AttendanceCommand {
    /// Print a body's attendance, one row per meeting held: date, seats, represented, present,
    /// deputies, apologies, absent, not_recorded, represented_percent, quorate.
    Report {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// The body's name, as the partnership's pages show it.
        #[arg(long)]
        body: String,
        /// The first day of the period (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// The last day of the period (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// The output format: csv.
        #[arg(long, default_value = "csv")]
        format: String,
    },
}

fn date(flag: &str, label: &str, raw: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    raw.map(|r| assure_domain::validation::optional_date(label, r).map_err(|m| anyhow!("--{flag}: {m}")))
        .transpose()
        .map(Option::flatten)
}

impl AttendanceCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        match self {
            AttendanceCommand::Report { partnership, body, from, to, format } => {
                if format != "csv" {
                    bail!("--format: the report is written as csv");
                }
                let from = date("from", "the start of the period", from.as_deref())?;
                let to = date("to", "the end of the period", to.as_deref())?;
                let core = open(config).await?;
                let ctx = core.operator().await.map_err(explain)?;
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let (bodies, _) =
                    core.bodies(&ctx, p, true, assure_core::structure::Page::ALL).await.map_err(explain)?;
                let wanted = body.trim().to_lowercase();
                let found = bodies.iter().find(|b| b.name.to_lowercase() == wanted).ok_or_else(|| {
                    anyhow!("no body named \"{body}\" in {partnership} (see the partnership's boards and groups)")
                })?;
                let review = core.attendance_review(&ctx, found.id, from, to).await.map_err(explain)?;
                // The file the page downloads starts with a byte-order mark for Excel; a script
                // reading standard output wants the bare text.
                print!("{}", review.csv().trim_start_matches('\u{feff}'));
            }
        }
        Ok(())
    }
}
