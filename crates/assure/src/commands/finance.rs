//! `assure finance`: the partnership's budgets from the console: list the years, show one year's
//! lines with their figures, and record a line's quarter (as the finance officer's monthly
//! return arrives).

use anyhow::{Result, anyhow};
use assure_domain::finance::{QuarterInput, decimal, financial_year};
use assure_domain::structure::Choice;

use super::*;
use crate::config::Config;

#[derive(Subcommand)]
pub enum FinanceCommand {
    /// List the partnership's budgets, one year a line: id, financial year, income budget,
    /// expenditure budget, expenditure actual, in kind, reserves at the year's end (pounds),
    /// locked or open, and how many things do not add up; tab-separated.
    List {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
    },
    /// Show one year's budget, one line a line: line id, side, category, name, budget, actual to
    /// date, forecast (pounds); then what does not add up, one flag a line.
    Show {
        /// The partnership's short name.
        #[arg(long)]
        partnership: String,
        /// The financial year, by the year it starts (2019 for 2019-20).
        #[arg(long)]
        year: i32,
    },
    /// Record a line's actual and forecast for a quarter, as the operator.
    Actual {
        /// The line's id (the first column of `finance show`).
        line: i64,
        /// 1 (April to June) to 4 (January to March).
        #[arg(long)]
        quarter: String,
        /// Spent or received in the quarter, in pounds.
        #[arg(long, default_value = "")]
        actual: String,
        /// The year's forecast as it stood at the quarter's end, in pounds.
        #[arg(long, default_value = "")]
        forecast: String,
        /// Why, when the year is locked.
        #[arg(long, default_value = "")]
        reason: String,
    },
}

impl FinanceCommand {
    pub(super) async fn run(self, config: &Config) -> Result<()> {
        let core = open(config).await?;
        let ctx = core.operator().await.map_err(explain)?;
        match self {
            FinanceCommand::List { partnership } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                for w in core.finances(&ctx, p).await.map_err(explain)?.years {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        w.budget.id,
                        financial_year(w.budget.year),
                        decimal(w.income.budget),
                        decimal(w.spend.budget),
                        decimal(w.spend.actual),
                        decimal(w.all_in_kind()),
                        decimal(w.reserves.carried_forward()),
                        if w.budget.locked() { "locked" } else { "open" },
                        w.flags.len()
                    );
                }
            }
            FinanceCommand::Show { partnership, year } => {
                let p = partnership_id(&core, &ctx, &partnership).await?;
                let view = core.budget_of_year(&ctx, p, year).await.map_err(|e| match e {
                    assure_core::CoreError::NotFound => anyhow!("There is no budget for {}", financial_year(year)),
                    other => explain(other),
                })?;
                let w = &view.worked;
                let lines = w
                    .contributions
                    .iter()
                    .chain(&w.other_income)
                    .chain(w.expenditure.iter().flat_map(|g| &g.lines))
                    .chain(w.in_kind.iter().flat_map(|g| &g.lines));
                for l in lines {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        l.line.id,
                        l.line.side.code(),
                        l.line.category.code(),
                        l.name(),
                        decimal(l.figures.budget),
                        decimal(l.figures.actual),
                        decimal(l.figures.forecast)
                    );
                }
                for f in &w.flags {
                    println!("flag\t{}\t{}", f.code, f.message);
                }
            }
            FinanceCommand::Actual { line, quarter, actual, forecast, reason } => {
                let input = QuarterInput { quarter, actual, forecast, reason };
                let budget =
                    core.set_budget_quarter(&ctx, assure_domain::BudgetLineId(line), &input).await.map_err(explain)?;
                println!("Recorded on budget {budget}");
            }
        }
        Ok(())
    }
}
