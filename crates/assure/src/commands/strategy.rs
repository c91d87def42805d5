//! `assure strategy`: the partnership's strategies from the console: list them, print a
//! quarter's progress report or a year's "little or no progress", and record an activity's
//! progress.

use anyhow::{Result, anyhow, bail};
use assure_domain::structure::Choice;

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum StrategyCommand {
    /// List the partnership's strategies: id, name, first and last financial years.
    List {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
    },
    /// Print a quarter's progress report (--quarter 2021-Q4) or a year's little or no progress
    /// (--year 2022), one activity a line: activity id, priority, outcome, status, RAG, latest
    /// update; tab-separated.
    Report {
        /// The strategy's id (the first column of `strategy list`).
        id: i64,
        #[arg(long)]
        quarter: Option<String>,
        #[arg(long)]
        year: Option<i32>,
    },
    /// Record an activity's progress, as the operator.
    Update {
        /// The activity's id.
        id: i64,
        /// What was done, or why it slipped.
        #[arg(long)]
        text: String,
        /// not_started, in_progress, completed, deferred or cancelled.
        #[arg(long)]
        status: String,
        /// red, amber or green.
        #[arg(long, default_value = "")]
        rag: String,
        /// The day it speaks for (YYYY-MM-DD); today when left out.
        #[arg(long, default_value = "")]
        on: String,
    },
}

fn print_lines(lines: &[assure_core::strategy::ReportLine]) {
    for l in lines {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            l.activity.id,
            l.priority,
            l.outcome.code(),
            l.standing.status.code(),
            l.standing.rag.map(|r| r.code()).unwrap_or(""),
            l.latest.as_ref().map(|u| u.text.as_str()).unwrap_or("")
        );
    }
}

impl StrategyCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        match self {
            StrategyCommand::List { partnership } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                for s in core.strategies(&ctx, p).await.map_err(explain)? {
                    println!(
                        "{}\t{}\t{}\t{}",
                        s.id,
                        s.name,
                        assure_domain::strategy::financial_year(s.from_year),
                        assure_domain::strategy::financial_year(s.extended_to.unwrap_or(s.to_year))
                    );
                }
            }
            StrategyCommand::Report { id, quarter, year } => match (quarter, year) {
                (Some(q), None) => {
                    let q = assure_domain::strategy::Quarter::parse(&q)
                        .ok_or_else(|| anyhow!("--quarter: give it like 2021-Q4"))?;
                    let report = core.quarter_report(&ctx, id, q).await.map_err(explain)?;
                    print_lines(&report.lines);
                }
                (None, Some(y)) => {
                    let report = core.little_progress(&ctx, id, y).await.map_err(explain)?;
                    println!(
                        "# {}: {} due, {} completed",
                        assure_domain::strategy::financial_year(y),
                        report.due,
                        report.completed
                    );
                    print_lines(&report.lines);
                }
                _ => bail!("give --quarter or --year"),
            },
            StrategyCommand::Update { id, text, status, rag, on } => {
                let input = assure_domain::strategy::UpdateInput { on, text, status, rag, ..Default::default() };
                core.update_activity_progress(&ctx, id, &input).await.map_err(explain)?;
                let v = core.activity(&ctx, id).await.map_err(explain)?;
                println!("recorded: \"{}\" is {}", v.activity.title, v.activity.status.label().to_lowercase());
            }
        }
        Ok(())
    }
}
