//! `assure calendar`: the working-day calendar every statutory clock counts in.

use anyhow::{Result, anyhow};

use super::*;
use crate::config::Config;

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
impl CalendarCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let date = |label: &str, raw: &str| {
            assure_domain::validation::required_date("the date", raw).map_err(|m| anyhow!("{label}: {m}"))
        };
        match self {
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
}
